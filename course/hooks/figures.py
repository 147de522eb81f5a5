"""Figures for the course: drawn at build time, each with a name, a description and a source.

A page asks for a figure with a line of its own: ``{{ figure: NAME }}``. The lesson hook
replaces it with a ``<figure>``: the picture, a caption with its source, and a
collapsible "Describe this figure" block with the long text description.

Two kinds of figure:

- **Drawn from data** (the functions in ``GENERATED``): SVG made here in Python from
  the kit's own code and data, never typed-in coordinates. The threshold cascade runs
  ``sandbox.metrics.threshold`` (the sandbox's threshold game), the sample workshop's
  charts run ``sandbox.metrics.compute_dashboard`` on ``exercises/data/sample-export.json``
  and are drawn by ``sandbox.reports.svg`` (the debrief report's charts), so the course
  and the sandbox cannot disagree.
- **Diagrams**: hand-written SVG files in ``course/assets/figures/NAME.svg``. The file
  owns its words: ``<title>`` is the short name (the alt text), ``<desc>`` the long
  description, and ``data-source`` on the root element the source.

Every SVG has ``role="img"``, a ``<title>`` and a ``<desc>``, and no ``id`` (the print
page puts every page into one document, where ids would clash). Colours are dark on
white (at least 3:1 for lines, 4.5:1 for text) and every figure sits on a white card
(see inside-out.css), so it reads the same in a light or dark palette and in print.

Failure cases: ``FigureError`` with a one-line message (unknown figure, a diagram
without ``role="img"``, ``<title>``, ``<desc>`` or ``data-source``).
"""
from __future__ import annotations

import html
import json
import math
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from statistics import NormalDist

from sandbox.metrics import cascade, compute_dashboard
from sandbox.metrics.participation import NIELSEN_SOURCE, NIELSEN_SPLIT
from sandbox.metrics.threshold import Flip, with_threshold
from sandbox.metrics.wording import percent, plural
from sandbox.reports import svg as charts

ROOT = Path(__file__).resolve().parents[2]
DIAGRAMS = ROOT / "course" / "assets" / "figures"
SAMPLE_EXPORT = ROOT / "exercises" / "data" / "sample-export.json"
SVG_NS = "http://www.w3.org/2000/svg"

INK, MAIN, SECOND, GRID = charts.INK, charts.MAIN, charts.SECOND, charts.GRID
LIGHT = "#e8eef7"  # the pale fill behind MAIN-coloured outlines
WIDTH = charts.WIDTH
FONT = "system-ui, sans-serif"

MARKER = re.compile(r"^\{\{\s*figure:\s*([a-z0-9-]+)\s*\}\}\s*$", re.MULTILINE)


class FigureError(Exception):
    """A figure is unknown or not accessible."""


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    """The short text alternative (the SVG's ``<title>``)."""
    description: str
    """The long description, plain text; paragraphs separated by blank lines."""
    source: str
    """Where the facts and numbers come from (plain text)."""
    svg: str


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg(title: str, description: str, width: float, height: float, body: str) -> str:
    """An accessible SVG: role="img", a title, a short desc (the first paragraph)."""
    short = description.split("\n\n")[0]
    return (
        f'<svg xmlns="{SVG_NS}" role="img" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
        f'style="max-width:{width:.0f}px" font-family="{FONT}" font-size="13">'
        f"<title>{_e(title)}</title><desc>{_e(short)}</desc>{body}</svg>"
    )


def _text(x: float, y: float, words: str, *, anchor: str = "start", size: int | None = None,
          weight: str | None = None, fill: str = INK) -> str:
    extra = (f' font-size="{size}"' if size else "") + (f' font-weight="{weight}"' if weight else "")
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{extra}>{_e(words)}</text>'


def _accessible_chart(chart_html: str, description: str) -> str:
    """The ``<svg>`` of a ``sandbox.reports.svg`` chart, with a ``<desc>`` added after its title."""
    match = re.search(r"<svg.*?</svg>", chart_html, re.DOTALL)
    if not match:
        raise FigureError("a sandbox chart came back without an SVG")
    drawn = match.group(0)
    if 'xmlns="' not in drawn[:200]:
        drawn = drawn.replace("<svg ", f'<svg xmlns="{SVG_NS}" ', 1)
    short = description.split("\n\n")[0]
    drawn = drawn.replace("</title>", f"</title><desc>{_e(short)}</desc>", 1)
    legend = re.search(r"<figcaption>(.*?)</figcaption>", chart_html, re.DOTALL)
    if legend:  # which colour is which series, as the debrief report shows it
        drawn += f'<div class="io-legend">{legend.group(1)}</div>'
    return drawn


# --- Rogers: the adoption curve and its categories ------------------------------------

ROGERS_SOURCE = "Rogers, Diffusion of Innovations, 5th ed. (Free Press, 2003)"
# Rogers cuts the bell-shaped curve of adoption times at the mean and one and two
# standard deviations before it, and one after it; these are his rounded shares.
ROGERS_CATEGORIES = (
    ("Innovators", 2.5, -3.0, -2.0),
    ("Early adopters", 13.5, -2.0, -1.0),
    ("Early majority", 34.0, -1.0, 0.0),
    ("Late majority", 34.0, 0.0, 1.0),
    ("Laggards", 16.0, 1.0, 3.0),
)


def rogers_curve() -> Figure:
    normal = NormalDist()
    left, right, top, bottom = 48, WIDTH - 48, 18, 250
    peak = normal.pdf(0)

    def x(z: float) -> float:
        return left + (z + 3) / 6 * (right - left)

    def y_bell(z: float) -> float:
        return bottom - normal.pdf(z) / peak * (bottom - top - 40)

    def y_share(share: float) -> float:
        return bottom - share * (bottom - top)

    parts = [f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{GRID}"/>',
             f'<line x1="{right}" y1="{top}" x2="{right}" y2="{bottom}" stroke="{GRID}"/>']
    for tick in (0, 50, 100):
        parts.append(_text(right + 6, y_share(tick / 100) + 4, f"{tick}%"))
    fills = (MAIN, LIGHT, MAIN, LIGHT, MAIN)
    steps = 40
    for (name, share, start, end), fill in zip(ROGERS_CATEGORIES, fills):
        points = [(x(start), bottom)]
        points += [(x(start + (end - start) * i / steps), y_bell(start + (end - start) * i / steps))
                   for i in range(steps + 1)]
        points.append((x(end), bottom))
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polygon points="{path}" fill="{fill}" stroke="{MAIN}" stroke-width="1.5"/>')
    cumulative = " ".join(f"{x(z):.1f},{y_share(normal.cdf(z)):.1f}"
                          for z in (-3 + 6 * i / 120 for i in range(121)))
    parts.append(f'<polyline points="{cumulative}" fill="none" stroke="{INK}" stroke-width="2.5" '
                 'stroke-dasharray="8 4"/>')
    parts.append(_text(x(1.15), y_share(normal.cdf(1.15)) - 10, "All adopters so far (S-curve)", anchor="end"))
    running = 0.0
    for index, (name, share, start, end) in enumerate(ROGERS_CATEGORIES):
        running += share
        middle = x((max(start, -2.6) + min(end, 2.6)) / 2)
        row = bottom + 20 + (index % 2) * 16
        parts.append(_text(middle, row, f"{name} {share:g}%", anchor="middle", size=12))
    parts.append(_text(left, bottom + 62, "Time: when each person adopts (earliest on the left)"))
    height = bottom + 72
    shares = ", ".join(f"{name} {share:g}%" for name, share, _, _ in ROGERS_CATEGORIES)
    # The tails run to infinity: the first category is everything before -2, the last after +1.
    cut_shares = ", ".join(
        f"{100 * (normal.cdf(end if end < 3 else math.inf) - (normal.cdf(start) if start > -3 else 0.0)):.1f}%"
        for _, _, start, end in ROGERS_CATEGORIES
    )
    description = (
        "A bell-shaped curve of when people adopt something new, split into Rogers' five "
        f"adopter categories from left to right: {shares}. A dashed S-shaped line rises "
        "over it: the share of everyone who has adopted so far, slow at first, fast in the "
        "middle, slow at the end.\n\n"
        "Rogers drew the categories by cutting a normal curve at standard deviations from the "
        f"average adoption time; the exact normal shares are {cut_shares}, which he rounded. "
        "By the end of the early adopters about 16% have adopted; that is where the S-curve "
        "starts to climb steeply."
    )
    return Figure("rogers-curve", "Rogers' adoption curve: five adopter categories under an S-curve",
                  description, ROGERS_SOURCE, _svg("Rogers' adoption curve and adopter categories",
                                                    description, WIDTH, height, "".join(parts)))


# --- Granovetter: the threshold cascade (the sandbox's threshold game) ----------------

GRANOVETTER_SOURCE = ('Granovetter, "Threshold Models of Collective Behavior", American Journal of '
                      "Sociology 83(6), 1978, 1420-1443; computed with the sandbox's threshold game "
                      "(sandbox/metrics/threshold.py)")


def _granovetter_crowds():
    people = {f"person {number}": number / 100 for number in range(100)}
    changed = with_threshold(people, "person 1", 0.02)
    before, after = cascade(people), cascade(changed)
    return before, after, Flip(person="person 1", old=0.01, new=0.02, before=before, after=after)


def threshold_cascade() -> Figure:
    before, after, flip = _granovetter_crowds()
    left, right, top, bottom = 48, WIDTH - 16, 14, 230
    rounds = max(len(before.rounds), len(after.rounds))

    def x(number: int) -> float:
        return left + number / rounds * (right - left)

    def y(share: float) -> float:
        return bottom - share * (bottom - top)

    parts = [f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{GRID}"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{GRID}"/>']
    for tick in (0, 50, 100):
        parts.append(_text(left - 6, y(tick / 100) + 4, f"{tick}%", anchor="end"))
    for tick in (0, 25, 50, 75, 100):
        if tick <= rounds:
            parts.append(_text(x(tick), bottom + 16, str(tick), anchor="middle"))
    parts.append(_text((left + right) / 2, bottom + 34, "Round of the cascade", anchor="middle"))
    for result, colour, dash, label in (
        (before, MAIN, "", "Thresholds 0, 1, 2 ... 99%: everyone joins"),
        (after, SECOND, ' stroke-dasharray="7 4"', "Person 1 waits for 2%: only 1 joins"),
    ):
        shares = (0.0, *result.shares_by_round())
        points = " ".join(f"{x(number):.1f},{y(share):.1f}" for number, share in enumerate(shares))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="3"{dash}/>')
        end_x, end_y = x(len(shares) - 1), y(shares[-1])
        parts.append(f'<circle cx="{end_x:.1f}" cy="{end_y:.1f}" r="4" fill="{colour}"/>')
        if len(shares) - 1 < rounds:  # the cascade stopped: nobody joins in the later rounds
            parts.append(f'<line x1="{end_x:.1f}" y1="{end_y:.1f}" x2="{x(rounds):.1f}" y2="{end_y:.1f}" '
                         f'stroke="{colour}" stroke-width="3"{dash}/>')
            parts.append(_text(x(rounds) - 8, end_y - 8, label, anchor="end"))
        else:
            parts.append(_text(end_x - 8, end_y + 18, label, anchor="end"))
    description = (
        "Two crowds of 100 people, each person joining once the share already joined reaches "
        "their threshold. In the first crowd the thresholds are 0%, 1%, 2% and so on up to "
        f"99%. {before.summary()} The solid line climbs one person per round to 100%.\n\n"
        "In the second crowd one person, the one with threshold 1%, waits for 2% instead. "
        f"{after.summary()} The dashed line stays at 1% in every later round. {flip.summary()} The average "
        "threshold barely changed; the outcome flipped. The sandbox's threshold game runs "
        "the same calculation on the thresholds your room states."
    )
    return Figure("threshold-cascade", "Granovetter's threshold cascade: one changed threshold stops a whole crowd",
                  description, GRANOVETTER_SOURCE,
                  _svg("Two threshold cascades: 100 people join, or only 1", description, WIDTH,
                       bottom + 42, "".join(parts)))


# --- Critical mass: committed starters against the size of the cascade -----------------

CRITICAL_MASS_ROOM = 40
CRITICAL_MASS_THRESHOLDS = NormalDist(mu=0.30, sigma=0.12)
"""An illustration, not a measurement: a room of 40 whose thresholds are spread like a
bell curve around 30% (the quantiles of this distribution, clipped to 0-100%)."""


def _critical_mass_results(most: int = 12) -> list[tuple[int, float]]:
    people = CRITICAL_MASS_ROOM
    base = sorted(min(1.0, max(0.0, CRITICAL_MASS_THRESHOLDS.inv_cdf((i + 0.5) / people))) for i in range(people))
    results = []
    for starters in range(most + 1):
        thresholds = [0.0] * starters + base[starters:]
        results.append((starters, cascade(thresholds).final_share))
    return results


def critical_mass() -> Figure:
    results = _critical_mass_results()
    left, right, top, bottom = 48, WIDTH - 16, 14, 220
    column = (right - left) / len(results)
    parts = [f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{GRID}"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{GRID}"/>']
    for tick in (0, 50, 100):
        parts.append(_text(left - 6, bottom - tick / 100 * (bottom - top) + 4, f"{tick}%", anchor="end"))
    tipping = next((starters for starters, share in results if share >= 0.5), None)
    for index, (starters, share) in enumerate(results):
        height = share * (bottom - top)
        bar_x = left + index * column + 4
        colour = MAIN if tipping is not None and starters >= tipping else SECOND
        parts.append(f'<rect x="{bar_x:.1f}" y="{bottom - height:.1f}" width="{column - 8:.1f}" '
                     f'height="{height:.1f}" fill="{colour}"/>')
        parts.append(_text(bar_x + (column - 8) / 2, bottom - height - 4, percent(share), anchor="middle", size=11))
        parts.append(_text(bar_x + (column - 8) / 2, bottom + 16, str(starters), anchor="middle"))
    parts.append(_text((left + right) / 2, bottom + 34,
                       f"Committed starters (people who post whatever others do), in a room of {CRITICAL_MASS_ROOM}",
                       anchor="middle"))
    listing = "; ".join(f"{plural(starters, 'starter')}: {percent(share)}" for starters, share in results)
    if tipping is not None:
        jump = (f"With {tipping - 1} committed starters the cascade stops at "
                f"{percent(results[tipping - 1][1])}; with {tipping} it reaches {percent(results[tipping][1])}. "
                "That jump is what people mean by a critical mass: below it, activity fizzles; above it, "
                "it carries on by itself.")
    else:
        jump = "In this room no number of starters up to 12 tips the cascade past half the room."
    description = (
        f"Bars for a room of {CRITICAL_MASS_ROOM} people whose thresholds are spread around 30%, "
        "showing how much of the room joins in the end when a few people commit to posting "
        f"whatever the others do. {jump}\n\n"
        f"The numbers, from the sandbox's threshold game: {listing}. This is a model of an "
        "imagined room, not data from a real one; a real room's thresholds are spread "
        "differently, so its tipping point sits somewhere else. The shape (a sudden jump, "
        "not a steady climb) is the lesson."
    )
    source = ("Illustration computed with the sandbox's threshold game (sandbox/metrics/threshold.py); "
              "the idea of a critical mass: Markus, \"Toward a 'Critical Mass' Theory of Interactive "
              "Media\", Communication Research 14(5), 1987, 491-511; Granovetter (1978)")
    return Figure("critical-mass", "Critical mass: a few more committed starters tip the whole room",
                  description, source,
                  _svg("How many join, by number of committed starters", description, WIDTH, bottom + 42,
                       "".join(parts)))


# --- 90-9-1 against a large enterprise benchmark ---------------------------------------

SWOOP_SOURCE = ("SWOOP Analytics, 2022/23 Yammer and Viva Engage Benchmarking Report, as summarised "
                "in SWOOP's press release of 10 November 2022 (Business Wire)")
SWOOP_READ_ONLY = 0.60
"""The press release: "While 80-85% of staff are accessing Yammer, almost 60% are
reading only - they don't post, comment or react." (21 million interactions, 4.7 million
employees, 97 organisations, six months.)"""


def participation_benchmark() -> Figure:
    groups = (("Only read", "readers"), ("Contribute now and then", "light"), ("Create most content", "creators"))
    nielsen = charts.Series("90-9-1 (Nielsen 2006, rule of thumb)", [
        charts.Bar(label, NIELSEN_SPLIT[key] * 100, percent(NIELSEN_SPLIT[key])) for label, key in groups])
    swoop = charts.Series("SWOOP 2022/23 benchmark (press release)", [
        charts.Bar("Only read", SWOOP_READ_ONLY * 100, "almost 60%"),
        charts.Bar("Contribute now and then", 0, "not split in the summary"),
        charts.Bar("Create most content", 0, "not split in the summary"),
    ])
    drawn = charts.bar_chart("90-9-1 beside a large enterprise benchmark", [nielsen, swoop], maximum=100)
    description = (
        "Horizontal bars in three groups: people who only read, people who contribute now and "
        "then, and people who create most of the content. Blue bars: Nielsen's 90-9-1 rule of "
        "thumb, 90%, 9% and 1%. Grey bars: SWOOP Analytics' 2022/23 benchmark of Yammer and "
        "Viva Engage networks, where almost 60% only read (they do not post, comment or react).\n\n"
        "What we could check: SWOOP's press release of 10 November 2022 says that 80-85% of "
        "staff access Yammer and almost 60% are reading only, from more than 21 million "
        "interactions by 4.7 million employees in 97 organisations over six months. We could "
        "not read the full report, so we do not know whether 60% is a share of all staff or "
        "of those who access it, nor how the remaining 40% split between occasional and heavy "
        "contributors: those bars are left empty rather than guessed. Either way, the staff "
        "networks in that benchmark had far fewer pure readers than 90-9-1 suggests, and even "
        "there most people only read: readers are an audience, not a failure."
    )
    return Figure("participation-benchmark", "90-9-1 beside a large enterprise benchmark: about 60% only read",
                  description, f"{NIELSEN_SOURCE}; {SWOOP_SOURCE}",
                  _accessible_chart(drawn, description))


# --- The sample workshop (exercises/data/sample-export.json) ----------------------------

SAMPLE_SOURCE = ("The kit's sample workshop export (exercises/data/sample-export.json), measured by the "
                 "sandbox's dashboard code (sandbox/metrics)")


@cache
def _sample():
    export = json.loads(SAMPLE_EXPORT.read_text(encoding="utf-8"))
    dashboard = compute_dashboard(export["activities"], export["members"])
    names = {member["handle"]: member["display_name"] for member in export["members"]}
    return export, dashboard, names


def sample_adoption() -> Figure:
    export, dashboard, _ = _sample()
    curve = dashboard.adoption
    drawn = charts.step_chart(
        "Share of the sample room that has contributed, over time",
        [charts.Step(point.at, point.share * 100) for point in curve.points],
        [charts.Line(line.percent, f"{line.percent}%: {line.label}") for line in curve.lines],
    )
    description = (
        "A line that steps up each time another person in the sample workshop makes their "
        f"first contribution, with dashed reference lines. {curve.summary()}\n\n"
        f"The sample is the export of a morning workshop, \"{export['workshop']['title']}\", that "
        "ships with the kit for the graded notebooks. The same chart is on the sandbox's live "
        "dashboard and in the debrief report for your own room."
    )
    return Figure("sample-adoption", "Adopters over time in the sample workshop", description, SAMPLE_SOURCE,
                  _accessible_chart(drawn, description))


def sample_participation() -> Figure:
    _, dashboard, _ = _sample()
    result = dashboard.participation
    shares = result.shares
    groups = (("Creators", "creators"), ("Light participants", "light"), ("Readers", "readers"))
    drawn = charts.bar_chart("Share of the sample room in each group, against 90-9-1", [
        charts.Series("Sample workshop", [charts.Bar(label, shares[key] * 100, percent(shares[key]))
                                          for label, key in groups]),
        charts.Series("90-9-1", [charts.Bar(label, NIELSEN_SPLIT[key] * 100, percent(NIELSEN_SPLIT[key]))
                                 for label, key in groups]),
    ], maximum=100)
    description = (
        "Horizontal bars for creators (at least one post, reply, edit or other contribution), "
        "light participants (only reactions, votes or RSVPs) and readers (nothing yet). Blue: "
        f"the sample workshop. Grey: Nielsen's 90-9-1. {result.summary()}\n\n"
        "A workshop room is asked to take part, so it beats 90-9-1 by far; a real staff "
        "network will sit between the two. The grouping is the sandbox's, not Nielsen's: his "
        "middle group also writes, just rarely."
    )
    return Figure("sample-participation", "Creators, light participants and readers in the sample workshop, against 90-9-1",
                  description, f"{SAMPLE_SOURCE}; {NIELSEN_SOURCE}", _accessible_chart(drawn, description))


def sample_tags() -> Figure:
    _, dashboard, _ = _sample()
    tags = dashboard.tags
    top = tags.top_tags
    most = top[0][1] if top else 1
    left, right, line_height = 12, WIDTH - 12, 44
    parts, x, row = [], left, 0
    for index, (tag, uses) in enumerate(top):
        size = 13 + round(17 * uses / most)
        width = (len(tag) + 1) * size * (0.64 if uses == most else 0.57) + 22
        if x + width > right:
            x, row = left, row + 1
        colour = MAIN if index % 2 == 0 else INK
        parts.append(_text(x, 34 + row * line_height, f"#{tag}", size=size,
                           weight="bold" if uses == most else None, fill=colour))
        x += width
    height = 34 + row * line_height + 20
    listing = ", ".join(f"#{tag} ({uses})" for tag, uses in top)
    description = (
        "A tag cloud: the most used tags in the sample workshop, bigger when used more often. "
        f"{tags.summary()}\n\n"
        f"Every tag with its number of uses, most used first: {listing}. A shared vocabulary "
        "shows as a few big tags that many people reuse, rather than many tags used once."
    )
    return Figure("sample-tags", "Tag cloud of the sample workshop: the tags people reused",
                  description, SAMPLE_SOURCE,
                  _svg("Tag cloud of the sample workshop", description, WIDTH, height, "".join(parts)))


def champion_network() -> Figure:
    _, dashboard, names = _sample()
    graph = dashboard.graph
    reach = dashboard.champions
    export, _, _ = _sample()
    room = {member["handle"] for member in export["members"] if member["kind"] == "learner"}
    champions = set(reach.champions)
    # The people the dashboard counts: learners who are not champions (as champion_reach does).
    tied = {node for champion in champions
            for node in set(graph.successors(champion)) | set(graph.predecessors(champion))} & room - champions
    # Champions in the middle, everyone else on a ring around them.
    centre_x, centre_y, radius = WIDTH / 2, 210, 175
    ring = [node for node in sorted(graph.nodes) if node in room and node not in champions]
    positions = {}
    for index, node in enumerate(ring):
        angle = 2 * math.pi * index / max(1, len(ring)) - math.pi / 2
        positions[node] = (centre_x + radius * math.cos(angle) * 1.55, centre_y + radius * math.sin(angle))
    for index, node in enumerate(sorted(champions)):
        angle = 2 * math.pi * index / max(1, len(champions)) - math.pi / 2
        positions[node] = (centre_x + 55 * math.cos(angle), centre_y + 45 * math.sin(angle))
    parts = []
    for first, second in graph.edges:
        if first not in positions or second not in positions:
            continue
        if (second, first) in graph.edges and first > second:
            continue
        x1, y1 = positions[first]
        x2, y2 = positions[second]
        touches = first in champions or second in champions
        colour, width = (MAIN, 1.6) if touches else (GRID, 1)
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
                     f'stroke-width="{width}"/>')
    for node, (px, py) in positions.items():
        first_name = names.get(node, node).split()[0]
        if node in champions:
            parts.append(f'<rect x="{px - 9:.1f}" y="{py - 9:.1f}" width="18" height="18" fill="{INK}"/>')
            parts.append(_text(px, py - 14, first_name, anchor="middle", weight="bold", size=12))
        else:
            fill = MAIN if node in tied else "#ffffff"
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="8" fill="{fill}" stroke="{INK}" stroke-width="1.5"/>')
            below = py > centre_y
            parts.append(_text(px, py + (20 if below else -13), first_name, anchor="middle", size=11))
    height = centre_y + radius + 30
    champion_names = ", ".join(names.get(handle, handle) for handle in sorted(champions))
    reached = ", ".join(sorted(names.get(handle, handle) for handle in tied))
    not_reached = ", ".join(sorted(names.get(handle, handle) for handle in set(ring) - tied))
    description = (
        "A network of who replied to, mentioned or reacted to whom in the sample workshop. "
        "Champions are black squares in the middle; everyone else is a circle on a ring, "
        "filled blue when they have a tie with a champion and white when they do not. Lines "
        f"touching a champion are blue. {reach.summary()}\n\n"
        f"Champions: {champion_names}. Tied to a champion: {reached or 'nobody'}. "
        f"Not tied to any champion yet: {not_reached or 'nobody'}. The white circles are the "
        "people a champions network should reach next. As on the sandbox's dashboard, simulated "
        "colleagues who are not champions are left out."
    )
    return Figure("champion-network", "Champion reach in the sample workshop: who is tied to a champion",
                  description, SAMPLE_SOURCE,
                  _svg("Champion reach network of the sample workshop", description, WIDTH, height, "".join(parts)))


GENERATED: dict[str, Callable[[], Figure]] = {
    "rogers-curve": rogers_curve,
    "threshold-cascade": threshold_cascade,
    "critical-mass": critical_mass,
    "participation-benchmark": participation_benchmark,
    "sample-adoption": sample_adoption,
    "sample-participation": sample_participation,
    "sample-tags": sample_tags,
    "champion-network": champion_network,
}


# --- Hand-written diagrams ---------------------------------------------------------------

def diagram(path: Path, label: str | None = None) -> Figure:
    """Read a hand-written SVG diagram; its title, desc and data-source are the figure's words."""
    where = label or str(path)
    text = path.read_text(encoding="utf-8")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise FigureError(f"{where}: not valid SVG ({error})") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise FigureError(f"{where}: the file must be an <svg> with xmlns=\"{SVG_NS}\"")
    if root.get("role") != "img":
        raise FigureError(f'{where}: the <svg> needs role="img"')
    title = root.find(f"{{{SVG_NS}}}title")
    desc = root.find(f"{{{SVG_NS}}}desc")
    if title is None or not (title.text or "").strip():
        raise FigureError(f"{where}: the <svg> needs a <title> (its short text alternative)")
    if desc is None or not (desc.text or "").strip():
        raise FigureError(f"{where}: the <svg> needs a <desc> (its long description)")
    source = (root.get("data-source") or "").strip()
    if not source:
        raise FigureError(f'{where}: the <svg> needs data-source="..." naming where its facts come from')
    if any(element.get("id") for element in root.iter()):
        raise FigureError(f"{where}: no id attributes, please (the print page joins all pages into one)")
    svg_text = text[text.index("<svg"):].strip()
    return Figure(path.stem, " ".join(title.text.split()), " ".join(desc.text.split()), source, svg_text)


def known_names(diagrams: Path = DIAGRAMS) -> set[str]:
    return set(GENERATED) | {path.stem for path in diagrams.glob("*.svg")}


@cache
def get(name: str, diagrams: Path = DIAGRAMS) -> Figure:
    """The figure called ``name``. Raises FigureError when there is none."""
    if name in GENERATED:
        return GENERATED[name]()
    path = diagrams / f"{name}.svg"
    if path.is_file():
        return diagram(path, f"{diagrams.parent.parent.name}/assets/figures/{name}.svg")
    raise FigureError(f"no figure '{name}' (known: {', '.join(sorted(known_names(diagrams)))})")


def clear_cache() -> None:
    get.cache_clear()
    _sample.cache_clear()


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_e(paragraph)}</p>" for paragraph in text.split("\n\n") if paragraph.strip())


def render(figure: Figure) -> str:
    """The figure as one raw-HTML block (no blank lines, so Markdown leaves it alone)."""
    svg_text = " ".join(line.strip() for line in figure.svg.splitlines() if line.strip())
    return (
        f'<figure class="io-figure" data-figure="{_e(figure.name)}">'
        f'<div class="io-figure-art">{svg_text}</div>'
        f"<figcaption><strong>{_e(figure.title)}.</strong> "
        f'<span class="io-figure-source">Source: {_e(figure.source)}.</span></figcaption>'
        f'<details class="io-figure-description"><summary>Describe this figure</summary>'
        f"{_paragraphs(figure.description)}</details>"
        "</figure>\n"
    )
