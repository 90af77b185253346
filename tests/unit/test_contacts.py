"""Phone numbers, personal ID numbers and free text (portal.domain.contacts).

Expected values follow docs/conventions.md §5.1, §5.2 and §5.5.
"""

from __future__ import annotations

import unicodedata

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.contacts import (
    PROVINCE_CODES,
    format_phone_vn,
    is_mobile,
    normalise_citizen_id,
    normalise_phone,
    normalise_text,
)


def test_pinned_phonenumbers_version() -> None:
    # Which numbers are valid comes from this package's metadata; re-check the tables below
    # when upgrading it.
    assert phonenumbers.__version__ == "9.0.43"


# --- Phone numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("0912-345-678", "+84912345678"),
        ("+84 912345678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0084 912 345 678", "+84912345678"),
        ("  0912 345 678\t", "+84912345678"),
        ("0912\u00a0345\u00a0678", "+84912345678"),
        ("０９１２３４５６７８", "+84912345678"),
        # One number for each network's prefixes (docs/conventions.md §5.2).
        ("0326 123 456", "+84326123456"),
        ("0559 123 456", "+84559123456"),
        ("0706 123 456", "+84706123456"),
        ("0869 123 456", "+84869123456"),
        ("0871 234 567", "+84871234567"),
        ("0991 234 567", "+84991234567"),
        # Landlines: Tây Ninh 0276, Long An 0272, Hà Nội 024.
        ("(0276) 3822 000", "+842763822000"),
        ("0276 3822 000", "+842763822000"),
        ("+84 276 3822 000", "+842763822000"),
        ("0272 3826 000", "+842723826000"),
        ("024 3826 4444", "+842438264444"),
    ],
)
def test_valid_phone_numbers(text: str, e164: str) -> None:
    assert normalise_phone(text) == e164


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "012345678",  # 9 digits with a 0: no such number
        "0123456789",  # 012x was an old 11-digit mobile prefix, withdrawn in 2018
        "01212345678",  # an 11-digit mobile from before 2018
        "0912 345 67",
        "0912 345 6789",
        "0912 ABC 678",  # phonenumbers alone would read the letters as keypad digits
        "O912345678",
        "0912345678 ext. 12",
        "số 0912345678",
        "+1 650 253 0000",  # a valid number, but not Vietnamese
        "+66 2 123 4567",
        "1900 1234",  # a premium-rate service number
        "1800 1234",  # a toll-free service number
        "113",
        "+84",
        "++84912345678",
        "0" * 100,
    ],
)
def test_invalid_phone_numbers(text: str) -> None:
    assert normalise_phone(text) is None


@given(st.text(max_size=60))
def test_property_phone_result_is_e164_or_none(text: str) -> None:
    result = normalise_phone(text)
    assert result is None or (result.startswith("+84") and result[1:].isdigit())
    if result is not None:
        assert normalise_phone(result) == result


@pytest.mark.parametrize(
    ("e164", "mobile", "display"),
    [
        ("+84912345678", True, "0912 345 678"),
        ("+84326123456", True, "0326 123 456"),
        ("+842763822000", False, "0276 3822 000"),
        ("+842438264444", False, "024 3826 4444"),
    ],
)
def test_mobile_and_display(e164: str, mobile: bool, display: str) -> None:
    assert is_mobile(e164) is mobile
    assert format_phone_vn(e164) == display
    assert normalise_phone(display) == e164


@pytest.mark.parametrize("text", ["", "0912345678", "not a number", "+16502530000", "+84"])
def test_is_mobile_false_for_anything_else(text: str) -> None:
    assert is_mobile(text) is False


@pytest.mark.parametrize("text", ["", "abc", "0912345678"])
def test_format_phone_needs_international_form(text: str) -> None:
    with pytest.raises(ValueError):
        format_phone_vn(text)


# --- Personal identification numbers (CCCD) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("072085012345", "072085012345"),  # Tây Ninh, man born 1985
        ("080301012345", "080301012345"),  # Long An, woman born 2001
        ("079 199 000 001", "079199000001"),
        ("001.0.95.123456", "001095123456"),
        ("096-2-10-999999", "096210999999"),
        (" 074185000000\n", "074185000000"),
        ("０７２０８５０１２３４５", "072085012345"),
    ],
)
def test_valid_citizen_ids(text: str, expected: str) -> None:
    assert normalise_citizen_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "07208501234",  # 11 digits
        "0720850123456",  # 13 digits
        "072085O12345",  # letter O
        "07208501234A",
        "123456789",  # an old 9-digit CMND
        "000085012345",  # no province 000
        "003085012345",  # 003 is not in the list
        "097085012345",  # beyond 096
        "999085012345",
        "072485012345",  # century code 4: born in the 2100s
        "072985012345",
        "072_085_012_345",
        "٠٧٢٠٨٥٠١٢٣٤٥",  # Arabic-Indic digits
    ],
)
def test_invalid_citizen_ids(text: str) -> None:
    assert normalise_citizen_id(text) is None


def test_province_codes() -> None:
    assert len(PROVINCE_CODES) == 63
    assert {"072", "080", "079", "074", "001", "096"} <= PROVINCE_CODES
    assert all(len(code) == 3 and "001" <= code <= "096" for code in PROVINCE_CODES)


# --- Free text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Nguyễn   Văn  An  ", "Nguyễn Văn An"),
        ("a\t\tb", "a b"),
        ("dòng 1  \r\n  dòng 2", "dòng 1\ndòng 2"),
        ("dòng 1\rdòng 2", "dòng 1\ndòng 2"),
        ("đoạn 1\n\nđoạn 2\n", "đoạn 1\n\nđoạn 2"),
        ("a\u00a0\u3000b", "a b"),
        ("a\u2028b", "a\nb"),
        ("ký\x00 tự\x07 điều khiển", "ký tự điều khiển"),
        ("", ""),
        (" \n\t ", ""),
    ],
)
def test_normalise_text(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


def test_nfd_input_comes_out_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoà, Đặng Việt")
    assert len(nfd) == 33
    result = normalise_text(nfd)
    assert result == "Nguyễn Thị Hoà, Đặng Việt"
    assert len(result) == 25
    assert unicodedata.is_normalized("NFC", result)


def test_removed_control_character_does_not_leave_nfd() -> None:
    assert normalise_text("e\x00\u0301") == "é"


@given(st.text())
def test_property_normalise_text_is_idempotent_and_nfc(text: str) -> None:
    result = normalise_text(text)
    assert normalise_text(result) == result
    assert unicodedata.is_normalized("NFC", result)
    assert "\r" not in result and "\t" not in result and "  " not in result
