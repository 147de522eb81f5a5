"""nbgrader settings for the Inside-Out course (run nbgrader from this folder).

Why these settings:
- Answers are written as ``answer_q1 = ...`` *above* the solution region, so
  the release keeps that line and the solution region simply disappears: the
  stub is empty instead of nbgrader's ``raise NotImplementedError()``, which
  would greet a non-programmer with a Python error.
- Written answers get a friendly prompt instead of "YOUR ANSWER HERE".
"""
import os

c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)

c.CourseDirectory.course_id = "inside-out"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

c.ClearSolutions.code_stub = {"python": ""}
c.ClearSolutions.text_stub = (
    "Write your answer here. (Double-click this box to edit it; "
    "press Shift+Enter when you are done.)"
)

# A notebook whose cells all run in a few seconds; a minute is generous and
# stops a stuck loop from holding up the whole class's grading.
c.Execute.timeout = 60

# A learner who deletes a check by mistake gets it back and it runs (nbgrader's default
# is to leave it out, so that it scores 0): our learners are not programmers, and a
# deleted cell is far more often a slip than a trick. insideout grade reads this file,
# so it grades exactly as nbgrader on a JupyterHub would.
c.OverwriteCells.add_missing_cells = True
