"""The certificates library, one piece at a time, without the CLI."""
from __future__ import annotations

import os
from fractions import Fraction

import pytest

from exercises.certificates import CertificateError, CertificateOptions, make_certificates
from exercises.certificates.eligibility import decide, format_percent, parse_pass_mark
from exercises.certificates.files import safe_file_stem, unique_file_names
from exercises.certificates.fonts import FontSet
from exercises.certificates.gradebook import read_gradebook
from exercises.certificates.names import read_names
from tests.exercises.certificates.conftest import write_grades


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (Fraction(3, 5), "60%"),
        (Fraction(5996, 10000), "59.9%"),  # cut, never rounded up to the pass mark
        (Fraction(7, 8), "87.5%"),
        (Fraction(2, 3), "66.6%"),
        (Fraction(1), "100%"),
        (Fraction(0), "0%"),
    ],
)
def test_format_percent_cuts_to_one_decimal(share, expected):
    assert format_percent(share) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.6", Fraction(3, 5)), ("60%", Fraction(3, 5)), (" 75 % ", Fraction(3, 4)), ("1", Fraction(1)), ("0", Fraction(0))],
)
def test_parse_pass_mark(text, expected):
    assert parse_pass_mark(text) == expected


@pytest.mark.parametrize("text", ["1.5", "-0.1", "101%", "", "abc", "1/0"])
def test_parse_pass_mark_refuses_nonsense(text):
    with pytest.raises(CertificateError):
        parse_pass_mark(text)


def test_exactly_the_pass_mark_passes_with_decimal_scores(tmp_path):
    # 0.1 + 0.2 is not 0.3 in floating point; the gradebook reads exact fractions.
    grades = read_gradebook([write_grades(tmp_path / "g.csv", [
        ("ana", "a", "0.1", 1, "ok", ""), ("ana", "b", "0.2", "1", "ok", ""), ("ana", "c", "0.2", "0.5", "ok", "")
    ])])
    [result] = decide(grades, parse_pass_mark("0.2"))
    assert result.share == Fraction(1, 5)
    assert result.earned


def test_every_assignment_in_the_gradebook_counts_for_every_learner(tmp_path):
    grades = read_gradebook([write_grades(tmp_path / "g.csv", [
        ("ana", "m01", 10, 10, "ok", ""), ("ana", "m03", 10, 10, "ok", ""),
        ("ben", "m01", 10, 10, "ok", ""),
        ("cat", "m01", 10, 10, "ok", ""), ("cat", "m03", 0, 10, "error", ""),
    ])])
    results = {r.learner: r for r in decide(grades, Fraction(1, 2))}
    assert results["ana"].earned and results["ana"].reason is None
    assert results["ben"].reason == "not finished yet: no grade for m03."
    assert results["cat"].reason == "not finished yet: m03 was not graded (status error)."


def test_zero_marks_to_count_is_not_a_pass(tmp_path):
    grades = read_gradebook([write_grades(tmp_path / "g.csv", [("ana", "m01", 0, 0, "ok", "")])])
    [result] = decide(grades, Fraction(0))
    assert not result.earned
    assert "no marks to count" in result.reason


def test_status_is_read_without_regard_to_case_or_spaces(tmp_path):
    grades = read_gradebook([write_grades(tmp_path / "g.csv", [("ana", "m01", 8, 10, " OK ", "")])])
    assert decide(grades, Fraction(1, 2))[0].earned


def test_names_are_normalised_so_accents_print_as_one_character(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("learner,name\nzoe,  Zoe\u0308 \n", encoding="utf-8")  # e + combining diaeresis
    assert read_names(path) == {"zoe": "Zoë"}


@pytest.mark.parametrize(
    ("learner", "stem"),
    [
        ("zoe", "zoe"),
        ("José Ñúñez", "José_Ñúñez"),
        ("../../etc/passwd", "etc_passwd"),
        ("...", "learner"),
        ("con", "con_"),
        ("a" * 200, "a" * 80),
        ("مريم", "مريم"),
    ],
)
def test_safe_file_stem(learner, stem):
    assert safe_file_stem(learner) == stem


def test_file_names_never_collide_even_on_case_insensitive_disks():
    names = unique_file_names(["Ana", "ana", "a/b", "a b", "a_b"])
    assert names == {"Ana": "Ana.pdf", "ana": "ana-2.pdf", "a/b": "a_b.pdf", "a b": "a_b-2.pdf", "a_b": "a_b-3.pdf"}


def test_font_coverage_ignores_spaces_and_direction_marks():
    fonts = FontSet()
    assert fonts.missing_characters("Zoë \u200fمريم\u200d נועה", bold=True) == []
    assert fonts.missing_characters("王芳 王", bold=True) == ["王", "芳"]


def test_a_failed_write_leaves_no_temporary_file_and_keeps_whole_certificates(tmp_path, sample_grades, monkeypatch):
    out = tmp_path / "out"
    real_replace = os.replace
    calls = []

    def replace_then_fail(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace_then_fail)
    with pytest.raises(CertificateError, match="No space left on device. 1 certificate"):
        make_certificates(CertificateOptions(grades=(sample_grades,), out=out))
    # The first certificate is complete; the second never appeared; no scraps.
    assert sorted(p.name for p in out.iterdir()) == ["jose.pdf"]
    assert (out / "jose.pdf").read_bytes().startswith(b"%PDF-")
    assert (out / "jose.pdf").read_bytes().rstrip().endswith(b"%%EOF")


def test_certificates_get_ordinary_file_permissions(tmp_path, sample_grades):
    old = os.umask(0o022)
    try:
        make_certificates(CertificateOptions(grades=(sample_grades,), out=tmp_path / "out"))
    finally:
        os.umask(old)
    assert (tmp_path / "out" / "zoe.pdf").stat().st_mode & 0o777 == 0o644


def test_the_library_does_not_import_the_sandbox():
    import subprocess
    import sys

    code = (
        "import sys, exercises.certificates, exercises.certificates.issue;"
        "sys.exit(any(m == 'sandbox' or m.startswith('sandbox.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_name_too_long_for_one_line_gets_a_reason_not_a_squashed_certificate(tmp_path, sample_grades):
    names = tmp_path / "names.csv"
    names.write_text("learner,name\nzoe," + "Wolfeschlegelsteinhausenbergerdorff " * 3 + "\n", encoding="utf-8")
    report = make_certificates(CertificateOptions(grades=(sample_grades,), out=tmp_path / "out", names=names))
    [zoe] = [outcome for outcome in report.outcomes if outcome.learner == "zoe"]
    assert not zoe.made
    assert zoe.problem == "the name is too long to fit on one line; give a shorter form in the names file."
    assert not (tmp_path / "out" / "zoe.pdf").exists()
    assert (tmp_path / "out" / "jose.pdf").exists()


def test_a_refused_certificate_leaves_no_font_file_open(tmp_path, sample_grades):
    """The "name too long" way out closes its fonts at once, not when the garbage collector
    gets round to it (then the ResourceWarning lands in whatever runs next)."""
    names = tmp_path / "names.csv"
    names.write_text("learner,name\nzoe," + "Wolfeschlegelsteinhausenbergerdorff " * 3 + "\n", encoding="utf-8")

    def open_fonts() -> list[str]:
        fds = "/proc/self/fd"
        targets = []
        for fd in os.listdir(fds):
            try:
                targets.append(os.readlink(os.path.join(fds, fd)))
            except OSError:
                continue
        return [t for t in targets if t.endswith((".ttf", ".otf", ".ttc"))]

    before = open_fonts()
    report = make_certificates(CertificateOptions(grades=(sample_grades,), out=tmp_path / "out", names=names))
    assert [o for o in report.outcomes if not o.made]
    assert open_fonts() == before
