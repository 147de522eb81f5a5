"""CSV files that trainers open and save in a spreadsheet program."""
from __future__ import annotations


def delimiter(text: str) -> str:
    """The character between cells, judged from the header line: a comma unless the
    header has none and has semicolons or tabs instead (a spreadsheet set to a
    language with decimal commas saves with semicolons)."""
    header = text.lstrip().split("\n", 1)[0]
    if "," not in header:
        for candidate in (";", "\t"):
            if candidate in header:
                return candidate
    return ","
