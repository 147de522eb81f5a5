"""The debrief report: the after-action review (:mod:`sandbox.reports.review`), the
dashboard's figures and what each mission showed, as one HTML file.

The file stands alone (styles inline, no script, nothing fetched), so a trainer
can mail it, print it or open it offline months later. Every sentence is the
same ``summary()`` the live dashboard shows, followed by a simple chart (inline
SVG, :mod:`sandbox.reports.svg`) and a table of the same numbers. Anything people typed (names, page titles, tags, the workshop title)
is escaped: the report never carries markup from the room.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from sqlalchemy.orm import Session

from sandbox.assessment import ROUNDS, load_questions
from sandbox.metrics import Dashboard, compute_dashboard
from sandbox.metrics.assessment import SOURCE as ASSESSMENT_SOURCE
from sandbox.metrics.assessment import AssessmentChange
from sandbox.metrics.participation import NIELSEN_SOURCE, NIELSEN_SPLIT
from sandbox.metrics.wording import duration, percent, plural
from sandbox.activity import VERBS
from sandbox.reports import svg
from sandbox.reports.review import AfterActionReview, after_action_review
from sandbox.reports.svg import Bar, Series
from sandbox.services import observers, room_log
from sandbox.services.workshops import get_workshop
from sandbox.simulation import Mission, evaluate_room, load_scenario
from sandbox.simulation.missions import MissionProgress
from sandbox.simulation.timeline import release_times, released_keys, skipped_injects

GRANOVETTER = ('Mark Granovetter, "Threshold Models of Collective Behavior", '
               "American Journal of Sociology 83(6), 1978")

STYLE = """
body { font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; } h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #999; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #888; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #eee; } caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
.summary { font-size: 1.05rem; } .source { color: #444; font-size: 0.9rem; }
.step { border-left: 4px solid #555; padding: 0.25rem 0 0.25rem 0.8rem; margin: 1rem 0; break-inside: avoid; }
.step h3 { font-size: 1.1rem; margin: 0.2rem 0; } .notes { margin: 0.3rem 0; }
.note { background: #fff8dc; border: 1px solid #8a6d00; padding: 0.3rem 0.6rem; margin: 0.3rem 0; }
.trainer-driven { font-weight: 600; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table { break-inside: avoid; } }
""" + svg.CSS


@dataclass(frozen=True)
class MissionOutcome:
    id: str
    title: str
    module: int
    description: str
    done: int
    learners: int

    def summary(self) -> str:
        if not self.learners:
            return "No learners took part."
        return f"{self.done} of {self.learners} learners ({percent(self.done / self.learners)}) completed it."


def mission_outcomes(missions: Sequence[Mission],
                     progress: Mapping[str, Mapping[str, MissionProgress]]) -> list[MissionOutcome]:
    """Per mission, how many learners finished it (``progress``: handle -> mission id -> progress)."""
    return [
        MissionOutcome(
            id=mission.id, title=mission.title, module=mission.module, description=mission.description,
            done=sum(1 for row in progress.values() if row[mission.id].done), learners=len(progress),
        )
        for mission in sorted(missions, key=lambda item: (item.module, item.id))
    ]


def _table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f'<th scope="col">{escape(str(h))}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _section(title: str, summary: str, *parts: str) -> str:
    return f'<section><h2>{escape(title)}</h2><p class="summary">{escape(summary)}</p>{"".join(parts)}</section>'


def _bars(name: str, rows: Sequence[tuple[str, float, str]], *, maximum: float | None = None) -> str:
    """One series of bars: (label, value, text written at the bar's end)."""
    return svg.bar_chart(name, [Series(name, [Bar(label, value, text) for label, value, text in rows])],
                         maximum=maximum)


def _assessment_section(change: AssessmentChange) -> str:
    """Before and after: share right per question, mean confidence per statement, the paired change."""
    def both(items, value, text, maximum):
        return svg.bar_chart(value, [
            Series(round_.capitalize(), [Bar(item.label, (getattr(item, round_) or 0) * (100 if text is percent else 1),
                                             text(getattr(item, round_)) if getattr(item, round_) is not None
                                             else "no answers") for item in items])
            for round_ in ROUNDS
        ], maximum=maximum)

    def mean(value: float | None) -> str:
        return f"{value:.1f}" if value is not None else "no answers"

    def share(value: float | None) -> str:
        return percent(value) if value is not None else "no answers"

    parts = []
    if change.answered["before"] or change.answered["after"]:
        parts = [
            both(change.knowledge, "Share of right answers to each question, before and after", percent, 100),
            _table("Right answers to each question", ["Question", "Before", "After"],
                   [(item.label, share(item.before), share(item.after)) for item in change.knowledge]),
            both(change.confidence, "Mean confidence in each statement (1 to 4), before and after", mean,
                 len(load_questions().scale)),
            _table("Mean confidence (1 = not at all, 4 = very)", ["Statement", "Before", "After"],
                   [(item.label, mean(item.before), mean(item.after)) for item in change.confidence]),
        ]
    if change.people:
        c, k = change.confidence_direction(), change.knowledge_direction()
        parts.append(_table("Learners who answered both rounds", ["Measure", "Before", "After", "Up", "Same", "Down"], [
            (f"Confidence (out of {change.confidence_max})", mean(change.mean("confidence_before")),
             mean(change.mean("confidence_after")), c.up, c.same, c.down),
            (f"Right answers (out of {change.knowledge_max})", mean(change.mean("knowledge_before")),
             mean(change.mean("knowledge_after")), k.up, k.same, k.down),
        ]))
    parts.append(f'<p class="source">Source: {escape(ASSESSMENT_SOURCE)}</p>')
    return _section("Before and after: the self-assessment", change.summary(), *parts)


def _clock(moment: datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


def _note_html(note: observers.Note, where: str) -> str:
    return (f'<div class="note"><strong>{escape(note.author)}</strong>, {escape(note.written_at.strftime("%H:%M:%S"))}'
            f' UTC ({escape(where)}): {escape(note.body)}</div>')


def _note_where(note: observers.Note) -> str:
    if note.about == "inject":
        return "about this step"
    if note.about == "post":
        return f"about post {note.post_id}"
    return f"about the moment {_clock(note.moment_at)}"


def _review_sections(review: AfterActionReview, name) -> list[str]:
    """The after-action review: each step with what the room did and the notes beside it."""
    steps, untouched = [], []
    for step in review.steps:
        if step.released_at is None and not step.notes:
            untouched.append(f"minute {step.minute:g} ({step.who}{', skipped' if step.status == 'skipped' else ''})")
            continue
        if step.released_at is None:
            did = "Skipped: it was never released." if step.status == "skipped" else "Not released in this session."
        elif step.first_reply_by:
            did = (f"Released {_clock(step.released_at)} UTC. First reply from the room: "
                   f"{name(step.first_reply_by)}, after {duration(step.first_reply_seconds)}. "
                   f"{plural(step.learner_replies, 'learner reply', 'learner replies')} in its thread; "
                   f"{plural(step.learner_actions, 'learner action')} before the next step.")
        else:
            did = (f"Released {_clock(step.released_at)} UTC. No learner replied in its thread; "
                   f"{plural(step.learner_actions, 'learner action')} before the next step.")
        meaning = VERBS.get(step.action, step.action).split(" (")[0]
        notes = "".join(_note_html(note, _note_where(note)) for note in step.notes)
        steps.append(
            f'<div class="step" id="step-{escape(step.inject_id)}"><h3>Minute {step.minute:g}: '
            f"{escape(step.who)} {escape(meaning)}</h3>"
            + (f"<p>“{escape(step.text)}”</p>" if step.text else "")
            + f"<p>{escape(did)}</p>"
            + (f'<div class="notes"><p><strong>Observers\' notes</strong></p>{notes}</div>'
               if notes else "")
            + "</div>")
    if untouched:
        steps.append(f"<p>Not released in this session: {escape('; '.join(untouched))}.</p>")
    loose = "".join(_note_html(note, _note_where(note)) for note in review.before_first_step)
    sections = [_section("After-action review: the scripted steps and what the room did", review.summary(),
                         *steps,
                         (f"<h3>Notes before the first step</h3>{loose}" if loose else ""),
                         '<p class="source">Source: this workshop\'s activity log, the scenario\'s timeline '
                         "and the observers' notes.</p>")]
    sections.append(_section(
        "Posts the trainer wrote as a colleague",
        (f"The trainer stepped in {'once' if len(review.trainer_driven) == 1 else f'{len(review.trainer_driven)} times'}"
         ", speaking as a simulated colleague. Learners saw only the colleague." if review.trainer_driven
         else "The trainer did not speak as a colleague in this session."),
        _table("Trainer-driven activity (marked in the log and the export as driven by the trainer)",
               ["Time (UTC)", "As", "What"],
               [(_clock(row.at), name(row.actor), VERBS.get(row.verb, row.verb).split(" (")[0])
                for row in review.trainer_driven]) if review.trainer_driven else ""))
    return sections


def render_debrief(
    *,
    title: str,
    code: str,
    scenario_title: str,
    generated_at: datetime,
    dashboard: Dashboard,
    missions: Sequence[MissionOutcome],
    names: Mapping[str, str] | None = None,
    wiki_titles: Mapping[str, str] | None = None,
    review: AfterActionReview | None = None,
) -> str:
    """The report as a complete HTML document (UTF-8 text)."""
    names = names or {}
    wiki_titles = wiki_titles or {}

    def name(handle: str) -> str:
        return names.get(handle, handle)

    d = dashboard
    adoption = d.adoption
    lines = [(f"{line.percent}%", line.label, line.setting, line.range_note, line.source)
             for line in adoption.lines]
    shares = d.participation.shares
    groups = (("Creators", "creators", d.participation.creators), ("Light participants", "light", d.participation.light),
              ("Readers", "readers", d.participation.readers))
    net = d.network
    game = d.threshold_game
    sections = (_review_sections(review, name) if review is not None else []) + [
        _section(
            "Adopters over time", adoption.summary(),
            svg.step_chart("Share of the room that has contributed, over time",
                           [svg.Step(p.at, p.share * 100) for p in adoption.points],
                           [svg.Line(line.percent, line.chart_label) for line in adoption.lines]),
            _table("The finding drawn for comparison (not a target)",
                   ["Line", "What it is", "Setting", "Range", "Source"], lines),
            _table("Each new adopter", ["Time", "Who", "Adopters", "Share of the room"],
                   [(_clock(p.at), name(p.handle), p.adopters, percent(p.share)) for p in adoption.points]),
        ),
        _section(
            "Participation against 90-9-1", d.participation.summary(),
            svg.bar_chart("Share of the room in each group, against 90-9-1", [
                Series("This room", [Bar(label, shares[key] * 100, percent(shares[key])) for label, key, _ in groups]),
                Series("90-9-1", [Bar(label, NIELSEN_SPLIT[key] * 100, percent(NIELSEN_SPLIT[key]))
                                  for label, key, _ in groups]),
            ], maximum=100),
            _table("Who did what", ["Group", "People", "This room", "90-9-1"],
                   [(label, count, percent(shares[key]), percent(NIELSEN_SPLIT[key])) for label, key, count in groups]),
            f'<p>The busiest tenth made {escape(percent(d.participation.top_tenth_share))} of all contributions.</p>',
            f'<p class="source">Source: {escape(NIELSEN_SOURCE)}</p>',
        ),
        _section(
            "Replies", d.replies.summary(),
            _bars("Learners' posts with and without a reply", [
                ("With a reply", d.replies.replied, str(d.replies.replied)),
                ("No reply yet", d.replies.posts - d.replies.replied, str(d.replies.posts - d.replies.replied)),
            ]) if d.replies.posts else "",
            _table("Replies", ["Measure", "Value"], [
                ("Posts by learners", d.replies.posts), ("Posts with a reply", d.replies.replied),
                ("Reply rate", percent(d.replies.rate)),
                ("Median time to first reply",
                 duration(d.replies.median_seconds) if d.replies.median_seconds is not None else "no replies yet"),
            ]),
        ),
        _section(
            "Network of replies, mentions and reactions", net.summary(),
            _bars("The network's shares", [
                ("Density", net.density * 100, percent(net.density)),
                ("Ties returned", net.reciprocity * 100, percent(net.reciprocity)),
                ("Largest connected group", net.largest_connected_share * 100, percent(net.largest_connected_share)),
                ("Cross-department ties", net.cross_department_share * 100, percent(net.cross_department_share)),
            ], maximum=100) if net.members else "",
            _table("Network", ["Measure", "Value"], [
                ("Members", net.members), ("Ties", net.ties), ("Density", percent(net.density)),
                ("Ties returned (reciprocity)", percent(net.reciprocity)),
                ("Largest connected group", percent(net.largest_connected_share)),
                ("Cross-department ties", f"{net.cross_department_ties} ({percent(net.cross_department_share)})"),
            ]),
        ),
        _section(
            "Champion reach", d.champions.summary(),
            _bars("People each champion reached",
                  [(name(handle), count, str(count)) for handle, count in d.champions.per_champion.items()]),
            _table("People each champion reached", ["Champion", "People reached"],
                   [(name(handle), count) for handle, count in d.champions.per_champion.items()]),
        ),
        _section(
            "Wiki editors per page", d.wiki.summary(),
            _bars("Distinct editors of each page",
                  [(wiki_titles.get(page, f"Page {page}"), count, str(count))
                   for page, count in d.wiki.editors_per_page.items()]),
            _table("Distinct editors of each page", ["Page", "Editors"],
                   [(wiki_titles.get(page, f"Page {page}"), count) for page, count in d.wiki.editors_per_page.items()]),
        ),
        _section(
            "Tag reuse", d.tags.summary(),
            _bars("Uses of the most used tags", [(f"#{tag}", count, str(count)) for tag, count in d.tags.top_tags]),
            _table("Most used tags", ["Tag", "Uses"], [(f"#{tag}", count) for tag, count in d.tags.top_tags]),
        ),
        _section(
            "Threshold game", f"{game.predicted.summary()} {game.summary()}",
            _bars("Share of those who stated a threshold who have joined, round by round",
                  [(f"Round {number}", share * 100, percent(share))
                   for number, share in enumerate(game.predicted.shares_by_round(), start=1)], maximum=100),
            _table("The predicted cascade, round by round", ["Round", "Joined this round", "Joined so far"],
                   [(number, len(group), percent(share)) for number, (group, share)
                    in enumerate(zip(game.predicted.rounds, game.predicted.shares_by_round()), start=1)]),
            _table("Prediction against what each person did",
                   ["Person", "Threshold", "Predicted to join", "Actually contributed"],
                   [(name(p.person), percent(p.threshold),
                     f"round {p.predicted_round}" if p.predicted_round else "never",
                     _clock(p.adopted_at) or "not yet") for p in game.people]),
            f'<p class="source">Source: {escape(GRANOVETTER)}</p>',
        ),
        _assessment_section(d.assessment),
        _section(
            "What each mission showed",
            f"{sum(1 for m in missions if m.done)} of {len(missions)} missions were completed by at least one learner.",
            _bars("Learners who completed each mission",
                  [(f"{m.module}. {m.title}", m.done, f"{m.done} of {m.learners}") for m in missions],
                  maximum=max((m.learners for m in missions), default=0) or None),
            _table("Missions, in course order", ["Module", "Mission", "What it asks", "Completed by"],
                   [(m.module, m.title, " ".join(m.description.split()), m.summary()) for m in missions]),
        ),
    ]
    heading = f"Debrief: {title}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)}</title><style>{STYLE}</style></head><body><main>"
        f"<h1>{escape(heading)}</h1>"
        f"<p>Workshop {escape(code)} · scenario: {escape(scenario_title)} · "
        f"report made {escape(generated_at.strftime('%d %b %Y %H:%M'))} UTC. "
        "Figures count the learners; simulated colleagues count only in the network and champion reach.</p>"
        + "".join(sections)
        + "</main></body></html>\n"
    )


def build_debrief(session: Session, code: str, *, now: datetime) -> str:
    """The debrief report of workshop ``code``, read from the store.

    Fails with NotFound for an unknown code, ScenarioError if the workshop's
    scenario file is missing or broken.
    """
    workshop = get_workshop(session, code)
    scenario = load_scenario(workshop.scenario)
    members = room_log.load_members(session, workshop.id)
    activities = room_log.load_activities(session, workshop.id)
    dashboard = compute_dashboard(activities, members, seed_tags=scenario.seed_tags())
    learners = [member.handle for member in members if member.kind == "learner"]
    progress = evaluate_room(scenario.missions, learners, activities, seed_tags=scenario.seed_tags())
    return render_debrief(
        title=workshop.title,
        code=workshop.code,
        scenario_title=scenario.title,
        generated_at=now,
        dashboard=dashboard,
        missions=mission_outcomes(scenario.missions, progress),
        names={member.handle: member.display_name or member.handle for member in members},
        wiki_titles=room_log.wiki_titles(session, workshop.id),
        review=after_action_review(scenario.injects, release_times(session, workshop.id),
                                   skipped_injects(released_keys(session, workshop.id)), activities,
                                   observers.list_notes(session, workshop.id),
                                   {persona.handle: persona.name for persona in scenario.personas}),
    )
