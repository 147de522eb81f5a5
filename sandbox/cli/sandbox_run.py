"""``insideout sandbox run``: start the practice sandbox in the foreground."""
from __future__ import annotations

import typer

from sandbox.cli import app
from sandbox.cli.new_workshop import DEMO_HELP, create_demo
from sandbox.cli.errors import fail

sandbox_app = typer.Typer(help="The practice sandbox.", no_args_is_help=True)
app.add_typer(sandbox_app, name="sandbox")


@sandbox_app.command("run")
def run(
    port: int = typer.Option(8501, "--port", min=1, max=65535, help="Port to listen on."),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Address to listen on. Use 0.0.0.0 so learners' laptops on the room's network can join.",
    ),
    graders: int = typer.Option(1, "--graders", min=0, max=16, help=(
        "Grader processes for notebooks handed in on the sandbox (0: none here; run insideout grader run elsewhere).")),
    demo: bool = typer.Option(False, "--demo", help=DEMO_HELP),
) -> None:
    """Start the practice sandbox (a Streamlit app) and keep it running until Ctrl+C."""
    from sandbox.ui.server import run_in_foreground, streamlit_command

    if demo:
        create_demo()
    typer.echo(f"Sandbox starting at http://{host}:{port}/  (press Ctrl+C to stop)")
    try:
        returncode = run_in_foreground(streamlit_command(port=port, host=host), graders=graders)
    except OSError as error:
        fail(f"could not start the sandbox: {error}")
    if returncode not in (0, -2, 130):
        fail(f"the sandbox stopped with exit code {returncode}", code=returncode)
