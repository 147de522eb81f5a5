"""``insideout certificates``: one PDF certificate of completion per learner."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from exercises.certificates import (
    DEFAULT_ORGANISATION,
    DEFAULT_PASS_MARK,
    DEFAULT_TITLE,
    CertificateOptions,
    CertificateReport,
    make_certificates,
)
from sandbox.cli import app
from sandbox.cli.errors import fail, run_or_fail


HELP = (
    "Make a PDF certificate of completion for every learner who passed.\n\n"
    "A learner earns one when every assignment in the grades files is graded for them "
    "and their total score, out of the total marks, reaches the pass mark. The others are "
    "listed with the reason. Everything happens offline."
)


@app.command("certificates", help=HELP)
def certificates(
    grades: Annotated[
        list[Path],
        typer.Option(
            "--grades", metavar="FILE_OR_FOLDER",
            help="A grades.csv written by 'insideout grade', or a folder of them (such as grades/). Repeat for several.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", metavar="FOLDER", help="Folder to write <learner>.pdf files into.")],
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="Course title printed on each certificate.")] = DEFAULT_TITLE,
    organisation: Annotated[
        str, typer.Option("--organisation", metavar="TEXT", help="Organisation printed on each certificate.")
    ] = DEFAULT_ORGANISATION,
    pass_mark: Annotated[
        str, typer.Option("--pass-mark", metavar="MARK", help="Share of all marks needed, such as 0.6 or 60%.")
    ] = DEFAULT_PASS_MARK,
    names: Annotated[
        Optional[Path],
        typer.Option("--names", metavar="FILE", help="CSV with columns learner,name: full names as they should be printed."),
    ] = None,
    issued_on: Annotated[
        Optional[str], typer.Option("--date", metavar="YYYY-MM-DD", help="Date printed, YYYY-MM-DD (default: today).")
    ] = None,
    fonts: Annotated[
        Optional[list[Path]],
        typer.Option("--font", metavar="FONT_FILE", help="Extra .ttf/.otf font for names in scripts the built-in font lacks (e.g. Chinese)."),
    ] = None,
) -> None:
    """Make a PDF certificate of completion for every learner who passed."""
    options = CertificateOptions(
        grades=tuple(grades),
        out=out,
        title=title,
        organisation=organisation,
        pass_mark=pass_mark,
        names=names,
        issued_on=issued_on,
        extra_fonts=tuple(fonts or ()),
    )
    report = run_or_fail(make_certificates, options)
    _print_report(report)
    if report.failed:
        count = len(report.failed)
        fail(f"{count} earned certificate{'s' if count != 1 else ''} could not be made; see the reasons above.")


def _print_report(report: CertificateReport) -> None:
    for outcome in report.outcomes:
        who = outcome.name if outcome.name == outcome.learner else f"{outcome.name} ({outcome.learner})"
        if outcome.made:
            typer.echo(f"Certificate made for {who}: {outcome.overall} overall -> {outcome.pdf}")
        elif outcome.result.earned:
            typer.echo(f"Could not make a certificate for {who}: {outcome.problem}")
        else:
            typer.echo(f"No certificate for {who}: {outcome.result.reason}")
    for note in report.notes:
        typer.echo(f"Note: {note}")
    made, waiting, failed = len(report.made), len(report.not_earned), len(report.failed)
    summary = f"{made} certificate{'s' if made != 1 else ''} made"
    summary += f" in {report.folder}." if made else "."
    summary += f" {waiting} learner{'s' if waiting != 1 else ''} did not earn one yet."
    if failed:
        summary += f" {failed} could not be made."
    typer.echo(summary)
