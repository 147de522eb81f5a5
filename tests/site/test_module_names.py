"""One name per course module in the course, the workbook and the sandbox (issue 14, finding 9).

The course page's front matter owns the name; the workbook's links back to the course
and the sandbox's missions say "Module N: <that title>".
"""
from __future__ import annotations

import re

import yaml

from exercises import workbook
from exercises.course_modules import MODULES_DIR, module_name, module_titles
from sandbox.simulation.scenario import available_scenarios, load_scenario
from tests.conftest import ROOT


def course_titles() -> dict[int, str]:
    """Read here on purpose without exercises.course_modules, so the test can disagree with it."""
    titles = {}
    for path in sorted((ROOT / "course" / "modules").glob("[0-9][0-9]-*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])
        titles[int(path.name[:2])] = front["title"]
    return titles


def test_every_course_module_has_a_name():
    titles = course_titles()
    assert sorted(titles) == list(range(1, 13))
    assert module_titles(MODULES_DIR) == titles


def test_workbook_names_each_module_as_the_course_does():
    titles = course_titles()
    for assignment, pages in workbook.MODULE_PAGES.items():
        for url, label in pages:
            number = int(re.search(r"modules/(\d\d)-", url).group(1))
            assert label == f"Module {number}: {titles[number]}", (assignment, label)


def test_sandbox_missions_name_each_module_as_the_course_does():
    titles = course_titles()
    missions = [mission for name in available_scenarios() for mission in load_scenario(name).missions]
    assert missions
    for mission in missions:
        assert module_name(mission.module) == f"Module {mission.module}: {titles[mission.module]}"
