"""The ``insideout`` command.

This package only parses arguments, dispatches to the library and prints. Each
command group lives in its own small module so that the site, the sandbox and
grading can grow without stepping on each other. The contract is in
shared/DESIGN.md and mirrored in README.md (a test keeps them in step).
"""
from __future__ import annotations

import typer

app = typer.Typer(
    name="insideout",
    help="Inside-Out: a course site, a practice sandbox and graded exercises.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules register themselves on ``app`` when imported. The order is the
# order of ``insideout --help``.
COMMAND_MODULES = (
    "sandbox.cli.serve",
    "sandbox.cli.site",
    "sandbox.cli.sandbox_run",
    "sandbox.cli.grader",
    "sandbox.cli.deploy",
    "sandbox.cli.workshop",
    "sandbox.cli.backup",
    "sandbox.cli.scenario",
    "sandbox.cli.release",
    "sandbox.cli.grade",
    "sandbox.cli.certificates",
)


def _load_commands() -> None:
    import importlib

    for name in COMMAND_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            # A command module that does not exist yet is simply absent; a module
            # that exists but fails to import is a real bug and must surface.
            if error.name != name:
                raise


def main() -> None:
    _load_commands()
    app()
