"""The built site as a reader gets it: every page accessible, offline, linked."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for attribute in ("href", "src"):
            if attrs.get(attribute):
                self.links.append((tag, attribute, attrs[attribute]))


def parse(path: Path) -> LinkParser:
    parser = LinkParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def html_pages(site: Path) -> list[Path]:
    # Sphinx copies template fragments into _static/; they are not pages anyone opens.
    # workbook/lite/ is JupyterLite, a third-party app: tests/site/test_browser_notebooks.py
    # drives it offline and reports what axe-core says of it.
    lite = site / "workbook" / "lite"
    return sorted(p for p in site.rglob("*.html")
                  if not {"_sources", "_static"} & set(p.parts) and lite not in p.parents)


def test_site_has_the_course_and_generated_pages(built_site):
    for page in ("index.html", "schedule.html", "key-points.html", "print_page.html",
                 "modules/01-inside-out.html", "trainers/agendas.html"):
        assert (built_site / page).is_file(), f"missing {page}"


def test_no_page_loads_anything_from_another_host(built_site):
    """Offline: only plain <a> links may point outside; nothing is loaded from elsewhere."""
    offenders = []
    for path in html_pages(built_site):
        for tag, attribute, url in parse(path).links:
            if tag == "a":
                continue
            if urlparse(url).scheme in ("http", "https") or url.startswith("//"):
                offenders.append(f"{path.relative_to(built_site)}: <{tag} {attribute}={url}>")
    for css in built_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css.read_text(errors="replace")):
            offenders.append(f"{css.relative_to(built_site)}: url({url})")
    assert not offenders, "resources from other hosts:\n" + "\n".join(offenders[:30])


def test_internal_links_resolve(built_site):
    broken = []
    ids_cache: dict[Path, set[str]] = {}
    for path in html_pages(built_site):
        for tag, attribute, url in parse(path).links:
            parsed = urlparse(url)
            if parsed.scheme or url.startswith(("//", "mailto:", "javascript:", "data:")):
                continue
            if not parsed.path:  # same-page anchor
                target = path
            elif parsed.path.startswith("/"):  # root-relative (the 404 page uses these)
                target = (built_site / unquote(parsed.path).lstrip("/")).resolve()
            else:
                target = (path.parent / unquote(parsed.path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(built_site)}: {url}")
                continue
            if parsed.fragment and target.suffix == ".html" and tag == "a":
                if target not in ids_cache:
                    ids_cache[target] = parse(target).ids
                if unquote(parsed.fragment) not in ids_cache[target]:
                    broken.append(f"{path.relative_to(built_site)}: {url} (no such anchor)")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:40])


# The pages are checked in this many parts, so that parallel test processes share the work.
ACCESSIBILITY_PARTS = 4


@pytest.mark.parametrize("part", range(ACCESSIBILITY_PARTS))
def test_every_page_is_accessible_and_offline(built_site, served_site, page, assert_accessible, part):
    """axe-core WCAG 2.1 AA on every page: as a learner, in trainer view and in print."""
    failures = []
    pages = html_pages(built_site)
    assert len(pages) > 20
    for path in pages[part::ACCESSIBILITY_PARTS]:
        if 'http-equiv="Refresh"' in path.read_text(errors="replace")[:500]:
            continue  # a redirect stub (the workbook's index): the page it points to is checked
        url = f"{served_site}/{path.relative_to(built_site).as_posix()}"
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        for view in ("learner", "trainer", "print"):
            if view == "trainer":
                if not page.locator(".admonition.instructor, details.instructor").count():
                    continue
                page.evaluate("document.body.classList.add('trainer-view')")
            if view == "print":
                if path.name != "print_page.html" and "handouts" not in path.parts:
                    continue
                page.emulate_media(media="print")
            try:
                assert_accessible(page, f"{path.relative_to(built_site)} ({view} view)")
            except AssertionError as error:
                failures.append(str(error))
            except PlaywrightError as error:
                failures.append(f"{path.relative_to(built_site)} ({view} view): {error}")
            finally:
                page.emulate_media(media="screen")
    assert not page.external_requests, f"requests to other hosts: {page.external_requests[:10]}"
    assert not failures, "\n\n".join(failures[:10])


def test_trainer_view_toggle_works_by_keyboard_and_is_remembered(served_site, page):
    page.goto(f"{served_site}/modules/03-wiki.html")
    notes = page.locator(".admonition.instructor").first
    toggle = page.get_by_role("button", name=re.compile("Trainer view"))
    assert notes.is_hidden(), "trainer notes must be hidden from learners by default"
    assert toggle.get_attribute("aria-pressed") == "false"

    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert notes.is_visible()

    page.goto(f"{served_site}/modules/01-inside-out.html")
    toggle = page.get_by_role("button", name=re.compile("Trainer view"))
    assert toggle.get_attribute("aria-pressed") == "true", "the choice is remembered across pages"
    assert page.locator(".admonition.instructor").first.is_visible()

    toggle.focus()
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert page.locator(".admonition.instructor").first.is_hidden()


def test_search_works_from_a_file_url(built_site, page):
    page.goto((built_site / "index.html").as_uri())
    page.locator("input.md-search__input").click()
    page.keyboard.type("wiki", delay=30)  # search listens to key events, as a reader types
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert results.count() > 0
    assert not page.external_requests


def test_module_pages_show_the_lesson_schema(built_site):
    for path in sorted((built_site / "modules").glob("*.html")):
        text = path.read_text()
        for part in ("lesson-overview", "Questions", "Objectives", "lesson-keypoints", "Challenge"):
            assert part in text, f"{path.name} lacks {part}"
