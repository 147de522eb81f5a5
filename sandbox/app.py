"""The sandbox's Streamlit entry point. It only routes.

Who you are decides which pages exist (see ``sandbox/ui/navigation.py``); each page
is a thin script in ``sandbox/ui/pages/``.

Run it with ``insideout sandbox run`` (which passes the theme and privacy flags).
"""
from __future__ import annotations

import streamlit as st

from sandbox.ui import identity, projector, state
from sandbox.ui.navigation import ICON, is_console, navigate, navigate_visitor, page_menu, projector_tab_pages


def run() -> None:
    # The icon file ships with the package; if it is missing, Streamlit's own
    # default icon (also served locally) is used instead.
    st.set_page_config(page_title="Inside-Out sandbox", page_icon=str(ICON) if ICON.exists() else None,
                       layout="centered")
    state.init()
    if projector.wanted():
        # A projector tab: the dashboard only, whoever is signed in on this browser.
        st.navigation(projector_tab_pages(), position="hidden").run()
        return
    member = identity.current_member()
    st.session_state[state.MEMBER] = member
    identity.keep_in_browser(member)
    if member is None:
        navigation = navigate_visitor()
    else:
        from sandbox.ui.components.sidebar import signed_in_as
        from sandbox.ui.overview import workshop_overview
        from sandbox.ui.simulation import release_due

        release_due(member)
        overview = workshop_overview(member)
        top = st.container()  # the network's bar goes first, whatever navigate() draws
        navigation = navigate(member, overview.unread)
        if not is_console(navigation):
            from sandbox.ui.components.network import top_bar

            with top:
                top_bar(overview.workshop_title, member, menu=lambda: page_menu(member, overview.unread),
                        page=navigation.url_path)
        from sandbox.ui.components.next_step import sidebar_next_step

        sidebar_next_step(member)  # every page shows the learner's next step, first in the sidebar
        signed_in_as(member, overview.workshop_title, overview.unread)
        if st.session_state.pop(state.RESTORED, False):
            from sandbox.ui.components.sidebar import continuing_as

            continuing_as(member)
        if overview.assessment_due and navigation.url_path != "assessment":
            from sandbox.ui.components.assessment_offer import offer

            offer(overview.assessment_due)
    navigation.run()


if __name__ == "__main__":
    run()
