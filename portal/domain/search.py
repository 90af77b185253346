"""Accent-insensitive search: "dan van kheo" finds "Dân vận khéo", "hoà" finds "hòa"."""

from __future__ import annotations

import re

from portal.domain.text import strip_accents

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower case, no diacritics (đ becomes d), single spaces."""
    if not text:
        return ""
    return _SPACES.sub(" ", strip_accents(text)).strip().lower()


def terms(query: str | None) -> list[str]:
    """The folded words of a search query, for an AND of LIKE conditions."""
    return [word for word in fold(query).split(" ") if word][:8]
