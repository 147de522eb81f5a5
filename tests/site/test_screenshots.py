"""The course's screenshots of the sandbox are current: made from the sandbox as it is now."""
from __future__ import annotations

import hashlib
import json
import shutil

from PIL import Image

from tests.conftest import ROOT
from tests.support import screenshots

FOLDER = ROOT / "course" / "assets" / "screenshots"
MAX_BYTES = 80 * 1024


def manifest() -> dict:
    return json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))


def test_screenshots_are_current():
    recorded = manifest()
    changed = sorted(set(screenshots.INPUTS) ^ set(recorded["inputs"]))
    assert recorded["fingerprint"] == screenshots.fingerprint(), (
        "The sandbox screenshots in course/assets/screenshots/ are out of date: a page script, the "
        f"scenario or the screenshot script changed since they were made{' (' + ', '.join(changed) + ')' if changed else ''}. "
        f"Run '{screenshots.COMMAND}' and commit the new PNGs and manifest.json."
    )


def test_every_screenshot_is_there_small_and_as_recorded():
    recorded = manifest()
    assert set(recorded["screenshots"]) == {shot.name for shot in screenshots.SHOTS}
    for name, entry in recorded["screenshots"].items():
        path = FOLDER / entry["file"]
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], (
            f"{path.name} is not the picture '{screenshots.COMMAND}' made; run it again")
        assert len(data) <= MAX_BYTES, f"{path.name} is {len(data) // 1024} KB; keep screenshots small"
        with Image.open(path) as image:
            assert image.size == (recorded["viewport"]["width"], recorded["viewport"]["height"])
        assert entry["title"] and entry["description"] and entry["callouts"], name


def test_the_fingerprint_notices_a_changed_page_script(tmp_path):
    for relative in screenshots.INPUTS:
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / relative, target)
    before = screenshots.fingerprint(tmp_path)
    assert before == screenshots.fingerprint()
    page = tmp_path / "sandbox" / "ui" / "pages" / "feed.py"
    page.write_text(page.read_text() + "\n# a change\n")
    assert screenshots.fingerprint(tmp_path) != before
