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


def visitor_pages() -> list[st.Page]:
    return [
        page("join", "Join a workshop", ":material/login:", default=True),
        page("trainer_sign_in", "Trainer sign-in", ":material/key:"),
        page("observer_sign_in", "Observer sign-in", ":material/visibility:"),
    ]


def member_pages(member, unread: int) -> list[st.Page]:
    # One flat list: Streamlit's sectioned sidebar puts section headings inside
    # the <ul>, which axe-core rightly reports as invalid list markup.
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
        pages.append(page("trainer", "Trainer tools", ":material/admin_panel_settings:"))
        pages.append(page("console_room", "Run the session", ":material/play_circle:"))
        pages.append(page("console_dashboard", "Live dashboard", ":material/monitoring:"))
        pages.append(page("console_missions", "Learners and missions", ":material/checklist:"))
        pages.append(page("console_threshold", "Threshold game", ":material/trending_up:"))
        pages.append(page("console_assessment", "Self-assessment rounds", ":material/quiz:"))
        pages.append(page("console_moderation", "Moderation", ":material/shield:"))
        pages.append(page("console_voice", "Speak as a colleague", ":material/record_voice_over:"))
        pages.append(page("console_observers", "Observers and notes", ":material/visibility:"))
        pages.append(page("console_debrief", "Export and debrief", ":material/download:"))
        pages.append(page("console_gradebook", "Gradebook", ":material/grading:"))
    return pages
