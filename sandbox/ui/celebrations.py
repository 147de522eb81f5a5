"""Congratulating a learner on a finished mission: once per browser tab, on whatever page they are on.

Missions are recorded where activity is recorded (the room's write path, the
tick), so the page a learner is on when one is finished may be any page. The
message comes with the action's confirmation (:mod:`sandbox.ui.actions`), with a
colleague's answer (:mod:`sandbox.ui.simulation`), or on the Missions page for
one finished by someone else's command since this tab opened. This tab remembers
which it has shown, so each is celebrated once.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

import streamlit as st

from sandbox.simulation import Mission
from sandbox.ui import state
from sandbox.ui.db import utc_now


# A Material icon, as everywhere in the kit: an emoji needs a font the machine may not have.
CELEBRATION_ICON = ":material/celebration:"


def mission_complete(mission: Mission) -> str:
    """What a learner reads when they finish ``mission`` (shown with :data:`CELEBRATION_ICON`)."""
    return (f"Mission complete: {mission.title}. Well done! "
            f"It belongs to course module {mission.module}.")


def celebrate(missions: Iterable[Mission]) -> str:
    """The message for those of ``missions`` this tab has not celebrated yet ("" if none);
    they count as celebrated from now on."""
    shown = _shown()
    fresh = [mission for mission in missions if mission.id not in shown]
    shown.update(mission.id for mission in fresh)
    return " ".join(mission_complete(mission) for mission in fresh)


def not_yet_celebrated(recorded: Mapping[str, datetime]) -> list[str]:
    """Ids of missions recorded (id -> when) since this tab opened and not celebrated in it."""
    opened = st.session_state.setdefault(state.OPENED_AT, utc_now())
    shown = _shown()
    return [mission_id for mission_id, at in recorded.items() if mission_id not in shown and _aware(at) >= opened]


def _shown() -> set[str]:
    return st.session_state.setdefault(state.CELEBRATED, set())


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every time the sandbox stores is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
