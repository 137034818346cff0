"""Rasa's files where Rasa's CLI looks for them: config.yml, domain.yml,
credentials.yml and endpoints.yml at the root. endpoints.yml takes every
address from the environment that `make run` and `make run-cluster` give the
Rasa server (bot.stack.endpoint_env), and a change to the domain, like any
other input of the model, means training again (bot/train.py)."""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import create_tracker_store
from rasa.core.utils import AvailableEndpoints
from rasa.shared.constants import (DEFAULT_CONFIG_PATH, DEFAULT_CREDENTIALS_PATH, DEFAULT_DOMAIN_PATH,
                                   DEFAULT_ENDPOINTS_PATH)
from rasa.shared.core.domain import Domain
from rasa.shared.exceptions import RasaException

from bot import train
from bot.config import settings
from bot.lock_store import TicketRenewingLockStore
from bot.stack import ENDPOINTS, endpoint_env
from bot.tracker_store import PingingSQLTrackerStore
from tests.conftest import ROOT


def test_each_file_is_where_rasas_cli_looks_for_it():
    for name in (DEFAULT_CONFIG_PATH, DEFAULT_DOMAIN_PATH, DEFAULT_CREDENTIALS_PATH, DEFAULT_ENDPOINTS_PATH):
        assert (ROOT / name).is_file(), name
    assert ENDPOINTS == DEFAULT_ENDPOINTS_PATH
    assert Domain.load(str(ROOT / DEFAULT_DOMAIN_PATH)).responses["utter_greet"]


def endpoints_with(monkeypatch, config) -> AvailableEndpoints:
    for name, value in endpoint_env(config).items():
        monkeypatch.setenv(name, value)
    return AvailableEndpoints.read_endpoints(str(ROOT / ENDPOINTS))


def test_the_servers_get_every_variable_the_endpoints_read():
    settings_lines = [line for line in (ROOT / ENDPOINTS).read_text().splitlines()
                      if not line.lstrip().startswith("#")]
    named = set(re.findall(r"\$\{(\w+)\}", "\n".join(settings_lines)))
    assert named == set(endpoint_env(settings()))


def test_the_endpoints_take_their_addresses_from_the_environment(monkeypatch, tmp_path):
    config = replace(settings(), host="127.0.0.1", action_port=5999, redis_url="",
                     db_url=f"sqlite:///{tmp_path / 'conversations.db'}")
    endpoints = endpoints_with(monkeypatch, config)
    assert endpoints.action.url == "http://127.0.0.1:5999/webhook"
    assert endpoints.action.kwargs == {"enable_selective_domain": True}
    store = create_tracker_store(endpoints.tracker_store, Domain.empty())
    assert isinstance(store, PingingSQLTrackerStore)
    assert store.engine.url.database == str(tmp_path / "conversations.db")
    lock_store = LockStore.create(endpoints.lock_store)
    assert isinstance(lock_store, TicketRenewingLockStore)
    assert isinstance(lock_store.storage, InMemoryLockStore)   # no Redis URL: one server


def test_a_redis_url_makes_the_lock_store_redis(monkeypatch, tmp_path):
    config = replace(settings(), redis_url="redis://127.0.0.1:6390/3",
                     db_url=f"sqlite:///{tmp_path / 'conversations.db'}")
    lock_store = LockStore.create(endpoints_with(monkeypatch, config).lock_store)
    assert isinstance(lock_store, TicketRenewingLockStore)
    assert isinstance(lock_store.storage, RedisLockStore)
    assert lock_store.storage.red.connection_pool.connection_kwargs["port"] == 6390


def test_a_variable_not_set_stops_rasa_with_its_name(monkeypatch, tmp_path):
    for name, value in endpoint_env(settings()).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AHP_DB_URL")
    with pytest.raises(RasaException, match="AHP_DB_URL"):
        AvailableEndpoints.read_endpoints(str(ROOT / ENDPOINTS))


@pytest.mark.parametrize("changed", ["domain.yml", "config.yml", "data/nlu/chitchat.yml"])
def test_a_change_to_the_domain_or_any_other_input_means_training_again(tmp_path, changed):
    for name in ("config.yml", "domain.yml", "data/nlu/chitchat.yml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    assert tmp_path / "domain.yml" in train.inputs(tmp_path)
    before = train.digest(tmp_path)
    assert train.digest(tmp_path) == before        # nothing changed: the model is up to date
    text = (tmp_path / changed).read_text()
    (tmp_path / changed).write_text(text.replace("- ", "-  ", 1))
    assert train.digest(tmp_path) != before


def fake_training(tmp_path, monkeypatch, model_bytes: bytes) -> list[list[str]]:
    """bot.train in a project of its own under tmp_path, `rasa train` replaced by writing
    `model_bytes` as the model; the commands it would have run."""
    root = tmp_path / "project"
    (root / "models").mkdir(parents=True)
    (root / "config.yml").write_text("pipeline: []\n")
    (root / "constraints.txt").write_text("rasa==3.6.21\n")
    ran: list[list[str]] = []

    def rasa_train(command, cwd):
        ran.append(command)
        train.model_path(root).write_bytes(model_bytes)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(train, "PROJECT_ROOT", root)
    monkeypatch.setattr(train, "model_path", lambda root=root: root / "models" / "ahp.tar.gz")
    monkeypatch.setattr(train, "digest", lambda root=root: train.hashlib.sha256(
        (root / "config.yml").read_bytes()).hexdigest())
    monkeypatch.setattr(train.subprocess, "run", rasa_train)
    monkeypatch.setenv("AHP_MODEL_CACHE", str(tmp_path / "cache"))
    return ran


def test_a_fresh_clone_takes_the_model_its_inputs_were_trained_to_before(tmp_path, monkeypatch):
    ran = fake_training(tmp_path, monkeypatch, b"model one")
    assert train.main([]) == 0 and len(ran) == 1            # trained, and kept in the cache
    model = train.model_path()
    model.unlink()
    (model.parent / "ahp.inputs").unlink()                  # a fresh clone: no model, no stamp
    assert train.main([]) == 0 and len(ran) == 1            # the cached model, not trained again
    assert model.read_bytes() == b"model one"
    (train.PROJECT_ROOT / "config.yml").write_text("pipeline: [changed]\n")
    assert train.main([]) == 0 and len(ran) == 2            # other inputs: trained
    assert train.main(["--force"]) == 0 and len(ran) == 3   # --force always trains


def test_other_pinned_packages_mean_training_again(tmp_path, monkeypatch):
    ran = fake_training(tmp_path, monkeypatch, b"model")
    assert train.main([]) == 0
    (train.PROJECT_ROOT / "models" / "ahp.inputs").unlink()
    (train.PROJECT_ROOT / "constraints.txt").write_text("rasa==3.6.22\n")
    assert train.main([]) == 0 and len(ran) == 2


def test_the_cache_keeps_the_newest_few_and_can_be_turned_off(tmp_path, monkeypatch):
    ran = fake_training(tmp_path, monkeypatch, b"model")
    for n in range(5):
        (train.PROJECT_ROOT / "config.yml").write_text(f"pipeline: [{n}]\n")
        assert train.main([]) == 0
    assert len(list((tmp_path / "cache").glob("*.tar.gz"))) == train.KEEP_IN_CACHE
    monkeypatch.setenv("AHP_MODEL_CACHE", "off")
    (train.PROJECT_ROOT / "models" / "ahp.inputs").unlink()
    assert train.main([]) == 0 and len(ran) == 6            # no cache: trained
