"""Every picture on a page needs a text alternative and a description (WCAG 1.1.1).

Checked on each page's HTML after Markdown (so ``![](x.png)`` and raw ``<img>`` look
the same):

- an ``<img>`` needs a non-empty ``alt``; an inline ``<svg>`` needs a non-empty
  ``<title>`` as a direct child;
- every picture sits in a ``<figure>`` with a ``<figcaption>`` and a longer
  description (a ``<details>`` or ``<p>`` in the figure, outside the caption), which is
  what ``{{ figure: NAME }}`` and ``{{ screenshot: NAME }}`` write.

An SVG hidden from assistive technology (``aria-hidden="true"``, a decorative icon) is
not a picture for either rule. SVGs nested inside another SVG are part of it.
"""
from __future__ import annotations

from html.parser import HTMLParser

HOW_TO_FIGURE = ("show it with {{ figure: NAME }} or {{ screenshot: NAME }}, or put it in a <figure> "
                 "with a <figcaption> and a description")


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.svg_count = 0
        self.stack: list[str] = []  # open elements inside the outermost <svg>, itself first
        self.current: dict = {}
        self.figures: list[dict] = []  # open <figure> elements, innermost last

    def _picture(self, name: str) -> None:
        if self.figures:
            self.figures[-1]["pictures"].append(name)
        else:
            self.problems.append(f"{name} is not in a figure with a description ({HOW_TO_FIGURE})")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.stack:
            self.stack.append(tag)
            if tag == "title" and len(self.stack) == 2:
                self.current["in_title"] = True
            return
        figure = self.figures[-1] if self.figures else None
        if tag == "figure":
            self.figures.append({"caption": False, "description": False, "pictures": [], "in_caption": 0})
        elif tag == "figcaption" and figure is not None:
            figure["caption"] = True
            figure["in_caption"] += 1
        elif tag in ("details", "p") and figure is not None and not figure["in_caption"]:
            figure["description"] = True
        elif tag == "img":
            source = attributes.get("src") or "(no src)"
            alt = attributes.get("alt")
            if alt is None or not alt.strip():
                self.problems.append(
                    f"image '{source}' has no alt text (write ![what it shows]({source}) "
                    'or <img alt="what it shows">)'
                )
            else:
                self._picture(f"image '{source}'")
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
            if tag == "figcaption" and self.figures and self.figures[-1]["in_caption"]:
                self.figures[-1]["in_caption"] -= 1
            elif tag == "figure" and self.figures:
                figure = self.figures.pop()
                if figure["pictures"] and not (figure["caption"] and figure["description"]):
                    self.problems.append(
                        f"the figure with {figure['pictures'][0]} needs a <figcaption> and a description "
                        "(a <details> or <p> in the figure)"
                    )
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
            if current["hidden"]:
                return
            name = f"inline SVG number {self.svg_count}" + (f" '{current['name']}'" if current["name"] else "")
            if not current["title"].strip():
                self.problems.append(
                    f"{name} has no <title> "
                    '(give it <title>what it shows</title> as its first child and role="img")'
                )
            else:
                self._picture(name)


def problems(html: str) -> list[str]:
    """Every picture in ``html`` without a text alternative or a description, in page order."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problems


def first_problem(html: str) -> str | None:
    found = problems(html)
    return found[0] if found else None
