"""``insideout certificates`` run as a trainer runs it: a subprocess on real files."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from tests.exercises.certificates.conftest import SAMPLE_NAMES, run_certificates, write_grades

A4_LANDSCAPE_POINTS = (841.89, 595.28)


def page_lines(pdf_path) -> list[str]:
    return PdfReader(pdf_path).pages[0].extract_text().splitlines()


def embedded_glyph_names(pdf_path) -> set[str]:
    """Glyph names in the fonts embedded in the certificate (subset by fpdf2)."""
    from fontTools.ttLib import TTFont

    names: set[str] = set()
    fonts = PdfReader(pdf_path).pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        data = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        names.update(TTFont(io.BytesIO(data)).getGlyphOrder())
    return names


def assert_one_line_error(result, *fragments):
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith("insideout: error: "), result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.fixture
def made(tmp_path, sample_grades, sample_names):
    """The sample class run through the command once; yields (result, out folder)."""
    out = tmp_path / "certificates"
    result = run_certificates(
        "--grades", sample_grades, "--names", sample_names, "--out", out, "--date", "2026-11-27"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no warnings from fpdf2, HarfBuzz or fontTools
    return result, out


def test_one_pdf_per_learner_who_passed_and_none_for_the_others(made):
    result, out = made
    assert sorted(p.name for p in out.iterdir()) == ["jose.pdf", "maryam.pdf", "noa.pdf", "zoe.pdf"]
    assert "Certificate made for Zoë Brontë-Łukasiewicz (zoe): 85% overall" in result.stdout
    assert "No certificate for sam: scored 40% overall; the pass mark is 60%." in result.stdout
    assert (
        "No certificate for kim: not finished yet: m03-wiki was not graded "
        "(the notebook ran for more than 60 seconds)." in result.stdout
    )
    assert result.stdout.strip().endswith(
        "4 certificates made in " + str(out) + ". 2 learners did not earn one yet."
    )


@pytest.mark.parametrize("learner", ["zoe", "jose", "maryam", "noa"])
def test_the_name_comes_out_of_the_pdf_as_written(made, learner):
    """pypdf gives right-to-left runs back in reading order only when fpdf2 laid the
    glyphs out visually (right to left), which is what shaping does: without it the
    Arabic and Hebrew names come out reversed and this test fails."""
    _, out = made
    lines = page_lines(out / f"{learner}.pdf")
    assert SAMPLE_NAMES[learner] in lines


def test_arabic_letters_are_joined(made):
    """Joined Arabic uses the font's contextual forms (Presentation Forms-B,
    U+FE70-U+FEFF); unshaped text would embed only the isolated letters U+06xx."""
    glyphs = embedded_glyph_names(made[1] / "maryam.pdf")
    contextual = {g for g in glyphs if re.fullmatch(r"uniFE[7-9A-F][0-9A-F]", g)}
    assert len(contextual) >= 5, sorted(glyphs)


def test_certificate_says_what_was_completed_where_and_when(made):
    lines = page_lines(made[1] / "zoe.pdf")
    text = "\n".join(lines)
    for expected in (
        "Northfield College",
        "Certificate of completion",
        "Inside-Out: internal social media at work",
        "Overall score 85% across 2 graded assignments",
        "m01-inside-out, m03-wiki",
        "27 November 2026",
        "Trainer's signature",
    ):
        assert expected in text


def test_pdf_is_a4_landscape_with_title_and_language_set(made):
    reader = PdfReader(made[1] / "noa.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE_POINTS, abs=0.5)
    assert reader.metadata.title == "Certificate of completion: נועה כהן"
    assert reader.metadata.author == "Northfield College"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (a pypdf BooleanObject)


def test_title_organisation_and_pass_mark_can_be_changed(tmp_path, sample_grades):
    out = tmp_path / "out"
    result = run_certificates(
        "--grades", sample_grades, "--out", out, "--pass-mark", "70%",
        "--title", "Working out loud", "--organisation", "École Saint-Jérôme",
    )
    assert result.returncode == 0, result.stderr
    # jose has 65%: enough for 60%, not for 70%. noa (60%) neither.
    assert sorted(p.name for p in out.iterdir()) == ["maryam.pdf", "zoe.pdf"]
    assert "No certificate for jose: scored 65% overall; the pass mark is 70%." in result.stdout
    lines = page_lines(out / "zoe.pdf")
    assert "Working out loud" in lines and "École Saint-Jérôme" in lines
    # Without --names the learner id is printed.
    assert "zoe" in lines


def test_several_grades_files_make_one_gradebook(tmp_path):
    first = write_grades(tmp_path / "m01.csv", [("ana", "m01-inside-out", 8, 10, "ok", ""),
                                                ("ben", "m01-inside-out", 9, 10, "ok", "")])
    # ben has no row for m03-wiki: he has not finished the course.
    second = write_grades(tmp_path / "m03.csv", [("ana", "m03-wiki", 7, 10, "ok", "")])
    out = tmp_path / "out"
    result = run_certificates("--grades", first, "--grades", second, "--out", out)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["ana.pdf"]
    assert "No certificate for ben: not finished yet: no grade for m03-wiki." in result.stdout
    assert "Overall score 75% across 2 graded assignments" in page_lines(out / "ana.pdf")


def test_a_name_the_font_cannot_draw_is_refused_not_printed_as_boxes(tmp_path, sample_grades, sample_names):
    with sample_names.open("a", encoding="utf-8") as names:
        names.write("kim,王芳\n")
    grades = sample_grades.read_text().replace("0,10,timed out,the notebook ran for more than 60 seconds", "9,10,graded,")
    sample_grades.write_text(grades, encoding="utf-8")
    out = tmp_path / "out"
    result = run_certificates("--grades", sample_grades, "--names", sample_names, "--out", out)
    assert_one_line_error(result, "1 earned certificate could not be made")
    assert "Could not make a certificate for 王芳 (kim): the name 王芳 has characters" in result.stdout
    assert "(王 芳)" in result.stdout
    assert not (out / "kim.pdf").exists()
    # The others are not held back by one name.
    assert (out / "zoe.pdf").exists() and (out / "maryam.pdf").exists()


def test_an_extra_font_covers_names_in_other_scripts(tmp_path, sample_grades, sample_names, cjk_font):
    with sample_names.open("a", encoding="utf-8") as names:
        names.write("kim,王芳\n")
    sample_grades.write_text(sample_grades.read_text().replace("0,10,timed out,", "9,10,graded,"), encoding="utf-8")
    out = tmp_path / "out"
    result = run_certificates(
        "--grades", sample_grades, "--names", sample_names, "--out", out, "--font", cjk_font
    )
    assert result.returncode == 0, result.stderr
    assert "王芳" in page_lines(out / "kim.pdf")
    assert "Zoë Brontë-Łukasiewicz" in page_lines(out / "zoe.pdf")


def test_learner_ids_become_safe_file_names_inside_the_folder(tmp_path):
    grades = write_grades(tmp_path / "grades.csv", [("../../escape", "m01", 5, 5, "ok", ""),
                                                     ("Ana María", "m01", 5, 5, "ok", "")])
    out = tmp_path / "deep" / "out"
    result = run_certificates("--grades", grades, "--out", out)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["Ana_María.pdf", "escape.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "grades.csv"]


def test_an_older_certificate_of_a_learner_who_no_longer_passes_is_pointed_out(tmp_path, sample_grades):
    out = tmp_path / "out"
    assert run_certificates("--grades", sample_grades, "--out", out, "--pass-mark", "0.6").returncode == 0
    result = run_certificates("--grades", sample_grades, "--out", out, "--pass-mark", "0.7")
    assert result.returncode == 0, result.stderr
    assert f"Note: {out / 'noa.pdf'} is an older certificate: noa did not get one this time." in result.stdout


# --- bad input: one clear line, exit 1, nothing written ------------------------------

HEADER = "learner,assignment,score,max_score,status,reason\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "is empty"),
        ("\n\n", "is empty"),
        (HEADER, "has no grades in it"),
        ("learner,assignment,points\nzoe,m01,3\n", "is missing the column(s) score, max_score, status"),
        (HEADER + "zoe,m01,5,10,ok,\nzoe,m01,6,10,ok,\n",
         "zoe's grade for m01 appears twice ({grades} line 2 and {grades} line 3)"),
        (HEADER + "zoe,m01,five,10,ok,\n", "line 2: score should be a number, not 'five'"),
        (HEADER + "zoe,m01,-1,10,ok,\n", "line 2: score cannot be negative"),
        (HEADER + ",m01,5,10,ok,\n", "line 2 has no learner or no assignment"),
        (HEADER + "zoe,m01,,10,ok,\n", "says the notebook was graded (status ok) but has no score"),
        (HEADER + "zoe,m01,5,10,ok,,surplus\n", "line 2 has more cells than the header line"),
    ],
    ids=["empty", "blank-lines", "header-only", "wrong-columns", "duplicate-row",
         "not-a-number", "negative", "no-learner", "ok-without-score", "extra-cell"],
)
def test_bad_grades_file(tmp_path, content, expected):
    grades = tmp_path / "grades.csv"
    grades.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = run_certificates("--grades", grades, "--out", out)
    assert_one_line_error(result, expected.format(grades=grades))
    assert not out.exists()


def test_grades_file_that_is_not_utf8(tmp_path):
    grades = tmp_path / "grades.csv"
    grades.write_bytes((HEADER + "zoë,m01,5,10,ok,\n").encode("latin-1"))
    assert_one_line_error(run_certificates("--grades", grades, "--out", tmp_path / "out"),
                          "is not UTF-8 text; save it as 'CSV UTF-8'")


def test_missing_grades_file(tmp_path):
    result = run_certificates("--grades", tmp_path / "nope.csv", "--out", tmp_path / "out")
    assert_one_line_error(result, "cannot find the grades file", "nope.csv")
    assert not (tmp_path / "out").exists()


def test_duplicate_across_two_files(tmp_path, sample_grades):
    again = write_grades(tmp_path / "again.csv", [("zoe", "m03-wiki", 10, 10, "ok", "")])
    result = run_certificates("--grades", sample_grades, "--grades", again, "--out", tmp_path / "out")
    assert_one_line_error(result, "zoe's grade for m03-wiki appears twice",
                          f"{sample_grades} line 3 and {again} line 2")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("id,full name\nzoe,Zoë\n", "is missing the column(s) learner, name"),
        ("learner,name\nzoe,Zoë\nzoe,Zoe\n", "lists zoe twice (lines 2 and 3)"),
        ("learner,name\nzoe,\n", "line 2: the name is empty"),
        ('learner,name\nzoe,"Zoë\nBrontë"\n', "contains a line break"),
    ],
    ids=["wrong-columns", "duplicate", "empty-name", "line-break"],
)
def test_bad_names_file(tmp_path, sample_grades, content, expected):
    names = tmp_path / "names.csv"
    names.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    assert_one_line_error(run_certificates("--grades", sample_grades, "--names", names, "--out", out), expected)
    assert not out.exists()


def test_names_file_with_semicolons_as_some_spreadsheets_save_it(tmp_path, sample_grades):
    names = tmp_path / "names.csv"
    names.write_text("learner;name\nnoa;נועה כהן\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_certificates("--grades", sample_grades, "--names", names, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "נועה כהן" in page_lines(out / "noa.pdf")


def test_names_file_saved_by_a_spreadsheet_with_a_byte_order_mark(tmp_path, sample_grades):
    names = tmp_path / "names.csv"
    names.write_text("learner,name\r\nzoe,Zoë Brontë-Łukasiewicz\r\n", encoding="utf-8-sig")
    out = tmp_path / "out"
    result = run_certificates("--grades", sample_grades, "--names", names, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Zoë Brontë-Łukasiewicz" in page_lines(out / "zoe.pdf")
    assert "has no full name for jose, maryam, noa; the learner id is printed instead." in result.stdout


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--pass-mark", "60", "between 0 and 1 (for example 0.6 for 60%), not 60"),
        ("--pass-mark", "most", "should be a number such as 0.6 or 60%, not 'most'"),
        ("--date", "27/11/2026", "such as 2026-11-27, not '27/11/2026'"),
        ("--date", "2026-02-30", "not '2026-02-30'"),
        ("--title", "", "the title cannot be used: it is empty"),
        ("--organisation", "北方学院", "the organisation has characters the certificate font cannot draw"),
    ],
)
def test_bad_option(tmp_path, sample_grades, option, value, expected):
    out = tmp_path / "out"
    assert_one_line_error(run_certificates("--grades", sample_grades, "--out", out, option, value), expected)
    assert not out.exists()


def test_extra_font_that_is_not_a_font(tmp_path, sample_grades):
    fake = tmp_path / "font.ttf"
    fake.write_text("not a font")
    result = run_certificates("--grades", sample_grades, "--out", tmp_path / "out", "--font", fake)
    assert_one_line_error(result, "is not a TrueType or OpenType font file")


def test_output_folder_that_is_a_file(tmp_path, sample_grades):
    target = tmp_path / "out"
    target.write_text("keep me")
    assert_one_line_error(run_certificates("--grades", sample_grades, "--out", target),
                          "is a file, not a folder; choose a folder for --out")
    assert target.read_text() == "keep me"


@pytest.mark.parametrize("where", ["/proc/insideout-certificates", "{tmp}/a-file/out"])
def test_output_folder_that_cannot_be_written(tmp_path, sample_grades, where):
    (tmp_path / "a-file").write_text("x")
    result = run_certificates("--grades", sample_grades, "--out", where.format(tmp=tmp_path))
    assert_one_line_error(result, "cannot write certificates into")


def test_nobody_passing_writes_nothing(tmp_path):
    grades = write_grades(tmp_path / "grades.csv", [("sam", "m01", 1, 10, "ok", "")])
    out = tmp_path / "out"
    result = run_certificates("--grades", grades, "--out", out)
    assert result.returncode == 0, result.stderr
    assert not out.exists()
    assert result.stdout.strip().endswith("0 certificates made. 1 learner did not earn one yet.")


def test_grades_option_is_required(tmp_path):
    result = run_certificates("--out", tmp_path / "out")
    assert result.returncode == 2
    assert "--grades" in result.stderr


def test_a_folder_of_grading_runs_is_read_whole(tmp_path):
    """``insideout grade`` writes grades/<assignment>/grades.csv by default; the
    trainer can point --grades at grades/ instead of naming every file."""
    folder = tmp_path / "grades"
    (folder / "m01-inside-out").mkdir(parents=True)
    (folder / "m03-wiki").mkdir()
    write_grades(folder / "m01-inside-out" / "grades.csv", [("ana", "m01-inside-out", 8, 10, "graded", "")])
    write_grades(folder / "m03-wiki" / "grades.csv", [("ana", "m03-wiki", 6, 10, "graded", "")])
    out = tmp_path / "out"
    result = run_certificates("--grades", folder, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Overall score 70% across 2 graded assignments" in page_lines(out / "ana.pdf")


def test_a_folder_without_grades(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_certificates("--grades", tmp_path / "empty", "--out", tmp_path / "out")
    assert_one_line_error(result, "there is no grades.csv in the folder")


def test_reads_grades_csv_exactly_as_insideout_grade_writes_it(tmp_path):
    """The contract with the grading pipeline: its own writer, its own statuses."""
    from exercises.grading.results import CRASHED, GRADED, LearnerResult, render_grades, write_atomically

    rows = [
        LearnerResult("ana", "m01-inside-out", 7.5, 10.0, GRADED, "").row(),
        LearnerResult("ana", "m02-slates", 4.0, 5.0, GRADED, "").row(),
        LearnerResult("ben", "m01-inside-out", 10.0, 10.0, GRADED, "").row(),
        LearnerResult("ben", "m02-slates", 0.0, 5.0, CRASHED,
                      "the notebook used more memory than allowed").row(),
    ]
    grades = tmp_path / "grades.csv"
    write_atomically(grades, render_grades(rows))
    out = tmp_path / "out"
    result = run_certificates("--grades", grades, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Certificate made for ana: 76.6% overall" in result.stdout  # 11.5 / 15
    assert ("No certificate for ben: not finished yet: m02-slates was not graded "
            "(the notebook used more memory than allowed).") in result.stdout


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="needs Debian's poppler-utils (pdftoppm, pdftotext); .ci/run installs it",
)


@needs_poppler
def test_another_pdf_reader_draws_and_reads_the_certificate(made):
    """Poppler (what many Linux viewers use) renders the page with the name in its
    band and reads the right-to-left names back in reading order."""
    from PIL import Image

    out = made[1]
    for learner in ("maryam", "noa"):
        text = subprocess.run(["pdftotext", str(out / f"{learner}.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        # Poppler wraps right-to-left runs in embedding marks (U+202A-U+202E).
        plain = re.sub("[\u202a-\u202e]", "", text)
        assert SAMPLE_NAMES[learner] in plain.splitlines()

    subprocess.run(["pdftoppm", "-png", "-gray", "-r", "40", "-singlefile",
                    str(out / "maryam.pdf"), str(out / "page")], check=True)
    with Image.open(out / "page.png") as page:
        width, height = page.size
        assert width > height  # landscape
        pixels = page.convert("L").load()

        def ink(top_mm: float, bottom_mm: float) -> int:
            rows = range(int(top_mm / 210 * height), int(bottom_mm / 210 * height))
            columns = range(int(40 / 297 * width), int(257 / 297 * width))
            return sum(1 for y in rows for x in columns if pixels[x, y] < 128)

        assert ink(78, 96) > 50  # the name
        assert ink(94.5, 98) == 0  # clear space between the name and "has completed"
