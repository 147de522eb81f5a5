"""Every picture on a page needs a text alternative (WCAG 1.1.1).

Checked on each page's HTML after Markdown (so ``![](x.png)`` and raw ``<img>`` look
the same): an ``<img>`` needs a non-empty ``alt``; an inline ``<svg>`` needs a
non-empty ``<title>`` as a child, unless it is hidden from assistive technology
(``aria-hidden="true"``, a decorative icon). SVGs nested inside another SVG are
part of it and are not checked on their own.
"""
from __future__ import annotations

from html.parser import HTMLParser


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.svg_count = 0
        self.stack: list[str] = []  # open elements inside the outermost <svg>, itself first
        self.current: dict = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.stack:
            self.stack.append(tag)
            if tag == "title" and len(self.stack) == 2:
                self.current["in_title"] = True
            return
        if tag == "img":
            alt = attributes.get("alt")
            if alt is None or not alt.strip():
                source = attributes.get("src") or "(no src)"
                self.problems.append(
                    f"image '{source}' has no alt text (write ![what it shows]({source}) "
                    'or <img alt="what it shows">)'
                )
        elif tag == "svg":
            self.svg_count += 1
            self.stack = ["svg"]
            self.current = {
                "name": attributes.get("aria-label") or "",
                "hidden": attributes.get("aria-hidden") == "true",
                "title": "",
                "in_title": False,
            }

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack:
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self.stack and self.current.get("in_title"):
            self.current["title"] += data

    def handle_endtag(self, tag):
        if not self.stack:
            return
        # Close up to the matching open element (HTML may leave some unclosed).
        while self.stack:
            closed = self.stack.pop()
            if closed == "title" and len(self.stack) == 1:
                self.current["in_title"] = False
            if closed == tag:
                break
        if not self.stack:
            current = self.current
            if not current["hidden"] and not current["title"].strip():
                name = f" '{current['name']}'" if current["name"] else ""
                self.problems.append(
                    f"inline SVG number {self.svg_count}{name} has no <title> "
                    '(give it <title>what it shows</title> as its first child and role="img")'
                )


def problems(html: str) -> list[str]:
    """Every picture in ``html`` without a text alternative, in page order."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problems


def first_problem(html: str) -> str | None:
    found = problems(html)
    return found[0] if found else None
