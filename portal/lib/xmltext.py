"""Text fit for an XML document (.docx, .xlsx): NFC, without the characters XML 1.0 cannot hold.

python-docx and openpyxl raise on those characters (C0 controls other than tab, line feed and
carriage return, lone surrogates, U+FFFE and U+FFFF), and text pasted into a form sometimes
carries them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_XML_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """``text`` in NFC with every character XML 1.0 cannot hold removed."""
    return _XML_ILLEGAL.sub("", unicodedata.normalize("NFC", text))
