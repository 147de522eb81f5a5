"""Workshop agendas with clock times, computed from the modules' minutes.

An agenda (in mkdocs.yml, ``extra.agendas``) has a ``title``, a ``start`` time
("09:00") and ``items``: either ``{module: N}`` (optionally ``part: teaching`` or
``part: exercises``) or a fixed slot ``{label: "...", minutes: M, break: true?}``.

Failure cases: ``AgendaError`` naming the agenda and the item that is wrong.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


class AgendaError(Exception):
    """An agenda in mkdocs.yml is not well formed."""


@dataclass(frozen=True)
class Slot:
    start: str
    end: str
    minutes: int
    label: str
    module: object | None = None  # lesson_schema.Module
    is_break: bool = False


@dataclass(frozen=True)
class Agenda:
    key: str
    title: str
    slots: tuple[Slot, ...]

    @property
    def minutes(self) -> int:
        return sum(slot.minutes for slot in self.slots)

    @property
    def break_minutes(self) -> int:
        return sum(slot.minutes for slot in self.slots if slot.is_break)


def _clock(value: str, where: str) -> datetime:
    try:
        return datetime.strptime(str(value), "%H:%M")
    except ValueError:
        raise AgendaError(f"{where}: start must be a time like 09:00 (got {value!r})") from None


def build_agenda(key: str, spec: dict, modules_by_number: dict) -> Agenda:
    where = f"mkdocs.yml, extra.agendas.{key}"
    if not isinstance(spec, dict) or "items" not in spec:
        raise AgendaError(f"{where}: needs 'title', 'start' and 'items'")
    now = _clock(spec.get("start", "09:00"), where)
    slots = []
    for index, item in enumerate(spec["items"]):
        item_where = f"{where}.items[{index}]"
        if not isinstance(item, dict):
            raise AgendaError(f"{item_where}: must be a module or a labelled slot")
        if "module" in item:
            module = modules_by_number.get(item["module"])
            if module is None:
                raise AgendaError(f"{item_where}: there is no module {item['module']}")
            part = item.get("part", "both")
            minutes = {
                "both": module.minutes,
                "teaching": module.teaching,
                "exercises": module.exercises,
            }.get(part)
            if minutes is None:
                raise AgendaError(f"{item_where}: part must be teaching, exercises or both")
            label = f"Module {module.number}: {module.title}"
            if part != "both":
                label += f" ({part} only)"
            slot_module, is_break = module, False
        else:
            minutes = item.get("minutes")
            if not isinstance(minutes, int) or minutes <= 0 or not item.get("label"):
                raise AgendaError(f"{item_where}: a slot needs a 'label' and whole 'minutes'")
            label, slot_module, is_break = str(item["label"]), None, bool(item.get("break"))
        end = now + timedelta(minutes=minutes)
        slots.append(
            Slot(now.strftime("%H:%M"), end.strftime("%H:%M"), minutes, label, slot_module, is_break)
        )
        now = end
    return Agenda(key, str(spec.get("title", key)), tuple(slots))
