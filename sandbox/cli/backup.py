"""``insideout backup`` and ``insideout restore``: the sandbox's database, safe while serving."""
from __future__ import annotations

from pathlib import Path

import typer

from sandbox.cli import app
from sandbox.cli.errors import run_or_fail


@app.command("backup")
def backup(
    out: Path = typer.Option(..., "--out", help="The backup file to write (it must not exist yet)."),
) -> None:
    """Copy the sandbox's database into one file, safely while the sandbox is serving
    (SQLite's online backup; pg_dump for PostgreSQL)."""
    from sandbox import config
    from sandbox.store import backup as store_backup

    path = run_or_fail(store_backup.backup, config.database_url(), out)
    typer.echo(f"Backed up the sandbox's database to {path} ({path.stat().st_size:,} bytes). "
               f"Restore it with: insideout restore {path}")


@app.command("restore")
def restore(
    file: Path = typer.Argument(..., help="A file written by insideout backup."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Replace everything in the sandbox's database with a backup (for SQLite, a copy of the
    database as it was is kept beside it)."""
    from sandbox import config
    from sandbox.store import backup as store_backup
    from sandbox.store import create_schema, make_engine

    url = config.database_url()
    if not file.is_file():
        run_or_fail(store_backup.restore, url, file)  # says there is no such file
    if not yes:
        typer.confirm(f"Replace every workshop, learner and post in the sandbox's database with the "
                      f"contents of {file}?", abort=True)
    kept = run_or_fail(store_backup.restore, url, file)
    # A backup from an older version of the kit gets this version's schema.
    engine = run_or_fail(make_engine, url)
    try:
        run_or_fail(create_schema, engine)
    finally:
        engine.dispose()
    typer.echo(f"Restored the sandbox's database from {file}."
               + (f" The database as it was before is kept in {kept}." if kept else ""))
