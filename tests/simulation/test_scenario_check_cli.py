"""``insideout scenario check`` as an author runs it: a subprocess, on real files."""
from __future__ import annotations

import os
import subprocess
import sys

from sandbox.simulation.scenario import SCENARIO_DIR, load_scenario

COLLEGE = (SCENARIO_DIR / "college.yaml").read_text(encoding="utf-8")


def check(target, cwd, **env):
    environment = {key: value for key, value in os.environ.items() if key != "INSIDEOUT_SCENARIO_DIR"}
    return subprocess.run([sys.executable, "-m", "sandbox.cli", "scenario", "check", str(target)],
                          capture_output=True, text=True, timeout=120, cwd=cwd, env={**environment, **env})


def test_the_shipped_scenario_is_ok_by_name(tmp_path):
    result = check("college", tmp_path)
    assert result.returncode == 0, result.stderr
    college = load_scenario("college")
    assert result.stdout.strip() == (f"college.yaml: OK ({len(college.personas)} personas, "
                                     f"{len(college.missions)} missions, {len(college.injects)} injects)")
    assert result.stderr == ""


def test_a_file_of_ones_own_is_checked_by_path(tmp_path):
    path = tmp_path / "eastbrook.yaml"
    path.write_text(COLLEGE, encoding="utf-8")
    result = check(path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("eastbrook.yaml: OK (")


def test_every_problem_is_listed_at_once(tmp_path):
    broken = (COLLEGE.replace("threshold: 0.15", "threshold: 1.5", 1)
              .replace("reaction: celebrate", "reaction: party", 1))
    assert broken.count("threshold: 1.5") == 1 and broken.count("reaction: party") == 1
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    result = check(path, tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    threshold_line = broken[: broken.index("threshold: 1.5")].count("\n") + 1
    reaction_line = broken[: broken.index("reaction: party")].count("\n") + 1
    assert lines == [
        f"broken.yaml, line {threshold_line}, personas[4].threshold: must be between 0 and 1 (got 1.5)",
        f"broken.yaml, line {reaction_line}, seed.posts[0].reactions[0].reaction: must be one of "
        "like, thanks, celebrate, insightful (got 'party')",
        "broken.yaml: 2 problems to fix.",
    ]
    assert "Traceback" not in result.stderr


def test_a_scenario_folder_of_ones_own(tmp_path):
    (tmp_path / "council.yaml").write_text(COLLEGE, encoding="utf-8")
    result = check("council", tmp_path, INSIDEOUT_SCENARIO_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("council.yaml: OK (")


def test_unknown_name_or_missing_file_is_one_line(tmp_path):
    unknown = check("hospital", tmp_path)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "insideout: error: there is no scenario called 'hospital' (there are: college)"
    missing = check(tmp_path / "nowhere.yaml", tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.strip() == f"insideout: error: there is no file {tmp_path / 'nowhere.yaml'}"


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("title: [unclosed\n", encoding="utf-8")
    result = check(path, tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("typo.yaml, line ")
    assert result.stderr.splitlines()[-1] == "typo.yaml: 1 problem to fix."
