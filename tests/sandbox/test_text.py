"""Learner text: validation on the way in, safe HTML on the way out."""
from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest

from sandbox.services.errors import InvalidInput
from sandbox.services.text import (
    clean_text,
    extract_hashtags,
    extract_mentions,
    normalise_tag,
    render_markdown,
)


def test_clean_text_strips_and_normalises_newlines():
    assert clean_text("  hello\r\nworld \n", "Your post", 100) == "hello\nworld"


def test_clean_text_single_line_collapses_whitespace():
    assert clean_text(" Anna \n  Smith\t", "Your name", 50, multiline=False) == "Anna Smith"


@pytest.mark.parametrize("raw", ["", "   ", "\n\t\n", None])
def test_clean_text_rejects_empty(raw):
    with pytest.raises(InvalidInput, match="empty"):
        clean_text(raw, "Your post", 100)


def test_clean_text_optional_may_be_empty():
    assert clean_text("  ", "A note", 100, required=False) == ""


def test_clean_text_too_long_names_the_limit():
    with pytest.raises(InvalidInput, match=r"101 characters\. The limit is 100"):
        clean_text("x" * 101, "Your post", 100)


def test_clean_text_rejects_10mb_paste_fast():
    paste = "a" * (10 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(InvalidInput, match="too long"):
        clean_text(paste, "Your post", 5000)
    # Not a benchmark: just proof that nothing scans or parses the paste.
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_clean_text_rejects_control_characters(char):
    with pytest.raises(InvalidInput, match="control character"):
        clean_text(f"hello{char}world", "Your post", 100)


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                  "\u2066", "\u2067", "\u2068", "\u2069"])
def test_clean_text_rejects_direction_overrides(char):
    with pytest.raises(InvalidInput, match="direction"):
        clean_text(f"invoice{char}fdp.exe", "Your post", 100)


def test_clean_text_keeps_ordinary_unicode():
    assert clean_text("Zoë — café 👍 עברית", "Your post", 100) == "Zoë — café 👍 עברית"


def test_hashtags_and_mentions_are_extracted_once_in_order():
    text = "Hi @Ben and @ben, see #Wiki #wiki #how-to. email a@b.org, x#y, &#35;"
    assert extract_hashtags(text) == ["wiki", "how-to"]
    assert extract_mentions(text) == ["ben"]


@pytest.mark.parametrize("raw,expected", [("#Wiki", "wiki"), ("How to", "how-to"), (" tips ", "tips")])
def test_normalise_tag(raw, expected):
    assert normalise_tag(raw) == expected


@pytest.mark.parametrize("raw", ["", "#", "a/b", "x" * 41, "<b>"])
def test_normalise_tag_rejects(raw):
    with pytest.raises(InvalidInput):
        normalise_tag(raw)


class _Elements(HTMLParser):
    """Every element and attribute the browser would really create."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1))",
        "<javascript:alert(1)>",
        "[data](data:text/html;base64,PHNjcmlwdD4=)",
        "![tracker](https://evil.example/pixel.png)",
        "<a href='https://x.example' onclick='steal()'>x</a>",
        "<iframe src='https://x.example'></iframe>",
        "[x](vbscript:msgbox)",
        "[x](file:///etc/passwd)",
    ],
)
def test_render_markdown_creates_no_unsafe_element(markdown):
    for tag, attrs in _elements(render_markdown(markdown)):
        assert tag not in {"script", "img", "iframe", "object", "embed", "style"}
        assert not any(name.startswith("on") for name in attrs), attrs
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("http://", "https://", "mailto:", "?")), href


def test_render_markdown_shows_image_description_instead_of_loading_it():
    assert "[image: tracker]" in render_markdown("![tracker](https://evil.example/p.png)")


def test_render_markdown_links_are_nofollow():
    html = render_markdown("[guide](https://example.org/guide)")
    assert 'href="https://example.org/guide"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_render_markdown_turns_tags_and_mentions_into_links():
    html = render_markdown("Thanks @Ben-Jones for #WikiTips")
    assert '<a href="?member=ben-jones" class="mention"' in html
    assert '<a href="?tag=wikitips" class="hashtag"' in html


def test_render_markdown_leaves_tags_in_code_and_links_alone():
    html = render_markdown("`#notatag` and [#label](https://example.org)")
    assert "?tag=notatag" not in html
    assert "?tag=label" not in html


def test_render_markdown_escapes_raw_html_as_text():
    assert "&lt;b&gt;bold&lt;/b&gt;" in render_markdown("<b>bold</b>")
