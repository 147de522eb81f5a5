"""``insideout workshop ...`` as a user runs it: a subprocess on a real database.

A created workshop is seeded from its scenario (the college's colleagues, their
posts, pages, ideas, ...), so the tests tell the seed's rows from the learners'
by ``actor_kind`` and compare with the scenario rather than with an empty room.
"""
from __future__ import annotations

import contextlib

import csv
import json
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from sqlalchemy import func, select

from sandbox.activity import EXPORT_COLUMNS, EXPORT_SCHEMA
from sandbox.services import feed, ideas, workshops
from sandbox.simulation.scenario import SCENARIO_DIR, load_scenario
from sandbox.store import make_engine, read_session, write_session
from sandbox.store.models import Activity, Member, Post, SimulationMark, Workshop

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)
COLLEGE = load_scenario("college")
# The colleagues present from the start; newcomers arrive later, through an inject.
SEEDED_PERSONAS = {p.handle for p in COLLEGE.personas if not p.newcomer}


@pytest.fixture()
def run(db_url, tmp_path):
    """``run(*args, input=None, env=None)`` -> CompletedProcess of ``insideout <args>``."""
    base = {key: value for key, value in os.environ.items() if key != "INSIDEOUT_SCENARIO_DIR"}
    base.update(INSIDEOUT_DATA_DIR=str(tmp_path / "data"), INSIDEOUT_DATABASE_URL=db_url)

    def run(*args, input=None, env=None):
        return subprocess.run([sys.executable, "-m", "sandbox.cli", *args], capture_output=True,
                              text=True, env={**base, **(env or {})}, input=input, timeout=120,
                              cwd=tmp_path)

    return run


@contextlib.contextmanager
def opened(db_url):
    """The store, closed again even when an assertion fails (a PostgreSQL connection
    left open would warn later, inside some other test)."""
    engine = make_engine(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _colleagues(db_url, code) -> set[str]:
    """Handles of the workshop's simulated colleagues (checked to be the scenario's personas)."""
    with opened(db_url) as engine:
        with read_session(engine) as session:
            workshop = workshops.get_workshop(session, code)
            simulated = [m for m in workshops.list_members(session, workshop.id) if m.kind == "simulated"]
    assert {m.persona for m in simulated} == SEEDED_PERSONAS
    return {m.handle for m in simulated}


def _nothing_stored(db_url) -> bool:
    with opened(db_url) as engine:
        with read_session(engine) as session:
            empty = all(_count(session, model) == 0 for model in (Workshop, Member, Post, Activity))
    return empty


@pytest.fixture()
def created(run):
    result = run("workshop", "create", "--title", "Northfield staff day", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture()
def busy_workshop(db_url, created):
    """The created workshop with two learners, a post, a reply and a reaction."""
    with opened(db_url) as engine:
        with write_session(engine) as session:
            anna = workshops.join(session, created["code"], "Anna Smith", "Library",
                                  accept_policy=True, client_key="t", now=NOW).member
            ben = workshops.join(session, created["code"], "Ben Jones", "Finance",
                                 accept_policy=True, client_key="t", now=NOW).member
            post = feed.create_post(session, anna, "Hello #welcome @ben-jones", now=NOW)
            feed.reply(session, ben, post.id, "Hi Anna", now=NOW)
            feed.react(session, ben, post.id, "like", now=NOW)
    return created


def test_create_prints_code_and_key(run):
    result = run("workshop", "create", "--title", "Staff day", "--mode", "self-study")
    assert result.returncode == 0, result.stderr
    assert "Join code:" in result.stdout and "Trainer key: iotk_" in result.stdout
    assert "self-study" in result.stdout


def test_create_seeds_the_room_from_the_scenario(db_url, created):
    """Learners arrive in a room with colleagues and content, not an empty one."""
    with opened(db_url) as engine:
        with read_session(engine) as session:
            workshop = workshops.get_workshop(session, created["code"])
            members = workshops.list_members(session, workshop.id)
            assert {m.persona for m in members if m.kind == "simulated"} == SEEDED_PERSONAS
            assert [m.kind for m in members].count("trainer") == 1
            assert "learner" not in {m.kind for m in members}
            seeded_posts = COLLEGE.seed["posts"]
            at_least = len(seeded_posts) + sum(len(p.get("replies") or ()) for p in seeded_posts)
            at_least += len(COLLEGE.seed.get("share_files") or ())
            posts = _count(session, Post, Post.workshop_id == workshop.id)
            assert posts >= at_least
            assert posts == _count(session, Activity, Activity.workshop_id == workshop.id,
                                   Activity.verb.in_(("post.create", "post.reply")))
            # Every seed item is marked done, so seeding again would add nothing.
            items = sum(len(COLLEGE.seed.get(section) or ()) for section in COLLEGE.seed)
            assert _count(session, SimulationMark, SimulationMark.workshop_id == workshop.id,
                          SimulationMark.key.startswith("seed:")) == items
            # ...and the scenario's per-workshop settings are the workshop's own.
            assert ideas.vote_budget(session, workshop.id) == COLLEGE.settings["idea_votes"]
            # The seed is in the past and written by the colleagues, never by a learner.
            activities = session.scalars(select(Activity).where(Activity.workshop_id == workshop.id)).all()
            assert activities and {a.actor_kind for a in activities} <= {"simulated", "trainer"}
            assert max(a.at for a in activities).replace(tzinfo=None) <= workshop.created_at.replace(tzinfo=None)


def test_create_json_and_key_works(db_url, created):
    assert set(created) == {"code", "title", "mode", "scenario", "trainer_key", "created_at"}
    with opened(db_url) as engine:
        with read_session(engine) as session:
            stored = workshops.get_workshop(session, created["code"])
            assert workshops.verify_trainer_key(stored, created["trainer_key"])


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


def test_create_unknown_scenario_names_the_shipped_ones(run, db_url):
    result = run("workshop", "create", "--title", "T", "--scenario", "hospital")
    assert result.returncode == 1
    assert "no scenario called 'hospital'" in result.stderr and "college" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _nothing_stored(db_url)


def test_create_from_a_broken_scenario_is_one_line_and_writes_nothing(run, db_url, tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    college = (SCENARIO_DIR / "college.yaml").read_text(encoding="utf-8")
    broken = college.replace("title:", "titel:", 1).replace("threshold: 0.", "threshold: 7.", 1)
    assert broken.count("titel:") == 1 and broken != college
    (folder / "broken.yaml").write_text(broken, encoding="utf-8")
    result = run("workshop", "create", "--title", "T", "--scenario", "broken",
                 env={"INSIDEOUT_SCENARIO_DIR": str(folder)})
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("insideout: error: broken.yaml, line ") and "more problem" in line
    assert "Traceback" not in result.stderr
    assert _nothing_stored(db_url)


def test_create_from_a_scenario_folder_of_ones_own(run, db_url, tmp_path):
    """An author's scenario, in a folder named by INSIDEOUT_SCENARIO_DIR, seeds the room."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    college = (SCENARIO_DIR / "college.yaml").read_text(encoding="utf-8")
    (folder / "council.yaml").write_text(college, encoding="utf-8")
    result = run("workshop", "create", "--title", "Council day", "--scenario", "council", "--json",
                 env={"INSIDEOUT_SCENARIO_DIR": str(folder)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["scenario"] == "council"
    with opened(db_url) as engine:
        with read_session(engine) as session:
            assert _count(session, Member, Member.kind == "simulated") == len(SEEDED_PERSONAS)


def test_create_refuses_a_scenario_file_path(run, db_url, tmp_path):
    """A workshop stores the scenario's name; a file elsewhere could not be found again."""
    path = tmp_path / "mine.yaml"
    path.write_text((SCENARIO_DIR / "college.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("workshop", "create", "--title", "T", "--scenario", str(path))
    assert result.returncode == 1
    assert "needs a scenario by name" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _nothing_stored(db_url)


def test_list(run, created):
    result = run("workshop", "list")
    assert result.returncode == 0
    assert created["code"] in result.stdout and "Northfield staff day" in result.stdout
    [row] = json.loads(run("workshop", "list", "--json").stdout)
    assert row["code"] == created["code"] and row["learners"] == 0


def test_list_when_empty_says_how_to_start(run):
    result = run("workshop", "list")
    assert result.returncode == 0 and "No workshops yet" in result.stdout


def test_export_json(run, busy_workshop, tmp_path, db_url):
    out = tmp_path / "export.json"
    result = run("workshop", "export", busy_workshop["code"], "--out", str(out), "--names")
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["schema"] == EXPORT_SCHEMA
    assert data["workshop"]["code"] == busy_workshop["code"]
    assert all(set(a) == set(EXPORT_COLUMNS) for a in data["activities"])
    # The seed comes first (written at creation, by the colleagues), then the learners.
    kinds = [a["actor_kind"] for a in data["activities"]]
    first_learner = kinds.index("learner")
    assert first_learner > 0 and set(kinds[:first_learner]) <= {"simulated", "trainer"}
    learners = data["activities"][first_learner:]
    assert [a["verb"] for a in learners] == ["member.join", "member.join", "post.create", "post.mention",
                                             "post.reply", "post.react"]
    reply = learners[4]
    assert (reply["actor"], reply["target"], reply["department"]) == ("ben-jones", "anna-smith", "Finance")
    assert reply["at"] == "2026-11-27T10:00:00Z"
    colleagues = _colleagues(db_url, busy_workshop["code"])
    assert {a["actor"] for a in data["activities"][:first_learner]} <= colleagues | {"trainer"}
    assert {m["handle"] for m in data["members"]} == {"trainer", "anna-smith", "ben-jones"} | colleagues
    assert {m["kind"] for m in data["members"] if m["handle"] in colleagues} == {"simulated"}
    # The export carries no learner text.
    assert "Hello" not in out.read_text() and "Hi Anna" not in out.read_text()


def test_export_csv(run, busy_workshop, tmp_path):
    out = tmp_path / "export.csv"
    result = run("workshop", "export", busy_workshop["code"], "--out", str(out))
    assert result.returncode == 0, result.stderr
    with out.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    everything = tmp_path / "export.json"
    assert run("workshop", "export", busy_workshop["code"], "--out", str(everything)).returncode == 0
    assert [int(r["id"]) for r in rows] == [a["id"] for a in json.loads(everything.read_text())["activities"]]
    learners = [r for r in rows if r["actor_kind"] == "learner"]
    assert len(learners) == 6
    assert rows[-1] == learners[-1] and json.loads(rows[-1]["detail"]) == {"reaction": "like"}


def test_export_pseudonymised_is_stable(run, busy_workshop, tmp_path, db_url):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        result = run("workshop", "export", busy_workshop["code"], "--out", str(out), "--pseudonymise")
        assert result.returncode == 0, result.stderr
    text = first.read_text()
    assert "anna-smith" not in text and "Anna Smith" not in text and "ben-jones" not in text
    a, b = json.loads(text), json.loads(second.read_text())
    assert [x["actor"] for x in a["activities"]] == [x["actor"] for x in b["activities"]]
    handles = {m["kind"]: [] for m in a["members"]}
    for member in a["members"]:
        handles[member["kind"]].append(member["handle"])
    assert handles["trainer"] == ["trainer"]
    # Learners are pseudonymised; the fictional colleagues keep their handles.
    assert len(set(handles["learner"])) == 2 and all(h.startswith("learner-") for h in handles["learner"])
    assert set(handles["simulated"]) == _colleagues(db_url, busy_workshop["code"])


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
    with opened(db_url) as engine:
        with read_session(engine) as session:
            workshop = workshops.get_workshop(session, code)
            before = workshops.list_members(session, workshop.id)
            assert len(before) == 3 + len(SEEDED_PERSONAS)
            posts_before = _count(session, Post, Post.workshop_id == workshop.id)
            learner_post = feed.latest_post_id(session, workshop.id)
            # What the room held when it was created: everything that was not a learner's.
            seeded_activities = _count(session, Activity, Activity.workshop_id == workshop.id,
                                       Activity.actor_kind != "learner")
        result = run("workshop", "reset", code, "--yes")
        assert result.returncode == 0, result.stderr
        assert (f"removed {posts_before} posts, {len(before) - 1} members and "
                f"{seeded_activities + 6} activities") in result.stdout
        assert "starts again as scenario college sets it up" in result.stdout
        with read_session(engine) as session:
            workshop = workshops.get_workshop(session, code)
            after = workshops.list_members(session, workshop.id)
            # The learners are gone; the colleagues and their content are back, as at creation.
            assert [m.kind for m in after].count("trainer") == 1
            assert {m.persona for m in after if m.kind == "simulated"} == SEEDED_PERSONAS
            assert "learner" not in {m.kind for m in after}
            assert _count(session, Post, Post.workshop_id == workshop.id) == posts_before - 2
            assert session.get(Post, learner_post) is None
            assert _count(session, Activity, Activity.workshop_id == workshop.id) == seeded_activities
            assert workshops.verify_trainer_key(workshop, busy_workshop["trainer_key"])
        # The same code takes new learners, with the same names as before.
        with write_session(engine) as session:
            workshops.join(session, code, "Anna Smith", "Library", accept_policy=True,
                           client_key="t", now=NOW)
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
def test_notebooks_can_read_the_export(run, busy_workshop, tmp_path, suffix, db_url):
    """The contract end to end: what the CLI writes, the exercises' reader loads."""
    from exercises.notebook.insideout_export import contributions, load_export, people, ties

    out = tmp_path / f"export{suffix}"
    assert run("workshop", "export", busy_workshop["code"], "--out", str(out), "--names").returncode == 0
    export = load_export(out)
    colleagues = _colleagues(db_url, busy_workshop["code"])
    assert {person["handle"] for person in people(export)} == {"anna-smith", "ben-jones"} | colleagues
    made = contributions(export)
    assert (made["anna-smith"], made["ben-jones"]) == (1, 1)
    # The seeded colleagues wrote the room's first posts, pages and bookmarks.
    assert sum(made[handle] for handle in colleagues) > 0
    assert frozenset({"anna-smith", "ben-jones"}) in ties(export)
