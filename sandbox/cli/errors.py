"""One way to fail: a single clear line on stderr and a non-zero exit."""
from __future__ import annotations

import sys
from typing import NoReturn

import typer


from exercises.errors import ExercisesError
from sandbox.errors import InsideOutError

# Errors whose message is written for the person at the keyboard.
USER_FACING_ERRORS = (InsideOutError, ExercisesError)


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"insideout: error: {message}", err=True)
    raise typer.Exit(code)


def run_or_fail(func, *args, **kwargs):
    """Call ``func``; turn a user-facing error into one line on stderr."""
    try:
        return func(*args, **kwargs)
    except USER_FACING_ERRORS as error:
        fail(str(error))
    except KeyboardInterrupt:
        typer.echo("insideout: interrupted; nothing half-written was kept.", err=True)
        sys.exit(130)
