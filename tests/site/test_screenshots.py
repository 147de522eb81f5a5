"""The course's screenshots of the sandbox are current: made from the sandbox as it is now."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

import pytest
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


@pytest.mark.browser
def test_the_screenshot_command_makes_annotated_small_pictures(tmp_path):
    """What 'make screenshots' runs, into a scratch folder: a real sandbox, a real Chromium."""
    result = subprocess.run([sys.executable, "-m", "tests.support.screenshots", "--out", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    made = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert made["fingerprint"] == screenshots.fingerprint()
    for shot in screenshots.SHOTS:
        entry = made["screenshots"][shot.name]
        data = (tmp_path / entry["file"]).read_bytes()
        assert 5 * 1024 < len(data) <= MAX_BYTES, f"{shot.name}: {len(data)} bytes"
        assert entry["callouts"] == [callout.text for callout in shot.callouts]
        with Image.open(tmp_path / entry["file"]) as image:
            # The numbered callouts are drawn in CALLOUT_COLOUR: the picture must contain it.
            rgb = image.convert("RGB")
            colour = tuple(int(screenshots.CALLOUT_COLOUR[i:i + 2], 16) for i in (1, 3, 5))
            assert rgb.getcolors(1 << 16) and any(
                max(abs(a - b) for a, b in zip(pixel, colour)) < 24 for _, pixel in rgb.getcolors(1 << 16)
            ), f"{shot.name}: no callout drawn"
