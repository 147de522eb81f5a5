"""Sandboxed, parallel grading of nbgrader assignments (``insideout grade``).

Knows nothing of the sandbox. The map:

* ``settings``  - one frozen dataclass with every knob of a run
* ``collect``   - find learners' notebooks (nbgrader layout, flat folder, LMS zip)
* ``course``    - the nbgrader course, its config and a gradebook made by nbgrader
* ``isolation`` - bubblewrap namespaces, resource limits, an unprivileged user
* ``kernel``    - a Jupyter kernel manager that starts kernels inside the box
* ``steps``     - the pipeline: nbgrader's preprocessors in order, plus ours
* ``worker``    - grade one submission in a long-lived worker process
* ``feedback``  - the learner's page: outcomes and messages, never hidden code
* ``results``   - grades.csv, results/<learner>.json, the run's state, atomic writes
* ``marking``   - the autograder's result plus the trainer's marks: score, reason, page
* ``sheet``     - to-mark.csv, the trainer's sheet of written answers to mark
* ``apply_marks`` - ``--marks``: check a filled-in sheet, then update grades and pages
* ``explain``   - which settings a run uses and where each comes from (``--explain``)
* ``run``       - the whole run: collect, skip, grade in parallel, write
* ``handin``    - ``grade_submission``: one learner's hand-in, for a page's grader process
"""
from .settings import GradingSettings

__all__ = ["GradingSettings", "Listener", "RunSummary", "grade_assignment", "grade_submission"]


def __getattr__(name: str):
    # The run imports nbgrader (seconds on a busy machine); applying marks and --help
    # need none of it, so it is imported only when asked for.
    if name in ("Listener", "RunSummary", "grade_assignment"):
        from . import run

        return getattr(run, name)
    if name == "grade_submission":
        from .handin import grade_submission

        return grade_submission
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
