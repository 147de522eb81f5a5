"""Search before you ask: posts, wiki pages and bookmarks in one place."""
from __future__ import annotations

import streamlit as st

from sandbox.services import search
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.text import md_escape, plain, when
from sandbox.ui.pages_common import WIKI_PAGE, open_post, require_member

member = require_member()


def _search() -> None:
    # Each search is one logged action (search.run), so it runs once, here; the
    # page then shows the last results until the next search.
    results = run_action("search", search.search, member,
                         st.session_state.get(state.widget_key("search_box"), ""))
    st.session_state[state.SEARCH_RESULTS] = None if results is FAILED else results


st.title("Search")
st.write("Someone may already have answered your question. Search posts, wiki pages and bookmarks.")
show_error("search")
with st.form("search_form"):
    st.text_input("Search for", key=state.widget_key("search_box"), max_chars=200)
    st.form_submit_button("Search", type="primary", on_click=_search)

results = st.session_state.get(state.SEARCH_RESULTS)
if results is not None:
    total = len(results.posts) + len(results.pages) + len(results.bookmarks)
    st.write(f"{total} result{'s' if total != 1 else ''} for “{md_escape(results.query)}”.")
    if total == 0:
        st.write("Nothing found. Try fewer or different words, or ask in the feed with #question.")
    for heading, hits in (("Posts", results.posts), ("Wiki pages", results.pages),
                          ("Bookmarks", results.bookmarks)):
        if not hits:
            continue
        st.header(heading)
        for number, hit in enumerate(hits):
            with st.container(border=True):
                st.text(f"{hit.title} · {when(hit.created_at)}")
                st.text(hit.snippet)
                if hit.kind == "post":
                    if st.button(f"Open the post: {md_escape(hit.title)}", key=state.widget_key("hit_post", number)):
                        open_post(hit.id)
                elif hit.kind == "wiki_page":
                    if st.button(f"Open the page: {md_escape(hit.title)}", key=state.widget_key("hit_page", number)):
                        st.session_state[state.WIKI_PAGE] = hit.slug
                        st.switch_page(WIKI_PAGE)
                else:
                    st.html(f'<p><a href="{plain(hit.url)}" rel="nofollow noopener noreferrer" '
                            f'target="_blank">{plain(hit.title)}</a></p>')
