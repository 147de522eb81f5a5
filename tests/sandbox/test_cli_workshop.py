"""``insideout workshop ...`` as a user runs it: a subprocess on a real database."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from sandbox.activity import EXPORT_COLUMNS, EXPORT_SCHEMA
from sandbox.services import feed, workshops
from sandbox.store import make_engine, read_session, write_session

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)


@pytest.fixture()
def run(db_url, tmp_path):
    """``run(*args, input=None)`` -> CompletedProcess of ``insideout <args>``."""
    env = dict(os.environ, INSIDEOUT_DATA_DIR=str(tmp_path / "data"), INSIDEOUT_DATABASE_URL=db_url)

    def run(*args, input=None):
        return subprocess.run([sys.executable, "-m", "sandbox.cli", *args], capture_output=True,
                              text=True, env=env, input=input, timeout=120, cwd=tmp_path)

    return run


@pytest.fixture()
def created(run):
    result = run("workshop", "create", "--title", "Northfield staff day", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture()
def busy_workshop(db_url, created):
    """The created workshop with two learners, a post, a reply and a reaction."""
    engine = make_engine(db_url)
    with write_session(engine) as session:
        anna = workshops.join(session, created["code"], "Anna Smith", "Library",
                              accept_policy=True, client_key="t", now=NOW).member
        ben = workshops.join(session, created["code"], "Ben Jones", "Finance",
                             accept_policy=True, client_key="t", now=NOW).member
        post = feed.create_post(session, anna, "Hello #welcome @ben-jones", now=NOW)
        feed.reply(session, ben, post.id, "Hi Anna", now=NOW)
        feed.react(session, ben, post.id, "like", now=NOW)
    engine.dispose()
    return created


def test_create_prints_code_and_key(run):
    result = run("workshop", "create", "--title", "Staff day", "--mode", "self-study")
    assert result.returncode == 0, result.stderr
    assert "Join code:" in result.stdout and "Trainer key: iotk_" in result.stdout
    assert "self-study" in result.stdout


def test_create_json_and_key_works(db_url, created):
    assert set(created) == {"code", "title", "mode", "scenario", "trainer_key", "created_at"}
    engine = make_engine(db_url)
    with read_session(engine) as session:
        stored = workshops.get_workshop(session, created["code"])
        assert workshops.verify_trainer_key(stored, created["trainer_key"])
    engine.dispose()


@pytest.mark.parametrize("args,message", [
    (["--title", ""], "title is empty"),
    (["--title", "x" * 200], "too long"),
    (["--title", "x", "--mode", "webinar"], "mode must be one of"),
])
def test_create_bad_input_is_one_line_and_exit_1(run, args, message):
    result = run("workshop", "create", *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    listed = run("workshop", "list", "--json")
    assert json.loads(listed.stdout) == []


def test_create_unknown_scenario_names_the_shipped_ones(run):
    result = run("workshop", "create", "--title", "T", "--scenario", "hospital")
    assert result.returncode == 1
    assert "no scenario called 'hospital'" in result.stderr and "college" in result.stderr


def test_list(run, created):
    result = run("workshop", "list")
    assert result.returncode == 0
    assert created["code"] in result.stdout and "Northfield staff day" in result.stdout
    [row] = json.loads(run("workshop", "list", "--json").stdout)
    assert row["code"] == created["code"] and row["learners"] == 0


def test_list_when_empty_says_how_to_start(run):
    result = run("workshop", "list")
    assert result.returncode == 0 and "No workshops yet" in result.stdout


def test_export_json(run, busy_workshop, tmp_path):
    out = tmp_path / "export.json"
    result = run("workshop", "export", busy_workshop["code"], "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["schema"] == EXPORT_SCHEMA
    assert data["workshop"]["code"] == busy_workshop["code"]
    verbs = [a["verb"] for a in data["activities"]]
    assert verbs == ["member.join", "member.join", "post.create", "post.mention", "post.reply",
                     "post.react"]
    assert all(set(a) == set(EXPORT_COLUMNS) for a in data["activities"])
    reply = data["activities"][4]
    assert (reply["actor"], reply["target"], reply["department"]) == ("ben-jones", "anna-smith", "Finance")
    assert reply["at"] == "2026-11-27T10:00:00Z"
    assert {m["handle"] for m in data["members"]} == {"trainer", "anna-smith", "ben-jones"}
    # The export carries no learner text.
    assert "Hello" not in out.read_text() and "Hi Anna" not in out.read_text()


def test_export_csv(run, busy_workshop, tmp_path):
    out = tmp_path / "export.csv"
    result = run("workshop", "export", busy_workshop["code"], "--out", str(out))
    assert result.returncode == 0, result.stderr
    with out.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert len(rows) == 6
    assert json.loads(rows[5]["detail"]) == {"reaction": "like"}


def test_export_pseudonymised_is_stable(run, busy_workshop, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        result = run("workshop", "export", busy_workshop["code"], "--out", str(out), "--pseudonymise")
        assert result.returncode == 0, result.stderr
    text = first.read_text()
    assert "anna-smith" not in text and "Anna Smith" not in text and "ben-jones" not in text
    a, b = json.loads(text), json.loads(second.read_text())
    assert [x["actor"] for x in a["activities"]] == [x["actor"] for x in b["activities"]]
    handles = [m["handle"] for m in a["members"]]
    assert handles[0] == "trainer" and all(h.startswith("learner-") for h in handles[1:])
    assert len(set(handles)) == 3


@pytest.mark.parametrize("name,message", [
    ("export.xlsx", "must end in .json or .csv"),
    ("missing/export.json", "does not exist"),
])
def test_export_bad_target_writes_nothing(run, busy_workshop, tmp_path, name, message):
    result = run("workshop", "export", busy_workshop["code"], "--out", str(tmp_path / name))
    assert result.returncode == 1 and message in result.stderr
    assert not (tmp_path / name).exists()
    assert not list(tmp_path.glob(".*.part"))


def test_export_unknown_code(run, tmp_path):
    result = run("workshop", "export", "NOPE42", "--out", str(tmp_path / "x.json"))
    assert result.returncode == 1 and "no workshop with the code" in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_reset_asks_first_and_keeps_the_workshop(run, busy_workshop, db_url):
    code = busy_workshop["code"]
    declined = run("workshop", "reset", code, input="n\n")
    assert declined.returncode == 1
    engine = make_engine(db_url)
    with read_session(engine) as session:
        assert len(workshops.list_members(session, 1)) == 3
    result = run("workshop", "reset", code, "--yes")
    assert result.returncode == 0, result.stderr
    assert "removed 2 posts, 2 members" in result.stdout
    with read_session(engine) as session:
        workshop = workshops.get_workshop(session, code)
        assert [m.kind for m in workshops.list_members(session, workshop.id)] == ["trainer"]
        assert feed.latest_post_id(session, workshop.id) is None
        assert workshops.verify_trainer_key(workshop, busy_workshop["trainer_key"])
    # The same code takes new learners, with the same names as before.
    with write_session(engine) as session:
        workshops.join(session, code, "Anna Smith", "Library", accept_policy=True,
                       client_key="t", now=NOW)
    engine.dispose()
    exported = run("workshop", "list", "--json")
    assert json.loads(exported.stdout)[0]["learners"] == 1


def test_reset_unknown_code(run):
    result = run("workshop", "reset", "NOPE42", "--yes")
    assert result.returncode == 1 and "no workshop with the code" in result.stderr


def test_unreachable_database_is_one_clear_line(tmp_path):
    env = dict(os.environ, INSIDEOUT_DATABASE_URL=f"sqlite:///{tmp_path}/no/such/dir/x.db")
    env.pop("INSIDEOUT_DATA_DIR", None)
    (tmp_path / "no").write_text("a file where a folder should be")
    result = subprocess.run([sys.executable, "-m", "sandbox.cli", "workshop", "list"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert "cannot create the sandbox's data folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_notebooks_can_read_the_export(run, busy_workshop, tmp_path, suffix):
    """The contract end to end: what the CLI writes, the exercises' reader loads."""
    from exercises.notebook.insideout_export import contributions, load_export, people, ties

    out = tmp_path / f"export{suffix}"
    assert run("workshop", "export", busy_workshop["code"], "--out", str(out)).returncode == 0
    export = load_export(out)
    assert set(people(export)["handle"]) == {"anna-smith", "ben-jones"}
    assert contributions(export).to_dict() == {"anna-smith": 1, "ben-jones": 1}
    assert frozenset({"anna-smith", "ben-jones"}) in ties(export)
