"""Grading knows nothing of the sandbox (DESIGN.md): only sandbox/cli/grade.py bridges them."""
from __future__ import annotations

import ast
from pathlib import Path

import exercises.grading

GRADING = Path(exercises.grading.__file__).parent


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_grading_never_imports_the_sandbox():
    offenders = {path.name: sorted(m for m in imported_modules(path) if m.split(".")[0] in {"sandbox", "streamlit"})
                 for path in GRADING.glob("*.py")}
    assert {name: mods for name, mods in offenders.items() if mods} == {}
