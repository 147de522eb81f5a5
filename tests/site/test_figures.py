"""Course figures: drawn from data by the sandbox's own code, accessible, and required alt text."""
from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.site.conftest import HOOKS, mkdocs_build

sys.path.insert(0, str(HOOKS))

import alt_text  # noqa: E402
import figures  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
COURSE = ROOT / "course"
MARKERS = re.compile(r"^\{\{\s*(figure|screenshot):\s*([a-z0-9-]+)\s*\}\}\s*$", re.MULTILINE)


def used_figures() -> dict[str, list[str]]:
    """Every figure or screenshot a course page asks for -> the pages asking."""
    used: dict[str, list[str]] = {}
    for page in sorted(COURSE.rglob("*.md")):
        for match in MARKERS.finditer(page.read_text(encoding="utf-8")):
            used.setdefault(match.group(2), []).append(str(page.relative_to(ROOT)))
    return used


@pytest.mark.parametrize("name", sorted(figures.known_names()))
def test_every_figure_is_an_accessible_svg_with_words_and_a_source(name):
    figure = figures.get(name)
    svg_text = figure.svg[: figure.svg.rindex("</svg>") + len("</svg>")]
    root = ElementTree.fromstring(svg_text)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root[0].tag == f"{SVG}title" and root[0].text.strip()
    assert root.find(f"{SVG}desc") is not None and root.find(f"{SVG}desc").text.strip()
    assert not [element.tag for element in root.iter() if element.get("id")], "no ids: the print page joins pages"
    assert len(figure.description) > 120, "the long description says what the picture shows"
    assert figure.source.strip() and figure.title.strip()
    rendered = figures.render(figure)
    assert "Describe this figure" in rendered and "\n\n" not in rendered


def test_the_course_shows_at_least_twelve_figures_and_uses_every_one():
    used = used_figures()
    assert len(used) >= 12, f"only {len(used)} figures on the course pages: {sorted(used)}"
    unused = figures.known_names() - used.keys()
    assert not unused, f"figures no page shows: {sorted(unused)}"
    twice = {name: pages for name, pages in used.items() if len(pages) > 1}
    assert not twice, f"a figure on two pages would repeat its description: {twice}"


def test_threshold_cascade_is_the_sandbox_threshold_game():
    """The course's cascade is computed by sandbox.metrics.threshold, so it says what the game says."""
    from sandbox.metrics import cascade, find_flip

    figure = figures.get("threshold-cascade")
    crowd = [number / 100 for number in range(100)]
    assert cascade(crowd).summary() in figure.description
    changed = list(crowd)
    changed[1] = 0.02
    assert cascade(changed).summary() in figure.description
    assert "1 of 100 people (1%)" in figure.description and "100 of 100 people (100%)" in figure.description
    # Granovetter's point, checked by the game's own search: moving one threshold flips it.
    flip = find_flip(crowd)
    assert flip is not None and len(flip.after.joined) < 50
    # The drawn line ends where the game's last round ends: 100% after 100 rounds.
    points = re.findall(r'<polyline points="([^"]+)"', figure.svg)
    assert len(points) == 2 and len(points[0].split()) == 101 and len(points[1].split()) == 2


def test_sample_figures_say_what_the_dashboard_says():
    import json

    from sandbox.metrics import compute_dashboard

    export = json.loads((ROOT / "exercises" / "data" / "sample-export.json").read_text(encoding="utf-8"))
    dashboard = compute_dashboard(export["activities"], export["members"])
    assert dashboard.adoption.summary() in figures.get("sample-adoption").description
    assert dashboard.participation.summary() in figures.get("sample-participation").description
    assert dashboard.tags.summary() in figures.get("sample-tags").description
    assert dashboard.champions.summary() in figures.get("champion-network").description
    top_tag, uses = dashboard.tags.top_tags[0]
    assert f"#{top_tag} ({uses})" in figures.get("sample-tags").description


def test_rogers_categories_and_benchmark_state_their_numbers():
    rogers = figures.get("rogers-curve")
    for category in ("Innovators 2.5%", "Early adopters 13.5%", "Early majority 34%", "Late majority 34%",
                     "Laggards 16%"):
        assert category in rogers.description and category in rogers.svg
    assert "2.3%, 13.6%, 34.1%, 34.1%, 15.9%" in rogers.description, "the normal curve's own shares, unrounded"
    benchmark = figures.get("participation-benchmark")
    assert "almost 60%" in benchmark.svg and "90%" in benchmark.svg
    assert "could not read the full report" in benchmark.description, "say what was not checked"
    assert "10 November 2022" in benchmark.source


def test_a_diagram_without_title_desc_or_source_is_refused(tmp_path):
    good = (COURSE / "assets" / "figures" / "slates.svg").read_text(encoding="utf-8")
    cases = {
        "no-title": (re.sub(r"<title>.*?</title>", "", good, flags=re.DOTALL), "needs a <title>"),
        "no-desc": (re.sub(r"<desc>.*?</desc>", "", good, flags=re.DOTALL), "needs a <desc>"),
        "no-source": (re.sub(r' data-source="[^"]*"', "", good), "needs data-source"),
        "no-role": (good.replace(' role="img"', ""), 'needs role="img"'),
        "an-id": (good.replace("<rect ", '<rect id="x" ', 1), "no id attributes"),
    }
    for name, (text, expected) in cases.items():
        path = tmp_path / f"{name}.svg"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(figures.FigureError, match=re.escape(expected)):
            figures.diagram(path)


def in_figure(picture: str) -> str:
    return f"<figure>{picture}<figcaption>Caption.</figcaption><details><p>Long description.</p></details></figure>"


def test_alt_text_checker_finds_each_kind_of_missing_alternative():
    page = "".join(map(in_figure, [
        '<img alt="A chart" src="a.png">',
        '<img src="b.png">',
        '<img alt="  " src="c.png">',
        '<svg role="img"><title>Named</title><rect/></svg>',
        '<svg role="img"><g><title>not a direct child</title></g></svg>',
        '<svg aria-hidden="true"><path d="M0 0"/></svg>',
        '<svg aria-label="Outer"><svg><title>inner only</title></svg></svg>',
    ]))
    found = alt_text.problems(page)
    assert [problem.split(" has no ")[0] for problem in found] == [
        "image 'b.png'", "image 'c.png'", "inline SVG number 2", "inline SVG number 4 'Outer'",
    ]


def test_every_picture_needs_a_figure_with_caption_and_description():
    assert alt_text.problems(in_figure('<img alt="A" src="a.png">')) == []
    assert alt_text.problems('<p><svg aria-hidden="true"><path d="M0 0"/></svg></p>') == [], "an icon is no picture"
    found = alt_text.problems(
        '<p><img alt="Loose" src="loose.png"></p>'
        '<figure><img alt="No caption" src="b.png"><p>Description only.</p></figure>'
        '<figure><svg role="img"><title>T</title></svg><figcaption><p>Caption only.</p></figcaption></figure>'
    )
    assert found == [
        "image 'loose.png' is not in a figure with a description (" + alt_text.HOW_TO_FIGURE + ")",
        "the figure with image 'b.png' needs a <figcaption> and a description (a <details> or <p> in the figure)",
        "the figure with inline SVG number 1 needs a <figcaption> and a description (a <details> or <p> in the figure)",
    ]


@pytest.fixture()
def figure_project(fixture_project):
    """The fixture course with a picture file and a module that can show images."""
    (fixture_project / "course" / "modules" / "pic.png").write_bytes(
        (COURSE / "assets" / "screenshots" / "sandbox-feed.png").read_bytes())
    config = fixture_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - admonition\n", "  - admonition\n  - md_in_html\n"))
    return fixture_project


def _add_to_module(project: Path, text: str) -> None:
    page = project / "course" / "modules" / "01-first.md"
    page.write_text(page.read_text().replace("## Body 1\n", f"## Body 1\n\n{text}\n"))


def test_figures_build_into_the_fixture_course(figure_project, tmp_path):
    _add_to_module(figure_project, "{{ figure: threshold-cascade }}\n\n" + in_figure(
        '<img alt="A screenshot of the feed" src="pic.png">') + "\n")
    result = mkdocs_build(figure_project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "modules" / "01-first.html").read_text()
    assert page.count('<figure class="io-figure"') == 1 and "Describe this figure" in page
    assert "These thresholds predict 1 of 100 people (1%) join" in page
    assert 'alt="A screenshot of the feed"' in page


@pytest.mark.parametrize(
    "text, expected",
    [
        ("![](pic.png)", "course/modules/01-first.md: image 'pic.png' has no alt text"),
        ('<img src="pic.png">', "course/modules/01-first.md: image 'pic.png' has no alt text"),
        ('<div><svg viewBox="0 0 10 10"><rect width="5" height="5"/></svg></div>',
         "course/modules/01-first.md: inline SVG number 1 has no <title>"),
        ("![A picture](pic.png)", "course/modules/01-first.md: image 'pic.png' is not in a figure with a description"),
        ("{{ figure: no-such-figure }}", "course/modules/01-first.md: no figure 'no-such-figure'"),
        ("{{ screenshot: no-such-shot }}", "course/modules/01-first.md: no course/assets/screenshots/manifest.json"),
    ],
)
def test_an_image_without_alt_text_stops_the_build_with_one_line(figure_project, tmp_path, text, expected):
    _add_to_module(figure_project, text)
    result = mkdocs_build(figure_project, tmp_path / "out")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    lines = [line for line in output.splitlines() if expected in line]
    assert len(lines) == 1, output
