"""One grading run over a corpus of crafted submissions, then one assertion per learner.

Each crafted notebook tries one thing that goes wrong in real classes (or one attack);
each must get the right grade or a clear reason, and none may stop, hang or harm the
others. The CLI runs as a subprocess, as a trainer would run it.
"""
from __future__ import annotations

import csv
import http.server
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from tests.exercises.grading.crafting import (
    ASSIGNMENT, FIXTURE_COURSE, HIDDEN_MARKER, SOURCE, answered, cell, released_notebook, write)

pytestmark = pytest.mark.slow
RUN_TIMEOUT = 20  # seconds per notebook in this run: generous for a busy 2-core machine


class _Hits(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        _Hits.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"reachable")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def listening_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hits)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def crafted_submissions(folder: Path, port: int, escape_paths: list[Path]) -> dict[str, object]:
    """Write the corpus into ``folder``; return ``learner: what to expect``."""
    outside_ro, outside_tmp = escape_paths
    notebooks = {
        "correct": answered(),
        "correct-twin": answered(),
        "partial": answered({"q1-answer": "answer_q1 = 'A'"}),
        "blank": released_notebook(),
        "infinite-loop": answered({"q1-answer": "while True:\n    pass"}),
        # 256 MB at a time, 16 GB in all: far past the 2 GB limit, quickly.
        "memory-hog": answered(before_answers=(
            "hog = []\ntry:\n    for _ in range(64):\n        hog.append(bytes(256 * 1024 * 1024))\n"
            "finally:\n    hog = None")),
        "fork-attempt": answered(before_answers=(
            "import os, time\ntry:\n    for _ in range(100000):\n        if os.fork() == 0:\n"
            "            time.sleep(300)\n            os._exit(0)\nexcept OSError:\n    pass")),
        "network-attempt": answered({"q1-answer": (
            "import urllib.request\ntry:\n"
            f"    urllib.request.urlopen('http://127.0.0.1:{port}/escaped', timeout=3)\n"
            "    answer_q1 = 'A'\nexcept Exception:\n    answer_q1 = 'B'")}),
        "writes-outside": answered({"q1-answer": (
            "try:\n"
            f"    open({str(outside_tmp)!r}, 'w').write('escaped')\n"
            "except OSError:\n    pass\n"
            "try:\n"
            f"    open({str(outside_ro)!r}, 'w').write('escaped')\n"
            "    answer_q1 = 'A'\nexcept OSError:\n    answer_q1 = 'B'")}),
        "huge-output": answered(before_answers="print('x' * 50_000_000)"),
        # Reading the master notebook (solutions, hidden tests) must fail.
        "reads-hidden-tests": answered({"q1-answer": (
            "try:\n"
            f"    open({str(SOURCE)!r}).read()\n"
            "    answer_q1 = 'A'\nexcept OSError:\n    answer_q1 = 'B'")}),
        # Tampering with the process that starts kernels must fail.
        "attacks-grader": answered({"q1-answer": (
            "import os, signal\nblocked = 0\n"
            "try:\n    open('/proc/1/mem', 'rb').read(1)\nexcept OSError:\n    blocked += 1\n"
            # PID 1 of the box is the fork server (it ignores SIGINT) or, without
            # it, bwrap's own init (not ours to signal): either way grading goes on.
            "try:\n    os.kill(1, signal.SIGINT)\nexcept OSError:\n    pass\n"
            "answer_q1 = 'B' if blocked else 'A'")}),
        # The next learner's kernel is started early, but never while this one runs:
        # apart from the box's PID 1, no process but this kernel and its children is seen.
        "looks-for-neighbours": answered({"q1-answer": (
            "import os\nothers = []\n"
            "for name in os.listdir('/proc'):\n"
            "    if name.isdigit() and int(name) not in (1, os.getpid()):\n"
            "        try:\n            stat = open(f'/proc/{name}/stat').read()\n"
            "        except OSError:\n            continue\n"
            "        if int(stat.rsplit(')', 1)[1].split()[1]) != os.getpid():\n"
            "            others.append(name)\n"
            "answer_q1 = 'A' if others else 'B'")}),
    }
    # Tampering with the locked check: weakened to `pass`, with a wrong answer.
    edited = answered({"q1-answer": "answer_q1 = 'A'"})
    cell(edited, "q1-check").source = "pass"
    notebooks["edited-test"] = edited
    # Deleting the q2 check (answer is right, so a restored check passes).
    deleted = answered()
    deleted.cells.remove(cell(deleted, "q2-check"))
    notebooks["deleted-cell"] = deleted
    # Changed metadata: points inflated and the check unlocked.
    changed = answered()
    meta = cell(changed, "q1-check").metadata.nbgrader
    meta["points"], meta["locked"] = 100, False
    notebooks["changed-metadata"] = changed

    for learner, notebook in notebooks.items():
        write(notebook, folder / f"{learner}.ipynb")
    (folder / "invalid-json.ipynb").write_text('{"cells": [', encoding="utf-8")
    wrong = nbformat.writes(answered()).replace('"nbformat": 4', '"nbformat": 99')
    (folder / "wrong-nbformat.ipynb").write_text(wrong, encoding="utf-8")
    (folder / "not-a-notebook.ipynb").write_bytes(b"PK\x03\x04" + os.urandom(2048))
    return notebooks


def kernels_left_behind(marker: str) -> list[int]:
    """Processes whose environment mentions a run's private folders and this
    checkout's tools (on a kernel's PATH; another checkout on the same
    machine may be grading at the same time)."""
    ours = str(Path(sys.executable).parent).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            if marker.encode() in environ and ours in environ:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def graded_corpus(tmp_path_factory, listening_server, project_root):
    folder = tmp_path_factory.mktemp("crafted")
    out = tmp_path_factory.mktemp("out")
    outside_ro = project_root / "tests" / "exercises" / "grading" / f".escaped-{uuid.uuid4().hex}"
    outside_tmp = tmp_path_factory.mktemp("outside") / "escaped.txt"
    crafted_submissions(folder, listening_server, [outside_ro, outside_tmp])
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "sandbox.cli", "grade", ASSIGNMENT, "--submissions", str(folder),
         "--course", str(FIXTURE_COURSE), "--out", str(out), "--workers", "2", "--timeout", str(RUN_TIMEOUT)],
        capture_output=True, text=True, timeout=300, cwd=project_root)
    elapsed = time.monotonic() - started
    rows = {}
    if (out / "grades.csv").exists():
        with (out / "grades.csv").open(newline="", encoding="utf-8") as handle:
            rows = {row["learner"]: row for row in csv.DictReader(handle)}
    yield {"result": result, "rows": rows, "out": out, "elapsed": elapsed,
           "escapes": [outside_ro, outside_tmp]}
    outside_ro.unlink(missing_ok=True)


def row_for(graded_corpus, learner):
    assert graded_corpus["result"].returncode == 0, graded_corpus["result"].stderr
    return graded_corpus["rows"][learner]


EXPECTED = [
    # learner, score, status, words the reason must contain
    ("correct", "5", "graded", "trainer to mark"),
    ("correct-twin", "5", "graded", "trainer to mark"),
    ("partial", "3", "graded", ""),
    ("blank", "0", "graded", ""),
    ("edited-test", "3", "graded", "put back"),
    ("deleted-cell", "5", "graded", ""),
    ("changed-metadata", "5", "graded", ""),
    ("infinite-loop", "0", "timed out", "longer than"),
    ("memory-hog", "5", "graded", "memory"),
    ("fork-attempt", "5", "graded", ""),
    ("network-attempt", "5", "graded", ""),
    ("writes-outside", "5", "graded", ""),
    ("huge-output", "5", "graded", ""),
    ("reads-hidden-tests", "5", "graded", ""),
    ("attacks-grader", "5", "graded", ""),
    ("looks-for-neighbours", "5", "graded", ""),
    ("invalid-json", "0", "unreadable", "not valid JSON"),
    ("wrong-nbformat", "0", "unreadable", "format version"),
    ("not-a-notebook", "0", "unreadable", "not a notebook"),
]


@pytest.mark.parametrize(("learner", "score", "status", "reason_words"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_crafted_submission_gets_right_grade(graded_corpus, learner, score, status, reason_words):
    row = row_for(graded_corpus, learner)
    assert (row["score"], row["status"]) == (score, status), row
    assert row["max_score"] == "6"
    assert reason_words.lower() in row["reason"].lower(), row


def test_every_crafted_submission_has_one_row_and_one_page(graded_corpus):
    assert sorted(graded_corpus["rows"]) == sorted(e[0] for e in EXPECTED)
    pages = sorted(p.stem for p in (graded_corpus["out"] / "feedback").glob("*.html"))
    assert pages == sorted(graded_corpus["rows"])


def test_run_is_bounded_by_the_timeout_not_stuck(graded_corpus):
    # 18 notebooks on 2 workers; the infinite loop costs one timeout, the rest about a second each.
    assert graded_corpus["elapsed"] < 120, graded_corpus["elapsed"]


def test_network_attempt_never_reached_the_host(graded_corpus):
    row_for(graded_corpus, "network-attempt")
    assert _Hits.hits == []


def test_writes_outside_the_folder_leave_no_file(graded_corpus):
    row_for(graded_corpus, "writes-outside")
    for path in graded_corpus["escapes"]:
        assert not path.exists(), path


def test_no_kernel_or_forked_child_survives_the_run(graded_corpus):
    row_for(graded_corpus, "fork-attempt")
    assert kernels_left_behind("insideout-grade-") == []


def test_huge_output_keeps_feedback_small(graded_corpus):
    page = graded_corpus["out"] / "feedback" / "huge-output.html"
    assert page.stat().st_size < 50_000


def test_feedback_never_shows_hidden_test_code(graded_corpus):
    for page in (graded_corpus["out"] / "feedback").glob("*.html"):
        assert HIDDEN_MARKER not in page.read_text(encoding="utf-8"), page.name
    assert HIDDEN_MARKER not in (graded_corpus["out"] / "grades.csv").read_text(encoding="utf-8")


def test_partial_feedback_shows_the_hidden_test_message(graded_corpus):
    page = (graded_corpus["out"] / "feedback" / "partial.html").read_text(encoding="utf-8")
    assert "Not quite: think about who benefits first." in page
    assert "answer_q1 ==" not in page


def test_rerun_skips_learners_already_graded(graded_corpus, project_root):
    row_for(graded_corpus, "correct")
    folder = graded_corpus["out"].parent
    result = subprocess.run(
        [sys.executable, "-m", "sandbox.cli", "grade", ASSIGNMENT, "--submissions",
         str(next(p for p in folder.iterdir() if p.name.startswith("crafted"))),
         "--course", str(FIXTURE_COURSE), "--out", str(graded_corpus["out"])],
        capture_output=True, text=True, timeout=120, cwd=project_root)
    assert result.returncode == 0, result.stderr
    assert f"Skipping {len(EXPECTED)} learner(s) already graded" in result.stderr
