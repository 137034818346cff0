"""The set-up's Python discovery: finds 3.10, or says clearly that there is none."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "find-python310"


def run(env):
    return subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)


def test_finds_a_working_python_310():
    found = run(os.environ.copy())
    assert found.returncode == 0, found.stderr
    version = subprocess.run([found.stdout.strip(), "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True).stdout
    assert version.strip() == "(3, 10)"


def test_prefers_the_interpreter_it_is_given():
    found = run({**os.environ, "PYTHON310": sys.executable})
    assert found.stdout.strip() == sys.executable


def test_fails_with_a_clear_message_when_there_is_none(tmp_path):
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "none")}
    failed = subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True)
    assert failed.returncode == 1
    assert "No Python 3.10 interpreter found" in failed.stderr
    assert failed.stdout == ""
