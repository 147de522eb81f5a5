"""``insideout grade``: parse, call exercises.grading, show progress and a summary."""
from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sandbox.cli import app
from sandbox.cli.errors import run_or_fail

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_COURSE = PROJECT_ROOT / "exercises"


@app.command()
def grade(
    assignment: str = typer.Argument(..., help="The assignment id, e.g. m03-wiki."),
    submissions: Path = typer.Option(..., "--submissions", help=(
        "Learners' notebooks: nbgrader's submitted/ folder, a folder of <learner>.ipynb, or an LMS zip.")),
    workers: int = typer.Option(2, "--workers", min=1, max=64, help="Notebooks graded at the same time."),
    timeout: float = typer.Option(60.0, "--timeout", min=1, help="Seconds each notebook may run in all."),
    out: Path = typer.Option(None, "--out", help="Where grades.csv and feedback/ go [default: grades/ASSIGNMENT]."),
    course: Path = typer.Option(DEFAULT_COURSE, "--course", help="The nbgrader course folder (with source/)."),
    force: bool = typer.Option(False, "--force", help="Grade again learners already graded."),
) -> None:
    """Grade learners' notebooks in parallel, each in a locked-down kernel."""
    from exercises.grading import GradingSettings, grade_assignment

    settings = GradingSettings(
        assignment=assignment, submissions=submissions, course_root=course.resolve(),
        out_dir=(out or Path("grades") / assignment).resolve(), workers=workers, timeout=timeout, force=force)
    err = Console(stderr=True)
    listener = ProgressListener(err)
    try:
        summary = run_or_fail(grade_assignment, settings, listener)
    finally:
        listener.close()
    show_summary(Console(), summary)


class ProgressListener:
    """A progress bar on a terminal; one quiet line per learner otherwise."""

    def __init__(self, console: Console):
        self.console = console
        self.progress: Progress | None = None
        self.task = None
        self.done = 0
        self.total = 0

    def started(self, total: int, skipped: int, isolation_note: str | None) -> None:
        self.total = total
        if isolation_note:
            self.console.print(f"Warning: {isolation_note}", highlight=False)
        if skipped:
            self.console.print(f"Skipping {skipped} learner(s) already graded (use --force to grade them again).",
                               highlight=False)
        if total and self.console.is_terminal:
            self.progress = Progress(TextColumn("Grading"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), TextColumn("{task.description}"), console=self.console)
            self.progress.start()
            self.task = self.progress.add_task("", total=total)

    def finished_one(self, result) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=result.learner)
        else:
            self.console.print(f"[{self.done}/{self.total}] {result.learner}: {result.status}", highlight=False)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def show_summary(console: Console, summary) -> None:
    table = Table(title="Grading summary")
    table.add_column("graded", justify="right")
    table.add_column("not fully graded", justify="right")
    table.add_column("skipped", justify="right")
    table.add_column("mean score", justify="right")
    table.add_column("slowest notebook")
    slowest = summary.slowest
    mean = summary.mean_score
    table.add_row(str(summary.graded), str(summary.failed), str(len(summary.skipped)),
                  "-" if mean is None else f"{mean:.2f}",
                  "-" if slowest is None else f"{slowest.learner} ({slowest.seconds:.1f} s)")
    console.print(table)
    console.print(f"Grades: {summary.grades_path}", highlight=False)
    console.print(f"Feedback pages: {summary.feedback_dir}", highlight=False)
