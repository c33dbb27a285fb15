"""Structural rules of the code base, checked over its source.

- every ``ComponentResource`` in ``aifactory/components`` calls ``self.register_outputs(...)``
  exactly once, as the last statement of ``__init__`` (Pulumi's docs: without it the component
  stays "creating..." and its outputs are not saved; Data Safe Haven checks the same);
- the config, plan and service-declaration layers import without the Pulumi SDK: ``aifactory
  validate``, ``schema`` and ``project new`` stay fast, and the decisions stay testable without mocks.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO

COMPONENTS = REPO / "aifactory" / "components"
_COMPONENT_BASES = {"ComponentResource", "FactoryComponent", "ProjectTypeComponent"}


def _component_classes() -> list[tuple[Path, ast.ClassDef]]:
    found = []
    for path in sorted(COMPONENTS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases}
                if bases & _COMPONENT_BASES:
                    found.append((path, node))
    return found


def _is_register_outputs(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Attribute)
        and statement.value.func.attr == "register_outputs"
        and isinstance(statement.value.func.value, ast.Name)
        and statement.value.func.value.id == "self"
    )


def _init(cls: ast.ClassDef) -> ast.FunctionDef | None:
    return next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)


def _problems() -> list[str]:
    problems = []
    for path, cls in _component_classes():
        where = f"{path.relative_to(REPO)}:{cls.name}"
        init = _init(cls)
        if init is None:
            if cls.name != "FactoryComponent":
                problems.append(f"{where} has no __init__ of its own")
            continue
        calls = [n for n in ast.walk(init) if isinstance(n, ast.Expr) and _is_register_outputs(n)]
        if cls.name in ("FactoryComponent", "ProjectTypeComponent"):
            if calls:
                problems.append(f"{where} is a base: its subclasses register their outputs")
            continue
        if len(calls) != 1:
            problems.append(f"{where} calls register_outputs {len(calls)} times")
        elif not _is_register_outputs(init.body[-1]):
            problems.append(f"{where} does not end __init__ with register_outputs")
    return problems


def test_every_component_registers_its_outputs_once_and_last() -> None:
    classes = {cls.name for _, cls in _component_classes()}
    assert {"CommonNetwork", "PrivateEndpointSet", "DataLake", "SharedServices", "ProjectBaseline"} <= classes
    assert _problems() == []


def test_the_rule_finds_a_component_that_registers_too_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "aifactory" / "components"
    bad.mkdir(parents=True)
    (bad / "late.py").write_text(
        "class Late(FactoryComponent):\n"
        "    def __init__(self, name, args, opts=None):\n"
        "        super().__init__('aifactory:test:Late', name, opts)\n"
        "        self.register_outputs({})\n"
        "        self.extra = 1\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "COMPONENTS", bad)
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    assert _problems() == ["aifactory/components/late.py:Late does not end __init__ with register_outputs"]


PURE_MODULES = (
    "aifactory.config.loader",
    "aifactory.plan.factory",
    "aifactory.services.registry",
    "aifactory.scaffold",
)


def test_the_pure_layers_import_without_the_pulumi_sdk() -> None:
    imports = ", ".join(PURE_MODULES)
    code = f"import sys, {imports}; print(sorted(m for m in sys.modules if m.split('.')[0].startswith('pulumi')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.strip() == "[]"
