"""Lay out one certificate of completion as an A4 landscape PDF, in memory.

Real text in embedded Unicode fonts (so it can be searched, copied and read aloud),
shaped with HarfBuzz so that Arabic letters join and right-to-left names read in the
right order. The document title and language are set in the metadata, and viewers
are asked to show the title rather than the file name.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.prefs import ViewerPreferences

from exercises.certificates.errors import CertificateError
from exercises.certificates.fonts import FontSet

PAGE_WIDTH, PAGE_HEIGHT = 297.0, 210.0  # A4 landscape, millimetres
TEXT_WIDTH = 237.0  # what fits inside the double border with generous margins
LEFT = (PAGE_WIDTH - TEXT_WIDTH) / 2
# Deep teal for the frame and the organisation, near-black for the text: both are
# far above 4.5:1 contrast on white.
FRAME_COLOUR = (31, 78, 95)
TEXT_COLOUR = (33, 37, 41)
MUTED_COLOUR = (73, 80, 87)
NAME_SIZES = range(34, 13, -1)  # largest first; 14 pt is the smallest we accept
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)
FAMILY = "Certificate"
EXTRA_FAMILY = "CertificateExtra{}"


@dataclass(frozen=True)
class CertificateText:
    """Everything that is printed on one certificate."""

    name: str
    title: str
    organisation: str
    assignments: tuple[str, ...]
    overall: str  # "87%"
    issued_on: date


def format_date(day: date) -> str:
    """``27 November 2026``: spelled out so no reader confuses day and month."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def render_certificate(text: CertificateText, fonts: FontSet) -> bytes:
    """The PDF for ``text``, as bytes.

    Fails with :class:`CertificateError` when the name is too long to fit on one
    line even at the smallest size we accept.
    """
    pdf = _new_document(text, fonts)
    # Every way out closes the font files, the "name too long" error as well.
    try:
        pdf.add_page()
        _draw_frame(pdf)

        _centred(pdf, top=24, height=10, text=text.organisation, size=17, style="",
                 colour=FRAME_COLOUR, fit=True)
        _centred(pdf, top=38, height=18, text="Certificate of completion", size=32, style="B",
                 colour=TEXT_COLOUR)
        pdf.set_draw_color(*FRAME_COLOUR)
        pdf.set_line_width(0.6)
        pdf.line(PAGE_WIDTH / 2 - 30, 61, PAGE_WIDTH / 2 + 30, 61)

        _centred(pdf, top=66, height=8, text="This is to certify that", size=14, style="",
                 colour=MUTED_COLOUR)
        name_size = _size_that_fits(pdf, text.name, "B", NAME_SIZES)
        if name_size is None:
            raise CertificateError(
                "the name is too long to fit on one line; give a shorter form in the names file"
            )
        # Fixed bands, text centred inside: a long name set smaller stays in the middle.
        _centred(pdf, top=76, height=20, text=text.name, size=name_size, style="B",
                 colour=TEXT_COLOUR)
        _centred(pdf, top=98, height=8, text="has completed", size=14, style="",
                 colour=MUTED_COLOUR)
        _wrapped_title(pdf, top=108, height=18, text=text.title)

        count = len(text.assignments)
        plural = "s" if count != 1 else ""
        _centred(pdf, top=130, height=7, size=12, style="", colour=TEXT_COLOUR,
                 text=f"Overall score {text.overall} across {count} graded assignment{plural}")
        pdf.set_font(FAMILY, "", 10)
        pdf.set_text_color(*MUTED_COLOUR)
        pdf.set_xy(LEFT + 15, 138)
        pdf.multi_cell(TEXT_WIDTH - 30, 5, ", ".join(text.assignments), align=Align.C)

        _signature_block(pdf, x=LEFT + 10, label="Date", value=format_date(text.issued_on))
        _signature_block(pdf, x=PAGE_WIDTH - LEFT - 10 - 80, label="Trainer's signature", value="")
        return bytes(pdf.output())
    finally:
        _close_fonts(pdf)


def _close_fonts(pdf: FPDF) -> None:
    """Close the font files fpdf2 keeps open (fontTools reads them lazily).

    Left to the garbage collector, they close at some later moment with a
    ResourceWarning, which then fails whatever test happens to be running.
    """
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


def _new_document(text: CertificateText, fonts: FontSet) -> FPDF:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    try:
        _set_up(pdf, text, fonts)
    except BaseException:
        _close_fonts(pdf)
        raise
    return pdf


def _set_up(pdf: FPDF, text: CertificateText, fonts: FontSet) -> None:
    pdf.set_auto_page_break(False)
    pdf.set_margins(LEFT, 15, LEFT)
    pdf.add_font(FAMILY, "", str(fonts.regular))
    pdf.add_font(FAMILY, "B", str(fonts.bold))
    extra_families = []
    for index, path in enumerate(fonts.extra):
        family = EXTRA_FAMILY.format(index)
        pdf.add_font(family, "", str(path))
        pdf.add_font(family, "B", str(path))
        extra_families.append(family)
    if extra_families:
        pdf.set_fallback_fonts(extra_families)
    pdf.set_text_shaping(True)
    pdf.set_lang("en")
    pdf.set_title(f"Certificate of completion: {text.name}")
    pdf.set_subject(text.title)
    pdf.set_author(text.organisation)
    pdf.set_creator("Inside-Out (insideout certificates)")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)


def _draw_frame(pdf: FPDF) -> None:
    pdf.set_draw_color(*FRAME_COLOUR)
    pdf.set_line_width(1.4)
    pdf.rect(10, 10, PAGE_WIDTH - 20, PAGE_HEIGHT - 20)
    pdf.set_line_width(0.35)
    pdf.rect(14, 14, PAGE_WIDTH - 28, PAGE_HEIGHT - 28)


def _centred(pdf, *, top, height, text, size, style, colour, fit=False) -> None:
    if fit:
        size = _size_that_fits(pdf, text, style, range(int(size), 7, -1)) or 8
    pdf.set_font(FAMILY, style, size)
    pdf.set_text_color(*colour)
    pdf.set_xy(LEFT, top)
    pdf.cell(TEXT_WIDTH, height, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _wrapped_title(pdf: FPDF, *, top: float, height: float, text: str) -> None:
    """The course title, as large as it can be on at most two lines."""
    for size in range(20, 9, -1):
        pdf.set_font(FAMILY, "B", size)
        line_height = size * 0.45
        lines = pdf.multi_cell(TEXT_WIDTH, line_height, text, align=Align.C,
                               dry_run=True, output="LINES")
        # Two lines at 20 pt would crowd the score line below.
        if len(lines) == 1 or (len(lines) == 2 and size <= 17):
            break
    pdf.set_text_color(*TEXT_COLOUR)
    pdf.set_xy(LEFT, top + (height - len(lines) * line_height) / 2)
    pdf.multi_cell(TEXT_WIDTH, line_height, text, align=Align.C)


def _size_that_fits(pdf: FPDF, text: str, style: str, sizes) -> int | None:
    for size in sizes:
        pdf.set_font(FAMILY, style, size)
        if pdf.get_string_width(text) <= TEXT_WIDTH:
            return size
    return None


def _signature_block(pdf: FPDF, *, x: float, label: str, value: str) -> None:
    width, line_y = 80, 176
    if value:
        pdf.set_font(FAMILY, "", 13)
        pdf.set_text_color(*TEXT_COLOUR)
        pdf.set_xy(x, line_y - 9)
        pdf.cell(width, 7, value, align=Align.C)
    pdf.set_draw_color(*MUTED_COLOUR)
    pdf.set_line_width(0.3)
    pdf.line(x, line_y, x + width, line_y)
    pdf.set_font(FAMILY, "", 10)
    pdf.set_text_color(*MUTED_COLOUR)
    pdf.set_xy(x, line_y + 2)
    pdf.cell(width, 5, label, align=Align.C)
