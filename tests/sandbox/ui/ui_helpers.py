"""What AppTest tests read off a page."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def texts(at: AppTest) -> str:
    """Everything the page shows as text (markdown, html, text, captions, alerts), joined."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "text", "caption", "info",
                 "success", "error", "warning"):
        parts.extend(str(getattr(element, "value", "")) for element in getattr(at, kind))
    parts.extend(str(element.proto.body) for element in at.get("html"))
    return "\n".join(parts)


def button(at: AppTest, label: str):
    """The first button whose label is ``label`` (exact), or whose label starts with it."""
    for candidate in list(at.button) + list(at.get("form_submit_button")):
        if candidate.label == label:
            return candidate
    for candidate in list(at.button):
        if candidate.label.startswith(label):
            return candidate
    raise AssertionError(f"No button {label!r}; buttons: {[b.label for b in at.button]}")
