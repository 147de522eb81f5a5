"""``insideout release``: the learners' copies of assignments, ready to hand out."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from sandbox.cli import app
from sandbox.cli.errors import run_or_fail

HELP = (
    "Write the learners' version of assignments into a folder, ready to hand out (an LMS, "
    "a shared drive, email): each notebook without its solutions and hidden tests, with the "
    "files it needs. Without ASSIGNMENT, every assignment."
)


@app.command("release", help=HELP)
def release(
    assignments: Annotated[Optional[list[str]], typer.Argument(metavar="[ASSIGNMENT]...",
                                                               help="Assignment ids, such as m03-wiki.")] = None,
    out: Annotated[Path, typer.Option("--out", metavar="FOLDER", help="Where to write <assignment>/ folders.")]
        = Path("release"),
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite folders already in --out.")] = False,
) -> None:
    from exercises.release_tools import release_for_learners

    folders = run_or_fail(release_for_learners, assignments or [], out, replace=replace)
    for folder in folders:
        files = ", ".join(sorted(p.name for p in folder.iterdir()))
        typer.echo(f"{folder}: {files}")
    typer.echo("Hand out each folder as it is: the notebook needs the files beside it.")
