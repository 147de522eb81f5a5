"""Fixtures for the certificates tests: sample grades, names and a tiny CJK font."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

GRADES_HEADER = "learner,assignment,score,max_score,status,reason\n"

# The names: accents, a Polish Ł, Spanish Ñ, Arabic and Hebrew.
SAMPLE_NAMES = {
    "zoe": "Zoë Brontë-Łukasiewicz",
    "jose": "José Ñúñez",
    "maryam": "مريم الحسن",
    "noa": "נועה כהן",
}


def run_certificates(*args, cwd=None, timeout=120):
    """``insideout certificates ARGS`` as a trainer runs it, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "sandbox.cli", "certificates", *map(str, args)],
        cwd=cwd or ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def write_grades(path: Path, rows: list[tuple]) -> Path:
    lines = [",".join(str(cell) for cell in row) + "\n" for row in rows]
    path.write_text(GRADES_HEADER + "".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def sample_grades(tmp_path) -> Path:
    """Two assignments; four learners pass, sam is below 60%, kim timed out.

    Statuses as ``insideout grade`` writes them ("graded", "timed out")."""
    return write_grades(
        tmp_path / "grades.csv",
        [
            ("zoe", "m01-inside-out", 9, 10, "graded", ""),
            ("zoe", "m03-wiki", 8, 10, "graded", ""),
            ("jose", "m01-inside-out", 7, 10, "graded", ""),
            ("jose", "m03-wiki", 6, 10, "graded", ""),
            ("maryam", "m01-inside-out", 10, 10, "graded", ""),
            ("maryam", "m03-wiki", 9, 10, "graded", ""),
            # Exactly the pass mark: 12 of 20 is 60%.
            ("noa", "m01-inside-out", 6, 10, "graded", ""),
            ("noa", "m03-wiki", 6, 10, "graded", ""),
            ("sam", "m01-inside-out", 3, 10, "graded", ""),
            ("sam", "m03-wiki", 5, 10, "graded", ""),
            ("kim", "m01-inside-out", 10, 10, "graded", ""),
            ("kim", "m03-wiki", 0, 10, "timed out", "the notebook ran for more than 60 seconds"),
        ],
    )


@pytest.fixture
def sample_names(tmp_path) -> Path:
    path = tmp_path / "names.csv"
    rows = "".join(f"{learner},{name}\n" for learner, name in SAMPLE_NAMES.items())
    path.write_text("learner,name\n" + rows, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def cjk_font(tmp_path_factory) -> Path:
    """A tiny TrueType font that has 王 and 芳 (drawn as boxes), built on the spot.

    Stands in for a real Chinese font so the ``--font`` path is tested without
    shipping or installing one.
    """
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    characters = "王芳"
    glyph_names = [".notdef", "space"] + [f"uni{ord(c):04X}" for c in characters]

    def square():
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0))
        pen.lineTo((100, 700))
        pen.lineTo((900, 700))
        pen.lineTo((900, 0))
        pen.closePath()
        return pen.glyph()

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(glyph_names)
    builder.setupCharacterMap({32: "space", **{ord(c): f"uni{ord(c):04X}" for c in characters}})
    glyphs = {name: square() for name in glyph_names}
    glyphs["space"] = TTGlyphPen(None).glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (1000, 100) for name in glyph_names})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "TestCJK", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    path = tmp_path_factory.mktemp("fonts") / "test-cjk.ttf"
    builder.save(str(path))
    return path
