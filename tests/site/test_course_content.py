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
