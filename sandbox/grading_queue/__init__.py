"""Grading hand-ins beside the sandbox.

* ``adapter``    - the one module that calls the grading pipeline (``exercises.grading``)
* ``grader``     - a grader process: claims jobs from the store's queue, grades, records
* ``supervisor`` - the grader processes ``insideout serve`` and ``sandbox run`` start and stop

The queue itself (states, leases, claiming) is ``sandbox.services.grading_jobs``.
"""
