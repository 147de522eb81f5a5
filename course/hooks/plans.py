"""The self-study plan and the course's totals, computed from the modules' minutes.

The plan (in mkdocs.yml, ``extra.self_study``) has ``day_minutes`` (how long a study
session may be, e.g. a lunch hour) and ``days``: a list of lists of module numbers,
every module exactly once, in course order. A day's minutes are its modules' teaching
and exercise minutes, the same numbers the module pages and the agendas show.

The graded notebooks' minutes have one owner: the ``notebook_minutes`` of the module
that introduces the notebook (a notebook two modules share, such as m06-ideas-events,
gives its minutes once).

Failure cases: ``PlanError`` naming the setting or module that is wrong (a module left
out or listed twice, a day longer than ``day_minutes``, a notebook with no minutes or
with minutes in two modules).
"""
from __future__ import annotations

from dataclasses import dataclass


class PlanError(Exception):
    """The self-study plan or the notebooks' minutes are not well formed."""


@dataclass(frozen=True)
class Day:
    number: int
    modules: tuple  # lesson_schema.Module, in course order

    @property
    def minutes(self) -> int:
        return sum(module.minutes for module in self.modules)


@dataclass(frozen=True)
class Notebook:
    assignment: str
    minutes: int
    modules: tuple  # the modules that link it, first one owns the minutes


@dataclass(frozen=True)
class SelfStudyPlan:
    day_minutes: int
    days: tuple[Day, ...]
    notebooks: tuple[Notebook, ...]

    @property
    def module_minutes(self) -> int:
        return sum(day.minutes for day in self.days)

    @property
    def notebook_minutes(self) -> int:
        return sum(notebook.minutes for notebook in self.notebooks)

    @property
    def minutes(self) -> int:
        return self.module_minutes + self.notebook_minutes


def notebooks(modules) -> tuple[Notebook, ...]:
    """Every graded notebook the modules link, with its minutes from its one owner."""
    linked: dict[str, list] = {}
    for module in sorted(modules, key=lambda m: m.number):
        if module.assignment:
            linked.setdefault(module.assignment, []).append(module)
    result = []
    for assignment, users in linked.items():
        owners = [m for m in users if m.notebook_minutes is not None]
        if not owners:
            names = ", ".join(m.path for m in users)
            raise PlanError(f"notebook {assignment}: no module gives its 'notebook_minutes' ({names})")
        if len(owners) > 1:
            names = " and ".join(m.path for m in owners)
            raise PlanError(f"notebook {assignment}: 'notebook_minutes' is set in {names}; set it once")
        result.append(Notebook(assignment, owners[0].notebook_minutes, tuple(users)))
    return tuple(result)


def build_self_study(spec, modules_by_number: dict) -> SelfStudyPlan:
    where = "mkdocs.yml, extra.self_study"
    if not isinstance(spec, dict) or not isinstance(spec.get("days"), list):
        raise PlanError(f"{where}: needs 'day_minutes' and 'days' (lists of module numbers)")
    day_minutes = spec.get("day_minutes")
    if isinstance(day_minutes, bool) or not isinstance(day_minutes, int) or day_minutes <= 0:
        raise PlanError(f"{where}.day_minutes: must be a whole number of minutes")
    days, seen = [], []
    for index, numbers in enumerate(spec["days"], start=1):
        day_where = f"{where}.days[{index - 1}]"
        if not isinstance(numbers, list) or not numbers:
            raise PlanError(f"{day_where}: must be a list of module numbers")
        modules = []
        for number in numbers:
            if number not in modules_by_number:
                raise PlanError(f"{day_where}: there is no module {number!r}")
            if number in seen:
                raise PlanError(f"{day_where}: module {number} is already on an earlier day")
            seen.append(number)
            modules.append(modules_by_number[number])
        day = Day(index, tuple(modules))
        if day.minutes > day_minutes:
            raise PlanError(
                f"{day_where}: modules {', '.join(map(str, numbers))} take {day.minutes} min, "
                f"more than day_minutes ({day_minutes})"
            )
        days.append(day)
    missing = sorted(set(modules_by_number) - set(seen))
    if missing:
        raise PlanError(f"{where}: modules {', '.join(map(str, missing))} are on no day")
    if seen != sorted(seen):
        raise PlanError(f"{where}: list the modules in course order")
    return SelfStudyPlan(day_minutes, tuple(days), notebooks(modules_by_number.values()))


def hours(minutes: int) -> str:
    """'6 h 45 min', '7 h', '45 min': how the site writes a length of time."""
    whole, rest = divmod(minutes, 60)
    if not whole:
        return f"{rest} min"
    return f"{whole} h {rest:02d} min" if rest else f"{whole} h"


def totals(plan: SelfStudyPlan, modules) -> dict[str, str]:
    """The values of the ``{{ totals.* }}`` placeholders (course/index.md and others)."""
    modules = list(modules)
    return {
        "modules": hours(sum(m.minutes for m in modules)),
        "teaching": hours(sum(m.teaching for m in modules)),
        "exercises": hours(sum(m.exercises for m in modules)),
        "notebooks": hours(plan.notebook_minutes),
        "notebook_count": str(len(plan.notebooks)),
        "all": hours(plan.minutes),
        "days": str(len(plan.days)),
        "day_minutes": str(plan.day_minutes),
    }
