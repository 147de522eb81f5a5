"""``insideout workshop``: create, list, export and reset sandbox workshops."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import typer

from sandbox.cli import app
from sandbox.cli.errors import run_or_fail

workshop_app = typer.Typer(help="Sandbox workshops: create, list, export, reset.",
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
    pseudonymise: bool = typer.Option(False, "--pseudonymise",
                                      help="Replace learners' names with stable pseudonyms."),
) -> None:
    """Export a workshop's activity log (and members, in JSON) for the exercises."""
    from sandbox.services import export as export_service
    from sandbox.store import read_session

    run_or_fail(export_service.export_format, out)
    engine = _engine()

    def build():
        with read_session(engine) as session:
            return export_service.build_export(session, code, now=_now(), pseudonymise=pseudonymise)

    data = run_or_fail(build)
    path = run_or_fail(export_service.write_export, data, out)
    typer.echo(f"Exported {len(data['activities'])} activities and {len(data['members'])} members "
               f"of {data['workshop']['code']} to {path}")


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
