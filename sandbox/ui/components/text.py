"""Showing text people typed, safely.

Learner text reaches the page only as the HTML that the back end's
``render_markdown`` made (an allowlist of Markdown elements), or escaped with
``html.escape`` for short plain fields such as names. Nothing else a learner
typed is ever handed to the browser as HTML.
"""
from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st


# The links render_markdown makes for #tags and @mentions are relative
# ("?tag=name"). Following one reloads the page, so the session token has to
# ride along, and the target is the feed (the app's default page, "./").
_ROUTED_LINK = re.compile(r'href="\?(tag|member)=')

# Styles for our own wrapper elements; learner HTML carries no class or style
# of its own except the hashtag/mention/image-description classes.
CSS = """
<style>
.io-card { border: 1px solid #c9d1db; border-radius: 0.5rem; padding: 0.6rem 0.9rem; margin: 0.2rem 0; }
.io-card.io-reply { margin-left: 1.5rem; border-left: 4px solid #1b5e9a; }
.io-meta { color: #3d4651; font-size: 0.9rem; margin: 0 0 0.3rem 0; }
.io-badge { display: inline-block; border: 1px solid #3d4651; border-radius: 0.7rem;
            padding: 0 0.45rem; font-size: 0.8rem; margin-left: 0.3rem; color: #1a1a1a; background: #ffffff; }
.io-body p:last-child { margin-bottom: 0; }
.io-body a { color: #1b5e9a; text-decoration: underline; }
.io-counts { color: #3d4651; font-size: 0.85rem; margin: 0.3rem 0 0 0; }
.io-diff td, .io-diff th { vertical-align: top; padding: 0.1rem 0.4rem; font-family: monospace; white-space: pre-wrap; }
.io-diff .io-del { background: #fde8e8; text-decoration: line-through; }
.io-diff .io-add { background: #e6f4ea; }
</style>
"""


def inject_css() -> None:
    st.html(CSS)


def with_session_links(safe_html: str) -> str:
    """``safe_html`` with #tag and @mention links pointing at the feed.

    The links carry no sign-in: the browser's cookie keeps the reader signed in."""
    return _ROUTED_LINK.sub(lambda match: f'href="./?{match.group(1)}=', safe_html)


def plain(text: str | None) -> str:
    """Escape a short plain field (a name, a department) for use inside our HTML."""
    return html.escape(text or "", quote=True)


def reader_zone() -> tuple[tzinfo, str]:
    """The reader's time zone, from their browser (``st.context.timezone``), and its name.

    Falls back to UTC, named as such, when the browser did not say (a test run, an old
    browser) or named a zone this server does not know.
    """
    try:
        name = st.context.timezone
    except Exception:  # no browser behind this run (a bare script); UTC is the honest default
        name = None
    if name:
        try:
            return ZoneInfo(name), name
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.utc, "UTC"


def on_reader_clock(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """``moment`` as the reader's wall clock shows it (the browser's zone unless ``zone``)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # the store keeps UTC; SQLite drops the zone
    return moment.astimezone(zone if zone is not None else reader_zone()[0])


def clock_time(moment: datetime, zone: tzinfo | None = None, fmt: str = "%d %b %H:%M") -> str:
    """``moment`` on the reader's clock with the zone named: '27 Nov 10:14 CET', '27 Nov 09:14 UTC'."""
    local = on_reader_clock(moment, zone)
    return f"{local.strftime(fmt)} {local.tzname() or 'UTC'}"


def time_column() -> str:
    """The heading of a table's times, naming the reader's zone: 'Time (Europe/Paris)'."""
    return f"Time ({zone_name()})"


def zone_name() -> str:
    """The reader's zone as forms name it: 'Europe/Paris', or 'UTC'."""
    return reader_zone()[1]


def reader_date(moment: datetime) -> date:
    """The day ``moment`` (aware) falls on for the reader: a form's "today" or "tomorrow"."""
    return moment.astimezone(reader_zone()[0]).date()


def from_reader_clock(day: date, at: time) -> datetime:
    """A day and time the reader typed, on their own clock, as the aware UTC moment the store keeps.

    A time that does not exist there (skipped when the clocks go forward) or happens twice
    (when they go back) is taken as the first reading (``fold=0``), as a wall clock shows it.
    """
    return datetime.combine(day, at, tzinfo=reader_zone()[0]).astimezone(timezone.utc)


def when(moment: datetime | None, now: datetime | None = None, zone: tzinfo | None = None) -> str:
    """'just now', '5 min ago', '3 h ago' or '27 Nov 10:14 CET' (the reader's zone, named)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return clock_time(moment, zone)


def badge(label: str) -> str:
    return f'<span class="io-badge">{plain(label)}</span>'


def member_label(name: str, department: str = "", kind: str = "learner") -> str:
    """HTML: the name in bold, the department, and a badge for simulated colleagues or the trainer."""
    parts = [f"<strong>{plain(name)}</strong>"]
    if department:
        parts.append(f" · {plain(department)}")
    if kind == "simulated":
        parts.append(badge("simulated"))
    elif kind == "trainer":
        parts.append(badge("trainer"))
    return "".join(parts)


def learner_block(safe_html: str, *, meta: str = "", css_class: str = "io-card", label: str = "") -> None:
    """One card: our escaped ``meta`` line above the back end's safe HTML."""
    aria = f' aria-label="{plain(label)}"' if label else ""
    st.html(
        f'<div class="{css_class}" role="article"{aria}>'
        f'<p class="io-meta">{meta}</p>'
        f'<div class="io-body">{with_session_links(safe_html)}</div></div>'
    )


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=\"'&])")


def md_escape(text: str | None) -> str:
    """``text`` safe to put in a widget label or heading, which Streamlit reads as Markdown.

    Every ASCII punctuation character is backslash-escaped (CommonMark allows
    that for all of them), so a name like ``**[x](y)**`` shows as typed.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text or "")
