"""Normalising what citizens type: phone numbers, personal ID numbers and free text.

Conventions from docs/conventions.md §5: phone numbers are stored in E.164 and shown in the
national format; mobiles have had 10 digits since 2018 (prefixes 03, 05, 07, 08, 09) and
landlines start with a 02x area code (Tây Ninh 0276, Long An 0272). Which numbers are valid is
left to the pinned ``phonenumbers`` metadata. Text is stored in NFC (§5.5).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

_PROVINCE_CODE_TABLE: Final[str] = """
    001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033
    034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066
    067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096
"""

PROVINCE_CODES: Final[frozenset[str]] = frozenset(_PROVINCE_CODE_TABLE.split())
"""The 63 province codes (Thông tư 07/2016/TT-BCA, Phụ lục 1) that begin a 12-digit personal ID:
the province where the birth was registered. They did not change with the 2025 merger, so any
code is possible for a resident of the new Tây Ninh."""

CENTURY_SEX_CODES: Final[frozenset[str]] = frozenset("0123")
"""4th digit: 0/1 = born in the 1900s (male/female), 2/3 = born in the 2000s. The codes 4-9
stand for births from 2100 on, which no living citizen has."""

_PHONE_TYPES: Final[frozenset[int]] = frozenset(
    {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
"""Numbers a citizen can be called back on; 1800/1900 service numbers are refused."""

_MOBILE_TYPES: Final[frozenset[int]] = frozenset(
    {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
)

_PHONE_CHARS_RE: Final[re.Pattern[str]] = re.compile(r"\+?[0-9\s().\-/]+")
"""Digits and the usual separators only: ``phonenumbers`` would otherwise read letters as
keypad digits ("0912 ABC 678" → 0912 222 678)."""

_MAX_PHONE_LENGTH: Final[int] = 40
_ID_SEPARATORS_RE: Final[re.Pattern[str]] = re.compile(r"[\s.\-]+")
_HORIZONTAL_SPACE_RE: Final[re.Pattern[str]] = re.compile(r"[^\S\n]+")
_LINE_BREAK_RE: Final[re.Pattern[str]] = re.compile(r"\r\n?|[\v\f\x1c-\x1e\x85\u2028\u2029]")


def normalise_phone(text: str) -> str | None:
    """E.164 form (``"+84912345678"``) of a Vietnamese mobile or landline number, else None.

    Accepts "0912 345 678", "0912.345.678", "+84 912345678", "84912345678", "0084…" and
    "(0276) 3822 000". Foreign numbers and 1800/1900 service numbers give None.
    """
    compact = unicodedata.normalize("NFKC", text).strip()
    if len(compact) > _MAX_PHONE_LENGTH or not _PHONE_CHARS_RE.fullmatch(compact):
        return None
    try:
        number = phonenumbers.parse(compact, "VN")
    except NumberParseException:
        return None
    if (
        number.country_code != 84
        or not phonenumbers.is_valid_number_for_region(number, "VN")
        or phonenumbers.number_type(number) not in _PHONE_TYPES
    ):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """Whether a stored number is a Vietnamese mobile (so it can receive SMS).

    False for a landline, a foreign number or text that is not a number.
    """
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return False
    return (
        phonenumbers.is_valid_number_for_region(number, "VN")
        and phonenumbers.number_type(number) in _MOBILE_TYPES
    )


def format_phone_vn(e164: str) -> str:
    """National display form: "0912 345 678", "0276 3822 000".

    Raises ``ValueError`` when ``e164`` is not a number in international form.
    """
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException as error:
        raise ValueError(f"not an E.164 phone number: {e164!r}") from error
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def normalise_citizen_id(text: str) -> str | None:
    """The 12-digit personal identification number (số định danh cá nhân, on the CCCD), or None.

    Spaces, dots and hyphens are ignored. The number has no check digit (docs/conventions.md
    §5.1), so only its structure is checked: a province code from :data:`PROVINCE_CODES` and a
    century/sex code from :data:`CENTURY_SEX_CODES`. A citizen whose birth was registered
    abroad has a country code instead of a province code and is refused here; the form should
    let such a citizen give a passport number.
    """
    digits = _ID_SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", text))
    if not (len(digits) == 12 and digits.isascii() and digits.isdigit()):
        return None
    if digits[:3] not in PROVINCE_CODES or digits[3] not in CENTURY_SEX_CODES:
        return None
    return digits


def normalise_text(text: str) -> str:
    """NFC text with tidy spacing, for any free-text field.

    Line breaks of every kind become "\\n" and are kept; other runs of whitespace (tabs,
    no-break spaces…) become one space; each line and the whole text are stripped. Other
    control characters are removed (PostgreSQL refuses NUL in text).
    """
    text = _LINE_BREAK_RE.sub("\n", text)
    text = "".join(char for char in text if char in "\n\t" or unicodedata.category(char) != "Cc")
    lines = (_HORIZONTAL_SPACE_RE.sub(" ", line).strip() for line in text.split("\n"))
    return unicodedata.normalize("NFC", "\n".join(lines).strip())
