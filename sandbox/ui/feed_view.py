"""The feed: write, read, react, reply, filter by #tag, and see new posts arrive.

The page script (``sandbox/ui/pages/feed.py``) only calls :func:`render`. Keeping the
code in an imported module means Python compiles it once per process, not on every
rerun: Streamlit caches page scripts' bytecode in its server, but not everywhere a page
is run (AppTest recompiles each time), and the feed is the page everyone reruns most.
"""
from __future__ import annotations

import streamlit as st

from sandbox.services import feed
from sandbox.services.errors import NotFound
from sandbox.ui import reads, seen, state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components import campaign_card, posts
from sandbox.ui.components.text import inject_css
from sandbox.ui.db import reading
from sandbox.store.models import Member
from sandbox.ui.components import network
from sandbox.ui.components.next_step import mission_card
from sandbox.ui.live import new_posts_notice

PAGE_SIZE = 10  # posts per page: enough to read, light enough to rerun on every click
KINDS = {"": "Every post", "question": "Questions", "praise": "Praise", "poll": "Polls"}
COMPOSERS = ("Post", "Question", "Praise", "Poll")
EVERYONE = 0  # "group" choice meaning the whole workshop
# Streamlit leaves 6rem above a page's first element (room for its own toolbar); the
# feed needs that room for posts, so it keeps just enough to clear the toolbar.
# Headings are smaller than Streamlit's too: a network's feed is posts, not titles.
FEED_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
[data-testid="stMain"] h1 { font-size: 1.8rem; padding: 0.2rem 0; }
[data-testid="stMain"] h2 { font-size: 1.3rem; padding: 0.2rem 0; }
[data-testid="stMain"] h3 { font-size: 1.1rem; padding: 0.1rem 0; }
</style>"""


# --- filters from links and the URL -------------------------------------------------

def _apply_link_filters() -> tuple[str, str]:
    """A #tag or @mention link reloads the page with ?tag= or ?member=; read it once."""
    tag = st.query_params.get(state.TAG_PARAM, "")
    if tag and tag != st.session_state[state.FEED_TAG]:
        st.session_state[state.FEED_TAG] = tag
        _reset_paging()
    return st.session_state[state.FEED_TAG], st.query_params.get(state.MEMBER_PARAM, "")


def _reset_paging() -> None:
    st.session_state[state.FEED_BEFORE] = None
    st.session_state[state.FEED_CURSORS] = []


def _clear_filters() -> None:
    st.session_state[state.FEED_TAG] = ""
    st.session_state[state.FEED_GROUP] = None
    for param in (state.TAG_PARAM, state.MEMBER_PARAM):
        if param in st.query_params:
            del st.query_params[param]
    _reset_paging()


def _older(before_id: int) -> None:
    st.session_state[state.FEED_CURSORS].append(st.session_state[state.FEED_BEFORE])
    st.session_state[state.FEED_BEFORE] = before_id


def _newer() -> None:
    cursors = st.session_state[state.FEED_CURSORS]
    st.session_state[state.FEED_BEFORE] = cursors.pop() if cursors else None


# --- composer -------------------------------------------------------------------------

def _compose(member: Member, kind: str) -> None:
    values = st.session_state
    body_key = state.widget_key("compose_body")
    group_id = values.get(state.widget_key("compose_group")) or None
    if kind == "Praise":
        result = run_action("compose", feed.create_praise, member,
                            values.get(state.widget_key("compose_praised")) or "",
                            values.get(body_key, ""), success="Your praise is posted.")
    elif kind == "Poll":
        options = (values.get(state.widget_key("compose_options")) or "").splitlines()
        result = run_action("compose", feed.create_poll, member, values.get(body_key, ""), options,
                            group_id=group_id, success="Your poll is posted.")
        if result is not FAILED:
            values[state.widget_key("compose_options")] = ""
    else:
        result = run_action("compose", feed.create_post, member, values.get(body_key, ""),
                            group_id=group_id, question=kind == "Question",
                            success="Your question is posted." if kind == "Question" else "Posted.")
    if result is not FAILED:
        values[body_key] = ""
        _reset_paging()


def composer(member: Member, my_groups, colleagues) -> None:
    """A compact "Start a conversation" box that opens into the full composer.

    Closed, it takes one line, so posts are on the first screen; its open state is
    kept in session state, so the live feed knows not to redraw while someone writes.
    """
    show_error("compose")
    with st.expander("Start a conversation", icon=":material/edit_square:",
                     key=state.COMPOSER_OPEN, on_change="rerun"):
        kind = st.radio("What do you want to write?", COMPOSERS, horizontal=True,
                        key=state.widget_key("compose_kind"))
        with st.form("compose_form", border=False):
            if kind == "Praise":
                handles = {m.handle: f"{m.display_name} ({m.department})" if m.department else m.display_name
                           for m in colleagues}
                st.selectbox("Who do you want to praise?", list(handles), format_func=handles.get,
                             index=None, placeholder="Choose a colleague",
                             key=state.widget_key("compose_praised"))
            labels = {"Post": "Your post", "Question": "Your question",
                      "Praise": "What did they do well?", "Poll": "Your poll question"}
            st.text_area(labels[kind], key=state.widget_key("compose_body"), height=110,
                         help="Markdown works. Add #tags so others can find it; @handle mentions a colleague.")
            if kind == "Poll":
                st.text_area("Options, one per line (2 to 8)", key=state.widget_key("compose_options"),
                             height=110)
            if kind != "Praise":
                choices = {EVERYONE: "Everyone in the workshop", **{g.id: g.name for g in my_groups}}
                st.selectbox("Post to", list(choices), format_func=choices.get,
                             key=state.widget_key("compose_group"))
            st.form_submit_button(f"Post {kind.lower()}" if kind != "Post" else "Post", type="primary",
                                  on_click=_compose, args=(member, kind))


def _focused_thread(session, member: Member):
    """The thread opened from a notification or a search result, if it still exists."""
    focus_id = st.session_state[state.FOCUS_POST]
    if focus_id is None:
        return None
    try:
        return feed.get_thread(session, member, focus_id)
    except NotFound:
        st.session_state[state.FOCUS_POST] = None
        st.info("That post was deleted.")
        return None


def _unfocus() -> None:
    st.session_state[state.FOCUS_POST] = None


# --- page ------------------------------------------------------------------------------


def _who_is_here(colleagues) -> None:
    with st.expander("Who is here (for @mentions)", icon=":material/group:"):
        st.text("\n".join(f"@{m.handle}: {m.display_name}" + (f", {m.department}" if m.department else "")
                          + (" (simulated colleague)" if m.kind == "simulated" else "")
                          for m in colleagues) or "Nobody else has joined yet.")


def render(member: Member) -> None:
    """Draw the feed for ``member`` (under the network's bar, drawn by app.py): the next mission, a one-line
    composer, then posts (on the first screen at 1280x800 and on a phone); filters and
    "who is here" come after the posts."""
    inject_css()
    network.inject_css()
    st.html(FEED_CSS)
    st.title("Feed")
    state.show_flash()
    campaign_card.show(member)
    tag, author = _apply_link_filters()
    group_id = st.session_state[state.FEED_GROUP]

    latest = reads.latest_post_id(member.workshop_id)
    my_groups = reads.my_groups(member.id, member)
    colleagues = reads.colleagues(member.workshop_id, member.id)
    pinned = reads.pinned(member.id, latest, member) if not (tag or author or group_id) else []
    page = reads.feed_page(member.id, latest, tag, author, group_id, st.session_state[state.FEED_KIND],
                           st.session_state[state.FEED_BEFORE], PAGE_SIZE, member)
    open_id = st.session_state[state.OPEN_THREAD]
    shown_ids = {p.id for p in page.items} | {p.id for p in pinned}
    open_thread = focus = None
    if open_id in shown_ids or st.session_state[state.FOCUS_POST] is not None:
        with reading() as session:
            open_thread = feed.get_thread(session, member, open_id) if open_id in shown_ids else None
            focus = _focused_thread(session, member)
    st.session_state[state.FEED_SEEN_ID] = latest
    # Reading counts ("seen by", observers): what this person had in front of them.
    if focus is not None:
        seen.note_thread_view(member, focus.root.id)
    else:
        seen.note_feed_view(member, shown_ids)
        if open_thread is not None:
            seen.note_thread_view(member, open_thread.root.id)

    if focus is not None:
        st.header("The post you opened")
        posts.post_card(focus.root, member)
        posts.thread(focus.root, member, focus)
        st.button("Back to the feed", on_click=_unfocus, key=state.widget_key("unfocus"))
        st.stop()

    mission_card(member)
    composer(member, my_groups, colleagues)
    new_posts_notice(member, latest)

    st.header("Posts")
    filters = []
    if tag:
        filters.append(f"tagged #{tag}")
    if author:
        filters.append(f"by @{author}")
    if group_id:
        filters.append("in " + next((g.name for g in my_groups if g.id == group_id), "a group"))
    if filters:
        st.info("Showing posts " + " and ".join(filters) + ".", icon=":material/filter_alt:")
        st.button("Show all posts", on_click=_clear_filters, key=state.widget_key("clear_filters"))
    elif st.session_state[state.FEED_KIND]:
        st.caption(f"Showing {KINDS[st.session_state[state.FEED_KIND]].lower()} only: "
                   "change it under the posts.")

    if pinned and st.session_state[state.FEED_BEFORE] is None:
        st.subheader("Pinned")
        for post in pinned:
            posts.post_card(post, member)
            if open_thread is not None and open_thread.root.id == post.id:
                posts.thread(post, member, open_thread)
        st.subheader("Latest")

    if not page.items:
        st.write("No posts here yet. Be the first: start a conversation above!")
    for post in page.items:
        if post.pinned and not filters and st.session_state[state.FEED_BEFORE] is None:
            continue  # already shown at the top
        posts.post_card(post, member)
        if open_thread is not None and open_thread.root.id == post.id:
            posts.thread(post, member, open_thread)

    with st.container(horizontal=True):
        if st.session_state[state.FEED_CURSORS] or st.session_state[state.FEED_BEFORE] is not None:
            st.button("Newer posts", on_click=_newer, key=state.widget_key("newer"))
        if page.next_before_id is not None:
            st.button("Older posts", on_click=_older, args=(page.next_before_id,), key=state.widget_key("older"))

    # Out of the way of the posts, but one scroll away.
    st.selectbox("Show", list(KINDS), format_func=KINDS.get, key=state.FEED_KIND, on_change=_reset_paging)
    _who_is_here(colleagues)
