"""Hand-ins in a known state for page and service tests, graded by the real pipeline once per run."""
from __future__ import annotations

from functools import lru_cache

import nbformat

from sandbox.services import grading as adapter
from sandbox.services import grading_jobs, hand_ins
from sandbox.store import write_session
from tests.exercises.grading.crafting import FIXTURE_COURSE, answered

ASSIGNMENT = "fixture-basics"
WRONG_Q1 = (("q1-answer", "answer_q1 = 'C'"),)


def notebook_bytes(answers=()) -> bytes:
    return nbformat.writes(answered(dict(answers))).encode()


@lru_cache(maxsize=4)
def real_result(answers=()) -> adapter.Graded:
    """What the pipeline finds for the fixture notebook with ``answers`` (about 20 s, once per run)."""
    graded = adapter.grade_batch(ASSIGNMENT, [(1, notebook_bytes(answers))], course=FIXTURE_COURSE)[1]
    assert graded.ok, graded.problem
    return graded


def graded_hand_in(engine, member, now, answers=()) -> int:
    """A hand-in by ``member``, claimed and graded as a grader would store it; its id."""
    result = real_result(answers)
    with write_session(engine) as session:
        row = hand_ins.hand_in(session, member, ASSIGNMENT, "mine.ipynb", notebook_bytes(answers), now=now)
        for job in grading_jobs.claim(session, "grader-test", now=now, limit=50):
            grading_jobs.finish(session, "grader-test", job.id, now=now, score=result.score,
                                max_score=result.max_score, result_json=result.result_json)
        return row.id
