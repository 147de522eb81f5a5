"""Dashboard charts: each one with its metric's sentence above it and a table of the same numbers below.

The sentence (the metric's ``summary()``) is the text alternative a screen
reader, a projector at the back of the room or a colour-blind trainer relies
on; the table gives the exact figures. Charts are Altair (bundled with
Streamlit): drawn in the browser, nothing fetched from a CDN.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timezone
from html import escape

import altair as alt
import networkx as nx
import pandas as pd
import streamlit as st

from sandbox.metrics.adoption import AdoptionCurve
from sandbox.metrics.assessment import SOURCE as ASSESSMENT_SOURCE
from sandbox.metrics.assessment import AssessmentChange, ItemResult
from sandbox.metrics.network import ChampionReach, NetworkStats
from sandbox.metrics.participation import NIELSEN_SOURCE, NIELSEN_SPLIT, Participation
from sandbox.metrics.replies import ReplyStats
from sandbox.metrics.tags import TagReuse
from sandbox.metrics.threshold import Cascade, RoomComparison
from sandbox.metrics.wiki import WikiEditors
from sandbox.metrics.wording import duration, percent
from sandbox.ui.components.dashboard_summary import TITLES
from sandbox.ui.components.text import on_reader_clock, reader_zone, time_column

CHART_HEIGHT = 260
BAR_HEIGHT = 26  # pixels per bar in a horizontal bar chart
GROUP_LABELS = {"creators": "Creators", "light": "Light participants", "readers": "Readers"}
# Under this span a time axis needs seconds to tell its ticks apart.
SHORT_SPAN_SECONDS = 10 * 60
# The projector view: charts this much taller, axis and legend text in pixels.
LARGE_SCALE = 1.6
LARGE_LABEL = 22


def section(title: str, summary: str, chart: alt.Chart | None, table: pd.DataFrame | None, *, source: str = "",
            bars: int = 0, large: bool = False) -> None:
    """One dashboard block: heading, the sentence, the chart, the table, the source.

    ``bars``: for a horizontal bar chart, how many bars, so each gets room for its label.
    ``large``: for the projector view: taller chart, axis text readable from the back of
    a room, and no table (the sentence above says the figures).
    """
    st.subheader(title)
    st.markdown(summary)
    if chart is not None:
        height = max(120, BAR_HEIGHT * bars) if bars else CHART_HEIGHT
        chart = chart.properties(height=height * LARGE_SCALE if large else height)
        if large:
            chart = chart.configure_axis(labelFontSize=LARGE_LABEL, titleFontSize=LARGE_LABEL) \
                .configure_legend(labelFontSize=LARGE_LABEL).configure_text(fontSize=LARGE_LABEL)
        st.altair_chart(chart, width="stretch")
    if table is not None and not table.empty and not large:
        st.table(table)
    if source:
        st.caption(f"Source: {source}")


def _clock(moment) -> str:
    return moment.strftime("%H:%M") if moment is not None else ""


def time_axis_format(first, last) -> str:
    """Clock format for a time axis from ``first`` to ``last``: with seconds when the span is
    short, or the axis repeats one minute under every tick ("10:12 10:12 10:12")."""
    return "%H:%M:%S" if (last - first).total_seconds() < SHORT_SPAN_SECONDS else "%H:%M"


def adoption(curve: AdoptionCurve, names: Mapping[str, str] | None = None, *, large: bool = False) -> None:
    names = names or {}
    chart = None
    table = None
    zone = reader_zone()[0]
    if curve.points:
        # The reader's wall clock, marked UTC for the UTC scale below: the chart then shows the
        # times exactly as the table does (the browser would otherwise shift them once more).
        walls = [on_reader_clock(point.at, zone).replace(tzinfo=timezone.utc) for point in curve.points]
        points = pd.DataFrame({
            "time": walls,
            "share": [point.share * 100 for point in curve.points],
        })
        line = alt.Chart(points).mark_line(point=True, interpolate="step-after").encode(
            x=alt.X("time:T", title=time_column(), scale=alt.Scale(type="utc"),
                    axis=alt.Axis(format=time_axis_format(curve.points[0].at, curve.points[-1].at))),
            y=alt.Y("share:Q", title="Adopters (% of the room)", scale=alt.Scale(domain=[0, 100])),
        )
        rules = pd.DataFrame({"share": [line_.percent for line_ in curve.lines],
                              "label": [line_.chart_label for line_ in curve.lines]})
        reference = alt.Chart(rules).mark_rule(strokeDash=[6, 4], color="#444").encode(y="share:Q")
        labels = alt.Chart(rules).mark_text(align="left", dy=-6, color="#222").encode(
            y="share:Q", text="label:N", x=alt.value(4))
        chart = alt.layer(line, reference, labels)
        table = pd.DataFrame({
            time_column(): [_clock(wall) for wall in walls],
            "Who": [names.get(point.handle, point.handle) for point in curve.points],
            "Adopters": [point.adopters for point in curve.points],
            "Share of the room": [percent(point.share) for point in curve.points],
        })
    sources = "; ".join(f"{line_.percent}% — {line_.source}" for line_ in curve.lines)
    section(TITLES["adoption"], curve.summary(), chart, table, source=sources, large=large)


def participation(result: Participation, *, large: bool = False) -> None:
    shares = result.shares
    rows = [
        {"Group": GROUP_LABELS[group], "Who": who, "Share": round(value * 100, 1)}
        for group in ("creators", "light", "readers")
        for who, value in (("This room", shares[group]), ("90-9-1", NIELSEN_SPLIT[group]))
    ]
    data = pd.DataFrame(rows)
    chart = None
    if result.population:
        chart = alt.Chart(data).mark_bar().encode(
            x=alt.X("Share:Q", title="% of people", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("Group:N", title=None, sort=list(GROUP_LABELS.values())),
            yOffset=alt.YOffset("Who:N"),
            color=alt.Color("Who:N", legend=alt.Legend(title=None)),
        )
    table = pd.DataFrame({
        "Group": [GROUP_LABELS[group] for group in ("creators", "light", "readers")],
        "People": [result.creators, result.light, result.readers],
        "This room": [percent(shares[group]) for group in ("creators", "light", "readers")],
        "90-9-1": [percent(NIELSEN_SPLIT[group]) for group in ("creators", "light", "readers")],
    })
    summary = result.summary()
    if result.creators:
        summary += f" The busiest tenth made {percent(result.top_tenth_share)} of all contributions."
    section(TITLES["participation"], summary, chart if result.population else None, table,
            source=NIELSEN_SOURCE, bars=len(rows), large=large)


def replies(result: ReplyStats) -> None:
    table = pd.DataFrame({
        "Measure": ["Posts by learners", "Posts with a reply", "Reply rate", "Median time to first reply"],
        "Value": [str(result.posts), str(result.replied), percent(result.rate),
                  duration(result.median_seconds) if result.median_seconds is not None else "no replies yet"],
    })
    section(TITLES["replies"], result.summary(), None, table)


def network(stats: NetworkStats, graph: nx.DiGraph | None = None, names: Mapping[str, str] | None = None) -> None:
    """The measures as a table, and a drawing of who is tied to whom (when there are ties)."""
    table = pd.DataFrame({
        "Measure": ["Members", "Ties", "Density", "Ties returned (reciprocity)",
                    "Largest connected group", "Cross-department ties"],
        "Value": [str(stats.members), str(stats.ties), percent(stats.density), percent(stats.reciprocity),
                  percent(stats.largest_connected_share),
                  f"{stats.cross_department_ties} ({percent(stats.cross_department_share)})"],
    })
    chart = network_picture(graph, names or {}) if graph is not None and stats.ties else None
    section(TITLES["network"], stats.summary(), chart, table)


def network_picture(graph: nx.DiGraph, names: Mapping[str, str]) -> alt.Chart:
    """People as dots (coloured by department, champions larger), ties as lines.

    The layout is seeded so the picture does not jump about between refreshes.
    People without any tie are left out: they would only crowd the edge.
    """
    tied = graph.subgraph([node for node in graph if graph.degree(node) > 0])
    positions = nx.spring_layout(tied.to_undirected(), seed=7)
    nodes = pd.DataFrame([
        {"x": float(x), "y": float(y), "Person": names.get(node, node),
         "Department": tied.nodes[node].get("department") or "(none)",
         "Role": "champion" if tied.nodes[node].get("champion") else "member"}
        for node, (x, y) in positions.items()
    ])
    edges = pd.DataFrame([
        {"x": float(positions[a][0]), "y": float(positions[a][1]),
         "x2": float(positions[b][0]), "y2": float(positions[b][1]), "weight": weight}
        for a, b, weight in tied.edges(data="weight", default=1)
    ])
    hidden = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    lines = alt.Chart(edges).mark_rule(color="#888", opacity=0.6).encode(
        x=alt.X("x:Q", axis=hidden), y=alt.Y("y:Q", axis=hidden), x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("weight:Q", legend=None, scale=alt.Scale(range=[1, 4])),
    )
    dots = alt.Chart(nodes).mark_circle(opacity=1, stroke="#222", strokeWidth=1).encode(
        x=alt.X("x:Q", axis=hidden), y=alt.Y("y:Q", axis=hidden),
        color=alt.Color("Department:N"),
        size=alt.Size("Role:N", scale=alt.Scale(domain=["member", "champion"], range=[120, 360]),
                      legend=alt.Legend(title="Role")),
        tooltip=["Person:N", "Department:N", "Role:N"],
    )
    return alt.layer(lines, dots)


def champions(reach: ChampionReach, names: Mapping[str, str] | None = None) -> None:
    names = names or {}
    table = None
    chart = None
    if reach.per_champion:
        table = pd.DataFrame({
            "Champion": [names.get(handle, handle) for handle in reach.per_champion],
            "People reached": list(reach.per_champion.values()),
        })
        chart = alt.Chart(table).mark_bar().encode(
            x=alt.X("People reached:Q", title="People reached", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("Champion:N", title=None, sort="-x"),
        )
    section(TITLES["champions"], reach.summary(), chart, table, bars=len(reach.per_champion))


def wiki(result: WikiEditors, titles: Mapping[str, str] | None = None) -> None:
    titles = titles or {}
    table = None
    chart = None
    if result.editors_per_page:
        table = pd.DataFrame({
            "Page": [titles.get(page, f"Page {page}") for page in result.editors_per_page],
            "Editors": list(result.editors_per_page.values()),
        })
        chart = alt.Chart(table).mark_bar().encode(
            x=alt.X("Editors:Q", title="Distinct editors", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("Page:N", title=None, sort="-x"),
        )
    section(TITLES["wiki"], result.summary(), chart, table, bars=len(result.editors_per_page))


def tags(result: TagReuse) -> None:
    table = None
    chart = None
    if result.top_tags:
        table = pd.DataFrame({"Tag": [f"#{tag}" for tag, _ in result.top_tags],
                              "Uses": [count for _, count in result.top_tags]})
        chart = alt.Chart(table).mark_bar().encode(
            x=alt.X("Uses:Q", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("Tag:N", title=None, sort="-x"),
        )
    summary = result.summary()
    if result.uses:
        summary += f" {result.distinct_tags} different tags in all."
    section(TITLES["tags"], summary, chart, table, bars=len(result.top_tags))


def cascade_chart(title: str, result: Cascade) -> None:
    """The share that has joined after each round of the cascade."""
    shares = result.shares_by_round()
    table = None
    chart = None
    if shares:
        table = pd.DataFrame({
            "Round": list(range(1, len(shares) + 1)),
            "Joined this round": [len(group) for group in result.rounds],
            "Joined so far": [percent(share) for share in shares],
        })
        data = pd.DataFrame({"Round": table["Round"], "Percent": [share * 100 for share in shares]})
        chart = alt.Chart(data).mark_line(point=True).encode(
            x=alt.X("Round:O", title="Round"),
            y=alt.Y("Percent:Q", title="Joined (% of those who stated)", scale=alt.Scale(domain=[0, 100])),
        )
    section(title, result.summary(), chart, table)


def comparison_table(result: RoomComparison, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Per person: stated threshold, predicted round, when they actually contributed first."""
    names = names or {}
    return pd.DataFrame({
        "Person": [names.get(person.person, person.person) for person in result.people],
        "Threshold": [percent(person.threshold) for person in result.people],
        "Predicted to join": [f"round {person.predicted_round}" if person.predicted_round else "never"
                              for person in result.people],
        "Actually contributed": [_clock(person.adopted_at) if person.adopted_at else "not yet"
                                 for person in result.people],
    })


def mission_matrix(columns: Sequence[tuple[str, str]], rows: Sequence[tuple[str, Sequence[str]]],
                   *, label: str = "Learner by mission") -> None:
    """The learner x mission table: ``columns`` are (key, heading), ``rows`` (learner, cells).

    Drawn as our own HTML table inside a keyboard-focusable scroll region: with
    fifteen missions it is wider than the page, and a scrollable area must be
    reachable without a mouse (axe: scrollable-region-focusable). Every text is escaped.
    """
    if not rows:
        return
    head = '<th scope="col">Learner</th>' + "".join(f'<th scope="col">{escape(title)}</th>' for _, title in columns)
    body = "".join(
        f'<tr><th scope="row">{escape(name)}</th>' + "".join(f"<td>{escape(cell)}</td>" for cell in cells) + "</tr>"
        for name, cells in rows
    )
    st.html(
        f'<div class="io-matrix" role="region" aria-label="{escape(label)}" tabindex="0" '
        'style="overflow-x:auto; max-width:100%">'
        '<table style="border-collapse:collapse; font-size:0.9rem">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        "<style>.io-matrix th, .io-matrix td {border:1px solid #999; padding:0.2rem 0.5rem; "
        "text-align:left; white-space:nowrap} .io-matrix:focus {outline:3px solid #1a5fb4}</style>"
    )


def assessment(change: AssessmentChange) -> None:
    """Before and after: right answers per question and mean confidence per statement, each as bars
    for the two rounds, with the room's paired change in words above them and the figures in tables."""
    st.subheader(TITLES["assessment"])
    st.markdown(change.summary())
    if not (change.answered["before"] or change.answered["after"]):
        return
    extra = change.item_summary()
    if extra:
        st.markdown(extra)
    blocks = (
        ("Right answers to each question, before and after", change.knowledge, True),
        ("Mean confidence in each statement (1 = not at all, 4 = very), before and after", change.confidence, False),
    )
    for title, items, as_share in blocks:
        _assessment_block(title, items, as_share)
    st.caption(f"Source: {ASSESSMENT_SOURCE}")


def _assessment_block(title: str, items: Sequence[ItemResult], as_share: bool) -> None:
    def shown(value: float | None) -> str:
        if value is None:
            return "no answers"
        return percent(value) if as_share else f"{value:.1f}"

    rows = [
        {"Item": f"Q{item.number}", "Round": round_.capitalize(),
         "Value": (getattr(item, round_) or 0) * (100 if as_share else 1)}
        for item in items for round_ in ("before", "after")
    ]
    order = [f"Q{item.number}" for item in items]
    chart = alt.Chart(pd.DataFrame(rows)).mark_bar().encode(
        x=alt.X("Value:Q", title="% right" if as_share else "Mean confidence",
                scale=alt.Scale(domain=[0, 100] if as_share else [0, 4])),
        y=alt.Y("Item:N", title=None, sort=order),
        yOffset=alt.YOffset("Round:N", sort=["Before", "After"]),
        color=alt.Color("Round:N", sort=["Before", "After"], legend=alt.Legend(title=None)),
    )
    st.markdown(f"**{title}**")
    st.altair_chart(chart.properties(height=max(120, BAR_HEIGHT * len(rows))), width="stretch")
    st.table(pd.DataFrame({
        # "Q6: ..." not "6. ...": st.table renders Markdown, which would make "6." a list.
        "Item": [f"Q{item.number}: {item.text}" for item in items],
        "Before": [shown(item.before) for item in items],
        "After": [shown(item.after) for item in items],
    }))
