"""A side-by-side diff of two wiki versions as an accessible table.

Changes are marked with words and signs, not colour alone: each row says
"changed", "added" or "removed", and removed/added text is struck through or
marked with a plus. The text is the page's Markdown source, escaped.
"""
from __future__ import annotations

import streamlit as st

from sandbox.services.wiki import DiffRow
from sandbox.ui.components.text import plain

CHANGE_WORDS = {"same": "", "changed": "changed", "added": "added", "removed": "removed"}


def diff_table(rows: list[DiffRow], old_label: str, new_label: str) -> None:
    changed = [row for row in rows if row.change != "same"]
    if not changed:
        st.write("These two versions are the same.")
        return
    st.write("1 line differs." if len(changed) == 1 else f"{len(changed)} lines differ.")
    body = []
    for row in rows:
        old = "" if row.old_text is None else plain(row.old_text)
        new = "" if row.new_text is None else plain(row.new_text)
        old_cls = ' class="io-del"' if row.change in ("changed", "removed") else ""
        new_cls = ' class="io-add"' if row.change in ("changed", "added") else ""
        body.append(
            "<tr>"
            f"<td>{row.old_number or ''}</td><td{old_cls}>{old}</td>"
            f"<td>{row.new_number or ''}</td><td{new_cls}>{new}</td>"
            f"<td>{CHANGE_WORDS[row.change]}</td>"
            "</tr>"
        )
    st.html(
        '<table class="io-diff"><caption>Differences between '
        f"{plain(old_label)} (left) and {plain(new_label)} (right)</caption>"
        '<thead><tr><th scope="col">Line</th><th scope="col">'
        f"{plain(old_label)}</th>"
        f'<th scope="col">Line</th><th scope="col">{plain(new_label)}</th>'
        '<th scope="col">Change</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
