"""The fonts a certificate is set in, and a check that they can draw a text.

DejaVu Sans (bundled in ``fonts/``, Bitstream Vera licence, see ``fonts/LICENSE.md``)
covers Latin, Greek, Cyrillic, Hebrew and Arabic. It has no Chinese, Japanese,
Korean, Thai or Indic letters: a name in those scripts is refused with a clear
reason rather than printed as empty boxes, unless the trainer adds a font that has
them (``--font``). We do not bundle a CJK font: a usable one weighs 4 MB to 20 MB
and would still leave other scripts uncovered.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from exercises.certificates.errors import CertificateError

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR_FONT = FONTS_DIR / "DejaVuSans.ttf"
BOLD_FONT = FONTS_DIR / "DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class FontSet:
    """The bundled regular and bold fonts plus any extra fonts for other scripts."""

    regular: Path = REGULAR_FONT
    bold: Path = BOLD_FONT
    extra: tuple[Path, ...] = field(default_factory=tuple)

    def missing_characters(self, text: str, *, bold: bool = False) -> list[str]:
        """The characters of ``text`` that the font for this style, and every extra
        font, cannot draw, each once, in order of appearance.

        Spaces and invisible formatting characters (right-to-left marks, zero-width
        joiners) are never reported: the shaping engine handles them without a glyph.
        """
        fonts = (self.bold if bold else self.regular, *self.extra)
        maps = [_characters_in(path) for path in fonts]
        missing: list[str] = []
        for character in text:
            if character.isspace() or unicodedata.category(character) == "Cf":
                continue
            if not any(ord(character) in characters for characters in maps):
                if character not in missing:
                    missing.append(character)
        return missing


def load_extra_font(path: Path) -> Path:
    """Check that ``path`` is a single TrueType or OpenType font we can embed.

    Fails with :class:`CertificateError` when the file is missing, is a font
    collection (.ttc), or is not a font.
    """
    path = Path(path)
    if not path.is_file():
        raise CertificateError(f"cannot find the font file {path}.")
    if path.suffix.lower() in (".ttc", ".otc"):
        raise CertificateError(
            f"{path} is a font collection; give a single .ttf or .otf font file."
        )
    try:
        _characters_in(path)
    except Exception:  # fontTools raises many kinds of errors for a bad file
        raise CertificateError(f"{path} is not a TrueType or OpenType font file.") from None
    return path


@lru_cache(maxsize=16)
def _characters_in(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap() or {}
        return frozenset(cmap)
