"""``insideout grade``: parse, call exercises.grading, show progress and a summary."""
from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sandbox.cli import app
from sandbox.cli.errors import fail, run_or_fail

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_COURSE = PROJECT_ROOT / "exercises"


@app.command()
def grade(
    assignment: str = typer.Argument(..., help="The assignment id, e.g. m03-wiki."),
    submissions: Path = typer.Option(None, "--submissions", help=(
        "Learners' notebooks: nbgrader's submitted/ folder, a folder of <learner>.ipynb, or an LMS zip.")),
    marks: Path = typer.Option(None, "--marks", help=(
        "Instead of grading: apply the marks typed in a to-mark.csv (written answers). No notebook runs.")),
    workers: int = typer.Option(2, "--workers", min=1, max=64, help="Notebooks graded at the same time."),
    timeout: float = typer.Option(None, "--timeout", min=1, help=(
        "Seconds each notebook may run in all, on top of the course's per-cell timeout "
        "(default: the course config's InsideOutGrade.notebook_timeout, else 60).")),
    out: Path = typer.Option(None, "--out", help="Where grades.csv, feedback/ and to-mark.csv go (default: grades/ASSIGNMENT)."),
    course: Path = typer.Option(DEFAULT_COURSE, "--course", help="The nbgrader course folder (with source/)."),
    force: bool = typer.Option(False, "--force", help="Grade again learners already graded."),
    explain: bool = typer.Option(False, "--explain", help=(
        "Show the settings grading would use (from the course's nbgrader_config.py, nbgrader's defaults "
        "and the kit's) and where each comes from, then stop. Grades nothing.")),
) -> None:
    """Grade learners' notebooks in parallel, each in a locked-down kernel; or, with --marks,
    add your marks for written answers to the grades and feedback."""
    out_dir = (out or Path("grades") / assignment).resolve()
    if marks is not None and submissions is not None:
        fail("give either --submissions (to grade notebooks) or --marks (to apply your marks), not both.")
    if marks is not None:
        from exercises.grading.apply_marks import apply_marks

        show_marks_applied(Console(), run_or_fail(apply_marks, out_dir, assignment, marks))
        return
    from exercises.grading import GradingSettings

    if explain:
        from exercises.grading.explain import explain_grading

        settings = GradingSettings(assignment=assignment, submissions=Path("."), course_root=course.resolve(),
                                   out_dir=out_dir, workers=workers, timeout=timeout)
        used = run_or_fail(explain_grading, settings, frozenset({"notebook_timeout"} if timeout else ()))
        show_settings(Console(), assignment, used)
        return
    if submissions is None:
        fail("give --submissions with the learners' notebooks (or --marks with a filled-in to-mark.csv).")
    from exercises.grading import grade_assignment

    settings = GradingSettings(
        assignment=assignment, submissions=submissions, course_root=course.resolve(),
        out_dir=out_dir, workers=workers, timeout=timeout, force=force)
    err = Console(stderr=True)
    listener = ProgressListener(err)
    try:
        summary = run_or_fail(grade_assignment, settings, listener)
    finally:
        listener.close()
    show_summary(Console(), summary)
    show_marking_next(Console(), summary, assignment, out)


def show_settings(console: Console, assignment: str, used) -> None:
    console.print(f"Settings for grading {assignment}:", highlight=False)
    for setting in used:
        console.print(f"- {setting.name}: {setting.value}  [from: {setting.source}]", highlight=False,
                      soft_wrap=True, markup=False)


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


def show_marking_next(console: Console, summary, assignment: str, out: Path | None) -> None:
    """One plain sentence on the written answers waiting for the trainer, if any."""
    if summary.sheet_problem:
        console.print(f"Warning: {summary.sheet_problem}", highlight=False)
    if summary.marks_reset:
        console.print(f"{', '.join(summary.marks_reset)} handed in a changed notebook, so their marks in "
                      "to-mark.csv were cleared: mark their new answers again.", highlight=False, soft_wrap=True)
    if summary.to_mark_path and summary.answers_to_mark:
        out_option = f" --out {out}" if out else ""
        console.print(
            f"{summary.answers_to_mark} written answer(s) wait for your marks: type a mark (and a comment if you "
            f"like) in each row of {summary.to_mark_path}, save it, then run: "
            f"insideout grade {assignment} --marks {summary.to_mark_path}{out_option}", highlight=False, soft_wrap=True)
    elif summary.to_mark_path:
        console.print(f"Every written answer in {summary.to_mark_path} has a mark.", highlight=False, soft_wrap=True)


def show_marks_applied(console: Console, applied) -> None:
    still = f"; {applied.waiting} still wait for a mark" if applied.waiting else ""
    console.print(f"Marks applied: {applied.marked} written answer(s) marked{still}. "
                  f"Updated {len(applied.updated)} learner(s).", highlight=False, soft_wrap=True)
    console.print(f"Grades: {applied.grades_path}", highlight=False)
    console.print(f"Feedback pages: {applied.feedback_dir}", highlight=False)
