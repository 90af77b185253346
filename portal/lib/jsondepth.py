"""How deeply a JSON text nests, found without parsing it and without recursion: the standard
parser recurses once per level, so a body of 100,000 "[" raises RecursionError inside it."""

from __future__ import annotations

import re
from typing import Final

_STRING: Final[re.Pattern[bytes]] = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET: Final[bytes] = bytes(b for b in range(256) if b not in b"[]{}")
_OPEN: Final[frozenset[int]] = frozenset(b"[{")


def nesting_exceeds(text: bytes | str, limit: int) -> bool:
    """True when arrays and objects in `text` nest more than `limit` levels deep.

    Strings are skipped (a "[" inside one is text); brackets are counted, not matched, which
    is enough to bound the parser's recursion: a text this calls shallow cannot recurse deeper
    than `limit` whatever else is wrong with it. Linear in the length of `text`.
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKET)
    depth = 0
    for byte in brackets:
        if byte in _OPEN:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False
