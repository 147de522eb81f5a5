"""``insideout grader run``: grade hand-ins from the sandbox's queue (another machine, or by hand)."""
from __future__ import annotations

import logging

import typer

from sandbox.cli import app
from sandbox.cli.errors import run_or_fail

grader_app = typer.Typer(help="Grade notebooks handed in on the sandbox.", no_args_is_help=True)
app.add_typer(grader_app, name="grader")


@grader_app.command("run")
def run(
    workers: int = typer.Option(2, "--workers", min=1, max=64, help="Notebooks graded at the same time."),
    batch: int = typer.Option(40, "--batch", min=1, max=200, help="Hand-ins of one assignment taken at once."),
    timeout: float = typer.Option(60.0, "--timeout", min=1, help="Seconds each notebook may run in all."),
    lease: float = typer.Option(60.0, "--lease", min=1, help=(
        "Seconds after which a hand-in whose grader stopped answering is graded again by another.")),
    quiet: bool = typer.Option(False, "--quiet", help="Log only problems (used when started by serve)."),
) -> None:
    """Grade hand-ins from the sandbox's store until Ctrl+C. insideout serve and sandbox run
    start one by themselves; run more, on this or other machines sharing the store's
    PostgreSQL, to grade faster."""
    from sandbox.grading_queue.grader import GraderSettings, run_process
    from sandbox.store import create_schema, make_engine

    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO,
                        format="grader %(asctime)s %(message)s", datefmt="%H:%M:%S")
    engine = run_or_fail(make_engine)
    run_or_fail(create_schema, engine)
    if not quiet:
        typer.echo("Grading hand-ins from the sandbox's queue (press Ctrl+C to stop).")
    run_process(engine, GraderSettings(workers=workers, batch=batch, timeout=timeout, lease_seconds=lease))
