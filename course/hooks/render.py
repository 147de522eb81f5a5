"""HTML and Markdown the lesson hook adds to pages. Pure functions, easy to test."""
from __future__ import annotations

import html
import posixpath

import markdown as _markdown

_inline = _markdown.Markdown(extensions=["pymdownx.smartsymbols"])


def inline(text: str) -> str:
    """Render a short Markdown phrase from front matter as inline HTML."""
    rendered = _inline.reset().convert(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>"):
        rendered = rendered[3:-4]
    return rendered


def _items(values) -> str:
    return "".join(f"<li>{inline(value)}</li>" for value in values)


def relative_url(from_page_url: str, target: str) -> str:
    """A link from a built page (its ``page.url``) to a path relative to the site root."""
    base = posixpath.dirname(from_page_url)
    return posixpath.relpath(target, base or ".")


def _time_parts(module, notebook=None) -> str:
    """What the exercise minutes hold, and what comes on top of them."""
    parts = [f"core challenges {module.core_minutes} min"]
    if module.mission_minutes:
        parts.append(f"sandbox missions {module.mission_minutes} min")
    spare = module.exercises - module.core_minutes - module.mission_minutes
    if spare:
        parts.append(f"{spare} min to spare")
    text = "Exercises: " + ", ".join(parts) + "."
    if module.optional_minutes:
        text += f" Optional challenges: {module.optional_minutes} min more, if you have time."
    if notebook is not None:
        text += f" Graded notebook {html.escape(notebook.assignment)}: about {notebook.minutes} min, on top"
        if len(notebook.modules) > 1:
            numbers = " and ".join(str(m.number) for m in notebook.modules)
            text += f" (one notebook for modules {numbers})"
        text += "."
    return text


def overview(module, notebook=None) -> str:
    return (
        '<section class="lesson-overview" aria-labelledby="lesson-overview-title">\n'
        '<h2 id="lesson-overview-title">Overview</h2>\n'
        f'<p class="lesson-time"><strong>Time:</strong> {module.teaching} min teaching, '
        f"{module.exercises} min exercises ({module.minutes} min in all). "
        f"{_time_parts(module, notebook)}</p>\n"
        '<div class="lesson-columns">\n'
        f"<div><h3>Questions</h3><ul>{_items(module.questions)}</ul></div>\n"
        f"<div><h3>Objectives</h3><ul>{_items(module.objectives)}</ul></div>\n"
        "</div>\n</section>\n\n"
    )


def practice(module, missions: dict, page_url: str) -> str:
    parts = []
    if module.missions:
        rows = "".join(
            f"<li><strong>{html.escape(missions[m]['title'])}</strong>"
            f" <span class=\"mission-id\">({html.escape(m)})</span>"
            + (f": {html.escape(missions[m]['description'])}" if missions[m].get("description") else "")
            + "</li>"
            for m in module.missions
        )
        parts.append(
            '<section class="lesson-try" aria-labelledby="lesson-try-title">\n'
            '<h2 id="lesson-try-title">Try it in the sandbox</h2>\n'
            "<p>Open the sandbox and look for these missions on the Missions page:</p>\n"
            f"<ul>{rows}</ul>\n</section>\n"
        )
    if module.assignment:
        href = relative_url(page_url, f"workbook/{module.assignment}/{module.assignment}.html")
        parts.append(
            '<section class="lesson-assignment" aria-labelledby="lesson-assignment-title">\n'
            '<h2 id="lesson-assignment-title">Graded exercise</h2>\n'
            f'<p>Practise and prove it in the notebook <a data-workbook="{html.escape(module.assignment)}" href="{html.escape(href)}">'
            f"{html.escape(module.assignment)}</a> (open it in the workbook, download the "
            "notebook, and hand it in as your trainer explains).</p>\n</section>\n"
        )
    return "\n".join(parts) + "\n"


def keypoints(module) -> str:
    return (
        '<section class="lesson-keypoints" aria-labelledby="lesson-keypoints-title">\n'
        '<h2 id="lesson-keypoints-title">Key points</h2>\n'
        f"<ul>{_items(module.keypoints)}</ul>\n</section>\n\n"
    )


def schedule_page(modules, agendas_page: str | None = None, notebooks: dict | None = None) -> str:
    intro = (
        "Every module with its minutes: teaching, then exercises (the core challenges and "
        "the sandbox missions; optional challenges are extra)."
    )
    if agendas_page:
        intro += f" Trainers: the [agendas]({agendas_page}) are built from these numbers."
    notebooks = notebooks or {}
    lines = [
        "---\ntitle: Schedule\n---\n\n# Schedule\n",
        intro + "\n",
        "| Module | Teaching | Exercises | Total | Running total | Graded notebook |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    running = 0
    for module in modules:
        running += module.minutes
        notebook = notebooks.get(module.assignment)
        if notebook is None:
            notebook_cell = ""
        elif notebook.modules[0] is module:
            notebook_cell = f"{notebook.assignment}, about {notebook.minutes} min"
        else:
            notebook_cell = f"{notebook.assignment} (with module {notebook.modules[0].number})"
        lines.append(
            f"| [{module.number}. {module.title}]({module.path}) | {module.teaching} min "
            f"| {module.exercises} min | {module.minutes} min | {_hours(running)} | {notebook_cell} |"
        )
    teaching = sum(m.teaching for m in modules)
    exercises = sum(m.exercises for m in modules)
    notebook_minutes = sum(n.minutes for n in notebooks.values())
    notebook_total = f"**about {_hours(notebook_minutes)}**" if notebooks else ""
    lines.append(
        f"| **All modules** | **{teaching} min** | **{exercises} min** "
        f"| **{teaching + exercises} min** | **{_hours(teaching + exercises)}** | {notebook_total} |"
    )
    return "\n".join(lines) + "\n"


def self_study_tables(plan, page_url: str) -> str:
    """The self-study plan's days and its notebooks, every number from the modules."""
    def link(module) -> str:
        href = html.escape(relative_url(page_url, module.html_path))
        return f'<a href="{href}">{module.number} {html.escape(module.title)}</a>'

    rows = []
    for day in plan.days:
        missions = list(dict.fromkeys(m for module in day.modules for m in module.missions))
        rows.append(
            f"<tr><td>{day.number}</td><td>{'<br>'.join(link(m) for m in day.modules)}</td>"
            f"<td>{html.escape(', '.join(missions)) or 'none'}</td><td>{day.minutes} min</td></tr>"
        )
    days = (
        '<table id="self-study-days">\n'
        f"<caption>The modules in {len(plan.days)} sessions of up to {plan.day_minutes} minutes: "
        f"{_hours(plan.module_minutes)} in all</caption>\n"
        '<thead><tr><th scope="col">Session</th><th scope="col">Modules</th>'
        '<th scope="col">Sandbox missions</th><th scope="col">Minutes</th></tr></thead>\n'
        f"<tbody>{''.join(rows)}</tbody>\n"
        f'<tfoot><tr><th scope="row" colspan="3">All modules</th><td>{plan.module_minutes} min</td></tr></tfoot>\n'
        "</table>\n"
    )
    rows = [
        f"<tr><td>{html.escape(n.assignment)}</td><td>{', '.join(link(m) for m in n.modules)}</td>"
        f"<td>{n.minutes} min</td></tr>"
        for n in plan.notebooks
    ]
    notebooks = (
        '<table id="self-study-notebooks">\n'
        f"<caption>The {len(plan.notebooks)} graded notebooks (optional): about "
        f"{_hours(plan.notebook_minutes)} in all</caption>\n"
        '<thead><tr><th scope="col">Notebook</th><th scope="col">After module</th>'
        '<th scope="col">About</th></tr></thead>\n'
        f"<tbody>{''.join(rows)}</tbody>\n"
        f'<tfoot><tr><th scope="row" colspan="2">All notebooks</th><td>{plan.notebook_minutes} min</td></tr></tfoot>\n'
        "</table>\n"
    )
    return days + "\n" + notebooks


def keypoints_page(modules) -> str:
    lines = ["---\ntitle: Key points\n---\n\n# Key points\n", "The key points of every module, in one place.\n"]
    for module in modules:
        lines.append(f"## [{module.number}. {module.title}]({module.path})\n")
        lines.extend(f"- {point}" for point in module.keypoints)
        lines.append("")
    return "\n".join(lines) + "\n"


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def agenda_table(agenda, page_url: str) -> str:
    rows = []
    for slot in agenda.slots:
        label = html.escape(slot.label)
        if slot.module is not None:
            label = f'<a href="{html.escape(relative_url(page_url, slot.module.html_path))}">{label}</a>'
        if slot.is_break:
            label = f"<em>{label}</em>"
        rows.append(
            f"<tr><td>{slot.start}</td><td>{slot.end}</td><td>{slot.minutes} min</td><td>{label}</td></tr>"
        )
    first, last = agenda.slots[0], agenda.slots[-1]
    caption = (
        f"{html.escape(agenda.title)}: {first.start} to {last.end}, {_hours(agenda.minutes)} "
        f"in all, including {agenda.break_minutes} min of breaks"
    )
    return (
        # No class on the table: mkdocs-material styles only class-less tables.
        f'<table id="agenda-{agenda.key}">\n<caption>{caption}</caption>\n'
        '<thead><tr><th scope="col">Starts</th><th scope="col">Ends</th>'
        '<th scope="col">Length</th><th scope="col">What</th></tr></thead>\n'
        f"<tbody>{''.join(rows)}</tbody>\n</table>\n"
    )
