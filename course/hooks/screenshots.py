"""Screenshots of the sandbox on course pages: ``{{ screenshot: NAME }}``.

The pictures and their words come from ``course/assets/screenshots/manifest.json``,
written by ``make screenshots`` (tests/support/screenshots.py) together with the
PNGs: the alt text, a description and the numbered callouts drawn on the picture.
The page prints the callouts as a numbered list, so the numbers on the picture and
the words under it come from one place.

Failure cases: ``ScreenshotError`` with a one-line message (no manifest, unknown
screenshot, missing PNG).
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from render import relative_url

MARKER = re.compile(r"^\{\{\s*screenshot:\s*([a-z0-9-]+)\s*\}\}\s*$", re.MULTILINE)
FOLDER = "assets/screenshots"
REGENERATE = "make screenshots"


class ScreenshotError(Exception):
    """A screenshot a page asks for is not there."""


@dataclass(frozen=True)
class Screenshot:
    name: str
    file: str
    title: str
    description: str
    callouts: tuple[str, ...]
    width: int
    height: int


def _manifest(docs_dir: Path) -> dict:
    path = docs_dir / FOLDER / "manifest.json"
    if not path.is_file():
        raise ScreenshotError(f"no course/{FOLDER}/manifest.json: run '{REGENERATE}'")
    return json.loads(path.read_text(encoding="utf-8"))


def figure(name: str, docs_dir: Path) -> Screenshot:
    """The screenshot ``name`` from ``docs_dir``'s manifest. Raises ScreenshotError."""
    manifest = _manifest(docs_dir)
    entry = manifest.get("screenshots", {}).get(name)
    if entry is None:
        known = ", ".join(sorted(manifest.get("screenshots", {})))
        raise ScreenshotError(f"no screenshot '{name}' (known: {known}; see tests/support/screenshots.py)")
    if not (docs_dir / FOLDER / entry["file"]).is_file():
        raise ScreenshotError(f"course/{FOLDER}/{entry['file']} is missing: run '{REGENERATE}'")
    viewport = manifest.get("viewport", {})
    return Screenshot(name=name, file=entry["file"], title=entry["title"], description=entry["description"],
                      callouts=tuple(entry["callouts"]), width=int(viewport.get("width", 0)),
                      height=int(viewport.get("height", 0)))


def render(shot: Screenshot, page_url: str) -> str:
    """A figure: the picture, its caption, and the description with the numbered callouts."""
    src = relative_url(page_url, f"{FOLDER}/{shot.file}")
    e = html.escape
    callouts = "".join(f"<li>{e(text)}</li>" for text in shot.callouts)
    size = f' width="{shot.width}" height="{shot.height}"' if shot.width and shot.height else ""
    return (
        f'<figure class="io-figure io-screenshot" data-screenshot="{e(shot.name)}">'
        f'<img src="{e(src)}" alt="{e(shot.title)}"{size} loading="lazy">'
        f"<figcaption><strong>{e(shot.title)}.</strong> "
        '<span class="io-figure-source">Source: a screenshot of this kit\'s sandbox, made by '
        f"'{REGENERATE}'.</span></figcaption>"
        '<details class="io-figure-description"><summary>Describe this figure</summary>'
        f"<p>{e(shot.description)} The numbers on the picture mark:</p><ol>{callouts}</ol></details>"
        "</figure>\n"
    )
