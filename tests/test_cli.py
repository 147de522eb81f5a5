"""The `insideout` command as a user runs it: documented, helpful, and safe on bad input."""
from __future__ import annotations

import re

import pytest
import typer.main

from tests.conftest import ROOT
from tests.site.conftest import fixture_project, run_cli  # noqa: F401 (fixture)


def command_paths() -> list[str]:
    from sandbox.cli import _load_commands, app

    _load_commands()
    root = typer.main.get_command(app)
    paths = []

    def walk(command, prefix):
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, prefix + [name])
        else:
            paths.append(" ".join(prefix))

    walk(root, [])
    return sorted(paths)


def test_the_design_contract_commands_exist():
    paths = command_paths()
    for expected in ("serve", "site build", "sandbox run"):
        assert expected in paths


def test_commands_are_documented():
    readme = (ROOT / "README.md").read_text()
    missing = [p for p in command_paths() if not re.search(rf"insideout {re.escape(p)}\b", readme)]
    assert not missing, f"commands missing from README.md: {missing}"


@pytest.mark.parametrize("path", command_paths())
def test_every_command_has_help(path):
    result = run_cli(*path.split(), "--help", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout


def test_site_build_into_a_file_fails_cleanly(tmp_path):
    target = tmp_path / "site"
    target.write_text("keep me")
    result = run_cli("site", "build", "--out", str(target), "--no-workbook")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "is a file" in result.stderr
    assert target.read_text() == "keep me"


def test_site_build_where_it_cannot_write_fails_cleanly():
    result = run_cli("site", "build", "--out", "/proc/insideout-site", "--no-workbook")
    assert result.returncode == 1
    assert result.stderr.startswith("insideout: error:")
    assert result.stderr.strip().count("\n") == 0, result.stderr


def test_failed_build_keeps_the_previous_site_and_leaves_nothing_half_built(tmp_path, fixture_project):
    out = tmp_path / "site"
    ok = run_cli("site", "build", "--out", str(out), "--no-workbook",
                 env_extra={"INSIDEOUT_PROJECT_DIR": str(fixture_project)})
    assert ok.returncode == 0, ok.stderr
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    module = fixture_project / "course" / "modules" / "02-second.md"
    module.write_text(module.read_text().replace('objectives:\n  - "Objective 2."\n', ""))
    broken = run_cli("site", "build", "--out", str(out), "--no-workbook",
                     env_extra={"INSIDEOUT_PROJECT_DIR": str(fixture_project)})
    assert broken.returncode == 1
    assert "course/modules/02-second.md: missing 'objectives'" in broken.stderr
    assert broken.stderr.strip().count("\n") == 0, broken.stderr
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"] or all(
        not p.name.startswith(".site.") for p in tmp_path.iterdir()
    )
