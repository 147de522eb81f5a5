"""Scenario files: load one, check all of it, and hand back a frozen Scenario.

A scenario is one YAML file in ``sandbox/scenarios/`` (the file name is its
name: ``college.yaml`` is ``college``); authors add a scenario by adding a file.
Loading is pure: it reads the file, checks everything, and either returns a
:class:`Scenario` or raises :class:`ScenarioError` listing every problem as
``college.yaml, line 42, personas[3].threshold: must be between 0 and 1 (got 1.5)``.
Nothing is written anywhere, so a workshop is never created from a broken file.

The shape of the file is in :mod:`sandbox.simulation.scenario_schema`; the
reference checks (unknown personas, loops, injects in the past, ...) are in
:mod:`sandbox.simulation.scenario_checks`.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.metrics.records import normalise_tags
from sandbox.simulation.missions import Mission
from sandbox.simulation.problems import Problem, ProblemList, ScenarioError
from sandbox.simulation.yaml_source import Located, YamlSyntaxError, load_located

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
# An author trying a scenario of their own points every process (CLI, app) at
# another folder with this variable, without touching the installed package.
SCENARIO_DIR_ENV = "INSIDEOUT_SCENARIO_DIR"


def scenario_dir() -> Path:
    """The folder scenarios are looked up in: ``INSIDEOUT_SCENARIO_DIR`` if set, else the shipped one."""
    explicit = os.environ.get(SCENARIO_DIR_ENV)
    return Path(explicit).expanduser() if explicit else SCENARIO_DIR


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    tags: tuple[str, ...] = ()
    """Tags this department answers questions about (for the ``expert`` responder)."""


@dataclass(frozen=True)
class Persona:
    handle: str
    name: str
    role: str
    department: str
    threshold: float
    champion: bool = False
    newcomer: bool = False
    """Joins during the session (through a ``member.join`` inject), not at the start."""
    bio: str = ""

    @property
    def threshold_percent(self) -> int:
        """The threshold as the threshold game records it: a whole percentage."""
        return round(self.threshold * 100)


@dataclass(frozen=True)
class Inject:
    id: str
    at_minute: float
    persona: str
    action: str
    payload: dict[str, Any] = field(default_factory=dict)
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trigger:
    verb: str
    by: str = "learner"  # learner | simulated | anyone
    first_post: bool = False
    tag: str = ""
    mentions_persona: bool = False


@dataclass(frozen=True)
class Rule:
    id: str
    when: Trigger
    responder: str
    """A persona handle, or champion | expert | mentioned | previous_editor | colleague."""
    action: str
    delay_minutes: float = 1
    payload: dict[str, Any] = field(default_factory=dict)
    chance: float = 1.0


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    organisation: dict[str, str]
    settings: dict[str, Any]
    departments: tuple[Department, ...]
    personas: tuple[Persona, ...]
    seed: dict[str, Any]
    injects: tuple[Inject, ...]
    rules: tuple[Rule, ...]
    missions: tuple[Mission, ...]
    source: Path | None = None

    def persona(self, handle: str) -> Persona:
        """Raises KeyError for an unknown handle."""
        for persona in self.personas:
            if persona.handle == handle:
                return persona
        raise KeyError(handle)

    def mission(self, mission_id: str) -> Mission:
        """Raises KeyError for an unknown mission id."""
        for mission in self.missions:
            if mission.id == mission_id:
                return mission
        raise KeyError(mission_id)

    def champions(self) -> tuple[Persona, ...]:
        return tuple(persona for persona in self.personas if persona.champion)

    def seed_tags(self) -> frozenset[str]:
        """Tags the room starts with (seed posts, bookmarks and ideas): reusing
        them counts as tag reuse in missions and metrics."""
        tags: set[str] = set()
        for section in ("posts", "bookmarks", "ideas"):
            for item in self.seed.get(section, ()):
                tags.update(normalise_tags(item.get("tags") or ()))
        return frozenset(tags)


def available_scenarios(directory: Path | None = None) -> list[str]:
    """Names of the scenario files in ``directory`` (default: :func:`scenario_dir`), sorted."""
    return sorted(path.stem for path in (directory or scenario_dir()).glob("*.yaml"))


def scenario_path(name: str, directory: Path | None = None) -> Path:
    """The file for scenario ``name`` (a name in ``directory``, or a path to a .yaml file).

    Raises ScenarioError when there is no such scenario (naming the ones there
    are) or no such file.
    """
    directory = directory or scenario_dir()
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml"):
        if candidate.is_file():
            return candidate
        # "college.yaml" with no such file here means the scenario of that name.
        if candidate.name == name and (directory / name).is_file():
            return directory / name
        raise ScenarioError([Problem(candidate.name, 1, "", f"there is no file {name}")])
    path = directory / f"{name}.yaml"
    if path.is_file():
        return path
    known = ", ".join(available_scenarios(directory)) or "none"
    raise ScenarioError([Problem(f"{name}.yaml", 1, "", f"there is no scenario called {name!r} (there are: {known})")])


def load_scenario(name: str | Path, directory: Path | None = None) -> Scenario:
    """Load and check a scenario by name or path.

    Raises ScenarioError listing every problem (file, line, field, what is
    wrong): unreadable file, invalid YAML, unknown or missing fields, wrong
    values, duplicate ids, unknown personas or objects, loops in rules or
    inject dependencies, injects in the past, missions with unknown verbs or
    modules.
    """
    path = scenario_path(str(name), directory)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError([Problem(path.name, 1, "", f"cannot be read ({error})")]) from None
    return parse_scenario(text, file_name=path.name, source=path)


def parse_scenario(text: str, file_name: str = "scenario.yaml", source: Path | None = None) -> Scenario:
    """Check scenario YAML text and build the Scenario. Raises ScenarioError (see load_scenario)."""
    from sandbox.simulation.scenario_checks import check_references
    from sandbox.simulation.scenario_schema import SCENARIO

    try:
        located = load_located(text)
    except YamlSyntaxError as error:
        raise ScenarioError([Problem(file_name, error.line, "", error.message)]) from None
    problems = ProblemList(file=file_name, located=located)
    for path, _line in located.duplicates:
        problems.add(path, "appears twice in the same place; keep one")
    if not isinstance(located.data, dict):
        problems.add((), "must be a mapping with title, organisation, departments, personas, ... (the file is empty or a list)")
        problems.raise_if_any()
    data = SCENARIO.check(located.data, (), problems)
    # Reference checks on half-broken data would only repeat the first problems.
    problems.raise_if_any()
    missions = check_references(data, problems)
    problems.raise_if_any()
    return _build(data, missions, Path(file_name).stem, source)


def _build(data: dict[str, Any], missions: tuple[Mission, ...], name: str, source: Path | None) -> Scenario:
    return Scenario(
        name=name,
        title=data["title"],
        organisation=data["organisation"],
        settings=data["settings"],
        departments=tuple(
            Department(id=item["id"], name=item["name"], tags=normalise_tags(item["tags"]))
            for item in data["departments"]
        ),
        personas=tuple(Persona(**item) for item in data["personas"]),
        seed=data["seed"],
        injects=tuple(
            Inject(
                id=item["id"],
                at_minute=item["at_minute"],
                persona=item["persona"],
                action=item["action"],
                payload=item["payload"],
                after=tuple(item["after"]),
            )
            for item in data["injects"]
        ),
        rules=tuple(
            Rule(
                id=item["id"],
                when=Trigger(**{**item["when"], "tag": ",".join(normalise_tags(item["when"]["tag"] or ""))}),
                responder=item["respond"]["persona"],
                action=item["respond"]["action"],
                delay_minutes=item["respond"]["delay_minutes"],
                payload=item["respond"]["payload"],
                chance=item["chance"],
            )
            for item in data["rules"]
        ),
        missions=missions,
        source=source,
    )



class ScenarioCache:
    """Scenarios read once and kept while their file stays the same.

    Keyed on the file a name resolves to *now* (so ``INSIDEOUT_SCENARIO_DIR`` is
    respected) and on that file's modification time and size (so an edited file
    is read again). Asking costs one ``stat``; reading and checking a scenario
    costs tens of milliseconds. Thread-safe.
    """

    def __init__(self) -> None:
        self._known: dict[Path, tuple[tuple[int, int], Scenario]] = {}
        self._lock = threading.Lock()

    def get(self, name: str | Path, directory: Path | None = None) -> Scenario:
        """The scenario ``name`` (see :func:`load_scenario`, which says how it fails)."""
        path = scenario_path(str(name), directory).resolve()
        try:
            status = path.stat()
        except OSError:
            return load_scenario(path)  # says plainly what is wrong with the file
        stamp = (status.st_mtime_ns, status.st_size)
        with self._lock:
            known = self._known.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        scenario = load_scenario(path)
        with self._lock:
            self._known[path] = (stamp, scenario)
        return scenario


__all__ = [
    "SCENARIO_DIR",
    "SCENARIO_DIR_ENV",
    "Department",
    "Inject",
    "Located",
    "Persona",
    "Rule",
    "Scenario",
    "ScenarioCache",
    "ScenarioError",
    "Trigger",
    "available_scenarios",
    "load_scenario",
    "parse_scenario",
    "scenario_dir",
    "scenario_path",
]
