"""Small charts for the debrief report, drawn as inline SVG in plain Python.

No JavaScript and nothing fetched: the report must open offline and print. Each
chart is a ``<figure>`` whose SVG has ``role="img"`` and a short name; the
sentence above it and the table below it (drawn by the report) carry the
numbers, so nobody needs to read values off the picture. Colours are dark
enough against white for WCAG's 3:1 for graphics, and every bar also has its
value written next to it, so the chart reads in black and white too.

Everything people typed (names, page titles, tags) is escaped here as well.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

WIDTH = 640
BAR = 18
GAP = 8
FONT = 12
CHAR = 6.6  # a rough width per character at FONT px, to size the label column
MAX_LABEL_CHARS = 36
INK = "#1a1a1a"
MAIN = "#1f5fa8"  # 6.6:1 on white
SECOND = "#6b6b6b"  # 5.3:1 on white
GRID = "#8a8a8a"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    """What is written at the end of the bar (``"3"``, ``"25%"``)."""


@dataclass(frozen=True)
class Series:
    name: str
    bars: Sequence[Bar]


def _short(label: str) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def _figure(name: str, width: float, height: float, body: str, legend: str = "") -> str:
    return (
        f'<figure class="chart"><svg role="img" aria-label="{escape(name)}" width="100%" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" preserveAspectRatio="xMinYMin meet" '
        f'style="max-width:{width:.0f}px" font-family="system-ui, sans-serif" font-size="{FONT}">'
        f"<title>{escape(name)}</title>{body}</svg>{legend}</figure>"
    )


def bar_chart(name: str, series: Sequence[Series], *, maximum: float | None = None) -> str:
    """Horizontal bars, one group per label, one bar per series (at most two series).

    ``maximum`` is the value of a full-length bar (the largest value if None).
    Returns "" when there is nothing to draw.
    """
    labels = [bar.label for bar in series[0].bars] if series else []
    if not labels:
        return ""
    top = maximum if maximum else max((bar.value for one in series for bar in one.bars), default=0) or 1
    label_width = min(MAX_LABEL_CHARS, max(len(_short(label)) for label in labels)) * CHAR + 12
    room = WIDTH - label_width - 56
    group = len(series) * BAR + GAP
    height = len(labels) * group + GAP
    parts = [f'<line x1="{label_width:.0f}" y1="0" x2="{label_width:.0f}" y2="{height:.0f}" stroke="{GRID}"/>']
    for row, label in enumerate(labels):
        y = GAP + row * group
        parts.append(f'<text x="{label_width - 6:.0f}" y="{y + len(series) * BAR / 2 + 4:.0f}" '
                     f'text-anchor="end" fill="{INK}">{escape(_short(label))}</text>')
        for number, one in enumerate(series):
            bar = one.bars[row]
            length = max(0.0, min(1.0, bar.value / top)) * room
            colour = MAIN if number == 0 else SECOND
            top_y = y + number * BAR
            parts.append(f'<rect x="{label_width:.0f}" y="{top_y:.0f}" width="{length:.1f}" height="{BAR - 3}" '
                         f'fill="{colour}"/>')
            parts.append(f'<text x="{label_width + length + 4:.1f}" y="{top_y + BAR / 2 + 2:.0f}" '
                         f'fill="{INK}">{escape(bar.text)}</text>')
    legend = ""
    if len(series) > 1:
        keys = "".join(f'<span class="key"><span class="swatch" style="background:{MAIN if n == 0 else SECOND}">'
                       f"</span>{escape(one.name)}</span>" for n, one in enumerate(series))
        legend = f'<figcaption>{keys}</figcaption>'
    return _figure(name, WIDTH, height, "".join(parts), legend)


@dataclass(frozen=True)
class Step:
    at: datetime
    percent: float


@dataclass(frozen=True)
class Line:
    percent: float
    label: str


def step_chart(name: str, steps: Sequence[Step], lines: Sequence[Line] = ()) -> str:
    """A share (0-100%) that steps up over time, with dashed reference lines.

    Time runs left to right from the first step to the last (labelled HH:MM at
    both ends). Returns "" when there is nothing to draw.
    """
    if not steps:
        return ""
    left, right, top, bottom = 44, WIDTH - 16, 10, 200
    height = bottom + 34
    start, end = steps[0].at, steps[-1].at
    span = (end - start).total_seconds() or 1.0

    def x(moment: datetime) -> float:
        return left + (moment - start).total_seconds() / span * (right - left)

    def y(percent: float) -> float:
        return bottom - max(0.0, min(100.0, percent)) / 100 * (bottom - top)

    parts = [f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{GRID}"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{GRID}"/>']
    for tick in (0, 50, 100):
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.0f}" text-anchor="end" fill="{INK}">{tick}%</text>')
    for line in lines:
        parts.append(f'<line x1="{left}" y1="{y(line.percent):.1f}" x2="{right}" y2="{y(line.percent):.1f}" '
                     f'stroke="{SECOND}" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{left + 6}" y="{y(line.percent) - 4:.1f}" fill="{INK}">{escape(line.label)}</text>')
    points = [(left, y(0))]
    for step in steps:
        points.append((x(step.at), points[-1][1]))
        points.append((x(step.at), y(step.percent)))
    points.append((right, points[-1][1]))
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    parts.append(f'<polyline points="{path}" fill="none" stroke="{MAIN}" stroke-width="2.5"/>')
    for step in steps:
        parts.append(f'<circle cx="{x(step.at):.1f}" cy="{y(step.percent):.1f}" r="3.5" fill="{MAIN}"/>')
    parts.append(f'<text x="{left}" y="{bottom + 18}" fill="{INK}">{start:%H:%M}</text>')
    if end != start:
        parts.append(f'<text x="{right}" y="{bottom + 18}" text-anchor="end" fill="{INK}">{end:%H:%M}</text>')
    parts.append(f'<text x="{(left + right) / 2:.0f}" y="{bottom + 30}" text-anchor="middle" fill="{INK}">'
                 "Time (UTC)</text>")
    return _figure(name, WIDTH, height, "".join(parts))


CSS = """
figure.chart { margin: 0.5rem 0 0.75rem; break-inside: avoid; }
figure.chart svg { display: block; height: auto; }
figure.chart figcaption { font-size: 0.9rem; }
.key { margin-right: 1.25rem; white-space: nowrap; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; margin-right: 0.35rem; vertical-align: -0.1rem; }
@media print { figure.chart, .swatch { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
"""
