"""Run one user action (a service write) and report the outcome in plain words.

A service raises ``InsideOutError`` with a message for people when it cannot do
what was asked; the transaction is then rolled back, so nothing is stored half.
Actions usually run in widget callbacks (before the page is drawn), so the
message is kept in session state under the form's name and shown next to that
form by :func:`show_error` on the same rerun.

Every action goes through the room's write path, which records the missions the
action finished; the person who finished one is congratulated on the next rerun,
whatever page they are on.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

import streamlit as st

from sandbox.errors import InsideOutError
from sandbox.logs import event_line
from sandbox.store.models import Member
from sandbox.ui import identity, reads, state
from sandbox.ui.celebrations import CELEBRATION_ICON, celebrate
from sandbox.ui.db import command, utc_now

FAILED = object()
log = logging.getLogger("insideout.actions")


def run_action(
    form: str,
    service: Callable[..., Any],
    *args: Any,
    success: str | None = None,
    with_now: bool = True,
    **kwargs: Any,
) -> Any:
    """Call ``service(session, *args, now=..., **kwargs)`` in one write transaction.

    Returns the service's result, or :data:`FAILED` after remembering the
    service's message for ``form``. ``success`` is shown once after the rerun.
    """
    errors = st.session_state.setdefault(state.ERRORS, {})
    errors.pop(form, None)
    if with_now:
        kwargs["now"] = utc_now()
    did = getattr(service, "__name__", form)
    try:
        with command() as write:
            result = service(write.session, *args, **kwargs)
    except InsideOutError as error:
        errors[form] = str(error)
        log.warning(event_line(*_who(args, None), did, failed=str(error)))
        return FAILED
    except Exception as error:
        log.exception(event_line(*_who(args, None), did, failed=f"unexpected {type(error).__name__}"))
        raise
    log.info(event_line(*_who(args, result), did))
    reads.clear(_workshop_written(args, result))
    me = st.session_state.get(state.MEMBER)
    celebration = celebrate(write.finished_by(me.handle)) if me is not None else ""
    if success or celebration:
        state.flash(" ".join(part for part in (success, celebration) if part),
                    **({"icon": CELEBRATION_ICON} if celebration else {}))
    return result


def _who(args: tuple, result: Any) -> tuple[object, str | None]:
    """(workshop, handle) for the log: the acting member's, the member a join made, else
    the signed-in person's; a join that failed is known only by the code that was tried."""
    for value in (*args, getattr(result, "member", None)):
        if isinstance(value, Member):
            return value.workshop_id, value.handle
    me = st.session_state.get(state.MEMBER)
    if isinstance(me, Member):
        return me.workshop_id, me.handle
    tried = args[0] if args and isinstance(args[0], str) else None
    return (f"code:{tried.strip().upper()[:20]}" if tried else None), None


def _workshop_written(args: tuple, result: Any) -> int | None:
    """The workshop a write was made in: the acting member's (services take the member
    first), the member a join or sign-in made, else the signed-in person's.

    None (every workshop's caches are cleared) only when nobody is known."""
    for value in (*args, getattr(result, "member", None)):
        if isinstance(value, Member):
            return value.workshop_id
    member = identity.current_member()
    return None if member is None else member.workshop_id


def show_error(form: str) -> None:
    """Show the message the last action of ``form`` failed with, if any."""
    message = st.session_state.get(state.ERRORS, {}).pop(form, None)
    if message:
        st.error(message, icon=":material/error:")
