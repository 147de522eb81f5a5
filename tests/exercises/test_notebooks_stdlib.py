"""Release notebooks use only Python's standard library (and the kit's own helpers
shipped beside them), so they run in any Jupyter, in the browser's Pyodide kernel and
in the grader's box without installing anything.

Checked on the master notebooks, which hold everything a release notebook holds plus
solutions and hidden tests (those run at grading, so they must obey the rule too).
"""
from __future__ import annotations

import ast
import sys

import nbformat
import pytest

from exercises.notebook import sync

# The kit's own helpers a notebook may import: files copied next to it by the sync.
KIT_HELPERS = {path.stem for files in sync.SHIPPED_FILES.values() for path in files if path.suffix == ".py"}


def imported_modules(source: str) -> set[str]:
    """Top-level modules imported by ``source`` (IPython's % and ! lines are not Python)."""
    python = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    found = set()
    for node in ast.walk(ast.parse(python)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def not_allowed(modules: set[str]) -> set[str]:
    return {name for name in modules if name not in sys.stdlib_module_names and name not in KIT_HELPERS}


@pytest.mark.parametrize("path", sync.master_notebooks(), ids=lambda path: path.stem)
def test_release_notebook_imports_only_the_standard_library(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert code, path.name
    for source in code:
        assert not any(line.lstrip().startswith("!") for line in source.splitlines()), \
            f"{path.name}: a shell command (!pip ...) in a cell"
        assert not_allowed(imported_modules(source)) == set(), f"{path.name}: {source[:200]}"


def test_the_shipped_helpers_import_only_the_standard_library():
    # The module 11 export reader included: the browser's Python (JupyterLite) loads
    # only the packages its lock names at start, and a desktop Jupyter may lack them.
    helpers = {path for files in sync.SHIPPED_FILES.values() for path in files if path.suffix == ".py"}
    assert helpers
    for helper in helpers:
        assert not_allowed(imported_modules(helper.read_text(encoding="utf-8"))) == set(), helper.name


def test_the_rule_catches_a_third_party_import():
    assert not_allowed(imported_modules("import pandas as pd\nfrom numpy import mean\nimport json")) == {
        "pandas", "numpy"}
    assert not_allowed(imported_modules("from insideout_export import load")) == set()
