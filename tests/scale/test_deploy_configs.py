"""docs/deploy/nginx.conf, the proxy in front of Rasa instances on several hosts
(docs/deploy.md), is ops/templates/nginx.conf rendered by `python -m ops.cluster
nginx-config`, the template `make run-cluster` uses, and nginx accepts it
(`nginx -t`: offline, nothing started or bound). The supervisord configuration
`make run-cluster` renders names every program of the set-up."""
from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from ops.cluster import supervisord_config
from ops.layout import Layout

EXAMPLE = PROJECT_ROOT / "docs" / "deploy" / "nginx.conf"
EXAMPLE_ARGS = ["--server", "10.0.1.11:5005", "--server", "10.0.1.12:5005", "--server", "10.0.1.13:5005",
                "--listen", "80", "--rate", "2", "--trusted-proxy", "10.0.0.0/16"]


def nginx_config(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ops.cluster", "nginx-config", *args],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)


def test_the_example_is_the_template_rendered():
    rendered = nginx_config(*EXAMPLE_ARGS, "--root", "/var/lib/ahp-proxy")
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout == EXAMPLE.read_text(), \
        "docs/deploy/nginx.conf is out of date: render it again with the command in docs/deploy.md"


def test_nginx_accepts_the_example(tmp_path):
    checked = nginx_config(*EXAMPLE_ARGS, "--root", str(tmp_path), "--check")
    assert checked.returncode == 0, checked.stderr
    assert "hash $sender consistent" in checked.stdout and "set_real_ip_from 10.0.0.0/16" in checked.stdout


def test_nginx_rejects_a_broken_configuration(tmp_path):
    """The check can fail: an upstream without a port number is refused."""
    checked = nginx_config("--server", "10.0.1.11:notaport", "--root", str(tmp_path), "--check")
    assert checked.returncode != 0 and "nginx rejected" in checked.stderr


def test_supervisord_configuration_has_every_program(tmp_path):
    layout = Layout(tmp_path / "run", instances=3)
    parsed = configparser.RawConfigParser()
    parsed.read_string(supervisord_config(layout, layout.programs()))
    names = [s.split(":", 1)[1] for s in parsed.sections() if s.startswith("program:")]
    assert names == ["postgres", "redis", "actions", "rasa-0", "rasa-1", "rasa-2", "nginx"]
    for name in names:
        section = parsed[f"program:{name}"]
        assert section["command"].startswith("setpriv --pdeathsig=")   # dies with supervisord
        assert section["autorestart"] == "true" and section["autostart"] == "false"
