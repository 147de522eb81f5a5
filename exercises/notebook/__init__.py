"""What the graded notebooks embed or ship, and how an author writes one.

The master notebooks in ``exercises/source/<id>/<id>.ipynb`` are the source of
truth; edit them in Jupyter with nbgrader's "Create Assignment" cell toolbar.
Every master follows the same pattern, and tests/exercises checks it:

1. a title cell, then the "How to use this notebook" cell (its text comes
   from ``how_to.md``; ``sync`` fills it in);
2. the read-only setup cell (nbgrader grade_id ``setup``, tag ``remove-cell``)
   holding ``check.py``; never edit it by hand: edit ``check.py`` and run
   ``python -m exercises.notebook.sync``;
3. if any number depends on the learner, an ordinary cell tagged
   ``learner-name`` holding ``my_name = ""``; read-only cells then draw numbers
   from ``random.Random(learner_seed(my_name) + N)`` and hidden tests recompute
   the answer from the same numbers (no per-learner answer key);
4. per question: a markdown cell "## Question N (P points): ...", an answer
   cell (``answer_qN = ...`` above a ``### BEGIN SOLUTION`` region: the release
   keeps the ``...`` line), and a read-only test cell: visible ``check()`` calls
   for the form of the answer, then ``### BEGIN HIDDEN TESTS`` with the real
   check and a kind ``hint``;
5. written answers: a markdown cell marked "Manually graded answer" whose
   solution region holds the mark scheme.

Data exercises read an export with ``insideout_export.load_export`` from a
copy of ``insideout_export.py`` next to the notebook (see ``sync.SHIPPED_FILES``).
"""
