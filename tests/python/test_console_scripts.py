"""One console script per command: every module with a `main()` entry point is
named in pyproject.toml's [project.scripts], and every script resolves to one."""

from __future__ import annotations

import ast
import importlib
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "integration_adoption"


def scripts() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return project["project"]["scripts"]


def modules_with_main() -> set[str]:
    """Dotted names of the package's modules that define a top-level main()."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.FunctionDef) and node.name == "main" for node in tree.body):
            found.add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return found


def test_every_command_has_one_console_script():
    targets = [target.split(":")[0] for target in scripts().values()]
    assert sorted(set(targets)) == sorted(targets), "two scripts for one command"
    assert set(targets) == modules_with_main()


def test_every_console_script_names_a_callable_main():
    for name, target in scripts().items():
        module, _, function = target.partition(":")
        assert callable(getattr(importlib.import_module(module), function)), name
