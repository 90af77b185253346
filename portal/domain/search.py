"""Accent-insensitive search: "dan van kheo" finds "Dân vận khéo", "hoà" finds "hòa"."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower case, no diacritics (đ becomes d), single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip().lower()


def terms(query: str | None) -> list[str]:
    """The folded words of a search query, for an AND of LIKE conditions."""
    return [word for word in fold(query).split(" ") if word][:8]
