"""The real course: every module follows the schema, and the agendas add up."""
from __future__ import annotations

import sys
from datetime import datetime

import pytest
import yaml

from tests.conftest import ROOT
from tests.site.conftest import HOOKS

sys.path.insert(0, str(HOOKS))

import catalogue  # noqa: E402
from agendas import build_agenda  # noqa: E402
from lesson_schema import MIN_CHALLENGES, parse_module  # noqa: E402

MODULES = sorted((ROOT / "course" / "modules").glob("*.md"))


def load_mkdocs_config() -> dict:
    class Loader(yaml.SafeLoader):
        """SafeLoader that ignores mkdocs' own tags (added below, on this subclass only)."""

    # mkdocs.yml may use !ENV and similar tags; they do not matter here.
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)


def modules_by_number():
    parsed = [parse_module(p.read_text(), f"modules/{p.name}") for p in MODULES]
    return {m.number: m for m in parsed}


def test_there_are_twelve_modules_numbered_in_order():
    assert [int(p.name[:2]) for p in MODULES] == list(range(1, 13))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_every_module_has_every_part_and_real_names(path):
    module = parse_module(path.read_text(), f"modules/{path.name}")
    assert module.challenges >= MIN_CHALLENGES
    missions = catalogue.load_missions(ROOT)
    assignments = catalogue.load_assignments(ROOT)
    assert set(module.missions) <= set(missions), "every 'try it' mission exists in a scenario"
    assert module.assignment in assignments, "every module links an assignment that exists"
    if module.number >= 3:
        assert module.missions, "modules 3-12 name their sandbox missions"
    assert "## Sources" in path.read_text(), "facts and figures name their sources"


@pytest.mark.parametrize("key", ["lunch", "half-day", "full-day"])
def test_agendas_add_up(key):
    spec = load_mkdocs_config()["extra"]["agendas"][key]
    agenda = build_agenda(key, spec, modules_by_number())
    start = datetime.strptime(spec["start"], "%H:%M")
    clock = start
    for slot in agenda.slots:
        assert slot.start == clock.strftime("%H:%M"), "each slot starts when the previous one ends"
        clock = datetime.strptime(slot.end, "%H:%M")
    assert (clock - start).seconds // 60 == agenda.minutes == sum(s.minutes for s in agenda.slots)
    for slot in agenda.slots:
        if slot.module is not None and "only" not in slot.label:
            assert slot.minutes == slot.module.teaching + slot.module.exercises


def test_lunch_agenda_fits_a_lunch_hour_and_days_fit_their_length():
    config = load_mkdocs_config()["extra"]["agendas"]
    by_number = modules_by_number()
    assert build_agenda("lunch", config["lunch"], by_number).minutes <= 60
    assert build_agenda("half-day", config["half-day"], by_number).minutes <= 4 * 60
    assert build_agenda("full-day", config["full-day"], by_number).minutes <= 8 * 60


def test_agendas_page_shows_all_three(built_site):
    page = (built_site / "trainers" / "agendas.html").read_text()
    for key in ("lunch", "half-day", "full-day"):
        assert f'id="agenda-{key}"' in page


def self_study_plan():
    from plans import build_self_study

    return build_self_study(load_mkdocs_config()["extra"]["self_study"], modules_by_number())


def test_self_study_plan_covers_every_module_and_every_notebook():
    plan = self_study_plan()
    by_number = modules_by_number()
    assert [m.number for day in plan.days for m in day.modules] == sorted(by_number)
    assert plan.module_minutes == sum(m.minutes for m in by_number.values())
    assert all(day.minutes <= plan.day_minutes for day in plan.days)
    assert {n.assignment for n in plan.notebooks} == catalogue.load_assignments(ROOT), (
        "every graded notebook has its minutes in the plan"
    )
    assert all(15 <= n.minutes <= 60 for n in plan.notebooks)


def _cells(table_html: str) -> list[list[str]]:
    import re

    rows = re.findall(r"<tr>(.*?)</tr>", table_html, re.DOTALL)
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.DOTALL) for row in rows]


def test_self_study_page_and_home_page_add_up(built_site):
    """What a learner reads: each table's rows add up to its total, and the home page's
    claim is the same total, worked out from the module pages' own minutes."""
    import re

    page = (built_site / "learners" / "self-study.html").read_text()
    by_number = modules_by_number()
    plan = self_study_plan()
    for table_id, expected_total in (
        ("self-study-days", sum(m.minutes for m in by_number.values())),
        ("self-study-notebooks", plan.notebook_minutes),
    ):
        table = re.search(rf'<table id="{table_id}">(.*?)</table>', page, re.DOTALL).group(1)
        rows = _cells(table)[1:]  # the header row first
        minutes = [int(re.match(r"(\d+) min", row[-1]).group(1)) for row in rows]
        *items, total = minutes
        assert sum(items) == total == expected_total, table_id
    for number, module in by_number.items():
        module_page = (built_site / module.html_path).read_text()
        assert f"({module.minutes} min in all)" in module_page
    home = (built_site / "index.html").read_text()
    hours, rest = divmod(sum(m.minutes for m in by_number.values()), 60)
    assert f"twelve modules take about {hours} h" in home
    assert f"{len(plan.days)} lunch hours" in home
    assert "a week of lunch breaks" not in home


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_trainer_notes_do_not_retype_the_module_minutes(path):
    """The minutes have one owner, the front matter; a typed copy would drift."""
    import re

    typed = re.findall(r"\d+ minutes (?:of teaching|of talk|in the sandbox|hands-on)", path.read_text())
    assert not typed, f"{path.name} types its minutes again: {typed}"


COURSE_PAGES = sorted((ROOT / "course").rglob("*.md"))


@pytest.mark.parametrize("path", COURSE_PAGES, ids=lambda p: str(p.relative_to(ROOT / "course")))
def test_the_25_percent_finding_always_comes_with_its_setting_and_range(path):
    """Centola et al. (2018) is a finding from an online game, never a planning target:
    wherever the course quotes it, the same passage gives the range or says so."""
    import re

    text = path.read_text()
    # A paragraph: a block between blank lines, or one front-matter list item.
    for paragraph in re.split(r"\n\s*\n|\n  - ", text):
        if not re.search(r"25%|a quarter", paragraph):
            continue
        if not re.search(r"Centola|committed|tipping point|tips? a group", paragraph, re.IGNORECASE):
            continue
        assert re.search(r"40%|not a target|not targets", paragraph), (
            f"{path.name}: this passage quotes the 25% finding without its range "
            f"(about 10% to 40%) or without saying it is not a target:\n{paragraph}"
        )


@pytest.mark.parametrize("path", [p for p in MODULES if int(p.name[:2]) not in (1, 12)], ids=lambda p: p.name)
def test_only_module_1_and_the_capstone_retell_the_founding_post(path):
    """The founding blog post frames module 1 and the capstone; the other modules open
    with the learner's own problem instead of retelling it."""
    text = path.read_text()
    assert not [name for name in ("McCready", "Bronson") if name in text], (
        f"{path.name} retells the founding post; open with the learner's problem instead"
    )
