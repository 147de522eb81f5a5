"""What makes the sandbox look like a staff network: a top bar, avatars, the "writing" line.

Everything here is our own small HTML (names escaped with ``plain``), so it needs no
font or file from another host: initials stand in for photos, and each department
keeps one colour wherever its people appear.
"""
from __future__ import annotations

import zlib
from collections.abc import Callable

import streamlit as st

from sandbox.paths import organisation_name
from sandbox.ui.components.text import plain

# White initials on each of these have a contrast ratio of at least 4.5:1 (WCAG 2.1 AA
# for normal text); tests/sandbox/ui/test_network_feel.py computes it for every one.
DEPARTMENT_COLOURS = (
    "#1b5e9a",  # blue
    "#8a3b12",  # brown
    "#2e6b30",  # green
    "#6a3d9a",  # purple
    "#a0204a",  # crimson
    "#4a5560",  # slate
    "#00695c",  # teal
    "#8c4a00",  # dark amber
)

CSS = """
<style>
.io-topbar { display: flex; align-items: center; gap: 0.6rem; flex-wrap: wrap;
             background: #1b3a5c; color: #ffffff; border-radius: 0.5rem; padding: 0.45rem 0.9rem; margin: 0 0 0.4rem 0; }
.io-topbar .io-org { font-weight: 700; font-size: 1.05rem; }
.io-topbar .io-where { font-size: 0.9rem; color: #ffffff; }
.io-topbar .io-me { margin-left: auto; display: inline-flex; align-items: center; font-size: 0.9rem; }
/* A phone: Streamlit hides its menu behind ">>", so the bar's "Menu" button lists the pages;
   wider, the sidebar shows them and the button goes. The workshop's name makes room. */
@media (min-width: 768px) {
  [class*="st-key-io_page_menu"],
  [data-testid="stLayoutWrapper"]:has(> [class*="st-key-io_page_menu"]) { display: none; }
}
@media (max-width: 767.98px) {
  .io-topbar .io-where { display: none; }
  .io-topbar .io-myname { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
}
.io-avatar { display: inline-flex; align-items: center; justify-content: center; width: 1.9rem; height: 1.9rem;
             border-radius: 50%; color: #ffffff; font-weight: 700; font-size: 0.8rem; margin-right: 0.45rem;
             vertical-align: middle; flex: none; }
.io-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.io-writing { color: #3d4651; font-style: italic; margin: 0.2rem 0; }
</style>
"""


def inject_css() -> None:
    st.html(CSS)


def department_colour(department: str | None) -> str:
    """One colour per department, the same in every run and on every server (not ``hash``,
    which Python salts per process)."""
    key = (department or "").strip().lower().encode("utf-8")
    return DEPARTMENT_COLOURS[zlib.crc32(key) % len(DEPARTMENT_COLOURS)]


def initials(name: str | None) -> str:
    """'Priya Shah' -> 'PS', 'anna' -> 'A', '' -> '?'. At most two letters."""
    words = [word for word in (name or "").replace("-", " ").split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar(name: str | None, department: str | None) -> str:
    """HTML: a round badge with the person's initials in their department's colour.

    Decorative (``aria-hidden``): the name is always written next to it.
    """
    return (f'<span class="io-avatar" aria-hidden="true" style="background:{department_colour(department)}">'
            f"{plain(initials(name))}</span>")


def top_bar(workshop_title: str, member=None, menu: Callable[[], None] | None = None, page: str = "") -> None:
    """The network's bar: the organisation's name (from mkdocs.yml, as the course uses it),
    the workshop, and who is signed in, as a staff network shows its company and you.

    ``menu`` draws the page links of a "Menu" button beside the bar, seen on a phone only;
    ``page`` names the page it is drawn on.
    """
    me = ""
    if member is not None:
        me = (f'<span class="io-me"><span class="io-hidden">Signed in as </span>'
              f'{avatar(member.display_name, member.department)}<span class="io-myname">{plain(member.display_name)}</span></span>')
    bar = (f'{CSS}<div class="io-topbar"><span class="io-org">{plain(organisation_name())}</span>'
           f'<span class="io-where">staff network · {plain(workshop_title)}</span>{me}</div>')
    if menu is None:
        st.html(bar)
        return
    # One row on a phone too (wrap=False): the bar gives way, and the name there goes to
    # screen readers only, so organisation, avatar and "Menu" fit in 390 px.
    with st.container(horizontal=True, vertical_alignment="center", gap="small", wrap=False):
        st.html(bar)
        # A key per page: the same element on the next page would keep the menu open
        # over the page the learner chose. (The CSS above finds it by the key's start.)
        with st.container(key=f"io_page_menu_{page}", width="content"):
            with st.popover("Menu", icon=":material/menu:", help="All your pages"):
                menu()


def writing_line(names: list[str]) -> None:
    """'Priya Shah is writing...' for simulated colleagues about to post or reply."""
    if not names:
        return
    shown = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    verb = "is" if len(names) == 1 else "are"
    # role=status: a screen reader announces it without moving the reader's focus.
    st.html(f'<p class="io-writing" role="status">{plain(shown)} {verb} writing…</p>')
