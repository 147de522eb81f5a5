"""Which pages exist for whom: the lists ``sandbox/app.py`` hands to ``st.navigation``.

Who you are decides which pages exist: the join and trainer sign-in pages for a
visitor; the workshop's pages for a member; the console's pages as well for the
trainer (so a learner cannot reach them, even by guessing their addresses).
Kept out of app.py so that the script Streamlit runs on every rerun stays small.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).resolve().parent / "pages"
# A local file: a Material icon or an emoji as the page icon makes the browser
# fetch the favicon from a font CDN, and the sandbox must work offline.
ICON = Path(__file__).resolve().parent / "assets" / "icon.png"


def page(name: str, title: str, icon: str, *, default: bool = False) -> st.Page:
    return st.Page(PAGES_DIR / f"{name}.py", title=title, icon=icon, url_path=name, default=default)


def projector_page(*, default: bool = False) -> st.Page:
    """The projector view of the dashboard: opened with a link from the console, never in a menu.

    A visitor's and a member's page lists hold it hidden, so a reloaded projector tab
    (its key gone) lands on it and is told how to open the view again.
    """
    return st.Page(PAGES_DIR / "projector.py", title="Projector view", icon=":material/co_present:",
                   url_path="projector_home" if default else "projector", default=default,
                   visibility="visible" if default else "hidden")


def projector_tab_pages() -> list[st.Page]:
    """A projector tab's pages (its menu is hidden). Streamlit serves the default page at
    the root, so the projector page is there twice: as the default, and at /projector."""
    return [projector_page(default=True), projector_page()]


def visitor_pages() -> list[st.Page]:
    return [
        page("join", "Join a workshop", ":material/login:", default=True),
        page("trainer_sign_in", "Trainer sign-in", ":material/key:"),
        page("observer_sign_in", "Observer sign-in", ":material/visibility:"),
        projector_page(),  # hidden; a reloaded projector tab (its key gone) explains how to reopen it
    ]


def member_pages(member, unread: int) -> list[st.Page]:
    # One flat list; for the trainer, navigate() draws it in two labelled sections.
    notifications_title = f"Notifications ({unread} unread)" if unread else "Notifications"
    if member.kind == "observer":  # a co-trainer: a read-only console (issue 17)
        return [page("observer", "Observe and take notes", ":material/visibility:", default=True),
                page("console_dashboard", "Live dashboard", ":material/monitoring:")]
    pages = [
        page("feed", "Feed", ":material/forum:", default=True),
        page("notifications", notifications_title, ":material/notifications:"),
        page("wiki", "Wiki", ":material/article:"),
        page("bookmarks", "Bookmarks", ":material/bookmarks:"),
        page("ideas", "Idea board", ":material/lightbulb:"),
        page("events", "Events and scheduling", ":material/event:"),
        page("groups", "Groups", ":material/groups:"),
        page("search", "Search", ":material/search:"),
        page("missions", "Missions", ":material/flag:"),
        page("hand_in", "Hand in a notebook", ":material/upload_file:"),
    ]
    if member.kind == "learner":
        pages.append(page("assessment", "Self-assessment", ":material/quiz:"))
    if member.kind == "trainer":
        pages.extend(console_pages())
    pages.append(projector_page())  # hidden, as for a visitor
    return pages


def console_pages() -> list[st.Page]:
    """The trainer console's pages (offered to the trainer only)."""
    return [
        page("trainer", "Trainer tools", ":material/admin_panel_settings:"),
        page("console_room", "Run the session", ":material/play_circle:"),
        page("console_dashboard", "Live dashboard", ":material/monitoring:"),
        page("console_missions", "Learners and missions", ":material/checklist:"),
        page("console_threshold", "Threshold game", ":material/trending_up:"),
        page("console_assessment", "Self-assessment rounds", ":material/quiz:"),
        page("console_moderation", "Moderation", ":material/shield:"),
        page("console_voice", "Speak as a colleague", ":material/record_voice_over:"),
        page("console_observers", "Observers and notes", ":material/visibility:"),
        page("console_debrief", "Export and debrief", ":material/download:"),
        page("console_replay", "Replay the session", ":material/replay:"),
        page("console_gradebook", "Gradebook", ":material/grading:"),
    ]


# The two labelled parts of the trainer's menu.
LEARNER_SECTION = "Learner pages"
CONSOLE_SECTION = "Trainer console"


def navigate(member, unread: int):
    """Call ``st.navigation`` for ``member`` and draw the menu; returns the page to run.

    A learner's menu is Streamlit's own list. The trainer's 18 pages come in two
    labelled sections. Streamlit 1.67 still draws a sectioned menu as a <div> (with a
    <header>) inside the <ul>, which axe-core reports (a list may hold only <li>), and its
    section headers are not headings. So for the trainer Streamlit's list is hidden and
    the menu is drawn with real headings and ``st.page_link`` (plain links, no list).
    """
    pages = member_pages(member, unread)
    if member.kind != "trainer":
        return st.navigation(pages)
    navigation = st.navigation(pages, position="hidden")
    console = {p.url_path for p in console_pages()}
    with st.sidebar:
        for heading, in_section in ((LEARNER_SECTION, False), (CONSOLE_SECTION, True)):
            st.subheader(heading)
            for each in pages:
                if each.url_path != "projector" and (each.url_path in console) == in_section:
                    st.page_link(each)
    return navigation
