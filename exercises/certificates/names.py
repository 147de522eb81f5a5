"""Read the optional names file: learner id -> full name as it should be printed.

A names file is a CSV with the columns ``learner`` and ``name``, saved as UTF-8
(for example ``zoe,Zoë Brontë-Łukasiewicz`` or ``maryam,مريم الحسن``).
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from exercises.certificates.errors import CertificateError
from exercises.certificates.gradebook import read_csv_rows

NAME_COLUMNS = ("learner", "name")
# Long enough for every real full name we know of; a longer cell is a pasted mistake.
MAX_NAME_LENGTH = 120


def read_names(path: Path) -> dict[str, str]:
    """Full names by learner id, from the names file at ``path``.

    Fails with :class:`CertificateError` when the file is missing, not UTF-8, empty,
    lacks the ``learner`` or ``name`` column, lists a learner twice, or has a row
    whose name is empty, too long, or contains a line break or other control
    character.
    """
    path = Path(path)
    header, body = read_csv_rows(path, "names file")
    missing = [column for column in NAME_COLUMNS if column not in header]
    if missing:
        raise CertificateError(
            f"{path} is missing the column(s) {', '.join(missing)}; a names file needs "
            "the columns learner,name (one learner per line)."
        )
    names: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, row in body:
        learner = row["learner"].strip()
        # NFC so that "e" + combining accent and "é" print and compare the same.
        name = unicodedata.normalize("NFC", row["name"].strip())
        if not learner:
            raise CertificateError(f"{path} line {line} has a name but no learner id.")
        problem = name_problem(name)
        if problem:
            raise CertificateError(f"{path} line {line}: {problem}.")
        if learner in names:
            raise CertificateError(
                f"{path} lists {learner} twice (lines {lines[learner]} and {line}); "
                "keep only one."
            )
        names[learner] = name
        lines[learner] = line
    return names


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot go on a certificate, or None when it can."""
    if not name:
        return "the name is empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"the name is longer than {MAX_NAME_LENGTH} characters"
    for character in name:
        # Cc, Zl, Zp: line breaks, tabs and other control characters. Format
        # characters (Cf) are allowed: right-to-left marks and zero-width joiners
        # belong in real names.
        if unicodedata.category(character) in ("Cc", "Zl", "Zp"):
            return "the name contains a line break or another control character"
    return None
