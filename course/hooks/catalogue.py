"""What course pages may refer to: sandbox missions and graded assignments.

Missions are defined once, in the shipped scenario files (sandbox/scenarios/*.yaml,
top-level ``missions:`` list of ``{id, title, module, description, ...}``).
Assignments are the folders of exercises/source/. Reading them here keeps one
source of truth for each name, and lets the build refuse a dangling one.
"""
from __future__ import annotations

from pathlib import Path

import yaml


def load_missions(project_root: Path) -> dict[str, dict]:
    missions: dict[str, dict] = {}
    for path in sorted((project_root / "sandbox" / "scenarios").glob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for mission in data.get("missions") or []:
            if isinstance(mission, dict) and mission.get("id"):
                missions.setdefault(str(mission["id"]), mission)
    return missions


def load_assignments(project_root: Path) -> set[str]:
    source = project_root / "exercises" / "source"
    if not source.is_dir():
        return set()
    return {
        folder.name
        for folder in source.iterdir()
        if folder.is_dir() and (folder / f"{folder.name}.ipynb").is_file()
    }
