"""Each course module's one name: the ``title`` in the front matter of its course page.

``course/modules/NN-*.md`` owns the names. The workbook's links back to the course and
the sandbox's missions both say ``Module N: <title>`` through :func:`module_name`, so a
module is called the same in the course, the workbook and the sandbox (issue 14,
finding 9: it had three names). Where the course folder is not there (a kit installed
without it), a module is just "Module N".
"""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

MODULES_DIR = Path(__file__).resolve().parent.parent / "course" / "modules"


@functools.cache
def module_titles(folder: Path = MODULES_DIR) -> dict[int, str]:
    """``{number: title}`` from the front matter of ``folder/NN-*.md``."""
    titles = {}
    for path in sorted(folder.glob("[0-9][0-9]-*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            continue
        front = yaml.safe_load(text.split("---", 2)[1]) or {}
        if front.get("title"):
            titles[int(path.name[:2])] = str(front["title"])
    return titles


def module_name(number: int) -> str:
    """"Module 3: A wiki instead of a Word file on the share" (or "Module 3" without the course)."""
    title = module_titles().get(number)
    return f"Module {number}: {title}" if title else f"Module {number}"
