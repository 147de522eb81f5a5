"""The sandbox's way into the grading pipeline (``sandbox.services.grading``) with an
assignment of two notebooks: nbgrader's own example course (``ps1``: problem1, problem2)."""
from __future__ import annotations

import json

import nbformat
import pytest

from sandbox.services import grading as adapter
from tests.exercises.grading import quickstart

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return quickstart.make_course(tmp_path_factory.mktemp("quickstart"))


def test_a_hand_in_is_graded_as_the_notebook_whose_cells_it_carries(course):
    problem2 = nbformat.writes(quickstart.answered(course, "problem2")).encode()
    problem1 = nbformat.writes(quickstart.answered(course, "problem1")).encode()
    assert adapter.notebook_file_name("ps1", problem2, course) == "problem2.ipynb"
    assert adapter.notebook_file_name("ps1", problem1, course) == "problem1.ipynb"
    assert adapter.identify(json.loads(problem2), course) == "ps1"
    # Both notebooks' written answers are listed for the trainer (not only the first's).
    assert {"part-a", "part-b", "sum_of_squares_equation"} <= {q.grade_id for q in adapter.written_questions("ps1", course)}
    graded = adapter.grade_batch("ps1", [(7, problem1)], course=course)[7]
    result = json.loads(graded.result_json)
    by_id = {check["grade_id"]: check for check in result["checks"]}
    assert graded.ok and "problem2.ipynb was not handed in" in result["reason"]
    assert {"correct_squares", "part-a"} <= set(by_id)  # both notebooks' questions are in the one result


# --- a hand-in of several notebooks (the service, then the grading of what it kept) -------

def zipped(*files: tuple[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture()
def ps1(course, monkeypatch):
    monkeypatch.setenv(adapter.COURSE_DIR_ENV, str(course))
    return {name: nbformat.writes(quickstart.answered(course, name)).encode() for name in quickstart.NOTEBOOKS}


def test_several_notebooks_are_one_hand_in_graded_together(ps1, fresh_db, learner, clock):
    from sandbox.services import hand_ins
    from sandbox.store import write_session

    with write_session(fresh_db) as session:
        # Any names will do: each is matched to the assignment's notebook whose cells it carries.
        row = hand_ins.hand_in_files(session, learner, "ps1", [("mine-2.ipynb", ps1["problem2"]),
                                                                ("mine-1.ipynb", ps1["problem1"])], now=clock.now)
        kept = (row.id, row.notebook, row.filename)
    assert kept[2] == "mine-1.ipynb, mine-2.ipynb"
    assert adapter.unpack_notebooks(kept[1]) == [("problem1.ipynb", ps1["problem1"]),
                                                 ("problem2.ipynb", ps1["problem2"])]
    graded = adapter.grade_batch("ps1", [(kept[0], kept[1])])[kept[0]]
    result = json.loads(graded.result_json)
    assert graded.ok and "was not handed in" not in result["reason"], result["reason"]
    by_notebook = {}
    for check in result["checks"]:
        by_notebook.setdefault(check["notebook"], []).append(check)
    assert set(by_notebook) == {"problem1", "problem2"}
    # Both notebooks ran: problem1's answered checks passed (not a 0 for a notebook not handed in).
    assert graded.score > 0 and any(c["outcome"] == "passed" for c in by_notebook["problem1"])
    assert all(c["outcome"] != "not run" for c in by_notebook["problem2"]), by_notebook["problem2"]
    # The learner's view names each question after its notebook, as the trainer's marks are kept.
    from sandbox.services import grading_jobs
    from sandbox.store import read_session

    with write_session(fresh_db) as session:
        (claimed,) = grading_jobs.claim(session, "grader-test", now=clock.now, limit=5)
        grading_jobs.finish(session, "grader-test", claimed.id, now=clock.now, score=graded.score,
                            max_score=graded.max_score, result_json=graded.result_json)
    with read_session(fresh_db) as session:
        (view,) = hand_ins.my_hand_ins(session, learner, "ps1")
    assert view.state == "graded" and {c.notebook for c in view.checks} == {"problem1", "problem2"}
    assert "problem2/part-a" in {c.grade_id for c in view.checks}


def test_a_zip_of_notebooks_is_a_hand_in_too(ps1, fresh_db, learner, clock):
    from sandbox.services import hand_ins
    from sandbox.store import write_session

    archive = zipped(("ps1/problem1.ipynb", ps1["problem1"]), ("ps1/problem2.ipynb", ps1["problem2"]),
                     ("__MACOSX/ps1/._problem1.ipynb", b"junk"), ("ps1/notes.txt", b"not graded"))
    with write_session(fresh_db) as session:
        row = hand_ins.hand_in_files(session, learner, "ps1", [("ps1.zip", archive)], now=clock.now)
        assert [name for name, _ in adapter.unpack_notebooks(row.notebook)] == ["problem1.ipynb", "problem2.ipynb"]
        assert row.filename == "problem1.ipynb (in ps1.zip), problem2.ipynb (in ps1.zip)"


def test_refused_files_each_get_a_reason_and_nothing_before_is_lost(ps1, fresh_db, learner, clock):
    from sandbox.services import hand_ins
    from sandbox.store import read_session, write_session
    from sandbox.store.models import HandIn

    with write_session(fresh_db) as session:
        hand_ins.hand_in_files(session, learner, "ps1", [("p1.ipynb", ps1["problem1"])], now=clock.now)
    clock.advance(300)
    attempts = {
        "two files, one empty and one not a notebook": (
            [("p1.ipynb", ps1["problem1"]), ("p2.ipynb", b""), ("notes.ipynb", b"my notes")],
            ["p2.ipynb is empty", "notes.ipynb is not a Jupyter notebook"]),
        "the same notebook twice": (
            [("a.ipynb", ps1["problem1"]), ("b.ipynb", ps1["problem1"])], ["both problem1.ipynb"]),
        "a zip that is not one": ([("ps1.zip", b"PK\x03\x04 broken")], ["ps1.zip is not a zip file that can be opened"]),
        "a zip without notebooks": ([("ps1.zip", zipped(("a.txt", b"x")))], ["ps1.zip has no notebook"]),
    }
    for what, (files, expected) in attempts.items():
        with pytest.raises(hand_ins.HandInRefused) as refused, write_session(fresh_db) as session:
            hand_ins.hand_in_files(session, learner, "ps1", files, now=clock.now)
        assert len(refused.value.reasons) == len(expected), what
        for reason, words in zip(refused.value.reasons, expected):
            assert words in reason, (what, reason)
        if len(files) > 1:  # one file refused: its reason alone
            assert str(refused.value).startswith("Nothing was handed in") and "earlier hand-ins are kept" in str(refused.value)
    with read_session(fresh_db) as session:
        assert [(h.filename, h.notebook) for h in session.query(HandIn)] == [("p1.ipynb", ps1["problem1"])]


def test_an_assignment_of_one_notebook_takes_one(fresh_db, learner, clock, monkeypatch):
    from sandbox.services import hand_ins
    from sandbox.store import write_session
    from tests.exercises.grading.crafting import FIXTURE_COURSE, answered

    monkeypatch.setenv(adapter.COURSE_DIR_ENV, str(FIXTURE_COURSE))
    data = nbformat.writes(answered()).encode()
    with pytest.raises(hand_ins.HandInRefused, match="has one notebook, so hand in just that one"), \
            write_session(fresh_db) as session:
        hand_ins.hand_in_files(session, learner, "fixture-basics", [("a.ipynb", data), ("b.ipynb", data)],
                               now=clock.now)
    with write_session(fresh_db) as session:  # a zip of that one notebook is fine, kept as the notebook itself
        row = hand_ins.hand_in_files(session, learner, "fixture-basics", [("w.zip", zipped(("x.ipynb", data)))],
                                     now=clock.now)
        assert row.notebook == data and row.filename == "x.ipynb (in w.zip)"
