"""``insideout deploy``: the recipe for several sandbox servers behind nginx, and its check."""
from __future__ import annotations

from pathlib import Path

import typer

from sandbox.cli import app
from sandbox.cli.errors import fail, run_or_fail

deploy_app = typer.Typer(help="Run the sandbox on several servers behind nginx.", no_args_is_help=True)
app.add_typer(deploy_app, name="deploy")


@deploy_app.command("nginx")
def nginx(
    sandbox: list[str] = typer.Option(..., "--sandbox", help="A sandbox server as HOST:PORT; repeat for each."),
    listen: str = typer.Option("0.0.0.0:80", "--listen", help="Where nginx listens for learners."),
    site: Path = typer.Option(Path("site"), "--site", help="The built course site, served at /course/."),
    out: Path | None = typer.Option(None, "--out", help="Write the file here instead of printing it."),
) -> None:
    """Print (or write) the nginx configuration for these sandbox servers and the site."""
    from sandbox.deploy import nginx_config

    text = run_or_fail(nginx_config, listen, sandbox, site)
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(f"cannot write '{out}': {error.strerror}")
    typer.echo(f"Wrote {out}. Start nginx with: nginx -c {out.resolve()} -p PREFIX/  (PREFIX holds logs/ and tmp/)")


@deploy_app.command("check")
def check(
    sandbox: list[str] = typer.Option([], "--sandbox", help="A sandbox or nginx address (http://HOST:PORT); repeat."),
) -> None:
    """Check that the store answers and is migrated, and that each server answers."""
    from sandbox.deploy.health import check_sandbox, check_store

    results = [check_store(), *(check_sandbox(url) for url in sandbox)]
    for result in results:
        typer.echo(f"{'ok  ' if result.ok else 'FAIL'} {result.what}: {result.detail}")
    failed = [r for r in results if not r.ok]
    if failed:
        fail(f"{len(failed)} of {len(results)} checks failed; first: {failed[0].what}: {failed[0].detail}")
