"""Learner text: validate it on the way in, render it safely on the way out.

``clean_text`` is the only way typed text reaches the store. It strips, refuses
empty text, bounds the length (checked before anything expensive, so a 10 MB
paste fails in milliseconds), refuses control characters and the invisible
characters that flip text direction (used to disguise links and file names).

``render_markdown`` turns stored text into HTML for the page: Markdown without
raw HTML (markdown-it-py with ``html`` off), then an allowlist sanitiser (nh3):
links only to http, https and mailto, with ``rel="nofollow noopener noreferrer"``;
images are never loaded, only their description is shown; #hashtags and
@mentions become links the UI routes (``?tag=name``, ``?member=handle``).
"""
from __future__ import annotations

import html
import re
import unicodedata

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from sandbox.services.errors import InvalidInput

# Explicit direction overrides and isolates (U+202A-U+202E, U+2066-U+2069).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_CONTROLS = frozenset("\n\t")

HASHTAG_RE = re.compile(r"(?<![\w&#/])#([A-Za-z][A-Za-z0-9_-]{0,39})")
MENTION_RE = re.compile(r"(?<![\w@./])@([A-Za-z0-9][A-Za-z0-9_-]{0,39})")


def clean_text(
    raw: str | None,
    field: str,
    max_len: int,
    *,
    multiline: bool = True,
    required: bool = True,
) -> str:
    """Return ``raw`` stripped and normalised, or raise :class:`InvalidInput`.

    ``field`` names the thing in the message ("Your post", "The title").
    Single-line fields have runs of whitespace (newlines too) collapsed to one space.

    Fails when: the text is empty (and ``required``); longer than ``max_len``
    characters; contains control characters other than newline and tab; or
    contains direction-override characters.
    """
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise InvalidInput(f"{field} must be text.")
    # Bound the work before doing any: a huge paste is refused without scanning it.
    if len(raw) > max_len * 2 + 1000:
        raise InvalidInput(_too_long(field, len(raw), max_len))
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    text = unicodedata.normalize("NFC", text)
    if not multiline:
        text = " ".join(text.split())
    if not text:
        if required:
            raise InvalidInput(f"{field} is empty. Please write something first.")
        return ""
    if len(text) > max_len:
        raise InvalidInput(_too_long(field, len(text), max_len))
    if any(ch in BIDI_CONTROLS for ch in text):
        raise InvalidInput(
            f"{field} contains invisible characters that change the direction of text. "
            "Please retype it rather than pasting it."
        )
    for ch in text:
        if unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS:
            raise InvalidInput(
                f"{field} contains a hidden control character (code {ord(ch)}). "
                "Please retype it rather than pasting it."
            )
    return text


def _too_long(field: str, length: int, max_len: int) -> str:
    return (
        f"{field} is too long: {length:,} characters. The limit is {max_len:,}; "
        "please shorten it."
    )


def clean_choice(value: str, field: str, allowed) -> str:
    """``value`` if it is one of ``allowed``; otherwise :class:`InvalidInput`."""
    if value not in allowed:
        choices = ", ".join(sorted(allowed))
        raise InvalidInput(f"{field} must be one of: {choices}.")
    return value


def normalise_tag(raw: str) -> str:
    """A tag as stored: lower case, no leading '#', words joined by '-'.

    Fails when the tag is empty, over 40 characters, or uses characters other
    than letters, digits, '-' and '_'.
    """
    tag = clean_text(raw, "A tag", 60, multiline=False).lstrip("#").strip().lower()
    tag = re.sub(r"\s+", "-", tag)
    if not tag:
        raise InvalidInput("A tag is empty. Please write a word.")
    if len(tag) > 40:
        raise InvalidInput(f"The tag '{tag[:40]}…' is too long; the limit is 40 characters.")
    if not re.fullmatch(r"[^\W][\w-]*", tag):
        raise InvalidInput(
            f"The tag '{tag}' can only use letters, digits, '-' and '_'."
        )
    return tag


def extract_hashtags(text: str) -> list[str]:
    """The distinct #hashtags in ``text``, lower case, in order of first use."""
    seen: dict[str, None] = {}
    for match in HASHTAG_RE.finditer(text):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def extract_mentions(text: str) -> list[str]:
    """The distinct @handles in ``text``, lower case, in order of first use."""
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(text):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


# --- rendering ---------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_CLASSES = {"a": {"hashtag", "mention"}, "span": {"image-description"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _link_tokens(href: str, label: str, css_class: str) -> list[Token]:
    opening = Token("link_open", "a", 1)
    opening.attrs = {"href": href, "class": css_class}
    text = Token("text", "", 0)
    text.content = label
    return [opening, text, Token("link_close", "a", -1)]


_TAG_OR_MENTION_RE = re.compile(f"{HASHTAG_RE.pattern}|{MENTION_RE.pattern}")


def _tags_and_mentions_rule(state) -> None:
    """Core rule: turn #tag and @handle in plain text (not in links/code) into links."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        link_depth = 0
        for token in block.children:
            if token.type == "link_open":
                link_depth += 1
            elif token.type == "link_close":
                link_depth -= 1
            if token.type != "text" or link_depth > 0 or not _TAG_OR_MENTION_RE.search(token.content):
                children.append(token)
                continue
            position = 0
            for match in _TAG_OR_MENTION_RE.finditer(token.content):
                if match.start() > position:
                    plain = Token("text", "", 0)
                    plain.content = token.content[position : match.start()]
                    children.append(plain)
                if match.group(1):
                    name = match.group(1).lower()
                    children.extend(_link_tokens(f"?tag={name}", f"#{match.group(1)}", "hashtag"))
                else:
                    handle = match.group(2).lower()
                    children.extend(_link_tokens(f"?member={handle}", f"@{match.group(2)}", "mention"))
                position = match.end()
            if position < len(token.content):
                rest = Token("text", "", 0)
                rest.content = token.content[position:]
                children.append(rest)
        block.children = children


def _render_image_as_text(self, tokens, idx, options, env) -> str:
    # Never load an image from elsewhere (tracking, mixed content); say what it was.
    description = self.renderInlineAsText(tokens[idx].children or [], options, env)
    return f'<span class="image-description">[image: {html.escape(description or "no description")}]</span>'


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    md.core.ruler.push("insideout_tags_mentions", _tags_and_mentions_rule)
    md.add_render_rule("image", _render_image_as_text)
    return md


_MARKDOWN = _build_markdown()


def render_markdown(text: str) -> str:
    """Safe HTML for stored learner text (see the module docstring for the rules)."""
    raw_html = _MARKDOWN.render(text or "")
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
