"""``insideout scenario check``: every problem of a scenario file, at once, for its author."""
from __future__ import annotations

import typer

from sandbox.cli import app
from sandbox.cli.errors import fail

scenario_app = typer.Typer(help="Sandbox scenarios: check a scenario file before using it.",
                           no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


@scenario_app.command("check")
def check(
    scenario: str = typer.Argument(..., metavar="FILE_OR_NAME",
                                   help="A scenario's name (college) or the path to a .yaml file."),
) -> None:
    """Check a scenario file; list every problem (file, line, field, what to do) or say it is OK."""
    from sandbox.simulation.problems import ScenarioError
    from sandbox.simulation.scenario import load_scenario, scenario_path

    try:
        path = scenario_path(scenario)
    except ScenarioError as error:
        fail(error.problems[0].message)
    try:
        loaded = load_scenario(path)
    except ScenarioError as error:
        # Unlike other errors, an author wants them all at once, one per line.
        typer.echo(error.report(), err=True)
        typer.echo(f"{error.problems[0].file}: {_count(len(error.problems), 'problem')} to fix.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{path.name}: OK ({_count(len(loaded.personas), 'persona')}, "
               f"{_count(len(loaded.missions), 'mission')}, {_count(len(loaded.injects), 'inject')})")
