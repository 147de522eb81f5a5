"""Finding learners' notebooks in the three layouts, and unpacking zips safely."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from exercises.grading.collect import (
    SubmissionsError, collect_submissions, learner_id, unpack_zip)
import exercises.grading.collect as collect_module

ASSIGNMENT = "m03-wiki"
NOTEBOOK = "m03-wiki.ipynb"


def touch(path: Path, text: str = "{}") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def collect(path: Path, tmp_path: Path):
    return collect_submissions(path, ASSIGNMENT, NOTEBOOK, tmp_path / "unpacked")


def test_collect_nbgrader_layout_from_course_root(tmp_path):
    touch(tmp_path / "course" / "submitted" / "amal" / ASSIGNMENT / NOTEBOOK)
    touch(tmp_path / "course" / "submitted" / "ben" / ASSIGNMENT / NOTEBOOK)
    touch(tmp_path / "course" / "submitted" / "ben" / ASSIGNMENT / "data.csv", "a,b")
    touch(tmp_path / "course" / "submitted" / "cara" / "other-assignment" / "x.ipynb")
    found = collect(tmp_path / "course", tmp_path)
    assert [s.learner for s in found] == ["amal", "ben"]
    assert found[1].files_dir == tmp_path / "course" / "submitted" / "ben" / ASSIGNMENT


def test_collect_nbgrader_layout_reports_missing_notebook(tmp_path):
    (tmp_path / "submitted" / "dee" / ASSIGNMENT).mkdir(parents=True)
    touch(tmp_path / "submitted" / "eve" / ASSIGNMENT / NOTEBOOK)
    found = {s.learner: s for s in collect(tmp_path / "submitted", tmp_path)}
    assert found["dee"].notebook is None and "No notebook was handed in" in found["dee"].problem
    assert found["eve"].problem is None


def test_collect_flat_folder_uses_file_names(tmp_path):
    touch(tmp_path / "flat" / "Amal Khan.ipynb")
    touch(tmp_path / "flat" / "ben.ipynb")
    touch(tmp_path / "flat" / "notes.txt")
    assert [s.learner for s in collect(tmp_path / "flat", tmp_path)] == ["Amal-Khan", "ben"]


def test_collect_lms_zip_with_one_folder_per_learner(tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("M03 Wiki/Amal Khan_1234_assignsubmission_file_/m03-wiki.ipynb", "{}")
        bundle.writestr("M03 Wiki/Ben Ode_1235_assignsubmission_file_/my work.ipynb", "{}")
    found = collect(archive, tmp_path)
    assert [s.learner for s in found] == ["Amal-Khan_1234", "Ben-Ode_1235"]
    assert all(s.notebook.is_file() and s.notebook.is_relative_to(tmp_path / "unpacked") for s in found)


def test_collect_zip_of_flat_notebooks(tmp_path):
    archive = tmp_path / "flat.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("amal.ipynb", "{}")
        bundle.writestr("ben.ipynb", "{}")
    assert [s.learner for s in collect(archive, tmp_path)] == ["amal", "ben"]


@pytest.mark.parametrize("evil", ["../escaped.ipynb", "/tmp/absolute.ipynb", "a/../../escaped.ipynb"])
def test_unpack_zip_refuses_paths_outside_its_folder(tmp_path, evil):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("fine.ipynb", "{}")
        bundle.writestr(evil, "{}")
    with pytest.raises(SubmissionsError, match="unsafe path"):
        unpack_zip(archive, tmp_path / "target" / "inside")
    assert not (tmp_path / "target" / "escaped.ipynb").exists()
    assert not (tmp_path / "escaped.ipynb").exists()
    assert not (tmp_path / "target" / "inside").exists()  # nothing half-unpacked is left


def test_unpack_zip_stops_a_zip_bomb_whatever_it_claims(tmp_path, monkeypatch):
    monkeypatch.setattr(collect_module, "MAX_ZIP_TOTAL_BYTES", 1_000_000)
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for index in range(3):
            bundle.writestr(f"learner{index}.ipynb", b"0" * 600_000)
    assert archive.stat().st_size < 20_000  # it really is a bomb: tiny packed, big unpacked
    with pytest.raises(SubmissionsError, match="far more data"):
        unpack_zip(archive, tmp_path / "target")
    assert not (tmp_path / "target").exists()


def test_collect_refuses_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(SubmissionsError, match="There is nothing at"):
        collect(tmp_path / "nope", tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(SubmissionsError, match="No notebooks"):
        collect(tmp_path / "empty", tmp_path)


def test_collect_refuses_a_file_that_is_not_a_zip(tmp_path):
    with pytest.raises(SubmissionsError, match="not a zip"):
        collect(touch(tmp_path / "grades.txt", "hello"), tmp_path)


@pytest.mark.parametrize(("name", "expected"), [
    ("Amal Khan", "Amal-Khan"),
    ("../../etc/passwd", "etc-passwd"),
    ("ben_1235_assignsubmission_file_", "ben_1235"),
    ("...", "learner"),
    ("Zoë <script>", "Zo-script"),
])
def test_learner_id_is_safe_as_a_file_name(name, expected):
    assert learner_id(name) == expected


def test_collect_makes_duplicate_ids_unique(tmp_path):
    touch(tmp_path / "flat" / "amal khan.ipynb")
    touch(tmp_path / "flat" / "amal_khan.ipynb")
    touch(tmp_path / "flat" / "amal-khan.ipynb")
    ids = [s.learner for s in collect(tmp_path / "flat", tmp_path)]
    assert len(set(ids)) == 3
