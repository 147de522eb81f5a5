"""People's data as a trainer or data officer handles it: ``insideout workshop export-person``,
``erase-person``, ``retention`` and ``apply-retention``, and pseudonymised exports, run as
subprocesses on a real database (SQLite, and PostgreSQL when configured).

The erased person is Zelda Quill (handle zelda-quill): no colleague in the shipped scenarios
shares that name, so finding it, her handle or any words she wrote anywhere in the store
after erasure is a leak.
"""
from __future__ import annotations

import contextlib
import csv
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pytest
from sqlalchemy import select

from sandbox.services import bookmarks, events, feed, grading_jobs, groups, hand_ins, ideas, wiki, workshops
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import make_engine, read_session, write_session
from sandbox.store.models import Base, Member

COURSE = Path(__file__).resolve().parents[2] / "exercises"
# Her name, her handle, and words that only she wrote (in a post, a bookmark note, an idea,
# an event, a group's description, a poll option, a notebook and its feedback).
SECRET_WORDS = ("zelda quill", "zelda-quill", "from the library", "by the way", "zelda's favourite",
                "quill pens for all", "cake with zelda", "quill room", "zelda's pick", "my reflection",
                "wrote this", "reading group")


@pytest.fixture(autouse=True)
def kit_course(monkeypatch):
    monkeypatch.delenv("INSIDEOUT_COURSE_DIR", raising=False)


@pytest.fixture()
def run(db_url, tmp_path):
    """``run(*args, input=None)`` -> CompletedProcess of ``insideout <args>``."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("INSIDEOUT_SCENARIO_DIR", "INSIDEOUT_COURSE_DIR")}
    env.update(INSIDEOUT_DATA_DIR=str(tmp_path / "data"), INSIDEOUT_DATABASE_URL=db_url)

    def run(*args, input=None):
        return subprocess.run([sys.executable, "-m", "sandbox.cli", *args], capture_output=True, text=True,
                              env=env, input=input, timeout=120, cwd=tmp_path)

    return run


@contextlib.contextmanager
def opened(db_url):
    engine = make_engine(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


def notebook_with(text: str) -> bytes:
    notebook = nbformat.reads((COURSE / "source" / "m03-wiki" / "m03-wiki.ipynb").read_text(), as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell(text))
    return nbformat.writes(notebook).encode()


@pytest.fixture()
def room(run, db_url):
    """A workshop where Zelda Quill did one of everything, and Ben Jones wrote about her."""
    now = datetime.now(timezone.utc) - timedelta(hours=1)
    with opened(db_url) as engine, write_session(engine) as session:
        code = create_workshop_from_scenario(session, "Northfield staff day", mode="live", scenario="college",
                                             now=now).workshop.code
    with opened(db_url) as engine, write_session(engine) as session:
        zelda = workshops.join(session, code, "Zelda Quill", "Library", accept_policy=True, client_key="t",
                               now=now).member
        ben = workshops.join(session, code, "Ben Jones", "Finance", accept_policy=True, client_key="t",
                             now=now).member
        post = feed.create_post(session, zelda, "Zelda Quill here, from the library #welcome", now=now)
        feed.reply(session, ben, post.id, "Welcome @zelda-quill! Zelda Quill, the quill pen club meets on Friday",
                   now=now)
        feed.reply(session, zelda, post.id, "Thanks Ben, I'm Zelda by the way", now=now)
        feed.react(session, zelda, post.id, "like", now=now)
        poll = feed.create_poll(session, zelda, "Lunch?", ["Zelda's pick", "Soup"], now=now)
        options = Base.metadata.tables["poll_options"]
        feed.vote_poll(session, ben, poll.id, session.scalars(
            select(options.c.id).where(options.c.post_id == poll.id)).first(), now=now)
        page = wiki.create_page(session, zelda, "Library opening hours", "Ask Zelda Quill at the desk", now=now)
        wiki.edit_page(session, ben, page.id, "Ask Zelda Quill at the desk, or Ben", base_number=1, now=now)
        bookmarks.save_bookmark(session, zelda, "https://example.org/library", "Library guide", now=now,
                                note="Zelda's favourite", tags=["library"])
        idea = ideas.create_idea(session, zelda, "Quill pens for all", "Zelda thinks so", now=now)
        ideas.vote(session, ben, idea.id, now=now)
        event = events.create_event(session, zelda, "Zelda's leaving do", now + timedelta(days=3), now=now,
                                    description="Cake with Zelda", location="Quill room")
        events.rsvp(session, ben, event.id, "going", now=now)
        groups.create_group(session, zelda, "Readers", "Zelda Quill's reading group", now=now)
        hand_ins.hand_in(session, zelda, "m03-wiki", "zelda-quill.ipynb",
                         notebook_with("My reflection, by Zelda Quill"), now=now)
        for job in grading_jobs.claim(session, "grader-test", now=now, limit=5):
            # What a grader stores: the written answers are in the result (here, her name).
            grading_jobs.finish(session, "grader-test", job.id, now=now, score=2, max_score=3,
                                result_json=json.dumps({"status": "graded", "written": ["Zelda Quill wrote this"]}))
    return code


def everything_in_the_store(db_url) -> list[tuple[str, str, str]]:
    """Every value of every row of every table as text: (table, column, value)."""
    found = []
    with opened(db_url) as engine, read_session(engine) as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)).mappings():
                for column, value in row.items():
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", errors="replace")
                    found.append((table.name, column, str(value)))
    return found


def test_erase_then_export_shows_nothing_of_that_person(run, room, db_url, tmp_path):
    before = tmp_path / "before.json"
    assert run("workshop", "export", room, "--out", str(before)).returncode == 0
    hits = {t for t, c, v in everything_in_the_store(db_url) if any(w in v.lower() for w in SECRET_WORDS)}
    assert hits >= {"posts", "wiki_revisions", "bookmark_saves", "ideas", "events", "groups", "hand_ins",
                    "grading_jobs", "members", "poll_options"}

    asked = run("workshop", "erase-person", room, "Zelda Quill", input="n\n")
    assert asked.returncode != 0 and "Zelda Quill" in asked.stdout
    assert any("zelda quill" in v.lower() for _, _, v in everything_in_the_store(db_url)), "a 'no' erased her"

    erased = run("workshop", "erase-person", room, "zelda-quill", "--yes")
    assert erased.returncode == 0, erased.stderr
    assert "now learner-" in erased.stdout

    leaks = [(t, c, v[:80]) for t, c, v in everything_in_the_store(db_url)
             if any(word in v.lower() for word in SECRET_WORDS)]
    assert not leaks
    after = tmp_path / "after.json"
    named = tmp_path / "named.json"
    assert run("workshop", "export", room, "--out", str(after)).returncode == 0
    assert run("workshop", "export", room, "--out", str(named), "--names").returncode == 0
    for path in (after, named):
        assert not any(word in path.read_text().lower() for word in SECRET_WORDS)
    # The figures still add up: the log is the same row for row, under the same pseudonym.
    old, new = json.loads(before.read_text()), json.loads(after.read_text())
    assert new["activities"] == old["activities"]
    assert [m["handle"] for m in new["members"]] == [m["handle"] for m in old["members"]]
    # Her colleague's own words stay, with her name replaced.
    with opened(db_url) as engine, read_session(engine) as session:
        alias = session.scalar(select(Member.handle).where(Member.erased_at.is_not(None)))
        bodies = [v for t, c, v in everything_in_the_store(db_url) if (t, c) == ("posts", "body")]
    assert f"Welcome @{alias}! {alias}, the quill pen club meets on Friday" in bodies
    revisions = [v for t, c, v in everything_in_the_store(db_url) if (t, c) == ("wiki_revisions", "body")]
    assert f"Ask {alias} at the desk, or Ben" in revisions

    again = run("workshop", "export-person", room, alias, "--out", str(tmp_path / "p.json"))
    assert again.returncode == 1 and "already erased" in again.stderr


def test_export_person_gives_everything_of_theirs_and_nothing_of_others(run, room, tmp_path):
    out = tmp_path / "zelda.json"
    result = run("workshop", "export-person", room, "ZELDA QUILL", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["person"]["display_name"] == "Zelda Quill"
    assert [p["text"] for p in data["posts"]] == ["Zelda Quill here, from the library #welcome",
                                                  "Thanks Ben, I'm Zelda by the way", "Lunch?"]
    assert data["wiki_revisions"][0]["text"] == "Ask Zelda Quill at the desk"
    assert [b["note"] for b in data["bookmarks"]] == ["Zelda's favourite"]
    assert "My reflection, by Zelda Quill" in data["hand_ins"][0]["notebook"]
    assert data["hand_ins"][0]["score"] == 2
    assert {n["kind"] for n in data["notifications"]} >= {"reply", "mention"}
    assert "quill pen club" not in out.read_text()  # Ben's reply is his, not hers
    table = tmp_path / "zelda.csv"
    assert run("workshop", "export-person", room, "zelda-quill", "--out", str(table)).returncode == 0
    rows = list(csv.DictReader(table.read_text(encoding="utf-8").splitlines()))
    assert {"person", "posts", "hand_ins", "activities"} <= {r["section"] for r in rows}


def test_export_person_refuses_unknown_or_non_people(run, room, tmp_path):
    for who, message in (("Nobody Here", "Nobody called 'Nobody Here'"), ("trainer", "not a person")):
        result = run("workshop", "export-person", room, who, "--out", str(tmp_path / "p.json"))
        assert result.returncode == 1 and message in result.stderr
        assert result.stderr.count("\n") == 1
        assert not (tmp_path / "p.json").exists()


def test_exports_are_pseudonymised_unless_asked(run, room, tmp_path):
    default, named = tmp_path / "a.csv", tmp_path / "b.csv"
    result = run("workshop", "export", room, "--out", str(default))
    assert result.returncode == 0 and "add --names" in result.stdout
    assert "zelda-quill" not in default.read_text()
    assert run("workshop", "export", room, "--out", str(named), "--names").returncode == 0
    assert "zelda-quill" in named.read_text()


def test_retention_erases_only_those_past_it(run, room, db_url):
    with opened(db_url) as engine, write_session(engine) as session:
        old = datetime.now(timezone.utc) - timedelta(days=45)
        gone = workshops.join(session, room, "Quentin Old", "Estates", accept_policy=True, client_key="t",
                              now=old).member
        feed.create_post(session, gone, "Quentin Old was here", now=old)
    assert run("workshop", "apply-retention").stdout.strip().endswith("0 learners past their workshop's "
                                                                      "retention period.")
    refused = run("workshop", "retention", room, "--days", "0")
    assert refused.returncode == 1 and "between 1 and" in refused.stderr
    assert run("workshop", "retention", room, "--days", "30").returncode == 0
    listed = run("workshop", "apply-retention", "--dry-run")
    assert "Quentin Old would be erased" in listed.stdout and "Zelda" not in listed.stdout
    applied = run("workshop", "apply-retention")
    assert applied.returncode == 0 and "Erased the data of 1 learners" in applied.stdout
    values = everything_in_the_store(db_url)
    assert not any("quentin" in v.lower() for _, _, v in values)
    assert any("Zelda Quill here" in v for _, _, v in values)  # active an hour ago: kept
    assert "0 learners" in run("workshop", "apply-retention").stdout  # nothing twice


def test_a_running_server_reads_the_log_again_after_an_erasure(room, db_url):
    """A server's in-memory log names people by handle: an erasure made elsewhere (the CLI)
    must reach it at its next read, even though no activity row was added."""
    from sandbox.services import people
    from sandbox.services.room_log import SharedLog

    with opened(db_url) as engine:
        with read_session(engine) as session:
            workshop = workshops.get_workshop(session, room)
            shared = SharedLog(workshop.id)
            before = shared.snapshot(session)
        assert "zelda-quill" in {a.actor for a in before.activities}
        with write_session(engine) as session:
            alias = people.erase_person(session, room, "zelda-quill", now=datetime.now(timezone.utc)).pseudonym
        with read_session(engine) as session:
            after = shared.snapshot(session)
    actors = {a.actor for a in after.activities}
    assert "zelda-quill" not in actors and alias in actors
    assert len(after.activities) == len(before.activities) and after.version != before.version
