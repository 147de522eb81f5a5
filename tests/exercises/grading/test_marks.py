"""Written answers, as a trainer marks them: to-mark.csv after grading, then ``--marks``.

One grading run is shared by the module (it costs 10-20 s); each test works on its own
copy of the out folder, long after the run's temporary folder is gone.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.exercises.grading.crafting import ASSIGNMENT, CORRECT, FIXTURE_COURSE, answered, write

BEN_ANSWER = '=HYPERLINK("http://example.org", "click")\nThen the library team, café included.'
BOM = b"\xef\xbb\xbf"


def run_grade(*arguments, cwd):
    return subprocess.run([sys.executable, "-m", "sandbox.cli", "grade", *map(str, arguments)],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, project_root):
    """amal and cat answered the reflection (cat got q1 wrong), ben wrote a formula-like
    answer over two lines, dina left the reflection as it was handed out."""
    base = tmp_path_factory.mktemp("marks")
    subs = base / "subs"
    subs.mkdir()
    write(answered(), subs / "amal.ipynb")
    write(answered({"reflection": BEN_ANSWER}), subs / "ben.ipynb")
    write(answered({"q1-answer": "answer_q1 = 'A'"}), subs / "cat.ipynb")
    write(answered({"reflection": "YOUR ANSWER HERE"}), subs / "dina.ipynb")
    result = run_grade(ASSIGNMENT, "--submissions", subs, "--course", FIXTURE_COURSE, "--out", base / "out",
                       "--workers", "2", cwd=project_root)
    assert result.returncode == 0, result.stderr
    return {"out": base / "out", "subs": subs, "result": result}


@pytest.fixture
def out(graded, tmp_path):
    """A private copy of the graded out folder."""
    return Path(shutil.copytree(graded["out"], tmp_path / "out"))


def sheet_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def grades(out: Path) -> dict[str, dict[str, str]]:
    with (out / "grades.csv").open(encoding="utf-8", newline="") as handle:
        return {row["learner"]: row for row in csv.DictReader(handle)}


def fill(out: Path, marks: dict[str, tuple[str, str]], name="filled.csv", delimiter=",", edit=None) -> Path:
    """The sheet as a trainer saves it from a spreadsheet: marks typed, BOM kept."""
    rows = sheet_rows(out / "to-mark.csv")
    for row in rows:
        row["mark"], row["comment"] = marks.get(row["learner"], ("", ""))
        if edit:
            edit(row)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    path = out.parent / name
    path.write_bytes(BOM + buffer.getvalue().encode("utf-8"))
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def apply(out: Path, sheet: Path, project_root, assignment=ASSIGNMENT):
    return run_grade(assignment, "--marks", sheet, "--out", out, cwd=project_root)


def test_grading_writes_one_row_per_written_answer_waiting(graded):
    raw = (graded["out"] / "to-mark.csv").read_bytes()
    assert raw.startswith(BOM)  # Excel reads UTF-8 only with it
    rows = sheet_rows(graded["out"] / "to-mark.csv")
    assert list(rows[0]) == ["learner", "assignment", "question", "points", "answer", "mark", "comment"]
    assert [(r["learner"], r["assignment"], r["question"], r["points"], r["mark"], r["comment"]) for r in rows] == [
        ("amal", ASSIGNMENT, "reflection", "1", "", ""),
        ("ben", ASSIGNMENT, "reflection", "1", "", ""),
        ("cat", ASSIGNMENT, "reflection", "1", "", ""),
    ]  # dina wrote nothing: nbgrader gave 0 by itself, nothing to mark
    assert rows[0]["answer"] == CORRECT["reflection"]
    # A spreadsheet must not run a learner's text as a formula.
    assert rows[1]["answer"] == "'" + BEN_ANSWER


def test_grading_run_says_what_to_do_next_in_one_sentence(graded):
    out = graded["out"]
    lines = [line for line in graded["result"].stdout.splitlines() if "to-mark.csv" in line]
    assert lines == [f"3 written answer(s) wait for your marks: type a mark (and a comment if you like) in each "
                     f"row of {out / 'to-mark.csv'}, save it, then run: insideout grade {ASSIGNMENT} --marks "
                     f"{out / 'to-mark.csv'} --out {out}"]


def test_results_are_kept_per_learner_for_marking_later(graded):
    saved = json.loads((graded["out"] / "results" / "ben.json").read_text(encoding="utf-8"))
    (reflection,) = [c for c in saved["checks"] if c["grade_id"] == "reflection"]
    assert (reflection["outcome"], reflection["answer"]) == ("to be marked", BEN_ANSWER)
    assert saved["marks"] == {}
    assert "HIDDEN-TEST-MARKER" not in json.dumps(saved)
    assert grades(graded["out"])["amal"]["points_to_mark"] == "1"
    assert grades(graded["out"])["dina"]["points_to_mark"] == "0"


def test_marks_update_grades_and_feedback_and_blank_marks_keep_waiting(out, project_root):
    def edit_answer(row):
        if row["learner"] == "ben":
            row["answer"] = "the trainer tidied this cell; it does not matter"

    sheet = fill(out, {"amal": ("1", "Good choice <script>alert('x')</script> & well argued."),
                       "ben": ("0,5", "")}, edit=edit_answer)
    result = apply(out, sheet, project_root)
    assert result.returncode == 0, result.stderr
    assert "Marks applied: 2 written answer(s) marked; 1 still wait for a mark." in result.stdout
    rows = grades(out)
    assert (rows["amal"]["score"], rows["amal"]["reason"], rows["amal"]["points_to_mark"]) == ("6", "", "0")
    assert (rows["ben"]["score"], rows["ben"]["points_to_mark"]) == ("5.5", "0")
    assert rows["cat"]["score"] == "3" and rows["cat"]["points_to_mark"] == "1"
    assert "wait for your trainer" in rows["cat"]["reason"]
    page = (out / "feedback" / "amal.html").read_text(encoding="utf-8")
    assert "Marked by your trainer" in page and "(1 of 1 points)" in page
    assert "<script>alert" not in page
    assert "Good choice &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; well argued." in page
    assert "6 out of 6" in page
    assert "Waiting for your trainer to mark it" in (out / "feedback" / "cat.html").read_text(encoding="utf-8")


def test_applying_the_same_sheet_again_changes_nothing(out, project_root):
    sheet = fill(out, {"amal": ("1", "Fine.")})
    assert apply(out, sheet, project_root).returncode == 0
    before = snapshot(out)
    again = apply(out, sheet, project_root)
    assert again.returncode == 0, again.stderr
    assert "Updated 0 learner(s)" in again.stdout
    assert snapshot(out) == before


def test_a_mark_blanked_later_goes_back_to_waiting(out, project_root):
    assert apply(out, fill(out, {"amal": ("1", "")}), project_root).returncode == 0
    assert grades(out)["amal"]["score"] == "6"
    assert apply(out, fill(out, {}), project_root).returncode == 0
    assert (grades(out)["amal"]["score"], grades(out)["amal"]["points_to_mark"]) == ("5", "1")


def test_a_sheet_saved_with_semicolons_is_read(out, project_root):
    sheet = fill(out, {"cat": ("1", "Bien; merci")}, delimiter=";")
    result = apply(out, sheet, project_root)
    assert result.returncode == 0, result.stderr
    assert grades(out)["cat"]["score"] == "4"


def swap_cells(row, who, **cells):
    if row["learner"] == who:
        row.update(cells)


BAD_SHEETS = [
    ("unknown-learner", {"amal": ("1", "")}, lambda r: swap_cells(r, "ben", learner="zed", mark="1"),
     "row 3: there is no graded notebook from a learner called 'zed'"),
    ("unknown-question", {"amal": ("1", "")}, lambda r: swap_cells(r, "cat", question="q1-check", mark="1"),
     "row 4: cat has no written answer 'q1-check' waiting for a mark (their written questions: reflection)"),
    ("not-a-number", {"amal": ("1", ""), "ben": ("good", "")}, None,
     "row 3: the mark for ben's reflection is 'good', which is not a number"),
    ("below-zero", {"cat": ("-1", "")}, None, "row 4: the mark for cat's reflection is -1, but it must be from 0 to 1"),
    ("above-points", {"amal": ("1.5", "")}, None, "row 2: the mark for amal's reflection is 1.5, but it must be from 0 to 1"),
    ("other-assignment", {"amal": ("1", "")}, lambda r: swap_cells(r, "amal", assignment="m03-wiki"),
     "row 2: it is for the assignment 'm03-wiki', not fixture-basics"),
    ("same-answer-twice", {"amal": ("1", "")}, lambda r: swap_cells(r, "ben", learner="amal"),
     "row 3: it marks amal's reflection again (row 2); keep one row"),
]


@pytest.mark.parametrize(("marks", "edit", "expected"), [case[1:] for case in BAD_SHEETS],
                         ids=[case[0] for case in BAD_SHEETS])
def test_a_bad_row_is_named_in_one_line_and_nothing_changes(out, project_root, marks, edit, expected):
    sheet = fill(out, marks, edit=edit)
    before = snapshot(out)
    result = apply(out, sheet, project_root)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("insideout: error: filled.csv "), result.stderr
    assert expected in lines[0] and "Nothing was changed." in lines[0]
    assert snapshot(out) == before


def test_several_bad_rows_still_give_one_line(out, project_root):
    result = apply(out, fill(out, {"amal": ("x", ""), "ben": ("y", ""), "cat": ("9", "")}), project_root)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "insideout: error: filled.csv row 2: the mark for amal's reflection is 'x', which is not a number. "
        "Nothing was changed. (2 more row(s) have problems too.)"]


@pytest.mark.parametrize(("content", "expected"), [
    ("learner,assignment,score\namal,fixture-basics,1\n".encode(), "has no question, mark column"),
    ("learner,question,mark\namal,reflection,1\n".encode("utf-16"), "not saved as UTF-8"),
    (b"", "is empty"),
])
def test_an_unusable_sheet_is_one_line(out, project_root, content, expected):
    sheet = out.parent / "sheet.csv"
    sheet.write_bytes(content)
    before = snapshot(out)
    result = apply(out, sheet, project_root)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert snapshot(out) == before


def test_marks_for_a_folder_never_graded_is_one_line(out, project_root, tmp_path):
    sheet = fill(out, {"amal": ("1", "")})
    result = apply(tmp_path / "elsewhere", sheet, project_root)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"insideout: error: There are no saved grading results for {ASSIGNMENT} in {tmp_path / 'elsewhere'}. "
        "Give --out the folder you graded into, or grade the notebooks first."]
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("arguments", [[], ["--submissions", "subs", "--marks", "to-mark.csv"]])
def test_grade_needs_exactly_one_of_submissions_and_marks(project_root, tmp_path, arguments):
    result = run_grade(ASSIGNMENT, *arguments, "--out", tmp_path / "out", cwd=project_root)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "--marks" in result.stderr
    assert not (tmp_path / "out").exists()


def test_grading_again_keeps_marks_but_clears_a_changed_notebooks_row(graded, out, project_root, tmp_path):
    # amal's mark is applied, cat's is typed but not applied yet; ben hands in a new notebook.
    assert apply(out, fill(out, {"amal": ("1", "Applied.")}), project_root).returncode == 0
    typed = fill(out, {"amal": ("1", "Applied."), "ben": ("1", "Typed."), "cat": ("0.5", "Typed too.")})
    shutil.copyfile(typed, out / "to-mark.csv")
    subs = Path(shutil.copytree(graded["subs"], tmp_path / "subs"))
    write(answered({"reflection": "A new answer: the caretakers."}), subs / "ben.ipynb")

    result = run_grade(ASSIGNMENT, "--submissions", subs, "--course", FIXTURE_COURSE, "--out", out,
                       "--workers", "2", "--force", cwd=project_root)

    assert result.returncode == 0, result.stderr
    assert "ben handed in a changed notebook, so their marks in to-mark.csv were cleared" in result.stdout
    rows = {r["learner"]: r for r in sheet_rows(out / "to-mark.csv")}
    assert (rows["amal"]["mark"], rows["amal"]["comment"]) == ("1", "Applied.")
    assert (rows["cat"]["mark"], rows["cat"]["comment"]) == ("0.5", "Typed too.")
    assert (rows["ben"]["mark"], rows["ben"]["comment"], rows["ben"]["answer"]) == (
        "", "", "A new answer: the caretakers.")
    # The same notebook graded again (--force) keeps the mark already applied.
    assert grades(out)["amal"]["score"] == "6"
    assert "Marked by your trainer" in (out / "feedback" / "amal.html").read_text(encoding="utf-8")
    assert "2 written answer(s) wait for your marks" in result.stdout


def test_an_unreadable_sheet_in_the_out_folder_stops_grading_before_it_starts(graded, out, project_root):
    (out / "to-mark.csv").write_bytes("learner;question;mark\namal;reflection;1\n".encode("cp1252") + b"\xe9\n")
    before = snapshot(out)
    result = run_grade(ASSIGNMENT, "--submissions", graded["subs"], "--course", FIXTURE_COURSE, "--out", out,
                       "--force", cwd=project_root)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not saved as UTF-8" in lines[0] and "Nothing was graded" in lines[0]
    assert snapshot(out) == before
