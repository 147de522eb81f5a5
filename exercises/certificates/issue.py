"""Make the certificates: read the grades, decide, render, write. No printing here.

Everything that can be wrong with the input is found before the first file is
written, so a mistake in a grades or names file leaves the output folder as it was.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from exercises.certificates.eligibility import LearnerResult, decide, format_percent, parse_pass_mark
from exercises.certificates.errors import CertificateError
from exercises.certificates.files import prepare_folder, unique_file_names, write_whole
from exercises.certificates.fonts import FontSet, load_extra_font
from exercises.certificates.gradebook import read_gradebook
from exercises.certificates.names import name_problem, read_names

DEFAULT_TITLE = "Inside-Out: internal social media at work"
DEFAULT_ORGANISATION = "Northfield College"
DEFAULT_PASS_MARK = "0.6"


@dataclass(frozen=True)
class CertificateOptions:
    """What the trainer asked for; the CLI's options, unparsed."""

    grades: tuple[Path, ...]
    out: Path
    title: str = DEFAULT_TITLE
    organisation: str = DEFAULT_ORGANISATION
    pass_mark: str = DEFAULT_PASS_MARK
    names: Path | None = None
    issued_on: str | None = None  # YYYY-MM-DD; today when None
    extra_fonts: tuple[Path, ...] = ()


@dataclass(frozen=True)
class LearnerOutcome:
    learner: str
    name: str  # as printed on the certificate
    result: LearnerResult
    pdf: Path | None = None  # the certificate written, when there is one
    problem: str | None = None  # why an earned certificate could not be made

    @property
    def made(self) -> bool:
        return self.pdf is not None

    @property
    def overall(self) -> str | None:
        share = self.result.share
        return format_percent(share) if share is not None else None


@dataclass
class CertificateReport:
    folder: Path
    outcomes: list[LearnerOutcome]
    notes: list[str] = field(default_factory=list)

    @property
    def made(self) -> list[LearnerOutcome]:
        return [outcome for outcome in self.outcomes if outcome.made]

    @property
    def not_earned(self) -> list[LearnerOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.result.earned]

    @property
    def failed(self) -> list[LearnerOutcome]:
        """Learners who earned a certificate that could not be made."""
        return [o for o in self.outcomes if o.result.earned and not o.made]


def parse_issue_date(text: str | None, today: date | None = None) -> date:
    """The date printed on the certificates: ``text`` as YYYY-MM-DD, or today.

    Fails with :class:`CertificateError` when ``text`` is not a real date in that form.
    """
    if text is None or not text.strip():
        return today or date.today()
    raw = text.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise CertificateError(
            f"the date should be a real date written year-month-day, such as 2026-11-27, not {raw!r}."
        ) from None


def make_certificates(options: CertificateOptions) -> CertificateReport:
    """Write ``<learner>.pdf`` into ``options.out`` for every learner who earned one.

    Fails with :class:`CertificateError`, before writing anything, when the pass
    mark, date, title, organisation, a font, a grades file or the names file is
    wrong, or when the output folder is a file or cannot be written to. A disk
    error while writing stops with a message that says which certificates were
    already written (each of them whole). A name the fonts cannot draw, or one too
    long to fit, is not an error: that learner's outcome carries the reason.
    """
    pass_mark = parse_pass_mark(options.pass_mark)
    issued_on = parse_issue_date(options.issued_on)
    fonts = FontSet(extra=tuple(load_extra_font(path) for path in options.extra_fonts))
    title = _heading("title", options.title, fonts, "--title")
    organisation = _heading("organisation", options.organisation, fonts, "--organisation")
    out = Path(options.out)
    if out.exists() and not out.is_dir():
        raise CertificateError(f"{out} is a file, not a folder; choose a folder for --out.")

    grades = read_gradebook([Path(path) for path in options.grades])
    names = read_names(Path(options.names)) if options.names else {}
    results = decide(grades, pass_mark)
    file_names = unique_file_names([result.learner for result in results])

    pending: list[tuple[LearnerOutcome, bytes | None]] = []
    for result in results:
        name = names.get(result.learner, result.learner)
        outcome = LearnerOutcome(result.learner, name, result)
        pdf_bytes = None
        if result.earned:
            pdf_bytes, problem = _render(result, name, title, organisation, issued_on, fonts)
            outcome = LearnerOutcome(result.learner, name, result, problem=problem)
        pending.append((outcome, pdf_bytes))

    report = CertificateReport(folder=out, outcomes=[])
    report.notes.extend(_name_notes(options.names, names, results))
    if any(pdf_bytes for _, pdf_bytes in pending):
        prepare_folder(out)
    written = 0
    for outcome, pdf_bytes in pending:
        if pdf_bytes is None:
            report.outcomes.append(outcome)
            continue
        target = out / file_names[outcome.learner]
        try:
            write_whole(target, pdf_bytes)
        except CertificateError as error:
            raise CertificateError(
                f"{error} {written} certificate(s) had been written before this, each complete."
            ) from None
        written += 1
        report.outcomes.append(
            LearnerOutcome(outcome.learner, outcome.name, outcome.result, pdf=target)
        )
    report.notes.extend(_stale_notes(out, report.outcomes, file_names))
    return report


def _heading(what: str, text: str, fonts: FontSet, option: str) -> str:
    text = (text or "").strip()
    problem = name_problem(text)
    if problem:
        raise CertificateError(f"the {what} cannot be used: {problem.replace('the name', 'it')}.")
    missing = fonts.missing_characters(text, bold=True) or fonts.missing_characters(text)
    if missing:
        raise CertificateError(
            f"the {what} has characters the certificate font cannot draw "
            f"({' '.join(missing)}); change {option} or add a font that has them with --font."
        )
    return text


def _render(
    result: LearnerResult, name: str, title: str, organisation: str, issued_on: date, fonts: FontSet
) -> tuple[bytes | None, str | None]:
    """The certificate's PDF, or None and the reason it cannot be made."""
    # fpdf2 takes most of a second to import: load it only when a PDF is due, so
    # every other ``insideout`` command (and --help) stays quick.
    from exercises.certificates.render import CertificateText, render_certificate

    missing = fonts.missing_characters(name, bold=True)
    if missing:
        return None, (
            f"the name {name} has characters the certificate font cannot draw "
            f"({' '.join(missing)}); add a font that has them with --font, "
            "or give a form of the name in Latin letters in the names file."
        )
    text = CertificateText(
        name=name,
        title=title,
        organisation=organisation,
        assignments=result.assignments,
        overall=format_percent(result.share),
        issued_on=issued_on,
    )
    try:
        return render_certificate(text, fonts), None
    except CertificateError as error:
        return None, f"{error}."


def _name_notes(
    names_path: Path | None, names: dict[str, str], results: list[LearnerResult]
) -> list[str]:
    if not names_path:
        return []
    learners = {result.learner for result in results}
    notes = []
    # Only the names that would be printed matter to the trainer.
    unnamed = sorted(r.learner for r in results if r.earned and r.learner not in names)
    if unnamed:
        notes.append(
            f"{names_path} has no full name for {', '.join(unnamed)}; "
            "the learner id is printed instead."
        )
    unknown = sorted(learner for learner in names if learner not in learners)
    if unknown:
        notes.append(
            f"{names_path} lists {', '.join(unknown)}, who have no grades; they were left out."
        )
    return notes


def _stale_notes(out: Path, outcomes: list[LearnerOutcome], file_names: dict[str, str]) -> list[str]:
    notes = []
    for outcome in outcomes:
        old = out / file_names[outcome.learner]
        if not outcome.made and old.is_file():
            notes.append(
                f"{old} is an older certificate: {outcome.learner} did not get one this time. "
                "Delete it if it should not be handed out."
            )
    return notes
