"""mkdocs hook: the lesson schema, placeholders, agendas, schedule and key points.

- Every module page (course/modules/NN-slug.md) is checked against the lesson schema
  (lesson_schema.py); the build stops with one line naming the file and the part.
- The hook renders each module's overview (time, questions, objectives) at the top,
  and its "Try it in the sandbox" missions, graded-exercise link and key points at the
  bottom (before a closing "Sources" section).
- ``{{ org.name }}``-style placeholders come from ``extra`` in mkdocs.yml; an unknown
  one stops the build. ``{{ agenda: KEY }}`` lines become agenda tables.
- The self-study plan (``extra.self_study``) is checked and computed from the same
  minutes (plans.py): a ``{{ self-study }}`` line becomes its tables, and
  ``{{ totals.modules }}``, ``{{ totals.notebooks }}``, ``{{ totals.days }}`` and the
  other ``totals`` values are worked out here, never typed into a page.
- ``{{ figure: NAME }}`` and ``{{ screenshot: NAME }}`` lines become figures with a
  caption, a source and a text description (figures.py, screenshots.py).
- Every image on every page needs a text alternative and a description in a figure
  (alt_text.py): the build stops with one line naming the file and the image.
- ``{{ self-assessment: questions }}`` and ``{{ self-assessment: answers }}`` print
  the sandbox's self-assessment (self_assessment.py), so course and sandbox agree.
- Two pages are generated: schedule.md and key-points.md.
"""
from __future__ import annotations

import dataclasses
import logging
import re
import sys
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))

import agendas as agenda_lib  # noqa: E402
import alt_text  # noqa: E402
import catalogue  # noqa: E402
import plans  # noqa: E402
import figures  # noqa: E402
import render  # noqa: E402
import screenshots  # noqa: E402
import self_assessment  # noqa: E402
from lesson_schema import SchemaError, is_module, parse_module  # noqa: E402

log = logging.getLogger("mkdocs.hooks.lesson")

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]+)\.([A-Za-z_]+)\s*\}\}")
AGENDA_MARKER = re.compile(r"^\{\{\s*agenda:\s*([A-Za-z0-9_-]+)\s*\}\}\s*$", re.MULTILINE)
SELF_STUDY_MARKER = re.compile(r"^\{\{\s*self-study\s*\}\}\s*$", re.MULTILINE)
SOURCES_HEADING = re.compile(r"^##\s+(Sources|References)\s*$", re.MULTILINE)

_state: dict = {}


def _fail(message: str):
    raise Abort(message)


def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    _state.clear()
    _state["root"] = root
    figures.clear_cache()  # a rebuild (mkdocs serve) sees edited diagrams and data
    _state["missions"] = catalogue.load_missions(root)
    _state["assignments"] = catalogue.load_assignments(root)
    _state["self_assessment"] = self_assessment.load(root)
    return config


def on_files(files, config):
    modules = []
    for file in files.documentation_pages():
        if not is_module(file.src_uri):
            continue
        text = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
        try:
            module = parse_module(text, file.src_uri, docs_label=Path(config.docs_dir).name)
        except SchemaError as error:
            _fail(str(error))
        where = f"{Path(config.docs_dir).name}/{file.src_uri}"
        for mission in module.missions:
            if mission not in _state["missions"]:
                _fail(f"{where}: unknown sandbox mission '{mission}' (not in sandbox/scenarios/)")
        if module.assignment and module.assignment not in _state["assignments"]:
            _fail(f"{where}: unknown assignment '{module.assignment}' (no exercises/source/{module.assignment}/{module.assignment}.ipynb)")
        modules.append(module)
    modules.sort(key=lambda m: m.number)
    numbers = [m.number for m in modules]
    if len(set(numbers)) != len(numbers):
        _fail("course/modules: two module files share a number")
    _state["modules"] = {m.path: m for m in modules}
    _state["by_number"] = {m.number: m for m in modules}

    try:
        _state["agendas"] = {
            key: agenda_lib.build_agenda(key, spec, _state["by_number"])
            for key, spec in (config.extra.get("agendas") or {}).items()
        }
    except agenda_lib.AgendaError as error:
        _fail(str(error))

    # Computed values live in their own placeholder group (always overwritten), so no
    # page types a total.
    try:
        notebooks = plans.notebooks(modules)
        spec = config.extra.get("self_study")
        _state["self_study"] = plans.build_self_study(spec, _state["by_number"]) if spec else None
    except plans.PlanError as error:
        _fail(str(error))
    if _state["self_study"] is not None:
        config.extra["totals"] = plans.totals(_state["self_study"], modules)
    _state["notebooks"] = {n.assignment: n for n in notebooks}

    docs_label = Path(config.docs_dir).name
    for file in files.documentation_pages():
        text = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
        _check_placeholders(text, f"{docs_label}/{file.src_uri}", config)

    files.append(File.generated(config, "schedule.md", content=render.schedule_page(
        modules, "trainers/agendas.md" if files.get_file_from_path("trainers/agendas.md") else None,
        _state["notebooks"],
    )))
    files.append(File.generated(config, "key-points.md", content=render.keypoints_page(modules)))
    return files


def _check_placeholders(text: str, where: str, config) -> None:
    """Fail early (before any page renders) on an unknown placeholder or agenda."""
    extra = config.extra
    for match in PLACEHOLDER.finditer(text):
        group, key = match.group(1), match.group(2)
        values = extra.get(group)
        if not isinstance(values, dict) or values.get(key) is None:
            _fail(f"{where}: unknown placeholder '{match.group(0)}' (set extra.{group}.{key} in mkdocs.yml)")
    for match in AGENDA_MARKER.finditer(text):
        if match.group(1) not in _state["agendas"]:
            _fail(f"{where}: no agenda '{match.group(1)}' in mkdocs.yml extra.agendas")
    if SELF_STUDY_MARKER.search(text) and _state.get("self_study") is None:
        _fail(f"{where}: '{{{{ self-study }}}}' needs extra.self_study in mkdocs.yml")
    for match in figures.MARKER.finditer(text):
        try:
            figures.get(match.group(1), _figure_dir(config))
        except figures.FigureError as error:
            _fail(f"{where}: {error}")
    for match in screenshots.MARKER.finditer(text):
        try:
            screenshots.figure(match.group(1), Path(config.docs_dir))
        except screenshots.ScreenshotError as error:
            _fail(f"{where}: {error}")


def _figure_dir(config) -> Path:
    """Where a project's hand-written diagrams are: assets/figures in its docs dir."""
    return Path(config.docs_dir).resolve() / "assets" / "figures"


def _substitute(markdown: str, page, config) -> str:
    extra = config.extra
    markdown = AGENDA_MARKER.sub(
        lambda m: render.agenda_table(_state["agendas"][m.group(1)], page.url), markdown
    )
    markdown = SELF_STUDY_MARKER.sub(
        lambda m: render.self_study_tables(_state["self_study"], page.url), markdown
    )
    markdown = figures.MARKER.sub(
        lambda m: figures.render(figures.get(m.group(1), _figure_dir(config))), markdown
    )
    markdown = screenshots.MARKER.sub(
        lambda m: screenshots.render(screenshots.figure(m.group(1), Path(config.docs_dir)), page.url), markdown
    )
    try:
        markdown = self_assessment.substitute(markdown, _state["self_assessment"], page.file.src_uri)
    except ValueError as error:
        _fail(str(error))
    return PLACEHOLDER.sub(lambda m: str(extra[m.group(1)][m.group(2)]), markdown)


def _substitute_module(module, config):
    """The module with placeholders in its front matter text replaced too."""
    extra = config.extra

    def sub(text: str) -> str:
        return PLACEHOLDER.sub(lambda m: str(extra[m.group(1)][m.group(2)]), text)

    return dataclasses.replace(
        module,
        title=sub(module.title),
        questions=tuple(map(sub, module.questions)),
        objectives=tuple(map(sub, module.objectives)),
        keypoints=tuple(map(sub, module.keypoints)),
    )


def on_page_markdown(markdown, page, config, files):
    markdown = _substitute(markdown, page, config)
    module = _state.get("modules", {}).get(page.file.src_uri)
    if module is None:
        return markdown
    module = _substitute_module(module, config)
    closing = render.practice(module, _state["missions"], page.url) + render.keypoints(module)
    sources = SOURCES_HEADING.search(markdown)
    if sources:
        body = markdown[: sources.start()] + closing + markdown[sources.start():]
    else:
        body = markdown + "\n\n" + closing
    # An explicit h1 (the schema forbids one in the body) so the page, the print
    # page and the search index all carry the module's title.
    notebook = _state["notebooks"].get(module.assignment) if module.assignment else None
    return f"# {module.title}\n\n" + render.overview(module, notebook) + body


def on_page_content(html, page, config, files):
    """Every picture needs a text alternative: note the first one without (see on_env)."""
    problem = alt_text.first_problem(html)
    if problem and "alt_problem" not in _state:
        _state["alt_problem"] = f"{Path(config.docs_dir).name}/{page.file.src_uri}: {problem}"
    return html


def on_env(env, config, files):
    """Stop before any page is written if a picture lacks a text alternative.

    Raised here rather than in on_page_content, where mkdocs would print the message
    twice ("Error reading page ..." and then the error itself).
    """
    if "alt_problem" in _state:
        _fail(_state["alt_problem"])
    return env


WORKBOOK_LINK = re.compile(r'<a data-workbook="([a-z0-9-]+)" href="[^"]*"')


def on_post_build(config):
    """Point the print page's workbook links at the workbook.

    The print-site plugin turns every link to an .html page into an anchor inside
    the print page; the workbook is not part of it, so those links would go nowhere.
    """
    print_page = Path(config.site_dir) / "print_page.html"
    if print_page.is_file():
        text = print_page.read_text(encoding="utf-8")
        fixed = WORKBOOK_LINK.sub(
            lambda m: f'<a data-workbook="{m.group(1)}" href="workbook/{m.group(1)}/{m.group(1)}.html"', text
        )
        if fixed != text:
            print_page.write_text(fixed, encoding="utf-8")
