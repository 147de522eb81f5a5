"""What console AppTests read off a page."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def texts(at: AppTest) -> str:
    """Everything the page shows as text (markdown, captions, alerts, tables), joined."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "text", "caption", "info",
                 "success", "error", "warning"):
        parts.extend(str(getattr(element, "value", "")) for element in getattr(at, kind))
    parts.extend(element.proto.text for element in at.get("progress"))
    for table in at.table:
        parts.append(table.value.to_string())
    return "\n".join(parts)


def button(at: AppTest, label: str):
    """The first button (or form submit button) whose label starts with ``label``."""
    for candidate in list(at.button) + list(at.get("form_submit_button")):
        if candidate.label.startswith(label):
            return candidate
    raise AssertionError(f"No button {label!r}; buttons: {[b.label for b in at.button]}")
