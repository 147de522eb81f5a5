"""`insideout serve`: build the site, serve it, and run the sandbox beside it."""
from __future__ import annotations

from pathlib import Path

import typer

from sandbox.cli import app
from sandbox.cli.new_workshop import DEMO_HELP, create_demo
from sandbox.cli.errors import fail, run_or_fail


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 for a room's network)."),
    port: int = typer.Option(8501, "--port", min=1, max=65535, help="Port for the sandbox."),
    site_port: int = typer.Option(8000, "--site-port", min=1, max=65535, help="Port for the course site."),
    out: Path = typer.Option(Path("site"), "--out", help="Where to build the site."),
    graders: int = typer.Option(1, "--graders", min=0, max=16, help=(
        "Grader processes for notebooks handed in on the sandbox (0: none here; run insideout grader run elsewhere).")),
    demo: bool = typer.Option(False, "--demo", help=DEMO_HELP),
) -> None:
    """Build the course site, serve it, and start the sandbox; Ctrl+C stops both."""
    from sandbox.publish import build_site
    from sandbox.serving import start_static_server

    if port == site_port:
        fail("--port and --site-port must be different")
    if demo:
        create_demo()
    typer.echo("Building the course site and workbook (this takes a minute the first time)...")
    result = run_or_fail(build_site, out)
    server = run_or_fail(start_static_server, result.out, host, site_port)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    typer.echo(f"Course site: http://{shown}:{site_port}/")
    from sandbox.ui.server import run_in_foreground, streamlit_command

    try:
        typer.echo(f"Sandbox:     http://{shown}:{port}/")
        typer.echo("Press Ctrl+C to stop both.")
        returncode = run_in_foreground(streamlit_command(port=port, host=host), graders=graders)
        if returncode not in (0, -2, 130):
            fail(f"the sandbox stopped with exit code {returncode}")
        typer.echo("Stopped.")
    except OSError as error:
        fail(f"could not start the sandbox: {error}")
    finally:
        server.shutdown()
        server.server_close()
