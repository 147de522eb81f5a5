"""One look across the course site, the workbook and the sandbox (issue 14, Deliver 6):
the sandbox's primary colour everywhere, one font shipped with its licence, nothing fetched."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from sandbox.ui.server import THEME_FLAGS
from tests.conftest import ROOT

COURSE_CSS = ROOT / "course" / "assets" / "stylesheets" / "inside-out.css"
WORKBOOK_CSS = ROOT / "exercises" / "book" / "_static" / "workbook.css"
FONTS = ROOT / "course" / "assets" / "fonts"
# Where each stylesheet ends up in the built site, to resolve its url(...) against the
# course's files: site/assets/stylesheets/ and site/workbook/_static/.
SITE_FOLDERS = {COURSE_CSS: ("assets", "stylesheets"), WORKBOOK_CSS: ("workbook", "_static")}
URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def site_file(css: Path, url: str) -> Path:
    """The course file a stylesheet's relative ``url`` names once the site is built."""
    parts = [*SITE_FOLDERS[css]]
    for piece in url.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    if parts[0] == "workbook":
        raise AssertionError(f"{css.name}: {url} points inside the workbook's own build")
    return ROOT / "course" / Path(*parts)


def test_course_and_workbook_use_the_sandbox_primary_colour():
    primary = THEME_FLAGS["theme.primaryColor"].lower()
    assert f"--md-primary-fg-color: {primary};" in COURSE_CSS.read_text(encoding="utf-8").lower()
    assert f"--pst-color-primary: {primary};" in WORKBOOK_CSS.read_text(encoding="utf-8").lower()
    palette = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[0]
                             .replace("!!python/name:", ""))["theme"]["palette"]
    assert palette["primary"] == palette["accent"] == "custom"


def test_fonts_are_shipped_with_their_licence_and_nothing_is_fetched():
    licence = (FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence and "Version 1.1" in licence
    for css in (COURSE_CSS, WORKBOOK_CSS):
        text = css.read_text(encoding="utf-8")
        assert "@import" not in text and "//" not in "".join(URL.findall(text)), css
        fonts = [url for url in URL.findall(text) if url.endswith(".woff2")]
        assert fonts, f"{css.name} names no font file"
        for url in fonts:
            assert site_file(css, url).is_file(), (css.name, url)
            assert site_file(css, url).parent == FONTS


def test_one_logo_in_the_sandbox_the_course_and_the_workbook():
    from PIL import Image

    sandbox_icon = ROOT / "sandbox" / "ui" / "assets" / "icon.png"
    assert (ROOT / "course" / "assets" / "favicon.png").read_bytes() == sandbox_icon.read_bytes()
    theme = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "logo: assets/logo-white.png" in theme and "favicon: assets/favicon.png" in theme
    assert 'assets/favicon.png"' in Path(ROOT / "exercises" / "workbook.py").read_text(encoding="utf-8")
    # The header's logo is the same bubble in white: opaque exactly where the icon is blue.
    with Image.open(sandbox_icon) as icon, Image.open(ROOT / "course" / "assets" / "logo-white.png") as white:
        icon, white = icon.convert("RGBA"), white.convert("RGBA")
        assert icon.size == white.size
        for x in range(0, icon.width, 4):
            for y in range(0, icon.height, 4):
                r, g, b, a = icon.getpixel((x, y))
                blue = a > 200 and b > r + 60
                assert (white.getpixel((x, y))[3] > 200) == blue, (x, y)
