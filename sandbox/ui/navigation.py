"""Which pages exist for whom: the lists ``sandbox/app.py`` hands to ``st.navigation``.

Who you are decides which pages exist: the join and trainer sign-in pages for a
visitor; the workshop's pages for a member; the console's pages as well for the
trainer (so a learner cannot reach them, even by guessing their addresses).
Kept out of app.py so that the script Streamlit runs on every rerun stays small.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from types import SimpleNamespace

import streamlit as st

from sandbox.ui import state

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


# --- addresses that are not yours ------------------------------------------------------
# A visitor who opens a console address (copied off a screen, bookmarked before signing
# out), or a learner who opens a trainer's page, asks for a page their list does not
# hold; Streamlit then shows its "Page not found" pop-up before the default page. So
# every address the sandbox has is in every list: the ones that are not yours are
# hidden stand-ins that run a page of yours (join, trainer sign-in, your home), and
# :func:`_explain` says above it why you are there and where the page you asked for is.


def _address(each: st.Page) -> str:
    # ``url_path`` is "" for a list's default page, though the browser may still ask for it
    # by name (a learner's /feed, a visitor's /join): Streamlit keys pages by that name.
    return each._url_path


@cache
def _every_address() -> dict[str, tuple[str, str]]:
    """url path -> (title, whose) for every page: whose is visitor, member, trainer or observer."""
    console = {each.url_path for each in console_pages()}
    addresses = {_address(each): (each.title, "visitor") for each in visitor_pages()}
    for each in member_pages(SimpleNamespace(kind="trainer"), 0) + member_pages(SimpleNamespace(kind="learner"), 0):
        addresses.setdefault(_address(each), (each.title, "trainer" if _address(each) in console else "member"))
    for each in member_pages(SimpleNamespace(kind="observer"), 0):
        addresses.setdefault(_address(each), (each.title, "observer"))
    return addresses


def _stand_ins(pages: list[st.Page], runs: dict[str, str]) -> list[st.Page]:
    """Hidden pages at every address ``pages`` lacks; ``runs`` maps whose page it is to the
    page script run there instead (key ``""`` for any other)."""
    own = {_address(each) for each in pages}
    return [st.Page(PAGES_DIR / f"{runs.get(whose, runs[''])}.py", title=title, url_path=path,
                    visibility="hidden")
            for path, (title, whose) in _every_address().items() if path not in own]


def _explain(chosen: st.Page, pages: list[st.Page], member) -> None:
    """Above a stand-in: which page was asked for, whose it is, and where to go instead."""
    asked = _address(chosen)
    if asked in {_address(each) for each in pages} or asked not in _every_address():
        return
    title, whose = _every_address()[asked]
    if member is None:
        if whose == "member":
            st.info(f"**{title}** is a page for people in the workshop. Join below with the code your "
                    "trainer gives you; been here before? Come back with your return code.",
                    icon=":material/login:")
            return
        if whose == "observer":
            st.info(f"**{title}** is a page for the workshop's observers. If that is you, sign in below "
                    "with the join code and the observer key your trainer gave you.",
                    icon=":material/visibility:")
        else:
            st.info(f"**{title}** is a page for the workshop's trainer. If that is you, sign in below "
                    "with the join code and your trainer key.", icon=":material/key:")
        st.page_link(PAGES_DIR / "join.py", label="Taking part as a learner? Join your workshop here",
                     icon=":material/login:")
    elif whose != "visitor":
        # (A member on a visitor's address goes home silently: the join or sign-in page's
        # address stays in the bar right after signing in, so that is no wrong turn.)
        why = {"trainer": "it is for the workshop's trainer", "observer": "it is for observers"}.get(
            whose, "observers see the dashboard and their notes" if member.kind == "observer" else "it is for learners")
        st.info(f"**{title}** is not one of your pages ({why}), so here is your home page. "
                "Your pages are in the menu.", icon=":material/info:")


def is_console(chosen: st.Page) -> bool:
    """Whether ``chosen`` is one of the trainer console's pages (they have no network bar)."""
    return _address(chosen) in {_address(each) for each in console_pages()}


def page_menu(member, unread: int) -> None:
    """Links to ``member``'s pages, for the top bar's "Menu" (a phone hides the sidebar)."""
    for each in member_pages(member, unread):
        if each.visibility != "hidden":
            st.page_link(each)


def navigate_visitor():
    """``st.navigation`` for someone not signed in; returns the page to run."""
    pages = visitor_pages()
    # A console address opens the trainer's sign-in, an observer's their sign-in; any other
    # member page, the join page.
    runs = {"trainer": "trainer_sign_in", "observer": "observer_sign_in", "": "join"}
    navigation = st.navigation(pages + _stand_ins(pages, runs))
    where = st.session_state.pop(state.SIGNED_OUT, "")
    if where:
        # Said instead of "Feed is a page for people in the workshop": they just left on purpose.
        st.success(("You are signed out on every browser and device. " if where == "everywhere" else
                    "You are signed out on this browser. ") + "Your posts stay. To come back as "
                   "yourself, open **Been here before?** below and use your return code.",
                   icon=":material/logout:")
    else:
        _explain(navigation, pages, None)
    return navigation


def navigate(member, unread: int):
    """Call ``st.navigation`` for ``member`` and draw the menu; returns the page to run.

    A learner's menu is Streamlit's own list. The trainer's 18 pages come in two
    labelled sections. Streamlit 1.67 still draws a sectioned menu as a <div> (with a
    <header>) inside the <ul>, which axe-core reports (a list may hold only <li>), and its
    section headers are not headings. So for the trainer Streamlit's list is hidden and
    the menu is drawn with real headings and ``st.page_link`` (plain links, no list).
    """
    pages = member_pages(member, unread)
    home = "observer" if member.kind == "observer" else "feed"
    every = pages + _stand_ins(pages, {"": home})
    if member.kind != "trainer":
        navigation = st.navigation(every)
        _explain(navigation, pages, member)
        return navigation
    navigation = st.navigation(every, position="hidden")
    _explain(navigation, pages, member)
    console = {p.url_path for p in console_pages()}
    with st.sidebar:
        for heading, in_section in ((LEARNER_SECTION, False), (CONSOLE_SECTION, True)):
            st.subheader(heading)
            for each in pages:
                if each.url_path != "projector" and (each.url_path in console) == in_section:
                    st.page_link(each)
    return navigation
