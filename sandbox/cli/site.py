"""`insideout site build`: the course site and the workbook, as static files."""
from __future__ import annotations

from pathlib import Path

import typer

from sandbox.cli import app
from sandbox.cli.errors import run_or_fail

site_app = typer.Typer(help="Build the static course site (course + workbook).", no_args_is_help=True)
app.add_typer(site_app, name="site")


@site_app.command("build")
def build(
    out: Path = typer.Option(Path("site"), "--out", help="Folder to write the site into."),
    workbook: bool = typer.Option(True, "--workbook/--no-workbook", help="Also build the notebook workbook."),
) -> None:
    """Build the course (and the workbook) into OUT; open OUT/index.html in any browser."""
    from sandbox.publish import build_site

    result = run_or_fail(build_site, out, with_workbook=workbook)
    typer.echo(
        f"Built {result.pages} pages ({result.workbook_pages} in the workbook) into "
        f"{result.out}/ in {result.seconds:.1f} s. Open {result.out}/index.html in a browser."
    )
