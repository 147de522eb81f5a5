"""Making a workshop from the command line: ``insideout workshop create`` and the
``--demo`` of ``insideout serve`` and ``insideout sandbox run``.

Registers no command itself, so importing it does not change ``insideout --help``.
"""
from __future__ import annotations

from datetime import datetime, timezone

import typer

from sandbox.cli.errors import run_or_fail

DEMO_TITLE = "Demo workshop"


def create_workshop(title: str, *, scenario: str = "college", mode: str = "live"):
    """Create a workshop from a scenario (exits with one line on any problem)."""
    from sandbox.simulation.seed import create_workshop_from_scenario, load_workshop_scenario
    from sandbox.store import create_schema, make_engine, write_session

    # Checked before the database is opened, so a broken scenario leaves nothing behind.
    run_or_fail(load_workshop_scenario, scenario)
    engine = run_or_fail(make_engine)
    run_or_fail(create_schema, engine)

    def create_it():
        with write_session(engine) as session:
            return create_workshop_from_scenario(session, title, mode=mode, scenario=scenario,
                                                 now=datetime.now(timezone.utc))

    return run_or_fail(create_it)


def print_created(created) -> None:
    w = created.workshop
    typer.echo(f"Workshop created: {w.title} ({w.mode}, scenario {w.scenario})")
    typer.echo(f"  Join code:   {w.code}   <- share this with the room")
    typer.echo(f"  Trainer key: {created.trainer_key}   <- keep it private; it is shown only once")


DEMO_HELP = ("Also create a demo workshop (the college scenario, live) and print its join code "
             "and trainer key; each start with --demo makes a new one.")


def create_demo() -> None:
    """``--demo`` of ``insideout serve`` and ``insideout sandbox run``."""
    print_created(create_workshop(DEMO_TITLE))
