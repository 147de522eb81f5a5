"""A small declarative schema for hand-written YAML.

Each spec checks one value and reports problems at its path; a ``Record`` knows
its fields, fills defaults and suggests the closest field name for a typo. This
file knows nothing about scenarios: the scenario's schema is data built from
these pieces in :mod:`sandbox.simulation.scenario_schema`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.simulation.problems import ProblemList, did_you_mean
from sandbox.simulation.yaml_source import Path

# Returned for a value that failed its check, so callers can tell it from None.
INVALID = object()


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Spec:
    def check(self, value: Any, path: Path, problems: ProblemList) -> Any:
        raise NotImplementedError


@dataclass
class Text(Spec):
    max_length: int = 2000
    pattern: Callable[[str], bool] | None = None
    pattern_hint: str = ""

    def check(self, value, path, problems):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # "2024" typed without quotes is still text
        if not isinstance(value, str) or not value.strip():
            problems.add(path, f"must be some text (got {_show(value)})")
            return INVALID
        value = value.strip()
        if len(value) > self.max_length:
            problems.add(path, f"is too long ({len(value)} characters; at most {self.max_length})")
            return INVALID
        if self.pattern and not self.pattern(value):
            problems.add(path, f"{self.pattern_hint} (got {_show(value)})")
            return INVALID
        return value


def slug(text: str) -> bool:
    return text.replace("-", "").replace("_", "").isalnum() and text == text.lower()


def Id() -> Text:  # noqa: N802 - reads like a type in the schema
    return Text(max_length=60, pattern=slug, pattern_hint="must be lower-case letters, digits and dashes")


@dataclass
class Number(Spec):
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False

    def check(self, value, path, problems):
        kind = "a whole number" if self.whole else "a number"
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (self.whole and not isinstance(value, int)):
            problems.add(path, f"must be {kind} (got {_show(value)})")
            return INVALID
        low, high = self.minimum, self.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                rule = f"must be between {low:g} and {high:g}"
            elif low is not None:
                rule = f"must be {low:g} or more"
            else:
                rule = f"must be {high:g} or less"
            problems.add(path, f"{rule} (got {value:g})")
            return INVALID
        return value


@dataclass
class Flag(Spec):
    def check(self, value, path, problems):
        if not isinstance(value, bool):
            problems.add(path, f"must be true or false (got {_show(value)})")
            return INVALID
        return value


@dataclass
class OneOf(Spec):
    choices: tuple[str, ...]

    def check(self, value, path, problems):
        if value not in self.choices:
            options = ", ".join(self.choices)
            problems.add(path, f"must be one of {options} (got {_show(value)}){did_you_mean(value, self.choices)}")
            return INVALID
        return value


@dataclass
class ListOf(Spec):
    item: Spec
    min_items: int = 0

    def check(self, value, path, problems):
        if not isinstance(value, list):
            problems.add(path, f"must be a list (got {_show(value)})")
            return INVALID
        if len(value) < self.min_items:
            problems.add(path, f"needs at least {self.min_items} entries (got {len(value)})")
        return [self.item.check(item, path + (index,), problems) for index, item in enumerate(value)]


@dataclass
class MapOf(Spec):
    """A mapping from free keys (checked by ``key``) to values checked by ``value``."""

    key: Spec
    value: Spec

    def check(self, value, path, problems):
        if not isinstance(value, Mapping):
            problems.add(path, f"must be a mapping of name: value (got {_show(value)})")
            return INVALID
        return {
            self.key.check(key, path + (key,), problems): self.value.check(item, path + (key,), problems)
            for key, item in value.items()
        }


@dataclass
class AnyMapping(Spec):
    """Free-form key/value pairs, checked elsewhere (an action's payload)."""

    def check(self, value, path, problems):
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            problems.add(path, f"must be a mapping of name: value (got {_show(value)})")
            return INVALID
        return dict(value)


@dataclass
class Anything(Spec):
    def check(self, value, path, problems):
        return value


@dataclass
class Record(Spec):
    """A mapping with known fields. ``required`` fields must be present; ``optional``
    ones map to (spec, default)."""

    required: dict[str, Spec] = field(default_factory=dict)
    optional: dict[str, tuple[Spec, Any]] = field(default_factory=dict)

    def check(self, value, path, problems):
        if not isinstance(value, Mapping):
            problems.add(path, f"must be a mapping with {', '.join(self.required) or 'fields'} (got {_show(value)})")
            return INVALID
        known = list(self.required) + list(self.optional)
        result: dict[str, Any] = {}
        for key in value:
            if key not in known:
                problems.add(path + (key,), f"is not a field here{did_you_mean(key, known)}")
        for name, spec in self.required.items():
            if name in value and value[name] is not None:
                result[name] = spec.check(value[name], path + (name,), problems)
            else:
                problems.add(path, f'is missing "{name}"' if path else f'the file is missing "{name}"')
                result[name] = INVALID
        for name, (spec, default) in self.optional.items():
            if name in value and value[name] is not None:
                result[name] = spec.check(value[name], path + (name,), problems)
            else:
                result[name] = default() if callable(default) else default
        return result
