"""Every session-state key the sandbox UI uses, declared once.

Session state holds only small, per-browser-tab facts: the session token and
UI choices (which tag filter, which page of the feed). Learner content never
lives here; pages read it from the services on every rerun.
"""
from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

# Query parameter a hashtag link sets to filter the feed (written by render_markdown).
TAG_PARAM = "tag"
# Query parameter an @mention link sets to show one person's posts.
MEMBER_PARAM = "member"
# Query parameter of the projector link: the read-only view key (sandbox.services.projector).
VIEW_PARAM = "view"

# Session-state keys.
MEMBER = "io_member"  # the signed-in Member, set by app.py at the start of every run
TOKEN = "io_token"  # this tab's session token; None until read from the cookie, "" once signed out
RETURN_CODE = "io_return_code"  # the return code this tab was given at joining, to show in the sidebar
ISSUED_RETURN_CODE = "io_issued_return_code"  # (name, code) the trainer just issued, shown once
RESTORED = "io_restored"  # True on the first run of a tab the browser's cookie signed in
COOKIE_WRITTEN = "io_cookie_written"  # True once this tab has set or cleared the sign-in cookie
FEED_SEEN_ID = "io_feed_seen_id"  # newest post id the reader has been shown
FEED_TAG = "io_feed_tag"  # the hashtag the feed is filtered by, or ""
FEED_GROUP = "io_feed_group"  # group id the feed is limited to, or None
FLASH = "io_flash"  # one message to show after a rerun ("Posted.")
SIGNED_OUT = "io_signed_out"  # "here" or "everywhere": said once on the page that follows signing out
FLASH_ICON = "io_flash_icon"  # its Material icon (a finished mission's is a celebration)
EDITING_POST = "io_editing_post"  # id of the post being edited, or None
OPEN_THREAD = "io_open_thread"  # id of the post whose replies are shown, or None
CONFIRM_DELETE = "io_confirm_delete"  # id of the post waiting for "Yes, delete it", or None
FEED_BEFORE = "io_feed_before"  # paging cursor: show posts older than this id (None: newest)
FEED_CURSORS = "io_feed_cursors"  # cursors of the newer pages, to go back
FOCUS_POST = "io_focus_post"  # id of a post opened from a notification or search, or None
FEED_KIND = "io_feed_kind"  # "" for every post, or question / praise / poll
WIKI_PAGE = "io_wiki_page"  # slug of the wiki page open
WIKI_VIEW = "io_wiki_view"  # Read | Edit | History | Who edited (the radio's own key)
SEARCH_RESULTS = "io_search_results"  # the last search's hits (derived, replaced by each search)
BOOKMARK_TAG = "io_bookmark_tag"  # the tag pill chosen on the bookmarks page (its widget key)
IDEA_ORDER = "io_idea_order"  # "votes" or "new" (its widget key)
ERRORS = "io_errors"  # form name -> the message its last action failed with
CLIENT_KEY = "io_client_key"  # random id of this browser tab, for the join rate limit
OPENED_AT = "io_opened_at"  # when this tab first ran (missions finished since are celebrated in it)
CELEBRATED = "io_celebrated"  # ids of the missions this tab has congratulated the learner on
NEXT_STEP = "io_next_step"  # (run number, the learner's next step): worked out once per page run
RUN_COUNT = "io_run_count"  # page runs of this tab so far, counted by app.py's sidebar
COMPOSER_OPEN = "io_composer_open"  # the feed's "Start a conversation" box is open (its expander's key)
HAND_IN_ROUND = "io_hand_in_round"  # bumped after each hand-in, so the file picker starts empty
READING_NOTED = "io_reading_noted"  # what this tab last recorded as read: key -> (when, post ids)
PROJECTOR_KEY = "io_projector_key"  # the projector tab's view key, moved here out of the address
PROJECTOR_LINK = "io_projector_link"  # the trainer's newest projector view key, to draw the link

DEFAULTS: dict[str, object] = {
    MEMBER: None,
    TOKEN: None,
    FEED_SEEN_ID: 0,
    FEED_TAG: "",
    FEED_GROUP: None,
    FLASH: "",
    FLASH_ICON: "",
    EDITING_POST: None,
    OPEN_THREAD: None,
    CONFIRM_DELETE: None,
    FEED_BEFORE: None,
    FEED_CURSORS: [],
    FEED_KIND: "",
    FOCUS_POST: None,
    WIKI_PAGE: "",
    WIKI_VIEW: "Read",
    SEARCH_RESULTS: None,
    ERRORS: {},
    HAND_IN_ROUND: 0,
    READING_NOTED: {},
}


def init() -> None:
    """Give every key its default once per browser session."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value.copy() if isinstance(value, (dict, list)) else value)
    st.session_state.setdefault(OPENED_AT, datetime.now(timezone.utc))
    st.session_state.setdefault(CELEBRATED, set())


def widget_key(name: str, *ids: object) -> str:
    """The key of a widget that belongs to one object, e.g. ``widget_key("reply", 42)``.

    Widget keys all start with ``w_`` so they never collide with the keys above.
    """
    return "w_" + "_".join([name, *map(str, ids)])


DONE_ICON = ":material/check_circle:"


def flash(message: str, icon: str = DONE_ICON) -> None:
    """Keep a short confirmation (and its Material icon) to show after the next rerun."""
    st.session_state[FLASH] = message
    st.session_state[FLASH_ICON] = icon


def show_flash() -> None:
    """Show (and forget) the pending confirmation, if any."""
    message = st.session_state.get(FLASH)
    if message:
        st.success(message, icon=st.session_state.get(FLASH_ICON) or DONE_ICON)
        st.session_state[FLASH] = ""
