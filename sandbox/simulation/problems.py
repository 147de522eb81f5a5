"""Problems found in a scenario file, each naming file, line and field."""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from sandbox.errors import InsideOutError
from sandbox.simulation.yaml_source import Located, Path, format_path


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}"
        return f"{where}, {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ScenarioError(InsideOutError):
    """A scenario file with one or more problems; nothing was loaded.

    ``str(error)`` is the first problem (one line for the CLI) with a count of
    the rest; ``problems`` holds them all, in file order, for an author fixing
    several at once.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0])
        more = len(problems) - 1
        if more:
            first += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(first)

    def report(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


@dataclass
class ProblemList:
    """Collects problems while a whole file is checked, so an author sees them all."""

    file: str
    located: Located
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: Path, message: str) -> None:
        self.problems.append(Problem(self.file, self.located.line_of(path), format_path(path), message))

    def raise_if_any(self) -> None:
        if self.problems:
            ordered = sorted(self.problems, key=lambda problem: problem.line)
            raise ScenarioError(ordered)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean "threshold"?)`` when a close match exists, else ``""``."""
    matches = difflib.get_close_matches(str(word), [str(choice) for choice in choices], n=1, cutoff=0.6)
    return f' (did you mean "{matches[0]}"?)' if matches else ""
