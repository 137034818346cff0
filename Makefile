# The two commands of the contract: `make run` and `make test`. Each sets up
# whatever is missing first; a second run with nothing changed reinstalls and
# rebuilds nothing.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run run-cluster cluster-status test lint test-load setup browser services wordnet kb model bench bench-nlu bench-conversations bench-safety check-knowledge report retention constraints clean

run: setup
	@$(PY) -m bot.stack

# The multi-instance set-up on loopback under supervisord: PostgreSQL, Redis, the
# action server, two Rasa servers and nginx on port 5005, files in var/cluster/
# (ops/cluster.py; other ports: ARGS="--proxy-port 8080 ...", see `$(PY) -m ops.cluster --help`;
# another run directory: RUN_DIR=path, for cluster-status too).
run-cluster: setup services
	@$(PY) -m ops.cluster $(if $(RUN_DIR),--run-dir $(RUN_DIR)) $(ARGS)

# Each program of a running `make run-cluster`: state, pid, uptime, restarts, port, health.
cluster-status: $(INSTALLED)
	@$(PY) -m ops.cluster status $(if $(RUN_DIR),--run-dir $(RUN_DIR))

# The whole suite, quickest checks first, stopping at the first stage that fails: lint and
# types; the unit tests (no trained model; two processes, pytest-xdist); Rasa's data
# validation (`rasa data validate`, its findings checked against the known ones,
# tests/training_data/); training; then the assistant (trained model, real servers),
# browser and scale suites. Each installs what it needs before the first suite that uses it:
# WordNet before the unit tests (the reading uses it), Chromium before the assistant suite
# (the report is checked in a browser there).
test: $(INSTALLED)
	@$(MAKE) --no-print-directory lint wordnet
	$(PY) -m pytest -n 2 tests/unit
	$(PY) -m pytest tests/training_data
	@$(MAKE) --no-print-directory model check-knowledge browser TRAIN_ARGS=--skip-validation
	$(PY) -m pytest tests/assistant
	$(PY) -m pytest tests/browser
	@$(MAKE) --no-print-directory services
	$(PY) -m pytest tests/scale

# Lint, formatting and types of bot/, actions/ and bench/ (settings in pyproject.toml);
# `$(VENV)/bin/ruff format bot actions bench` rewrites what the format check rejects.
LINTED := bot actions bench
lint: $(INSTALLED)
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/mypy

# The long scale tests and the load benchmark (two set-ups, about 3 minutes).
test-load: setup services
	$(PY) -m pytest -m load tests/scale
	$(PY) bench/load_bench.py

# Speed and accuracy figures, printed and written to bench/results/.
bench: setup
	$(PY) bench/matcher_bench.py
	$(PY) bench/assistant_bench.py
	$(PY) bench/report_bench.py

# The frozen blind conversation set through the REST webhook, scored per category
# (bench/conversations.py; SET=dev for the development set, with its failures).
bench-conversations: setup
	$(PY) bench/conversations.py $(if $(SET),--set $(SET)) $(if $(filter dev,$(SET)),--failures)

# Safeguarding on the frozen blind safety set: recall on risk, false alarms on safe talk.
bench-safety: kb
	$(PY) bench/safety.py

# Knowledge facts not checked against their source for too long (12 months, or
# sooner for helplines, dates, pay and funding): listed, not failed (--strict fails).
check-knowledge: $(INSTALLED)
	@$(PY) -m bot.knowledge.freshness

# NLU cross-validation (several minutes): `rasa test nlu --cross-validation`.
bench-nlu: setup
	$(PY) bench/nlu_cross_validation.py

# The impact report from the conversation store (FROM/TO: YYYY-MM-DD, default the
# last 30 days) into var/report/; and deleting conversations older than
# AHP_RETENTION_DAYS (default 90).
report: kb
	$(PY) -m bot.report $(if $(FROM),--from $(FROM)) $(if $(TO),--to $(TO))

retention: kb
	$(PY) -m bot.conversations

setup: model

# Debian's Chromium for the widget's browser tests (tests/browser), when missing.
browser:
	@scripts/install-browser

# PostgreSQL, Redis and nginx (Debian packages) for tests/scale, when missing;
# the tests start private instances of them on loopback and stop them.
services:
	@scripts/install-services

# Debian's WordNet data files (wordnet-base), when missing: bot/matching/wordnet.py reads them.
wordnet:
	@scripts/install-wordnet

kb: $(INSTALLED) wordnet
	@$(PY) -m bot.build

# The Rasa model: trained only when config, domain, data, the knowledge-built
# spaCy pipeline or the NLU components changed (bot/train.py). make test passes
# TRAIN_ARGS=--skip-validation: it has validated the data in the stage before.
model: kb
	@$(PY) -m bot.train $(TRAIN_ARGS)

# The virtual environment: Python 3.10 (PATH, then pyenv), exact versions from
# constraints.txt, made from a package cache when it can be (scripts/make-venv).
# Redone only when pyproject.toml or constraints.txt change.
$(INSTALLED): pyproject.toml constraints.txt scripts/find-python310 scripts/make-venv
	@scripts/make-venv $(VENV)
	@touch $@

# After changing dependencies in pyproject.toml: pin the resolved versions.
constraints: $(INSTALLED)
	@{ sed -n '1,2p' constraints.txt; $(PY) -m pip freeze --exclude-editable \
	  | grep -v -E '^(pip|setuptools|wheel)=='; } > constraints.new && mv constraints.new constraints.txt

clean:
	rm -rf var/knowledge.db var/spacy var/logs models .rasa results .pytest_cache
