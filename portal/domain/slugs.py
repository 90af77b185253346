"""URL slugs for articles: "Dân vận khéo: Đồng Khởi 2026!" -> "dan-van-kheo-dong-khoi-2026"."""

from __future__ import annotations

import re
from collections.abc import Callable

from portal.domain.text import strip_accents

FALLBACK = "bai-viet"

# Letters besides đ that compatibility decomposition does not split into a base letter and a
# mark; a slug spells them in ASCII rather than dropping them.
_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l",
     "Ł": "l"}
)  # fmt: skip
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(title: str, max_length: int = 80) -> str:
    """Lower-case ASCII words of ``title`` joined by "-", at most ``max_length`` characters.

    Accents are folded ("Khởi" -> "khoi"); any other character separates words. A slug that
    is too long is cut after its last whole word that fits (a single word longer than the limit
    is cut inside). A title with no letter or digit gives :data:`FALLBACK`.
    """
    if max_length < len(FALLBACK):
        raise ValueError(f"max_length must be at least {len(FALLBACK)}")
    ascii_text = strip_accents(title.translate(_LETTERS), "NFKD").lower()
    slug = _NOT_SLUG.sub("-", ascii_text).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_length]
    return slug or FALLBACK


def unique_slug(base: str, taken: Callable[[str], bool]) -> str:
    """``base`` if it is free, else the first free one of ``base-2``, ``base-3``, ...

    ``taken`` is asked once per candidate, in that order.
    """
    candidate, number = base, 1
    while taken(candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate
