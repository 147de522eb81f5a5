"""``insideout release`` as a trainer runs it: a subprocess writing folders to hand out."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

INSIDEOUT = [sys.executable, "-m", "sandbox.cli"]
SOURCE = Path(__file__).resolve().parents[2] / "exercises" / "source"
pytestmark = pytest.mark.slow


def release(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*INSIDEOUT, "release", *args], capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parents[2])


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout") / "release"
    result = release("m11-measuring-adoption", "m03-wiki", "--out", str(out), cwd=out.parent)
    assert result.returncode == 0, result.stderr
    return out, result


def test_release_writes_each_notebook_without_solutions_with_its_files(released):
    out, result = released
    assert sorted(p.name for p in out.iterdir()) == ["m03-wiki", "m11-measuring-adoption"]
    assert {"insideout_export.py", "sample-export.csv", "sample-export.json", "m11-measuring-adoption.ipynb"} \
        == {p.name for p in (out / "m11-measuring-adoption").iterdir()}
    for notebook_path in out.glob("*/*.ipynb"):
        notebook = nbformat.read(notebook_path, as_version=4)
        nbformat.validate(notebook)
        text = "\n".join(cell.source for cell in notebook.cells)
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        master = (SOURCE / notebook_path.parent.name / notebook_path.name).read_text()
        assert "BEGIN SOLUTION" in master  # so the check above means something
    # What learners open is titled as the course calls the module (exercises.course_modules).
    wiki = nbformat.read(out / "m03-wiki" / "m03-wiki.ipynb", as_version=4)
    assert wiki.cells[0].source.startswith("# Module 3: A wiki instead of a Word file on the share\n")
    assert "Hand out each folder" in result.stdout


def test_release_keeps_what_is_there_unless_told_to_replace(released):
    out, _ = released
    before = files_of(out)
    (out / "m03-wiki" / "learner-notes.txt").write_text("mine")
    refused = release("m03-wiki", "--out", str(out), cwd=out.parent)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "already exists" in refused.stderr and "--replace" in refused.stderr
    assert (out / "m03-wiki" / "learner-notes.txt").read_text() == "mine"
    replaced = release("m03-wiki", "--out", str(out), "--replace", cwd=out.parent)
    assert replaced.returncode == 0, replaced.stderr
    assert files_of(out) == before  # a fresh copy, the same as before; nothing left over
    assert not [p for p in out.iterdir() if p.name.startswith(".release-")]


def test_unknown_assignment_is_one_line_listing_the_real_ones(tmp_path):
    result = release("m99-nothing", "--out", str(tmp_path / "r"), cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "m99-nothing" in result.stderr and "m03-wiki" in result.stderr
    assert not (tmp_path / "r").exists()
