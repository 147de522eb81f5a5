"""The workbook: release notebooks rendered by Jupyter Book into site/workbook/."""
from __future__ import annotations

import functools
import html
import re
import http.server
import json
import threading

import pytest

from exercises import workbook
from exercises.release_tools import ASSIGNMENTS
from tests.conftest import free_port


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A site folder whose workbook/ was built once by build_workbook."""
    root = tmp_path_factory.mktemp("site")
    workbook.build_workbook(root / "workbook")
    return root


@pytest.fixture(scope="module")
def served(site):
    """The built site on a local web server: its base URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_assignment_has_a_page_and_its_release_notebook(site, assignment):
    folder = site / "workbook" / assignment
    page = (folder / f"{assignment}.html").read_text(encoding="utf-8")
    notebook = (folder / f"{assignment}.ipynb").read_text(encoding="utf-8")
    assert f'href="{assignment}.ipynb" download' in page
    assert "How to use this notebook" in page
    for secret in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS"):
        assert secret not in page and secret not in notebook
    cells = json.loads(notebook)["cells"]
    assert all(not cell.get("outputs") for cell in cells if cell["cell_type"] == "code")


def page_text(path) -> str:
    """What a reader sees on a page: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


@pytest.mark.slow
def test_pages_show_no_solution_values(site):
    m01 = page_text(site / "workbook/m01-inside-out/m01-inside-out.html")
    assert "answer_q4 = ..." in m01
    assert "round(team_size * minutes_each / 60, 1)" not in m01 and 'answer_q3_quick_question = "M"' not in m01
    m12 = page_text(site / "workbook/m12-pilot-plan/m12-pilot-plan.html")
    assert "Admissions office" not in m12 and "Mark scheme" not in m12
    assert "Write your answer here" in m12


@pytest.mark.slow
@pytest.mark.parametrize(
    "assignment, modules",
    [(a, [url for url, _ in pages]) for a, pages in workbook.MODULE_PAGES.items()],
)
def test_pages_link_back_to_their_course_modules(site, assignment, modules):
    page = (site / "workbook" / assignment / f"{assignment}.html").read_text(encoding="utf-8")
    for url in modules:
        assert f'href="../../{url}"' in page


def test_every_assignment_has_its_module_pages():
    assert sorted(workbook.MODULE_PAGES) == sorted(ASSIGNMENTS)


@pytest.mark.slow
def test_data_exercise_page_offers_its_data_and_reader(site):
    folder = site / "workbook" / "m11-measuring-adoption"
    page = (folder / "m11-measuring-adoption.html").read_text(encoding="utf-8")
    for name in ("sample-export.json", "sample-export.csv", "insideout_export.py"):
        assert (folder / name).is_file()
        assert f'href="{name}" download' in page


@pytest.mark.slow
def test_workbook_loads_nothing_from_the_internet(site):
    assert workbook.external_loads(site / "workbook") == []
    assert not any("unpkg.com" in p.read_text(encoding="utf-8") for p in (site / "workbook").rglob("*.html"))


def test_external_loads_spots_scripts_styles_and_fonts_but_not_links(tmp_path):
    (tmp_path / "ok.html").write_text('<a href="https://example.org">a plain link</a>')
    (tmp_path / "script.html").write_text('<script src="https://cdn.example/x.js"></script>')
    (tmp_path / "font.css").write_text("@font-face { src: url(https://fonts.example/f.woff2) }")
    found = workbook.external_loads(tmp_path)
    assert [f.split(":")[0] for f in found] == ["font.css", "script.html"]


def test_failed_build_leaves_the_old_workbook_untouched(tmp_path, monkeypatch):
    dest = tmp_path / "workbook"
    dest.mkdir()
    (dest / "index.html").write_text("yesterday's workbook")
    empty_release = tmp_path / "release"
    empty_release.mkdir()
    monkeypatch.setattr(workbook, "generate_release", lambda course: empty_release)
    with pytest.raises(workbook.WorkbookError) as caught:
        workbook.build_workbook(dest)
    assert "nbgrader made no release notebook for m01-inside-out" in str(caught.value)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("workbook")] == ["workbook"]
    assert (dest / "index.html").read_text() == "yesterday's workbook"


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("path", [
    "workbook/intro.html", "workbook/search.html", "workbook/genindex.html",
    *(f"workbook/{a}/{a}.html" for a in ASSIGNMENTS),
])
def test_workbook_pages_are_accessible_and_offline(served, page, assert_accessible, path):
    page.goto(f"{served}/{path}")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert_accessible(page, path)
    assert page.external_requests == []


def test_book_table_of_contents_lists_every_assignment_in_course_order():
    import yaml

    toc = yaml.safe_load((workbook.BOOK / "_toc.yml").read_text(encoding="utf-8"))
    assert toc["root"] == "intro"
    assert [chapter["file"] for chapter in toc["chapters"]] == [f"{a}/{a}" for a in ASSIGNMENTS]


def test_book_config_keeps_the_build_offline_and_unexecuted():
    import yaml

    config = yaml.safe_load((workbook.BOOK / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["launch_buttons"]["thebe"] is False
    assert not config["launch_buttons"]["binderhub_url"] and not config["launch_buttons"]["colab_url"]


@pytest.mark.slow
def test_workbook_front_door_is_a_titled_page_that_leads_to_the_intro(site):
    front = (site / "workbook" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in front and "<title>Inside-Out workbook</title>" in front
    assert 'url=intro.html' in front and 'href="intro.html"' in front


@pytest.mark.slow
@pytest.mark.browser
def test_workbook_has_one_search_box_and_the_course_header(served, page):
    """Issue 14, finding 9: the theme showed two search boxes and no sign of the course."""
    page.goto(f"{served}/workbook/m03-wiki/m03-wiki.html")
    page.wait_for_load_state("networkidle")
    searches = [box for box in page.get_by_role("button", name="Search", exact=True).all() if box.is_visible()]
    assert len(searches) == 1
    course = page.get_by_role("link", name=workbook.course_name(), exact=True)
    assert course.is_visible() and course.get_attribute("href") == "../../index.html"
