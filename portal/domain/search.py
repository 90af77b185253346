"""Accent-insensitive search: "dan van kheo" finds "Dân vận khéo", "hoà" finds "hòa"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

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


def token_character(character: str) -> bool:
    """A letter, a digit or a private-use character: what SQLite's unicode61 tokenizer (the
    FTS5 index of cases) keeps in a word; everything else separates words. (SQLite knows the
    characters of Unicode 6.1 and keeps the others in words too: search_index asks it.)"""
    return character.isalnum() or unicodedata.category(character) in ("Co", "Cn")


def has_word_prefixes(
    folded: str, words: str, token: Callable[[str], bool] = token_character
) -> bool:
    """True when every one of `words` (space-separated, [a-z0-9]) starts a word of the folded
    text `folded`, words being runs of `token` characters: the FTS5 query '"cot"* "dien"*'
    asked of one row ("cot dien" finds "cot dien do" and "dien ... cotton", not "xcot dien").

    SQLite calls it for each row a list walks in its own order (search_index.matches), where
    asking the FTS5 index about one row at a time would redo the prefix query each time."""
    for word in words.split():
        start = folded.find(word)
        while start > 0 and token(folded[start - 1]):
            start = folded.find(word, start + 1)
        if start < 0:
            return False
    return True
