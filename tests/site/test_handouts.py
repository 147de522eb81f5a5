"""Handouts as a trainer prints them: each one fits on one A4 page."""
from __future__ import annotations

import io

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

HANDOUTS = sorted((ROOT / "course" / "handouts").glob("*.md"))


def test_every_handout_is_in_the_navigation():
    nav = (ROOT / "mkdocs.yml").read_text()
    for path in HANDOUTS:
        assert f"handouts/{path.name}" in nav, f"{path.name} is not in mkdocs.yml's nav"


def test_there_is_a_handout_for_every_module_from_3_to_12():
    import re

    named = {int(n) for path in HANDOUTS for n in re.findall(r"[Cc]ourse modules? (\d+)", path.read_text())}
    assert set(range(3, 13)) <= named, f"no handout for modules {sorted(set(range(3, 13)) - named)}"


@pytest.mark.parametrize("path", HANDOUTS, ids=lambda p: p.name)
def test_handout_prints_on_one_a4_page(path, served_site, page):
    from pypdf import PdfReader

    page.goto(f"{served_site}/handouts/{path.stem}.html", wait_until="load")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    # A4 is 595.3 x 841.9 points; Chromium rounds its media box up to whole points.
    assert (float(box.width), float(box.height)) == pytest.approx((595.3, 841.9), abs=1.5), "A4 portrait"
    assert len(reader.pages) == 1, f"{path.name} prints on {len(reader.pages)} A4 pages, not one"
    assert not page.external_requests
