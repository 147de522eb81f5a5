"""The shipped sample export and the reader that notebooks use."""
from __future__ import annotations

import json
import shutil
import statistics
from pathlib import Path

import nbformat
import pytest

from exercises.data import make_sample
from exercises.notebook import insideout_export as reader
from sandbox import activity

DATA = make_sample.HERE


@pytest.fixture(scope="module")
def sample():
    return json.loads((DATA / "sample-export.json").read_text(encoding="utf-8"))


def test_the_m11_folder_carries_the_same_reader_the_notebooks_use():
    """m11's folder keeps its own copy (a release folder must run on its own); a fix to one
    must reach the other, or learners would read an export differently from the tests."""
    copy = Path(__file__).parents[2] / "exercises" / "source" / "m11-measuring-adoption" / "insideout_export.py"
    assert copy.read_bytes() == Path(reader.__file__).read_bytes(), \
        "exercises/notebook/insideout_export.py and m11's copy differ: copy the fixed one over the other"


def test_shipped_files_are_exactly_what_the_script_makes():
    export = make_sample.build()
    assert make_sample.to_json(export) == (DATA / "sample-export.json").read_text(encoding="utf-8")
    assert make_sample.to_csv(export) == (DATA / "sample-export.csv").read_text(encoding="utf-8")


def test_sample_follows_the_activity_contract(sample):
    assert sample["schema"] == activity.EXPORT_SCHEMA
    assert tuple(make_sample.COLUMNS) == activity.EXPORT_COLUMNS
    for row in sample["activities"]:
        assert tuple(row) == activity.EXPORT_COLUMNS
        assert row["verb"] in activity.VERBS
        assert row["actor_kind"] in activity.ACTOR_KINDS
        assert isinstance(row["detail"], dict)
    ids = [row["id"] for row in sample["activities"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert [row["at"] for row in sample["activities"]] == sorted(row["at"] for row in sample["activities"])


def test_sample_is_a_realistic_two_hour_workshop(sample):
    members = sample["members"]
    assert 20 <= len(members) <= 30
    assert len({m["department"] for m in members}) >= 5
    assert {m["kind"] for m in members} == {"learner", "simulated", "trainer"}
    assert sum(m["champion"] for m in members) >= 3
    assert 300 <= len(sample["activities"]) <= 1000
    first, last = sample["activities"][0]["at"], sample["activities"][-1]["at"]
    assert first.startswith("2026-11-20T09:3") and last <= "2026-11-20T11:30:00Z"
    export = reader.load_export(DATA / "sample-export.json")
    made = reader.contributions(export)
    assert sum(1 for count in made.values() if count == 0) >= 2, "a few people only read or react"
    assert max(made.values()) >= 2 * statistics.median(made.values()), "champions contribute far more than most"


def test_reader_verb_groups_mirror_the_sandbox_vocabulary():
    assert reader.CONTRIBUTING_VERBS == activity.CONTRIBUTING_VERBS
    assert reader.LIGHT_VERBS == activity.LIGHT_VERBS
    assert reader.TIE_VERBS == activity.TIE_VERBS
    assert reader.READING_VERBS == activity.READING_VERBS
    assert reader.COLUMNS == activity.EXPORT_COLUMNS
    assert reader.SCHEMA == activity.EXPORT_SCHEMA


def test_reader_gives_the_same_activities_from_json_and_csv():
    from_json = reader.load_export(DATA / "sample-export.json")
    from_csv = reader.load_export(DATA / "sample-export.csv")
    columns = ["id", "at", "actor", "verb", "object_id", "target", "detail"]
    assert [{c: row[c] for c in columns} for row in from_json.activities] == \
        [{c: row[c] for c in columns} for row in from_csv.activities]
    assert {m["handle"] for m in from_csv.members} == {m["handle"] for m in from_json.members}
    assert reader.contributions(from_csv) == reader.contributions(from_json)
    assert reader.ties(from_csv) == reader.ties(from_json)
    assert from_json.activities[0]["at"].isoformat() == "2026-11-20T09:30:17+00:00"


def test_reader_helpers_count_and_show_in_plain_python(capsys):
    export = reader.load_export(DATA / "sample-export.json")
    made = reader.contributions(export)
    ranked = reader.ranked(made)
    assert [count for _, count in ranked] == sorted(made.values(), reverse=True)
    assert reader.object_ids(export, "post.create") == {
        row["object_id"] for row in export.activities if row["verb"] == "post.create"}
    reader.show(ranked, limit=3)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split() == ["handle", "count"] and printed[1].split() == [ranked[0][0], str(ranked[0][1])]
    assert printed[-1] == f"... and {len(ranked) - 3} more"


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_reading_rows_are_kept_apart_so_counts_of_actions_stay_actions(tmp_path, suffix):
    """A new export holds reading rows (feed.view, post.view): the reader puts them in
    ``views``, so a notebook counting ``export.activities`` per person counts what people did."""
    from sandbox.services.export import render_export

    def row(number, minute, actor, verb, object_id="", target="", kind="learner"):
        return {"id": number, "workshop": "ABC123", "at": f"2026-11-20T09:{minute:02d}:00Z", "actor": actor,
                "actor_kind": kind, "department": "Library", "verb": verb, "object_type": "post",
                "object_id": object_id, "target": target, "detail": {}}

    rows = [row(1, 30, "ann", "feed.view"), row(2, 31, "ann", "post.create", "p1"),
            row(3, 32, "bob", "feed.view"), row(4, 33, "bob", "post.view", "p1", target="ann"),
            row(5, 34, "bob", "post.react", "p1", target="ann"), row(6, 35, "cy", "feed.view"),
            row(7, 36, "ann", "feed.view")]
    members = [{"handle": handle, "display_name": handle, "department": "Library", "kind": "learner",
                "champion": False, "joined_at": "2026-11-20T09:29:00Z"} for handle in ("ann", "bob", "cy")]
    export = {"schema": activity.EXPORT_SCHEMA,
              "workshop": {"code": "ABC123", "title": "t", "scenario": "college", "mode": "live",
                           "created_at": "2026-11-20T09:00:00Z", "exported_at": "2026-11-20T10:00:00Z"},
              "members": members, "activities": rows}
    path = tmp_path / f"export{suffix}"
    path.write_text(render_export(export, suffix), encoding="utf-8")
    loaded = reader.load_export(path)
    assert [(r["actor"], r["verb"]) for r in loaded.activities] == [("ann", "post.create"), ("bob", "post.react")]
    assert [r["id"] for r in loaded.views] == [1, 3, 4, 6, 7]
    # Cy only read: a member who took part, with no contribution (the 90 of 90-9-1), from CSV too.
    assert {m["handle"] for m in reader.people(loaded)} == {"ann", "bob", "cy"}
    assert reader.contributions(loaded) == {"ann": 1, "bob": 0, "cy": 0}
    assert reader.ties(loaded) == {frozenset({"ann", "bob"})}
    assert reader.object_ids(loaded, "post.create") == {"p1"}


@pytest.mark.parametrize(
    "name, content, phrase",
    [
        ("missing.json", None, "could not find the file"),
        ("other.json", '{"schema": "something-else"}', "is not an Inside-Out export"),
        ("broken.json", "{not json", "is not a readable JSON export"),
        ("export.xlsx", "x", "should end in .json or .csv"),
        ("short.csv", "id,actor\n1,ann\n", "missing the column(s) workshop, at"),
    ],
)
def test_reader_explains_files_it_cannot_use(tmp_path, name, content, phrase):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(reader.ExportFileError) as caught:
        reader.load_export(path)
    assert phrase in str(caught.value)


@pytest.mark.slow
def test_measuring_adoption_master_runs_on_a_csv_export(tmp_path):
    """A learner may swap in their own export file; every hidden test must follow."""
    folder = tmp_path / "m11"
    shutil.copytree(DATA.parent / "source" / "m11-measuring-adoption", folder)
    assert run_m11_master(folder, "sample-export.csv") == []


def test_sample_files_render_like_the_sandbox_export(sample):
    """The shipped files have exactly the shape `insideout workshop export` writes."""
    from sandbox.services.export import render_export

    assert render_export(sample, ".csv") == (DATA / "sample-export.csv").read_text(encoding="utf-8")
    assert json.loads(render_export(sample, ".json")) == sample


def run_m11_master(folder, export_name: str) -> list:
    """Run the m11 master (solutions and hidden tests) on ``export_name``; its error outputs."""
    from nbclient import NotebookClient

    path = folder / "m11-measuring-adoption.ipynb"
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if "export-file" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace('"sample-export.json"', f'"{export_name}"', 1)
    NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert any(f"from {export_name}" in o.get("text", "") for o in outputs)
    return [f"{o.ename}: {o.evalue}" for o in outputs if o.output_type == "error"]


@pytest.mark.slow
def test_measuring_adoption_works_on_a_real_sandbox_export(tmp_path):
    """A quiet real workshop (three learners, almost no posts) exported with the CLI:
    every answer and hidden test of m11 must still work on it."""
    import os
    import subprocess
    import sys
    from datetime import datetime, timedelta, timezone

    from sandbox.services import workshops
    from sandbox.simulation.tick import tick
    from sandbox.store import create_schema, make_engine, write_session

    url = f"sqlite:///{tmp_path / 'sandbox.db'}"
    engine = make_engine(url)
    create_schema(engine)
    start = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    with write_session(engine) as session:
        code = workshops.create_workshop(session, "Quiet room", now=start).workshop.code
    for number, (name, department) in enumerate([("Ann Lee", "Library"), ("Bo Chan", "Finance"),
                                                 ("Cy Diaz", "Estates")]):
        with write_session(engine) as session:
            workshops.join(session, code, name, department, accept_policy=True,
                           client_key=f"client-{number}", now=start + timedelta(minutes=number))
    for minute in range(0, 121, 10):
        tick(engine, code, start + timedelta(minutes=minute))
    engine.dispose()

    folder = tmp_path / "m11"
    shutil.copytree(DATA.parent / "source" / "m11-measuring-adoption", folder)
    env = {**os.environ, "INSIDEOUT_DATABASE_URL": url}
    insideout = str(Path(sys.executable).parent / "insideout")
    result = subprocess.run([insideout, "workshop", "export", code, "--out", str(folder / "ours.json")],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert run_m11_master(folder, "ours.json") == []


def test_replies_are_logged_as_the_sandbox_logs_them_and_q4_counts_threads(sample):
    """A reply's object_id is the reply itself and detail.thread the post that started its
    thread (sandbox/activity.py), so m11's reply rate must read the thread, as the
    sandbox's metrics do, on the sample and on an older export alike."""
    from sandbox.metrics.records import as_activities

    posts = {row["object_id"] for row in sample["activities"] if row["verb"] == "post.create"}
    replies = [row for row in sample["activities"] if row["verb"] == "post.reply"]
    assert replies and all(row["object_id"] not in posts and row["detail"]["thread"] in posts for row in replies)
    export = reader.load_export(DATA / "sample-export.json")
    replied = reader.replied_threads(export)
    assert not reader.object_ids(export, "post.reply") & posts, "reply ids are not post ids"
    # The same reading as the sandbox's metrics (Activity.thread).
    assert replied == {a.thread() for a in as_activities(sample["activities"]) if a.verb == "post.reply"}
    assert (len(posts), len(posts & replied)) == (113, 47)  # q4's answer, 41.6 %, as before
    # An older export names the post replied to in object_id and has no thread: same answer.
    for row in export.activities:
        if row["verb"] == "post.reply":
            row["object_id"], row["detail"] = row["detail"]["thread"], {}
    assert reader.replied_threads(export) == replied
