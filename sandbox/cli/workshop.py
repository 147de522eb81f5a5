"""``insideout workshop``: create, list, export and reset sandbox workshops; people's data."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import typer

from sandbox.cli import app
from sandbox.cli.errors import run_or_fail

workshop_app = typer.Typer(help="Sandbox workshops: create, list, export, reset; one person's data.",
                           no_args_is_help=True)
app.add_typer(workshop_app, name="workshop")


def _engine():
    from sandbox.store import create_schema, make_engine

    engine = run_or_fail(make_engine)
    run_or_fail(create_schema, engine)
    return engine


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _load_scenario(name: str):
    """The checked scenario ``name``, before anything is written; exits with one line if it is
    unknown or broken (the line names the first problem; ``insideout scenario check`` lists all)."""
    from sandbox.simulation.seed import load_workshop_scenario

    return run_or_fail(load_workshop_scenario, name)


@workshop_app.command("create")
def create(
    title: str = typer.Option(..., "--title", help="The workshop's title, shown to learners."),
    scenario: str = typer.Option("college", "--scenario",
                                 help="Scenario to run: the name of a file in the scenarios folder."),
    mode: str = typer.Option("live", "--mode", help="live (a trainer with a room) or self-study."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Create a workshop with the scenario's colleagues and content already in the room;
    prints its join code and the trainer key (shown only once)."""
    from sandbox.cli.new_workshop import create_workshop, print_created

    created = create_workshop(title, scenario=scenario, mode=mode)
    w = created.workshop
    if as_json:
        typer.echo(json.dumps({
            "code": w.code, "title": w.title, "mode": w.mode, "scenario": w.scenario,
            "trainer_key": created.trainer_key,
            "created_at": w.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }))
        return
    print_created(created)




@workshop_app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help="Print the list as JSON."),
) -> None:
    """List workshops, newest first, with their join codes and number of learners."""
    from sandbox.services import workshops
    from sandbox.store import read_session

    engine = _engine()
    with read_session(engine) as session:
        summaries = workshops.list_workshops(session)
    if as_json:
        typer.echo(json.dumps([{
            "code": s.code, "title": s.title, "mode": s.mode, "scenario": s.scenario,
            "phase": s.phase, "learners": s.learners,
            "created_at": s.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        } for s in summaries]))
        return
    if not summaries:
        typer.echo("No workshops yet. Create one with: insideout workshop create --title \"...\"")
        return
    typer.echo(f"{'CODE':<8} {'CREATED (UTC)':<17} {'MODE':<10} {'LEARNERS':>8}  TITLE")
    for s in summaries:
        typer.echo(f"{s.code:<8} {s.created_at:%Y-%m-%d %H:%M} {s.mode:<10} {s.learners:>8}  {s.title}")


@workshop_app.command("export")
def export(
    code: str = typer.Argument(..., help="The workshop's join code."),
    out: Path = typer.Option(..., "--out", help="File to write: .json (everything) or .csv (activities)."),
    names: bool = typer.Option(False, "--names/--pseudonymise",
                               help="Keep learners' names (the default replaces them with stable pseudonyms)."),
) -> None:
    """Export a workshop's activity log (and members, in JSON) for the exercises;
    learners' names are replaced with stable pseudonyms unless you add --names."""
    from sandbox.services import export as export_service
    from sandbox.store import read_session

    run_or_fail(export_service.export_format, out)
    engine = _engine()

    def build():
        with read_session(engine) as session:
            return export_service.build_export(session, code, now=_now(), pseudonymise=not names)

    data = run_or_fail(build)
    path = run_or_fail(export_service.write_export, data, out)
    typer.echo(f"Exported {len(data['activities'])} activities and {len(data['members'])} members "
               f"of {data['workshop']['code']} to {path}"
               + ("" if names else " (learners under pseudonyms; add --names to keep their names)"))


@workshop_app.command("reset")
def reset(
    code: str = typer.Argument(..., help="The workshop's join code."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Start a workshop over: remove everything done in it (posts, pages, learners, the log),
    put the scenario's colleagues and content back, and keep its code and trainer key."""
    from sandbox.services import workshops
    from sandbox.simulation.seed import reset_and_reseed
    from sandbox.store import read_session, write_session

    engine = _engine()
    with read_session(engine) as session:
        workshop = run_or_fail(workshops.get_workshop, session, code)
    if not yes:
        typer.confirm(
            f"Remove every post, page, learner and the activity log of {workshop.code} "
            f"({workshop.title}) and start the room again from its scenario? "
            "This cannot be undone", abort=True)

    def reset_it():
        with write_session(engine) as session:
            return reset_and_reseed(session, code, now=_now())

    removed = run_or_fail(reset_it)
    typer.echo(f"Workshop {workshop.code} reset: removed {removed.get('posts', 0)} posts, "
               f"{removed.get('members', 0)} members and {removed.get('activities', 0)} activities. "
               f"The room starts again as scenario {workshop.scenario} sets it up; "
               "the join code and trainer key still work.")


# --- people's data (sandbox/services/people.py) ---------------------------------


@workshop_app.command("export-person")
def export_person(
    code: str = typer.Argument(..., help="The workshop's join code."),
    person: str = typer.Argument(..., help="The learner's handle or name as it shows in the sandbox."),
    out: Path = typer.Option(..., "--out", help="File to write: .json (everything) or .csv (one row per item)."),
) -> None:
    """Export everything the sandbox stores about one learner (their right of access)."""
    from sandbox.services import export as export_service
    from sandbox.services import people
    from sandbox.store import read_session

    suffix = run_or_fail(export_service.export_format, out)
    engine = _engine()

    def build():
        with read_session(engine) as session:
            return people.person_export(session, code, person, now=_now())

    data = run_or_fail(build)
    if suffix == ".json":
        content = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["section", "at", "what", "text"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(people.person_rows(data))
        content = buffer.getvalue()
    path = run_or_fail(export_service.write_text_atomically, out, content)
    items = sum(len(v) for v in data.values() if isinstance(v, list))
    typer.echo(f"Exported the data of {data['person']['display_name']} ({items} items) to {path}")


@workshop_app.command("erase-person")
def erase_person(
    code: str = typer.Argument(..., help="The workshop's join code."),
    person: str = typer.Argument(..., help="The learner's handle or name as it shows in the sandbox."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Erase one learner's data (their right to erasure): their text, hand-ins and name go;
    the activity log keeps their actions under a pseudonym so the figures still add up."""
    from sandbox.services import people
    from sandbox.store import read_session, write_session

    engine = _engine()
    with read_session(engine) as session:
        _, member = run_or_fail(people.find_person, session, code, person)
    if not yes:
        typer.confirm(f"Erase the posts, replies, wiki text, hand-ins and name of {member.display_name} "
                      f"({member.handle}) in workshop {code.strip().upper()}? This cannot be undone", abort=True)

    def erase_it():
        with write_session(engine) as session:
            return people.erase_person(session, code, member.handle, now=_now())

    erasure = run_or_fail(erase_it)
    changed = ", ".join(f"{number} {what}" for what, number in erasure.changed.items()) or "nothing else"
    typer.echo(f"Erased {member.display_name}: now {erasure.pseudonym} in the log. Changed: {changed}.")


@workshop_app.command("retention")
def retention(
    code: str = typer.Argument(..., help="The workshop's join code."),
    days: int = typer.Option(None, "--days", help="Days to keep a learner's data after their last activity."),
    forever: bool = typer.Option(False, "--until-erased",
                                 help="Keep data until someone erases it (no retention period)."),
) -> None:
    """Set how long learners' data is kept after their last activity in a workshop;
    insideout workshop apply-retention then erases what is older."""
    from sandbox.cli.errors import fail
    from sandbox.services import people
    from sandbox.store import write_session

    if (days is None) == (not forever):
        fail("Give either --days N or --until-erased.")
    engine = _engine()

    def set_it():
        with write_session(engine) as session:
            workshop = people.set_retention(session, code, None if forever else days)
            return workshop.code, workshop.retention_days

    workshop_code, kept = run_or_fail(set_it)
    if kept is None:
        typer.echo(f"Workshop {workshop_code}: learners' data is kept until someone erases it.")
    else:
        typer.echo(f"Workshop {workshop_code}: learners' data is kept {kept} days after their last activity. "
                   "Run insideout workshop apply-retention (daily, say) to erase what is older.")


@workshop_app.command("apply-retention")
def apply_retention(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list who would be erased."),
) -> None:
    """Erase, in every workshop with a retention period, each learner whose last activity is
    older than that period (run it daily, e.g. from cron)."""
    from sandbox.services import people
    from sandbox.store import read_session, write_session

    engine = _engine()
    if dry_run:
        with read_session(engine) as session:
            due = [(w.code, m.display_name) for w, m in people.due_for_erasure(session, now=_now())]
        for workshop_code, name in due:
            typer.echo(f"{workshop_code}: {name} would be erased")
        typer.echo(f"{len(due)} learners are past their workshop's retention period.")
        return

    def apply_it():
        with write_session(engine) as session:
            return people.apply_retention(session, now=_now())

    erased = run_or_fail(apply_it)
    for workshop_code, alias in erased:
        typer.echo(f"{workshop_code}: erased a learner, now {alias} in the log")
    typer.echo(f"Erased the data of {len(erased)} learners past their workshop's retention period.")
