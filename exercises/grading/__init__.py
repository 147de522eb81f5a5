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
* ``results``   - grades.csv, the run's state, atomic writes
* ``run``       - the whole run: collect, skip, grade in parallel, write
"""
from .run import Listener, RunSummary, grade_assignment
from .settings import GradingSettings

__all__ = ["GradingSettings", "Listener", "RunSummary", "grade_assignment"]
