"""Cleaning of article bodies written in the rich-text editor or pasted from Microsoft Word.

This is the only module of the project that imports bleach. The stored result is the one HTML
the templates show unescaped (``portal.web.filters.article_html``), so everything here errs on the
side of removing.

Two passes over the body:

1. A plain html5lib parse and tree walk (:class:`_Prepare`) does what bleach cannot express:
   it drops dangerous elements *with* their content (bleach with ``strip=True`` would keep the
   text of a ``<script>`` as text), drops comments (Word's conditional comments included) and
   the bullets Word writes for non-Word readers, turns ``h1`` into ``h2`` (the page has its own
   ``h1``), decodes character references once and NFC-normalises text and attribute values.
   The tree is serialised again with every tag written out.
2. :class:`bleach.sanitizer.Cleaner` then applies the allow-lists to that HTML and is the
   security boundary: whatever pass 1 lets through, bleach only keeps allowed tags and
   attributes. :func:`_attribute_allowed` checks link and image URLs, and
   :class:`_Finish` removes images whose ``src`` was refused and adds ``rel`` to external links.

Because pass 1 resolves character references, the output contains no entity except
``&amp;``, ``&lt;``, ``&gt;`` and ``&quot;`` (a ``&nbsp;`` becomes the U+00A0 character), and a
second run gives the same result.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import partial
from typing import Any

from bleach.html5lib_shim import (
    Filter,
    HTMLParser,
    HTMLSerializer,
    convert_entities,
    getTreeWalker,
)
from bleach.sanitizer import Cleaner

Token = dict[str, Any]

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tfoot", "tr", "th",
        "td", "caption", "img", "figure", "figcaption", "hr",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "width", "height", "srcset", "sizes"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "td": frozenset({"colspan", "rowspan", "scope"}),
    "ol": frozenset({"start"}),
}

# Removed together with everything inside them: their content is code, styling, another
# document, markup in another namespace or raw text of a form control, never article text.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
        "template", "noscript", "noembed", "noframes", "xmp", "plaintext", "svg", "math",
        "title", "xml", "textarea", "select",
    }
)  # fmt: skip

EXTERNAL_REL = "noopener noreferrer"

# Word wraps the bullet or number it writes for other readers in <span style="mso-list:Ignore">.
_WORD_LIST_MARKER = re.compile(r"mso-list\s*:\s*ignore", re.IGNORECASE)
# After the leading and trailing spaces browsers ignore, a link may hold no control character
# (tab and newline are removed by browsers, so "/\t/evil" would become "//evil") and no
# backslash (browsers read "/\evil" as "//evil").
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x1f\x7f\\]")
_SAFE_HREF = re.compile(r"https://|mailto:|/(?!/)", re.IGNORECASE)
# What may follow the image prefix: a file name (the uploads are "<token>-<width>.<ext>").
# No "/", "%", "\" or "..", so the URL cannot climb out of the image folder, even percent-encoded.
_IMAGE_NAME = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*")
_SRCSET_DESCRIPTOR = re.compile(r"[0-9]+w|[0-9]+(?:\.[0-9]+)?x")


def sanitize_article(html: str, *, image_prefix: str) -> str:
    """Return ``html`` reduced to the article allow-list; see the module docstring."""
    if not image_prefix.startswith("/") or not image_prefix.endswith("/"):
        raise ValueError("image_prefix must be a site path starting and ending with '/'")
    # A Cleaner holds parser state and is not thread-safe, hence one per call.
    cleaner = Cleaner(
        tags=ALLOWED_TAGS,
        attributes=partial(_attribute_allowed, image_prefix),
        protocols={"https", "mailto"},
        strip=True,
        strip_comments=True,
        filters=[_Finish],
    )
    # Whatever surrounded the removed parts (Word's <head>, for one) leaves blank lines.
    cleaned: str = cleaner.clean(_prepare(html))
    return cleaned.strip(" \t\n\r\f")


def _prepare(html: str) -> str:
    """Pass 1: parse, drop what must go with its content, rename h1, serialise."""
    fragment = HTMLParser(namespaceHTMLElements=False).parseFragment(html)
    serializer = HTMLSerializer(
        quote_attr_values="always",
        omit_optional_tags=False,
        escape_lt_in_attrs=True,
        escape_rcdata=True,
        alphabetical_attributes=False,
    )
    rendered: str = serializer.render(_Prepare(getTreeWalker("etree")(fragment)))
    return rendered


class _Prepare(Filter):
    """Token filter of pass 1 (see the module docstring)."""

    def __iter__(self) -> Iterator[Token]:
        depth_to_skip = 0
        for token in super().__iter__():
            kind = token["type"]
            if depth_to_skip:
                if kind == "StartTag":
                    depth_to_skip += 1
                elif kind == "EndTag":
                    depth_to_skip -= 1
                continue
            if kind in ("StartTag", "EmptyTag") and _dropped(token):
                depth_to_skip = 1 if kind == "StartTag" else 0
                continue
            if kind == "Comment":
                continue
            if kind in ("Characters", "SpaceCharacters"):
                token["data"] = unicodedata.normalize("NFC", token["data"])
            elif kind in ("StartTag", "EmptyTag", "EndTag"):
                if token["name"] == "h1":
                    token["name"] = "h2"
                if kind != "EndTag":
                    token["data"] = {
                        key: unicodedata.normalize("NFC", value)
                        for key, value in token["data"].items()
                    }
            yield token


def _dropped(token: Token) -> bool:
    if token["name"].lower() in DROPPED_WITH_CONTENT:
        return True
    style = token["data"].get((None, "style"), "")
    return bool(_WORD_LIST_MARKER.search(style))


def _attribute_allowed(image_prefix: str, tag: str, name: str, value: str) -> bool:
    """The allow-list of attributes, with the URL rules for links and images."""
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if tag == "a" and name == "href":
        return _safe_href(value)
    if tag == "img" and name == "src":
        return _local_image(convert_entities(value), image_prefix)
    if tag == "img" and name == "srcset":
        return _local_srcset(convert_entities(value), image_prefix)
    return True


def _safe_href(value: str) -> bool:
    """https:, mailto: or a path on this site ("/…", not the protocol-relative "//…")."""
    url = convert_entities(value).strip(" \t\n\r\f")
    return not _UNSAFE_URL_CHARS.search(url) and bool(_SAFE_HREF.match(url))


def _is_external(value: str) -> bool:
    url: str = convert_entities(value)
    return url.strip(" \t\n\r\f").lower().startswith("https:")


def _local_image(url: str, image_prefix: str) -> bool:
    return url.startswith(image_prefix) and bool(
        _IMAGE_NAME.fullmatch(url.removeprefix(image_prefix))
    )


def _local_srcset(srcset: str, image_prefix: str) -> bool:
    """Every candidate is "<url> [<n>w | <n>x]" with a URL in the image folder."""
    candidates = [part.split() for part in srcset.split(",")]
    return all(
        1 <= len(parts) <= 2
        and _local_image(parts[0], image_prefix)
        and (len(parts) == 1 or bool(_SRCSET_DESCRIPTOR.fullmatch(parts[1])))
        for parts in candidates
    )


class _Finish(Filter):
    """Runs on bleach's output tokens: images without an accepted ``src`` are removed, links
    to other sites get ``rel`` (any ``rel`` in the input was already dropped by the
    allow-list)."""

    def __iter__(self) -> Iterator[Token]:
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag"):
                attrs = token["data"]
                if token["name"] == "img" and (None, "src") not in attrs:
                    continue
                if token["name"] == "a" and _is_external(attrs.get((None, "href"), "")):
                    attrs[(None, "rel")] = EXTERNAL_REL
            yield token
