"""The wiki: read a page, edit it, see its history side by side, go back, see who edited."""
from __future__ import annotations

import streamlit as st

from sandbox.services import wiki
from sandbox.services.errors import NotFound
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.diff import diff_table
from sandbox.ui.components.text import inject_css, learner_block, md_escape, plain, when
from sandbox.ui.db import reading
from sandbox.ui.pages_common import require_member

VIEWS = ("Read", "Edit", "History", "Who edited")

member = require_member()
inject_css()


def _body_key(page_id: int) -> str:
    return state.widget_key("wiki_body", page_id)


def _base_key(page_id: int) -> str:
    return state.widget_key("wiki_base", page_id)


def _forget_draft(page_id: int) -> None:
    for key in (_body_key(page_id), _base_key(page_id), state.widget_key("wiki_summary", page_id)):
        st.session_state.pop(key, None)


def _create() -> None:
    title_key, body_key = state.widget_key("wiki_new_title"), state.widget_key("wiki_new_body")
    page = run_action("wiki_new", wiki.create_page, member, st.session_state.get(title_key, ""),
                      st.session_state.get(body_key, ""), success="Page created. Ask a colleague to improve it!")
    if page is not FAILED:
        st.session_state[state.WIKI_PAGE] = page.slug
        st.session_state[title_key] = ""
        st.session_state[body_key] = ""


def _save(page_id: int) -> None:
    revision = run_action(
        "wiki_edit", wiki.edit_page, member, page_id, st.session_state.get(_body_key(page_id), ""),
        base_number=st.session_state.get(_base_key(page_id)),
        summary=st.session_state.get(state.widget_key("wiki_summary", page_id), ""),
        success="Saved as a new version.",
    )
    if revision is not FAILED:
        _forget_draft(page_id)
        st.session_state[state.WIKI_VIEW] = "Read"


def _revert(page_id: int) -> None:
    number = st.session_state.get(state.widget_key("wiki_revert", page_id))
    if number is not None:
        if run_action("wiki_history", wiki.revert_page, member, page_id, number,
                      success=f"Version {number} is the current text again (saved as a new version).") is not FAILED:
            _forget_draft(page_id)


def _open(slug: str) -> None:
    st.session_state[state.WIKI_PAGE] = slug
    st.session_state[state.WIKI_VIEW] = "Read"


st.title("Wiki")
state.show_flash()
st.write("Pages everyone can improve. Every version is kept, so nothing is ever lost.")

with reading() as session:
    pages = wiki.list_pages(session, member)
    slug = st.session_state[state.WIKI_PAGE] or (pages[0].slug if pages else "")
    try:
        current = wiki.get_page(session, member, slug) if slug else None
    except NotFound:
        current = None
    revisions = wiki.list_revisions(session, member, current.id) if current else []
    editors = wiki.who_edited(session, member, current.id) if current else []

if pages:
    titles = {p.slug: p.title for p in pages}
    st.selectbox(
        "Open a page", list(titles), format_func=titles.get,
        index=list(titles).index(current.slug) if current and current.slug in titles else 0,
        key=state.widget_key("wiki_pick"),
        on_change=lambda: _open(st.session_state[state.widget_key("wiki_pick")]),
    )

if current is not None:
    st.header(md_escape(current.title), anchor=False)
    st.caption(f"Version {current.number} · last edited by {md_escape(current.updated_by_name)} "
               f"{when(current.updated_at)} · started by {md_escape(current.created_by_name)}")
    view = st.radio("Show", VIEWS, horizontal=True, key=state.WIKI_VIEW)

    if view == "Read":
        learner_block(current.html, meta=f"{plain(current.title)}, version {current.number}",
                      label=f"Wiki page {current.title}")
    elif view == "Edit":
        show_error("wiki_edit")
        if _body_key(current.id) not in st.session_state:
            # A fresh draft starts from the current version, and remembers which one.
            st.session_state[_body_key(current.id)] = current.body
            st.session_state[_base_key(current.id)] = current.number
        base = st.session_state[_base_key(current.id)]
        if base != current.number:
            st.warning(f"You started from version {base}; the page is now at version {current.number}.")
            st.button("Start again from the newest version", on_click=_forget_draft, args=(current.id,),
                      key=state.widget_key("wiki_restart"))
        with st.form(state.widget_key("wiki_form", current.id)):
            st.text_area("Page text (Markdown)", key=_body_key(current.id), height=320)
            st.text_input("What did you change? (a short summary)",
                          key=state.widget_key("wiki_summary", current.id), max_chars=200)
            st.form_submit_button("Save a new version", type="primary", on_click=_save, args=(current.id,))
    elif view == "History":
        show_error("wiki_history")
        for revision in revisions:
            back = f" (went back to version {revision.reverted_to})" if revision.reverted_to else ""
            st.text(f"Version {revision.number} · {revision.author_name} · {when(revision.created_at)}"
                    f" · {revision.summary}{back}")
        if len(revisions) > 1:
            numbers = [r.number for r in revisions]
            st.subheader("Compare two versions")
            with st.container(horizontal=True):
                old = st.selectbox("Older version", numbers, index=1, key=state.widget_key("wiki_old"))
                new = st.selectbox("Newer version", numbers, index=0, key=state.widget_key("wiki_new"))
            with reading() as session:
                rows = wiki.diff_revisions(session, member, current.id, old, new)
            diff_table(rows, f"Version {old}", f"Version {new}")
            st.subheader("Go back to an earlier version")
            st.selectbox("Version to restore", numbers[1:], key=state.widget_key("wiki_revert", current.id))
            st.button("Restore this version", on_click=_revert, args=(current.id,),
                      key=state.widget_key("wiki_revert_btn"))
    else:
        for editor in editors:
            department = f" ({editor.department})" if editor.department else ""
            st.text(f"{editor.name}{department}: {editor.edits} version{'s' if editor.edits != 1 else ''},"
                    f" last {when(editor.last_edit_at)}")
else:
    st.write("There are no pages yet. Start the first one below.")

st.header("Start a new page")
show_error("wiki_new")
with st.form("wiki_new_form"):
    st.text_input("Page title", key=state.widget_key("wiki_new_title"), max_chars=120)
    st.text_area("Text of the new page (Markdown)", key=state.widget_key("wiki_new_body"), height=160)
    st.form_submit_button("Create the page", on_click=_create)
