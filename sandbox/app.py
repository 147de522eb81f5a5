"""The sandbox's Streamlit entry point. It only routes.

Who you are decides which pages exist: the join and trainer sign-in pages for
a visitor; the workshop's pages for a member; the trainer's page as well for
the trainer. Each page is a thin script in ``sandbox/ui/pages/``.

Run it with ``insideout sandbox run`` (which passes the theme and privacy flags).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from sandbox.ui import identity, state

PAGES_DIR = Path(__file__).resolve().parent / "ui" / "pages"
# A local file: a Material icon or an emoji as the page icon makes the browser
# fetch the favicon from a font CDN, and the sandbox must work offline.
ICON = Path(__file__).resolve().parent / "ui" / "assets" / "icon.png"


def page(name: str, title: str, icon: str, *, default: bool = False) -> st.Page:
    return st.Page(PAGES_DIR / f"{name}.py", title=title, icon=icon, url_path=name, default=default)


def visitor_pages() -> list[st.Page]:
    return [
        page("join", "Join a workshop", ":material/login:", default=True),
        page("trainer_sign_in", "Trainer sign-in", ":material/key:"),
    ]


def member_pages(member, unread: int) -> list[st.Page]:
    # One flat list: Streamlit's sectioned sidebar puts section headings inside
    # the <ul>, which axe-core rightly reports as invalid list markup.
    notifications_title = f"Notifications ({unread} unread)" if unread else "Notifications"
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
    ]
    if member.kind == "trainer":
        pages.append(page("trainer", "Trainer tools", ":material/admin_panel_settings:"))
        pages.append(page("console_room", "Run the session", ":material/play_circle:"))
        pages.append(page("console_dashboard", "Live dashboard", ":material/monitoring:"))
        pages.append(page("console_missions", "Learners and missions", ":material/checklist:"))
        pages.append(page("console_threshold", "Threshold game", ":material/trending_up:"))
        pages.append(page("console_moderation", "Moderation", ":material/shield:"))
        pages.append(page("console_debrief", "Export and debrief", ":material/download:"))
    return pages


def run() -> None:
    # The icon file ships with the package; if it is missing, Streamlit's own
    # default icon (also served locally) is used instead.
    st.set_page_config(page_title="Inside-Out sandbox", page_icon=str(ICON) if ICON.exists() else None,
                       layout="centered")
    state.init()
    member = identity.current_member()
    st.session_state[state.MEMBER] = member
    if member is None:
        navigation = st.navigation(visitor_pages())
    else:
        from sandbox.ui.components.sidebar import signed_in_as
        from sandbox.ui.overview import workshop_overview
        from sandbox.ui.simulation import release_due

        release_due(member)
        overview = workshop_overview(member)
        # The trainer has many pages: show them all rather than "View more".
        navigation = st.navigation(member_pages(member, overview.unread), expanded=member.kind == "trainer")
        signed_in_as(member, overview.workshop_title, overview.unread)
    navigation.run()


if __name__ == "__main__":
    run()
