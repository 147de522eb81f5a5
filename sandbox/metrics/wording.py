"""Plain-English pieces shared by every metric's one-sentence summary."""
from __future__ import annotations

import math


def percent(share: float) -> str:
    """``0.2917`` -> ``"29%"``; whole percentages read best on a projector.

    Halves round up (``0.125`` -> ``"13%"``), as people do, not to even as
    ``round`` does; the tiny nudge absorbs float noise such as 0.145 * 100.
    """
    return f"{math.floor(share * 100 + 0.5 + 1e-9)}%"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``plural(1, "member")`` -> ``"1 member"``; ``plural(3, "member")`` -> ``"3 members"``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def duration(seconds: float) -> str:
    """A time span as people say it: ``"40 seconds"``, ``"4 minutes"``, ``"2 hours 5 minutes"``."""
    seconds = round(seconds)
    if seconds < 60:
        return plural(seconds, "second")
    minutes = round(seconds / 60)
    if minutes < 60:
        return plural(minutes, "minute")
    hours, minutes = divmod(minutes, 60)
    text = plural(hours, "hour")
    return f"{text} {plural(minutes, 'minute')}" if minutes else text


def share_of(part: int, whole: int) -> float:
    """``part / whole``, and 0.0 for an empty room rather than a crash."""
    return part / whole if whole else 0.0
