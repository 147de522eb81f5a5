"""Build the workbook: the release notebooks rendered as web pages.

``build_workbook(dest)`` is what ``insideout site build`` calls. It

1. copies the course to a temporary folder and runs nbgrader's
   ``generate_assignment`` there (so no solution or hidden test can reach the
   pages, and the repository stays clean);
2. renders the release notebooks with Jupyter Book 1.x (offline, without
   running them);
3. builds the browser notebooks (JupyterLite with Pyodide, ``exercises/lite.py``)
   into ``lite/`` beside the pages;
4. adds to each page a "back to the course module" link, an "Open in your
   browser" button (or, when the browser notebooks could not be built, a line
   saying what is needed) and plain download links for the notebook and any
   data file it needs, and removes the one internet address the theme embeds
   (the Thebe live-code loader);
5. checks that no page loads anything from the internet;
6. only then replaces ``dest`` with the finished pages.

Every failure raises ``WorkbookError`` (an ExercisesError) with one line, and
leaves ``dest`` as it was.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from exercises.course_modules import module_name
from exercises.errors import ExercisesError
from exercises.lite import LiteResult, build_lite
from exercises.release_tools import available_assignments, copy_course, generate_release

BOOK = Path(__file__).resolve().parent / "book"
# The course's name, owned by the course site's mkdocs.yml (site_name); the workbook's
# header links back to the course under it.
MKDOCS = Path(__file__).resolve().parent.parent / "mkdocs.yml"
HEADER_START = '<div class="col-lg-9 navbar-header-items">'

# Assignment id -> the course module pages it belongs to (relative to the site
# root; shared/DESIGN.md and the brief fix these names).
def _module(url: str) -> tuple[str, str]:
    """A course module's page and its one name (exercises.course_modules), e.g. for "modules/03-wiki.html"."""
    return url, module_name(int(url.split("/")[-1][:2]))


MODULE_PAGES: dict[str, list[tuple[str, str]]] = {
    "m01-inside-out": [_module("modules/01-inside-out.html")],
    "m02-slates": [_module("modules/02-slates.html")],
    "m03-wiki": [_module("modules/03-wiki.html")],
    "m04-microblogging": [_module("modules/04-microblogging.html")],
    "m05-bookmarking": [_module("modules/05-bookmarking.html")],
    "m06-ideas-events": [
        _module("modules/06-ideas.html"),
        _module("modules/07-events.html"),
    ],
    "m08-usefulness": [_module("modules/08-usefulness.html")],
    "m09-critical-mass": [_module("modules/09-critical-mass.html")],
    "m10-culture": [_module("modules/10-culture.html")],
    "m11-measuring-adoption": [_module("modules/11-measuring.html")],
    "m12-pilot-plan": [_module("modules/12-pilot-plan.html")],
}

# The theme embeds the address of Thebe's live-code loader from unpkg.com even
# with Thebe switched off; the workbook has no live code, so these go.
THEBE_PIECES = (
    re.compile(r'<script>const THEBE_JS_URL = "https?://[^<]*</script>\s*'),
    re.compile(r'<script async="async" src="[^"]*sphinx-thebe\.js[^"]*"></script>\s*'),
    re.compile(r'<link rel="stylesheet" type="text/css" href="[^"]*sphinx-thebe\.css[^"]*" />\s*'),
)
# Anything the browser would fetch by itself: src/href outside <a>, CSS url(), @import.
EXTERNAL_LOAD = re.compile(
    r'<(?!a\b)[a-z]+\b[^>]*\b(?:src|href)\s*=\s*["\']?(https?:)?//'
    r'|url\(\s*["\']?(?:https?:)?//'
    r'|@import\s+["\'](?:https?:)?//',
    re.IGNORECASE,
)
# The browser notebooks' folder inside the workbook.
LITE_FOLDER = "lite"
ARTICLE_START = '<article class="bd-article">'
REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Inside-Out workbook</title>
<meta http-equiv="refresh" content="0; url=intro.html">
</head>
<body>
<main>
<h1>Inside-Out workbook</h1>
<p><a href="intro.html">Open the workbook</a></p>
</main>
</body>
</html>
"""


class WorkbookError(ExercisesError):
    """The workbook could not be built; the message says why."""


def build_workbook(dest: Path) -> None:
    """Build the workbook into ``dest`` (replaced only when everything succeeded).

    Raises WorkbookError when nbgrader cannot release the notebooks, Jupyter
    Book fails or warns, a page would load something from the internet, or an
    expected page is missing. ``dest`` is untouched in every one of those cases.
    """
    dest = Path(dest)
    assignments = available_assignments()
    if not assignments:
        raise WorkbookError("No assignments found in exercises/source: nothing to put in the workbook.")
    with tempfile.TemporaryDirectory(prefix="insideout-workbook-") as folder:
        work = Path(folder)
        release = generate_release(copy_course(work / "course"))
        book = _assemble_book(work / "book", release, assignments)
        built = _run_jupyter_book(book)
        lite = build_lite(built / LITE_FOLDER, release, assignments)
        _finish_pages(built, release, assignments, lite)
        problems = external_loads(built)
        if problems:
            raise WorkbookError("The workbook would load files from the internet: " + "; ".join(problems[:3]))
        _replace(dest, built)


def _assemble_book(book: Path, release: Path, assignments: list[str]) -> Path:
    shutil.copytree(BOOK, book, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    for assignment in assignments:
        if not (release / assignment / f"{assignment}.ipynb").is_file():
            raise WorkbookError(f"nbgrader made no release notebook for {assignment}.")
        shutil.copytree(release / assignment, book / assignment)
    listed = set(re.findall(r"file:\s*(\S+)/\1", (book / "_toc.yml").read_text(encoding="utf-8")))
    missing = sorted(set(assignments) - listed)
    if missing:
        raise WorkbookError(f"exercises/book/_toc.yml does not list {', '.join(missing)}.")
    return book


def _run_jupyter_book(book: Path) -> Path:
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(book),
               "--builder", "html", "--warningiserror", "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        raise WorkbookError("jupyter-book is not installed in this environment "
                            "(pip install 'jupyter-book>=1,<2').") from None
    except subprocess.TimeoutExpired:
        raise WorkbookError("Jupyter Book took more than 10 minutes; the workbook was not built.") from None
    if result.returncode != 0:
        lines = [l.strip() for l in (result.stderr + result.stdout).splitlines()
                 if "WARNING" in l or "ERROR" in l or "Error" in l]
        reason = _plain(lines[0]) if lines else f"exit code {result.returncode}"
        raise WorkbookError(f"Jupyter Book could not build the workbook: {reason}")
    return book / "_build" / "html"


def course_name() -> str:
    """The course site's name (mkdocs.yml ``site_name``), or "Inside-Out" without it."""
    match = re.search(r"^site_name:\s*[\"']?(.*?)[\"']?\s*$", MKDOCS.read_text(encoding="utf-8"), re.M) \
        if MKDOCS.is_file() else None
    return match.group(1) if match else "Inside-Out"


def _course_header(home: str) -> str:
    """The workbook's header starts with the course's name, a link back to the course."""
    logo = home[: -len("index.html")] + "assets/favicon.png"  # the course's (and sandbox's) logo
    return (f'<div class="navbar-header-items__start"><a class="workbook-course" href="{html.escape(home)}">'
            f'<img src="{html.escape(logo)}" alt="" width="28" height="28"> '
            f"{html.escape(course_name())}</a></div>")


def _plain(line: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", line)


def _finish_pages(built: Path, release: Path, assignments: list[str], lite: LiteResult) -> None:
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for piece in THEBE_PIECES:
            text = piece.sub("", text)
        home = "../" * len(page.relative_to(built).parts) + "index.html"  # the course, one level above
        text = text.replace(HEADER_START, HEADER_START + _course_header(home), 1)
        page.write_text(text, encoding="utf-8")
    for assignment in assignments:
        page = built / assignment / f"{assignment}.html"
        if not page.is_file():
            raise WorkbookError(f"Jupyter Book made no page for {assignment}.")
        # The notebook first, then what it needs.
        files = sorted((p for p in (release / assignment).iterdir() if p.is_file()),
                       key=lambda p: (p.suffix != ".ipynb", p.name))
        for file in files:
            shutil.copy2(file, page.parent / file.name)
        text = page.read_text(encoding="utf-8")
        article = text.find(ARTICLE_START)
        title_end = text.find("</h1>", article)
        if article < 0 or title_end < 0:
            raise WorkbookError(f"The page for {assignment} has an unexpected layout; "
                                "links could not be added.")
        cut = title_end + len("</h1>")  # right under the exercise's title
        page.write_text(text[:cut] + _links_box(assignment, files, lite) + text[cut:], encoding="utf-8")
    (built / ".buildinfo").unlink(missing_ok=True)
    # Jupyter Book's index.html is a bare redirect without a title or language,
    # which screen readers (and axe-core) rightly complain about.
    (built / "index.html").write_text(REDIRECT_PAGE, encoding="utf-8")


def _links_box(assignment: str, files: list[Path], lite: LiteResult) -> str:
    """The box at the top of an exercise page: back to the module, open, downloads."""
    modules = "".join(
        f'<li><a href="../../{html.escape(url)}">Back to {html.escape(title)}</a></li>'
        for url, title in MODULE_PAGES.get(assignment, [])
    )
    downloads = []
    for file in files:
        what = ("the exercise notebook" if file.suffix == ".ipynb"
                else "a helper the notebook needs" if file.suffix == ".py"
                else "the data file the notebook reads")
        downloads.append(
            f'<li><a href="{html.escape(file.name)}" download>Download {html.escape(file.name)}</a> '
            f"({what})</li>"
        )
    return (
        '<nav class="workbook-links" aria-label="Exercise downloads and course module">'
        f"{_browser_box(assignment, lite)}"
        f"<ul>{modules}{''.join(downloads)}</ul>"
        + ("<p>Or save the files in one folder, open the notebook in Jupyter, and follow its "
           "first section.</p>" if len(files) > 1 else
           "<p>Or open the notebook in Jupyter and follow its first section.</p>")
        + "</nav>"
    )


def lite_url(assignment: str) -> str:
    """The browser notebook of ``assignment``, relative to its workbook page."""
    return f"../{LITE_FOLDER}/notebooks/index.html?path={assignment}/{assignment}.ipynb"


def _browser_box(assignment: str, lite: LiteResult) -> str:
    """The "Open in your browser" button and what to know about it, or why it is missing."""
    if not lite.built:
        return (
            '<div class="workbook-browser">'
            '<p class="workbook-browser-missing"><strong>Open in your browser is not available '
            "on this copy of the workbook.</strong> To add it, whoever looks after this site needs "
            f"{html.escape(lite.reason)}, then runs <code>insideout site build</code> again. "
            "Until then, download the notebook below and open it in Jupyter.</p></div>"
        )
    return (
        '<div class="workbook-browser">'
        f'<p><a class="workbook-open" href="{html.escape(lite_url(assignment))}">Open in your '
        "browser</a> Nothing to install: the notebook and its Python run in this browser, "
        "and nothing you type leaves this computer.</p>"
        "<p>Python takes a little while to start the first time (up to a minute on a slow "
        "computer): it is ready when the top right of the notebook says "
        "<strong>Python (Pyodide)</strong> beside an empty circle. If a box asks you to "
        "<strong>Select Kernel</strong>, keep Python (Pyodide) and press "
        "<strong>Select</strong>.</p>"
        "<p>Your answers are kept in this browser's own storage on this computer, not on a "
        "server: use the same computer and browser to come back to them, and clearing the "
        "browser's data removes them. To keep a copy or hand it in, choose "
        "<strong>File &gt; Download</strong> in the notebook: it saves the .ipynb file to your "
        "Downloads folder.</p></div>"
    )


def external_loads(folder: Path) -> list[str]:
    """Files in ``folder`` that would make a browser fetch something from the internet."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in {".html", ".css"}:
            continue
        match = EXTERNAL_LOAD.search(path.read_text(encoding="utf-8", errors="replace"))
        if match:
            found.append(f"{path.relative_to(folder)}: {match.group(0)[:80]}")
    return found


def _replace(dest: Path, built: Path) -> None:
    """Put ``built`` at ``dest`` with as short a gap as the filesystem allows."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = dest.with_name(dest.name + ".new")
    old = dest.with_name(dest.name + ".old")
    for leftover in (staging, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(built, staging)
    if dest.exists():
        dest.rename(old)
    staging.rename(dest)
    if old.exists():
        shutil.rmtree(old)
