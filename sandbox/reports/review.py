"""The after-action review: each scripted step, what the room did after it, and the notes.

Computed from the activity log alone (plus the scenario's steps, the times the
simulation marked them released or skipped, and the observers' notes), so the
same log always gives the same review. The rows a step released carry its mark
key in ``driven_by`` (``inject:<id>``); the rows the trainer wrote as a
colleague carry ``"trainer"``. "The room" is the learners: the first reply
after a step is the first learner's reply in the step's thread.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sandbox.activity import DRIVEN_BY_TRAINER, scripted_step
from sandbox.metrics import records
from sandbox.metrics.wording import plural
from sandbox.services.observers import Note
from sandbox.simulation.scenario import Inject

TRAINER = DRIVEN_BY_TRAINER
POST_VERBS = ("post.create", "post.reply")


@dataclass(frozen=True)
class StepReview:
    """One scripted step and what followed it."""

    inject_id: str
    minute: float
    persona: str
    """The colleague's handle in the scenario."""
    who: str
    """The colleague's name."""
    action: str
    text: str
    """The scripted text (shortened), if the step writes one."""
    status: str
    """"released", "skipped" or "not released"."""
    released_at: datetime | None
    post_id: str = ""
    """The post (or reply) the step wrote, if it wrote one."""
    thread_id: str = ""
    first_reply_by: str = ""
    """Handle of the first learner who replied in the step's thread."""
    first_reply_seconds: float | None = None
    learner_replies: int = 0
    learner_actions: int = 0
    """Everything learners did from this step until the next released one."""
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class AfterActionReview:
    steps: list[StepReview]
    trainer_driven: list[records.Activity]
    """Rows the trainer wrote speaking as a colleague, in time order."""
    before_first_step: list[Note] = field(default_factory=list)
    """Notes on moments before the first step, or on posts outside every step's thread."""

    def summary(self) -> str:
        released = [step for step in self.steps if step.released_at is not None]
        if not self.steps:
            return "The scenario has no scripted steps."
        answered = [step for step in released if step.first_reply_by]
        notes = sum(len(step.notes) for step in self.steps) + len(self.before_first_step)
        text = (f"{len(released)} of {len(self.steps)} scripted steps were released; learners replied "
                f"to {len(answered)} of them.")
        if self.trainer_driven:
            count = len(self.trainer_driven)
            text += f" The trainer spoke as a colleague {'once' if count == 1 else f'{count} times'}."
        if notes:
            text += f" Observers wrote {plural(notes, 'note')}."
        return text


def _thread_of(activities: Iterable[records.Activity]) -> dict[str, str]:
    """Post id -> the id of its thread's first post, for every post and reply in the log."""
    threads: dict[str, str] = {}
    for activity in activities:
        if activity.verb == "post.create":
            threads[activity.object_id] = activity.object_id
        elif activity.verb == "post.reply":
            threads[activity.object_id] = activity.thread()
    return threads


def after_action_review(injects: Sequence[Inject], released_at: Mapping[str, datetime], skipped: Iterable[str],
                        activities: Sequence[records.Activity], notes: Sequence[Note],
                        persona_names: Mapping[str, str] | None = None) -> AfterActionReview:
    """The review of one session.

    ``released_at``: step id -> when the simulation marked it (released or
    skipped); ``skipped``: ids of the steps skipped; ``activities``: the log in
    id order; ``notes``: the observers' notes; ``persona_names``: persona handle
    -> name, as the scenario gives them.
    """
    persona_names = persona_names or {}
    skipped = set(skipped)
    threads = _thread_of(activities)
    by_step: dict[str, list[records.Activity]] = {}
    for activity in activities:
        if step := scripted_step(activity.driven_by):
            by_step.setdefault(step, []).append(activity)
    ordered = sorted(injects, key=lambda item: (item.at_minute, item.id))

    def when(inject: Inject) -> datetime | None:
        rows = by_step.get(inject.id)
        if rows:
            return rows[0].at
        return released_at.get(inject.id) if inject.id not in skipped else None

    times = {inject.id: when(inject) for inject in ordered}
    released = sorted((moment, inject.id) for inject in ordered if (moment := times[inject.id]) is not None)
    starts = [moment for moment, _ in released]
    learner_rows = [activity for activity in activities if activity.actor_kind == "learner"]

    # Notes go beside their step: by id, by the thread their post is in, or by the
    # step released last before their moment.
    step_threads: dict[str, str] = {}
    for inject in ordered:
        post = next((row for row in by_step.get(inject.id, ()) if row.verb in POST_VERBS), None)
        if post is not None:
            step_threads[threads.get(post.object_id, post.object_id)] = inject.id
    placed: dict[str, list[Note]] = {}
    loose: list[Note] = []
    for note in notes:
        step = None
        if note.about == "inject":
            step = note.inject_id
        elif note.about == "post":
            step = step_threads.get(threads.get(str(note.post_id), str(note.post_id)))
            if step is None:
                moment = next((row.at for row in activities
                               if row.verb in POST_VERBS and row.object_id == str(note.post_id)), None)
                step = _step_at(released, starts, moment)
        else:
            step = _step_at(released, starts, note.moment_at)
        (placed.setdefault(step, []) if step else loose).append(note)

    steps = []
    for inject in ordered:
        moment = times[inject.id]
        rows = by_step.get(inject.id, [])
        post = next((row for row in rows if row.verb in POST_VERBS), None)
        status = "skipped" if inject.id in skipped else "released" if moment is not None else "not released"
        review = StepReview(inject_id=inject.id, minute=inject.at_minute, persona=inject.persona,
                            who=persona_names.get(inject.persona, inject.persona), action=inject.action,
                            text=_short(str(inject.payload.get("text") or inject.payload.get("title") or "")),
                            status=status, released_at=moment,
                            notes=tuple(placed.get(inject.id, ())))
        if moment is not None:
            position = bisect_right(starts, moment)
            until = starts[position] if position < len(starts) else None
            window = [row for row in learner_rows if row.at >= moment and (until is None or row.at < until)]
            thread = threads.get(post.object_id, post.object_id) if post is not None else ""
            replies = [row for row in learner_rows
                       if row.verb == "post.reply" and thread and row.thread() == thread and row.at >= moment]
            first = replies[0] if replies else None
            review = replace(review, post_id=post.object_id if post else "", thread_id=thread,
                             first_reply_by=first.actor if first else "",
                             first_reply_seconds=(first.at - moment).total_seconds() if first else None,
                             learner_replies=len(replies), learner_actions=len(window))
        steps.append(review)
    trainer_driven = [row for row in activities if row.driven_by == TRAINER and row.verb != "post.mention"]
    return AfterActionReview(steps=steps, trainer_driven=trainer_driven, before_first_step=loose)


def _step_at(released: list[tuple[datetime, str]], starts: list[datetime], moment: datetime | None) -> str | None:
    """The step released last at or before ``moment`` (None before the first)."""
    if moment is None:
        return None
    position = bisect_right(starts, moment)
    return released[position - 1][1] if position else None


def _short(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"
