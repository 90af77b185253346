"""Folding Vietnamese text to plain letters, the one implementation behind search, slugs and
download names: "Đơn khiếu nại" -> "Don khieu nai".

Each caller adds its own rule on top: search lower-cases and collapses spaces, slugs
lower-case and hyphenate, download names keep ASCII only.
"""

from __future__ import annotations

import unicodedata
from typing import Final, Literal

# "đ" is a letter of its own in Unicode, not "d" with a stroke: no decomposition splits it.
_D_WITH_STROKE: Final = str.maketrans({"đ": "d", "Đ": "D"})


def strip_accents(text: str, form: Literal["NFD", "NFKD"] = "NFD") -> str:
    """``text`` with đ/Đ as d/D and every combining mark removed; case and the rest are kept.

    ``form`` is the decomposition applied before the marks are dropped: "NFD" (canonical)
    leaves other characters as they are; "NFKD" (compatibility) also spells ligatures,
    full-width letters, super-scripts and "…" in their plain forms ("ﬁ" -> "fi", "…" -> "...").
    Search keeps "NFD" because folded text is stored in the database and compared with text
    folded later, so its output must not change.
    """
    decomposed = unicodedata.normalize(form, text.translate(_D_WITH_STROKE))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
