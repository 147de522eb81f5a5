"""How kernels are boxed in: the bwrap command line and the limits."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from exercises.grading.isolation import Isolation, Limits, detect_isolation, prepare_launch


def test_box_has_no_network_and_hides_course_and_results(tmp_path):
    private = tmp_path / "run" / "worker-0" / "learners" / "slot-1"
    course, out = tmp_path / "course", tmp_path / "out"
    course.mkdir(), out.mkdir()
    command = Isolation(bwrap="/usr/bin/bwrap", kernel_uid=None).command(["python"], private, [course, out])
    joined = " ".join(command)
    for flag in ("--unshare-net", "--unshare-pid", "--unshare-user", "--die-with-parent", "--ro-bind / /"):
        assert flag in joined
    assert f"--tmpfs {course}" in joined and f"--tmpfs {out}" in joined
    assert f"--bind {private} {private}" in joined
    assert command[-1] == "python"


def test_box_as_root_switches_to_an_unprivileged_user():
    command = Isolation(bwrap="/usr/bin/bwrap", kernel_uid=61000).command(["python"], Path("/tmp/x"), [])
    assert "--unshare-user" not in command
    assert command[command.index("--") + 1].endswith("setpriv") and "--reuid=61000" in command


def test_without_bwrap_the_output_says_what_is_not_enforced():
    isolation = Isolation(bwrap=None, kernel_uid=None)
    assert isolation.command(["python"], Path("/tmp/x"), []) == ["python"]
    assert "NOT enforced" in isolation.not_enforced and "limits still apply" in isolation.not_enforced


def test_detect_isolation_none_keeps_limits_only():
    assert detect_isolation("none").bwrap is None


def test_limits_are_set_before_the_kernel_starts():
    limits = Limits(memory_bytes=512 * 2**20, cpu_seconds=7, max_processes=5000, max_file_bytes=2**20)
    isolation = Isolation(bwrap=None, kernel_uid=None)
    script = ("import resource as r; print(r.getrlimit(r.RLIMIT_AS)[0], r.getrlimit(r.RLIMIT_CPU)[0], "
              "r.getrlimit(r.RLIMIT_FSIZE)[0])")
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            preexec_fn=prepare_launch(isolation, limits), check=True).stdout.split()
    assert output == [str(512 * 2**20), "7", str(2**20)]


def working_bwrap() -> Isolation:
    """The box grading would use here; bubblewrap needs Linux with user namespaces."""
    if not sys.platform.startswith("linux"):
        pytest.skip("bubblewrap exists only on Linux")
    isolation = detect_isolation("auto")
    if isolation.bwrap is None:
        pytest.skip("bubblewrap does not work on this machine (no user namespaces); grading says so itself")
    return isolation


def test_bwrap_box_really_has_no_network_here(tmp_path):
    isolation = working_bwrap()
    tmp_path.chmod(0o777)
    script = "import socket; print(sorted(n for _, n in socket.if_nameindex()))"
    result = subprocess.run(isolation.command([sys.executable, "-c", script], tmp_path, []),
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "['lo']", result.stderr


def test_fork_server_starts_when_the_course_root_is_the_package_itself(tmp_path):
    """The real course lives in the `exercises` package, which the box hides.

    The grading code and the interpreter must come back into the box read-only,
    or every kernel falls back to a slow start of its own.
    """
    import exercises
    from exercises.grading.kernel import start_fork_server

    isolation = working_bwrap()
    learners = tmp_path / "learners"
    learners.mkdir()
    tmp_path.chmod(0o755)
    course = Path(exercises.__file__).resolve().parent
    server = start_fork_server(learners, isolation, Limits(2 * 1024**3, 60, 64, 10**8), [course])
    try:
        assert server.request(op="ping") == {"ok": True}
    finally:
        server.close()


def test_fork_server_starts_even_when_a_warm_module_is_missing(tmp_path):
    """Modules the assignment imports are loaded once in the server; one that is not
    installed is left for the learner's notebook to report, not a reason to stop."""
    from exercises.grading.kernel import start_fork_server

    isolation = working_bwrap()
    learners = tmp_path / "learners"
    learners.mkdir()
    tmp_path.chmod(0o755)
    server = start_fork_server(learners, isolation, Limits(2 * 1024**3, 60, 64, 10**8), [],
                               warm=["json", "no_such_module_for_insideout"])
    try:
        assert server.request(op="ping") == {"ok": True}
    finally:
        server.close()


def test_modules_imported_by_reads_the_notebooks_imports():
    import nbformat

    from exercises.grading.forkserver import modules_imported_by

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("import not_code"),
        nbformat.v4.new_code_cell("import math, os.path as p\nfrom collections import Counter"),
        nbformat.v4.new_code_cell("%matplotlib inline\nimport skipped_because_magic"),
        nbformat.v4.new_code_cell("from . import local\nfrom xml.etree import ElementTree\nimport math"),
    ])
    assert modules_imported_by(notebook) == ["math", "os", "collections", "xml"]


def test_grading_in_the_box_a_non_root_user_gets(tmp_path, monkeypatch):
    """Run by an ordinary user, grading boxes kernels with bwrap's own user namespace
    (no setpriv, no spare user ids). Our CI runs as root, so this forces that box and
    grades real submissions in it, fork server and all."""
    import csv

    from exercises.grading import GradingSettings, grade_assignment, worker
    from tests.exercises.grading.crafting import ASSIGNMENT, FIXTURE_COURSE, answered, write

    isolation = working_bwrap()
    as_a_user = Isolation(bwrap=isolation.bwrap, kernel_uid=None)
    monkeypatch.setattr(worker, "detect_isolation", lambda choice, index=0: as_a_user)
    submissions = tmp_path / "in"
    submissions.mkdir()
    write(answered(), submissions / "ann.ipynb")
    write(answered({"q1-answer": "answer_q1 = 'A'"}), submissions / "bob.ipynb")
    # Right only when the box's PID 1 is the fork server: it must start in this box too.
    write(answered({"q1-answer": "answer_q1 = 'B' if b'forkserver' in open('/proc/1/cmdline', 'rb').read() else 'A'"}),
          submissions / "cat.ipynb")
    out = tmp_path / "out"
    grade_assignment(GradingSettings(ASSIGNMENT, submissions, FIXTURE_COURSE, out, workers=2, timeout=30))
    with (out / "grades.csv").open(newline="", encoding="utf-8") as handle:
        scores = {row["learner"]: (row["score"], row["status"]) for row in csv.DictReader(handle)}
    assert scores == {"ann": ("5", "graded"), "bob": ("3", "graded"), "cat": ("5", "graded")}
