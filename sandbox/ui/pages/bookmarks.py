"""Social bookmarks: save a link with a note and tags, browse by tag, see who saved what."""
from __future__ import annotations

import streamlit as st

from sandbox.services import bookmarks, tags
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.text import inject_css, md_escape, plain, when
from sandbox.ui.db import reading
from sandbox.ui.pages_common import require_member

PAGE_SIZE = 15
FIELDS = ("bm_url", "bm_title", "bm_note", "bm_tags")

member = require_member()
inject_css()


def _save() -> None:
    values = {name: st.session_state.get(state.widget_key(name)) for name in FIELDS}
    result = run_action("bookmark_save", bookmarks.save_bookmark, member, values["bm_url"] or "",
                        values["bm_title"] or "", note=values["bm_note"] or "",
                        tags=list(values["bm_tags"] or []), success="Saved to the shared bookmarks.")
    if result is not FAILED:
        for name in FIELDS:
            st.session_state[state.widget_key(name)] = [] if name == "bm_tags" else ""


def _save_too(bookmark_id: int, url: str, title: str) -> None:
    run_action(f"bookmark-{bookmark_id}", bookmarks.save_bookmark, member, url, title,
               success="Saved to your bookmarks too.")


st.title("Bookmarks")
state.show_flash()
st.write("Useful links, saved with a note and tags so colleagues can find them. "
         "Reuse tags that are already in use: a shared vocabulary makes things findable.")

with reading() as session:
    cloud = tags.tag_cloud(session, member.workshop_id, limit=30)
    suggestions = tags.suggest_tags(session, member.workshop_id, limit=30)

st.header("Save a link")
show_error("bookmark_save")
with st.form("bookmark_form"):
    st.text_input("Link (web address)", key=state.widget_key("bm_url"), placeholder="https://...")
    st.text_input("Title", key=state.widget_key("bm_title"), max_chars=200)
    st.text_area("Your note (optional): why is it useful?", key=state.widget_key("bm_note"), height=80)
    st.multiselect("Tags", suggestions, key=state.widget_key("bm_tags"), accept_new_options=True,
                   placeholder="Pick tags already in use, or type a new one",
                   help="The list shows tags colleagues already use, most used first.")
    st.form_submit_button("Save the link", type="primary", on_click=_save)

st.header("Browse")
counts = {entry.name: entry.count for entry in cloud}
if counts:
    st.caption("Tag cloud: the most used tags, with how often each is used.")
    chosen = st.pills("Browse by tag", list(counts), format_func=lambda name: f"#{name} ({counts[name]})",
                      key=state.BOOKMARK_TAG)
else:
    chosen = None
    st.caption("No tags in use yet.")

with reading() as session:
    page = bookmarks.list_bookmarks(session, member, tag=chosen or None, limit=PAGE_SIZE)

if chosen:
    st.write(f"Bookmarks tagged #{chosen}:")
if not page.items:
    st.write("No bookmarks here yet. Save the first useful link above!")
for item in page.items:
    with st.container(border=True):
        tag_text = " ".join(f"#{name}" for name in item.tags)
        notes = "".join(
            f'<li><strong>{plain(saver.name)}</strong> {plain(when(saver.saved_at))}'
            + (f": {saver.note_html}" if saver.note_html else "")
            + "</li>"
            for saver in item.savers
        )
        st.html(
            f'<div role="article" aria-label="Bookmark {plain(item.title)}">'
            f'<p><a href="{plain(item.url)}" rel="nofollow noopener noreferrer" target="_blank">'
            f"{plain(item.title)}</a> <span class=\"io-meta\">({plain(item.url)})</span></p>"
            f'<p class="io-meta">Saved by {item.saved_by} {"person" if item.saved_by == 1 else "people"}'
            f'{" · " + plain(tag_text) if tag_text else ""}</p>'
            f'<ul class="io-body">{notes}</ul></div>'
        )
        show_error(f"bookmark-{item.id}")
        if item.saved_by_me:
            st.caption("You saved this.")
        else:
            st.button(f"Save to my bookmarks too: {md_escape(item.title)}",
                      key=state.widget_key("save_too", item.id),
                      on_click=_save_too, args=(item.id, item.url, item.title))
if page.next_before_id is not None:
    st.caption(f"Showing the newest {PAGE_SIZE}. Pick a tag to narrow the list.")
