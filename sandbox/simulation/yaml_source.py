"""Read YAML and remember on which line every value stood.

Scenario authors edit YAML by hand; an error has to point at the line. PyYAML's
``compose`` keeps a mark on every node, so we build plain Python values from the
node tree ourselves and keep a map from each value's path (``("personas", 3,
"threshold")``) to its 1-based line. Duplicate keys, which ``yaml.safe_load``
silently lets the last one win, are reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

Path = tuple[str | int, ...]

# libyaml's parser when PyYAML was built with it (marks are the same, ten times faster).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def format_path(path: Path) -> str:
    """``("personas", 3, "threshold")`` -> ``"personas[3].threshold"``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass
class Located:
    """A YAML document as plain values plus the line of every path in it."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    duplicates: list[tuple[Path, int]] = field(default_factory=list)

    def line_of(self, path: Path) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class YamlSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load_located(text: str) -> Located:
    """Parse one YAML document.

    Raises YamlSyntaxError (with the line) for text that is not valid YAML or
    holds more than one document.
    """
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or str(error)
        raise YamlSyntaxError(line, f"this is not valid YAML ({problem})") from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(1, f"this is not valid YAML ({error})") from None
    located = Located(data=None)
    if root is None:
        return located
    located.lines[()] = root.start_mark.line + 1
    located.data = _build(root, (), located, SafeConstructor())
    return located


def _build(node: yaml.Node, path: Path, located: Located, constructor: SafeConstructor) -> Any:
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):
                key = str(key)
            child = path + (key,)
            if key in result:
                located.duplicates.append((child, key_node.start_mark.line + 1))
            # The key's line reads best: a nested block starts on the line after.
            located.lines[child] = key_node.start_mark.line + 1
            result[key] = _build(value_node, child, located, constructor)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item_node in enumerate(node.value):
            child = path + (index,)
            located.lines[child] = item_node.start_mark.line + 1
            items.append(_build(item_node, child, located, constructor))
        return items
    return constructor.construct_object(node, deep=True)
