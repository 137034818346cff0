"""Every package the code imports directly is declared in pyproject.toml: the product's
(bot/, actions/, ops/) among the dependencies, the tests' and benchmarks' there or in
the dev extra. A package that arrives only because Rasa needs it can go when Rasa's
needs change."""
from __future__ import annotations

import ast
import re
import sys
from functools import cache
from importlib.metadata import distributions

from tests.conftest import ROOT

PRODUCT = ("bot", "actions", "ops")
TOOLS = ("tests", "bench")
OWN = set(PRODUCT + TOOLS)


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported(folders: tuple[str, ...]) -> dict[str, set[str]]:
    """Top-level modules outside the standard library and this project -> the files importing them."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "importorskip"
                      and node.args and isinstance(node.args[0], ast.Constant)):
                    names = [str(node.args[0].value)]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in OWN and top != "__future__":
                        found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


@cache
def providers() -> dict[str, set[str]]:
    """Top-level module -> the installed distributions whose files provide it."""
    found: dict[str, set[str]] = {}
    for dist in distributions():
        name = _normalised(dist.metadata["Name"])
        for file in dist.files or ():
            top = file.parts[0]
            if top.endswith((".dist-info", ".egg-info", ".data", ".pth")) or top in ("..", "__pycache__"):
                continue
            found.setdefault(top.removesuffix(".py"), set()).add(name)
    return found


def declared() -> tuple[set[str], set[str]]:
    """The names in pyproject.toml's dependencies, and in its dev extra."""
    text = (ROOT / "pyproject.toml").read_text()

    def names(block: str) -> set[str]:
        listed = re.search(block + r"\s*=\s*\[(.*?)\n\]", text, re.S)
        assert listed, f"no {block} list in pyproject.toml"
        return {_normalised(n) for n in re.findall(r'^\s*"([A-Za-z0-9_.-]+)', listed.group(1), re.M)}

    return names(r"\ndependencies"), names(r"\ndev")


def _undeclared(folders: tuple[str, ...], allowed: set[str]) -> dict[str, list[str]]:
    by_module = providers()
    return {module: sorted(files) for module, files in imported(folders).items()
            if not by_module.get(module, set()) & allowed}


def test_the_product_imports_only_declared_dependencies():
    runtime, _ = declared()
    assert _undeclared(PRODUCT, runtime) == {}


def test_the_tests_and_benchmarks_import_only_declared_packages():
    runtime, dev = declared()
    assert _undeclared(TOOLS, runtime | dev) == {}


def test_the_check_sees_imports_and_their_packages():
    # (so the checks above cannot pass by finding nothing)
    assert {"rasa", "sqlalchemy", "yaml"} <= set(imported(PRODUCT))
    assert {"pytest", "playwright"} <= set(imported(TOOLS))
    assert "pyyaml" in providers()["yaml"]
    runtime, dev = declared()
    assert {"rasa", "pyyaml", "jsonschema"} <= runtime and {"pytest", "ruff", "mypy"} <= dev
