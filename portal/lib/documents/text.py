"""Free text as it may go into a document: one clean line, or clean non-blank lines."""

from __future__ import annotations

import re
from typing import Final

from portal.lib.xmltext import xml_text

_SPACES: Final = re.compile(r"\s+")
_LINE_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def clean_line(text: str) -> str:
    """NFC, no characters XML cannot hold, single spaces, no surrounding blanks."""
    text = xml_text(text)
    return _SPACES.sub(" ", text).strip()


def text_lines(text: str) -> list[str]:
    """Free text as clean paragraphs: NFC, no characters XML cannot hold, no blank lines.

    Not `str.splitlines`, which also breaks at control characters.
    """
    text = xml_text(text)
    return [line for line in (clean_line(part) for part in _LINE_BREAK.split(text)) if line]
