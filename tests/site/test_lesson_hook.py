"""The lesson hook: schema checks, rendering, placeholders, agendas, generated pages."""
from __future__ import annotations

import re
import sys

import pytest

from tests.site.conftest import HOOKS, mkdocs_build

sys.path.insert(0, str(HOOKS))

from agendas import AgendaError, build_agenda  # noqa: E402
from lesson_schema import SchemaError, parse_module  # noqa: E402
from plans import PlanError, build_self_study, totals  # noqa: E402


def module_text(drop=None, replace=None, challenges=2, trainer=True, solutions=True,
                marks=("core, 3 min", "optional, 5 min")):
    front = {
        "title": '"Title"',
        "teaching": "10",
        "exercises": "5",
        "questions": '\n  - "Why?"',
        "objectives": '\n  - "Do it."',
        "keypoints": '\n  - "It matters."',
    }
    front.update(replace or {})
    if drop:
        front.pop(drop)
    head = "\n".join(f"{key}: {value}" for key, value in front.items())
    body = ""
    for number in range(challenges):
        mark = f" ({marks[number % len(marks)]})" if marks else ""
        body += f'\n!!! question "Challenge{mark}: {number}"\n\n    Try.\n'
        if solutions:
            body += '\n    ??? success "Solution"\n\n        Answer.\n'
    if trainer:
        body += '\n!!! instructor "Trainer notes"\n\n    Note.\n'
    return f"---\n{head}\n---\n\n## Body\n{body}"


def test_parse_module_reads_every_part():
    module = parse_module(module_text(), "modules/03-wiki.md")
    assert (module.number, module.title, module.minutes) == (3, "Title", 15)
    assert module.questions == ("Why?",) and module.keypoints == ("It matters.",)
    assert module.challenges == 2
    assert (module.core_minutes, module.optional_minutes) == (3, 5)
    assert (module.mission_minutes, module.notebook_minutes) == (0, None)


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"marks": None}, "every challenge says core or optional and its minutes"),
        ({"marks": ("core, 3 min", "maybe, 5 min")}, 'not "Challenge (maybe, 5 min)"'),
        ({"marks": ("optional, 3 min",)}, "needs at least one core challenge"),
        ({"marks": ("core, 6 min",)}, "the core challenges (12 min) and missions (0 min) do not fit in 'exercises' (5 min)"),
        ({"replace": {"missions": "[first-post]"}}, "'mission_minutes' must say how long its missions take"),
        ({"replace": {"missions": "[first-post]", "mission_minutes": "3"}}, "the core challenges (3 min) and missions (3 min) do not fit"),
        ({"replace": {"notebook_minutes": "20"}}, "'notebook_minutes' needs an 'assignment'"),
        ({"replace": {"assignment": "m03-wiki", "notebook_minutes": "soon"}}, "'notebook_minutes' must be a whole number"),
    ],
)
def test_challenge_marks_and_minutes_are_checked(kwargs, expected):
    with pytest.raises(SchemaError, match=re.escape(expected)):
        parse_module(module_text(**kwargs), "modules/03-wiki.md")


def test_core_challenges_and_missions_that_fit_are_read():
    module = parse_module(
        module_text(replace={"missions": "[first-post]", "mission_minutes": "2",
                             "assignment": "m03-wiki", "notebook_minutes": "25"}),
        "modules/03-wiki.md",
    )
    assert (module.core_minutes, module.mission_minutes, module.notebook_minutes) == (3, 2, 25)


@pytest.mark.parametrize("part", ["title", "teaching", "exercises", "questions", "objectives", "keypoints"])
def test_missing_part_names_file_and_part(part):
    with pytest.raises(SchemaError) as error:
        parse_module(module_text(drop=part), "modules/03-wiki.md")
    message = str(error.value)
    assert message.startswith("course/modules/03-wiki.md: missing '" + part + "'")
    assert "\n" not in message


@pytest.mark.parametrize(
    "replace, expected",
    [
        ({"teaching": "twenty"}, "'teaching' must be a whole number"),
        ({"exercises": "-5"}, "'exercises' must be a whole number"),
        ({"questions": '"just one string"'}, "'questions' must be a non-empty list"),
        ({"keypoints": "\n  - 3"}, "'keypoints' must be a non-empty list"),
        ({"missions": '"first-post"'}, "'missions' must be a list"),
    ],
)
def test_wrong_types_are_named(replace, expected):
    with pytest.raises(SchemaError, match=re.escape(expected)):
        parse_module(module_text(replace=replace), "modules/03-wiki.md")


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"challenges": 1}, "needs at least 2 challenges"),
        ({"solutions": False}, "every challenge needs a collapsible solution"),
        ({"trainer": False}, "missing trainer notes"),
    ],
)
def test_body_parts_are_required(kwargs, expected):
    with pytest.raises(SchemaError, match=expected):
        parse_module(module_text(**kwargs), "modules/03-wiki.md")


def test_broken_yaml_reports_the_line():
    text = module_text().replace('title: "Title"', 'title: "Title\nteaching: [')
    with pytest.raises(SchemaError, match=r"^course/modules/03-wiki.md, line \d+: broken front matter"):
        parse_module(text, "modules/03-wiki.md")


def test_no_front_matter():
    with pytest.raises(SchemaError, match="no front matter"):
        parse_module("## Just a body\n", "modules/03-wiki.md")


class FakeModule:
    def __init__(self, number, teaching, exercises):
        self.number, self.teaching, self.exercises = number, teaching, exercises
        self.title = f"M{number}"
        self.minutes = teaching + exercises
        self.html_path = f"modules/{number:02d}.html"


def test_agenda_times_follow_module_minutes():
    modules = {1: FakeModule(1, 20, 25), 2: FakeModule(2, 15, 10)}
    spec = {
        "title": "Half day",
        "start": "09:00",
        "items": [
            {"label": "Welcome", "minutes": 15},
            {"module": 1},
            {"label": "Break", "minutes": 15, "break": True},
            {"module": 2, "part": "teaching"},
        ],
    }
    agenda = build_agenda("half-day", spec, modules)
    assert [(s.start, s.end) for s in agenda.slots] == [
        ("09:00", "09:15"), ("09:15", "10:00"), ("10:00", "10:15"), ("10:15", "10:30"),
    ]
    assert (agenda.minutes, agenda.break_minutes) == (90, 15)
    modules[1].minutes = 60  # a module grows: everything after it moves
    assert build_agenda("half-day", spec, modules).slots[-1].end == "10:45"


@pytest.mark.parametrize(
    "items, expected",
    [
        ([{"module": 9}], "there is no module 9"),
        ([{"label": "Tea"}], "a slot needs a 'label' and whole 'minutes'"),
        ([{"module": 1, "part": "half"}], "part must be teaching, exercises or both"),
    ],
)
def test_agenda_errors_name_the_item(items, expected):
    with pytest.raises(AgendaError, match=re.escape(expected)):
        build_agenda("x", {"start": "09:00", "items": items}, {1: FakeModule(1, 5, 5)})


def test_fixture_project_builds_with_rendered_schema(fixture_project, tmp_path):
    result = mkdocs_build(fixture_project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "modules" / "01-first.html").read_text()
    assert "lesson-overview" in page and "10 min teaching, 5 min exercises" in page
    assert page.index("lesson-keypoints") < page.index('id="sources"'), "key points come before Sources"
    assert "Uses the fixture wiki." in page
    schedule = (tmp_path / "out" / "schedule.html").read_text()
    assert "40 min" in schedule and "All modules" in schedule  # 15 + 25 minutes
    keypoints = (tmp_path / "out" / "key-points.html").read_text()
    assert "Key point 1." in keypoints and "Key point 2." in keypoints
    agenda = (tmp_path / "out" / "learners" / "agenda.html").read_text()
    assert "09:30 to 10:30" in agenda
    assert 'id="self-study-days"' in agenda and "<td>25 min</td>" in agenda
    home = (tmp_path / "out" / "index.html").read_text()
    assert "The modules take 40 min in 2 sessions." in home, "totals are worked out, not typed"
    assert "core challenges 3 min" in page and "Optional challenges: 2 min more" in page


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda t: t.replace('keypoints:\n  - "Key point 1."\n', ""), "course/modules/01-first.md: missing 'keypoints'"),
        (lambda t: t.replace("teaching: 10", "teaching: [oops"), "course/modules/01-first.md, line"),
        (lambda t: t.replace("Uses {{ tools.wiki }}", "Uses {{ tools.intranet }}"), "unknown placeholder '{{ tools.intranet }}'"),
        (lambda t: t.replace("teaching: 10", "teaching: 30"), "extra.self_study.days[0]: modules 1 take 35 min, more than day_minutes (30)"),
        (lambda t: t.replace("---\n\n## Body", "missions: [no-such-mission]\nmission_minutes: 2\n---\n\n## Body"), "unknown sandbox mission 'no-such-mission'"),
        (lambda t: t.replace("---\n\n## Body", "assignment: m99-nothing\n---\n\n## Body"), "unknown assignment 'm99-nothing'"),
    ],
)
def test_broken_module_stops_the_build_with_one_line(fixture_project, tmp_path, edit, expected):
    page = fixture_project / "course" / "modules" / "01-first.md"
    page.write_text(edit(page.read_text()))
    result = mkdocs_build(fixture_project, tmp_path / "out")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert expected in output
    error_lines = [line for line in output.splitlines() if expected in line]
    assert len(error_lines) == 1


class PlanModule:
    """Just what the self-study plan reads from a module."""

    def __init__(self, number, minutes, assignment=None, notebook_minutes=None, missions=()):
        self.number, self.minutes, self.teaching, self.exercises = number, minutes, minutes, 0
        self.assignment, self.notebook_minutes, self.missions = assignment, notebook_minutes, missions
        self.title, self.path = f"M{number}", f"modules/{number:02d}-m.md"
        self.html_path = f"modules/{number:02d}-m.html"


def plan_modules():
    return {
        1: PlanModule(1, 35, "m01", 25),
        2: PlanModule(2, 25, "m02", 30),
        3: PlanModule(3, 30, "m02"),  # shares module 2's notebook, which owns its minutes
    }


def test_self_study_plan_adds_up_from_module_and_notebook_minutes():
    plan = build_self_study({"day_minutes": 60, "days": [[1], [2, 3]]}, plan_modules())
    assert [day.minutes for day in plan.days] == [35, 55]
    assert [(n.assignment, n.minutes) for n in plan.notebooks] == [("m01", 25), ("m02", 30)]
    assert (plan.module_minutes, plan.notebook_minutes, plan.minutes) == (90, 55, 145)
    assert totals(plan, plan_modules().values())["all"] == "2 h 25 min"
    assert totals(plan, plan_modules().values())["days"] == "2"


@pytest.mark.parametrize(
    "spec, modules_edit, expected",
    [
        ({"day_minutes": 60, "days": [[1], [2]]}, None, "modules 3 are on no day"),
        ({"day_minutes": 60, "days": [[1], [2, 3], [3]]}, None, "module 3 is already on an earlier day"),
        ({"day_minutes": 50, "days": [[1], [2, 3]]}, None, "modules 2, 3 take 55 min, more than day_minutes (50)"),
        ({"day_minutes": 60, "days": [[1], [3, 2]]}, None, "list the modules in course order"),
        ({"day_minutes": 60, "days": [[1], [2, 3], [4]]}, None, "there is no module 4"),
        ({"days": [[1], [2, 3]]}, None, "day_minutes: must be a whole number"),
        ({"day_minutes": 60, "days": [[1], [2, 3]]}, lambda m: setattr(m[3], "notebook_minutes", 10),
         "notebook m02: 'notebook_minutes' is set in modules/02-m.md and modules/03-m.md; set it once"),
        ({"day_minutes": 60, "days": [[1], [2, 3]]}, lambda m: setattr(m[1], "notebook_minutes", None),
         "notebook m01: no module gives its 'notebook_minutes'"),
    ],
)
def test_self_study_plan_errors_name_what_is_wrong(spec, modules_edit, expected):
    modules = plan_modules()
    if modules_edit:
        modules_edit(modules)
    with pytest.raises(PlanError, match=re.escape(expected)):
        build_self_study(spec, modules)
