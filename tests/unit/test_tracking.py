"""Access codes, case numbers and pseudonyms (portal.domain.tracking)."""

from __future__ import annotations

import hashlib
import hmac
import math
import random
import re
import secrets
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.tracking import (
    ALPHABET,
    CODE_LENGTH,
    ENTROPY_BITS,
    MIN_PEPPER_BYTES,
    PSEUDONYM_PREFIX,
    RANDOM_LENGTH,
    format_access_code,
    format_case_number,
    generate_access_code,
    hash_access_code,
    make_pseudonym,
    normalise_access_code,
    parse_case_number,
)

PEPPER = b"p" * 32
DISPLAY_RE = re.compile(rf"([{ALPHABET}]{{4}}-){{4}}[{ALPHABET}]{{2}}")
SAMPLE = [normalise_access_code(generate_access_code(random.Random(seed))) for seed in range(40)]


def _complete(random_part: str) -> str:
    """The valid code starting with ``random_part``, found through the public API only."""
    valid = [random_part + c for c in ALPHABET if normalise_access_code(random_part + c)]
    assert len(valid) == 1
    return valid[0]


# --- Alphabet and entropy ---------------------------------------------------------------------


def test_alphabet_has_no_look_alikes() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 31
    assert not set("01ILO") & set(ALPHABET)
    assert set(ALPHABET) == set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")


def test_alphabet_size_is_prime_and_covers_every_weight() -> None:
    # The check symbol detects every substitution and adjacent transposition only if the
    # modulus is prime and the weights 1..CODE_LENGTH are distinct and non-zero modulo it.
    size = len(ALPHABET)
    assert all(size % d for d in range(2, size))
    assert size > CODE_LENGTH


def test_entropy_at_least_80_bits() -> None:
    assert RANDOM_LENGTH * math.log2(len(ALPHABET)) >= 80
    assert math.isclose(ENTROPY_BITS, 84.22, abs_tol=0.01)
    assert (RANDOM_LENGTH - 1) * math.log2(len(ALPHABET)) < 80


# --- Generation, formatting, normalisation ----------------------------------------------------


def test_generated_code_has_display_form() -> None:
    code = generate_access_code(secrets.SystemRandom())
    assert DISPLAY_RE.fullmatch(code), code
    assert len(code.replace("-", "")) == CODE_LENGTH


def test_generation_uses_the_given_rng() -> None:
    assert generate_access_code(random.Random(7)) == generate_access_code(random.Random(7))
    assert generate_access_code(random.Random(7)) != generate_access_code(random.Random(8))


def test_generated_symbols_are_spread_over_the_alphabet() -> None:
    rng = random.Random(2026)
    symbols = "".join(generate_access_code(rng).replace("-", "")[:-1] for _ in range(500))
    assert set(symbols) == set(ALPHABET)


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=2**64))
def test_property_round_trip(seed: int) -> None:
    display = generate_access_code(random.Random(seed))
    compact = normalise_access_code(display)
    assert compact == display.replace("-", "")
    assert format_access_code(compact) == display
    assert normalise_access_code(format_access_code(compact)) == compact


@given(st.text(max_size=80))
def test_property_normalise_never_fails_on_any_text(text: str) -> None:
    result = normalise_access_code(text)
    assert result is None or format_access_code(result)


def test_known_codes_stay_valid() -> None:
    # Codes already handed to citizens must keep passing the check symbol: changing the
    # alphabet or the weights would lock them out of their cases.
    assert normalise_access_code("7QK2-M9XA-C3HT-W5ZB-RM") == "7QK2M9XAC3HTW5ZBRM"
    assert normalise_access_code("2222-2222-2222-2222-22") == "222222222222222222"
    assert normalise_access_code("7QK2-M9XA-C3HT-W5ZB-RN") is None


def test_format_groups_by_four() -> None:
    compact = _complete("ABCDEFGHJKMNPQRST")
    assert format_access_code(compact) == f"ABCD-EFGH-JKMN-PQRS-T{compact[-1]}"


@pytest.mark.parametrize(
    "variant",
    [
        str.lower,
        lambda code: code.replace("-", ""),
        lambda code: code.replace("-", " "),
        lambda code: code.replace("-", "."),
        lambda code: code.replace("-", " – "),
        lambda code: " ".join(code.replace("-", "")),
        lambda code: f"  {code.lower()}\n",
        lambda code: unicodedata.normalize("NFKC", code).translate(
            {ord(c): ord(c) + 0xFEE0 for c in ALPHABET + "-"}  # full-width forms
        ),
    ],
)
def test_normalise_ignores_case_and_separators(variant) -> None:  # type: ignore[no-untyped-def]
    for compact in SAMPLE[:10]:
        assert compact is not None
        assert normalise_access_code(variant(format_access_code(compact))) == compact


@pytest.mark.parametrize(
    "text",
    ["", "-", "ABCD", "23456789ABCDEFGHJK" * 2, "x" * 1000],
)
def test_wrong_length_rejected(text: str) -> None:
    assert normalise_access_code(text) is None


def test_missing_or_extra_symbol_rejected() -> None:
    for compact in SAMPLE:
        assert compact is not None
        assert normalise_access_code(compact[:-1]) is None
        assert normalise_access_code(compact + compact[-1]) is None


@pytest.mark.parametrize("outsider", ["0", "1", "I", "L", "O", "o", "#", "Ж"])
def test_character_outside_alphabet_rejected(outsider: str) -> None:
    # No code contains 0, 1, I, L or O, so they are never mapped to anything.
    for compact in SAMPLE:
        assert compact is not None
        for position in (0, 7, CODE_LENGTH - 1):
            typed = compact[:position] + outsider + compact[position + 1 :]
            assert normalise_access_code(typed) is None


def test_wrong_check_symbol_rejected() -> None:
    for compact in SAMPLE:
        assert compact is not None
        for symbol in ALPHABET:
            if symbol != compact[-1]:
                assert normalise_access_code(compact[:-1] + symbol) is None


def test_every_single_substitution_detected() -> None:
    for compact in SAMPLE:
        assert compact is not None
        for position in range(CODE_LENGTH):
            for symbol in ALPHABET:
                if symbol != compact[position]:
                    typed = compact[:position] + symbol + compact[position + 1 :]
                    assert normalise_access_code(typed) is None, (compact, position, symbol)


def test_every_adjacent_transposition_detected() -> None:
    rng = random.Random(31)
    codes = [*SAMPLE, *(_complete("".join(rng.choices(ALPHABET, k=17))) for _ in range(200))]
    for compact in codes:
        assert compact is not None
        for position in range(CODE_LENGTH - 1):
            a, b = compact[position], compact[position + 1]
            if a != b:
                typed = compact[:position] + b + a + compact[position + 2 :]
                assert normalise_access_code(typed) is None, (compact, position)


def test_format_refuses_what_is_not_a_compact_code() -> None:
    compact = SAMPLE[0]
    assert compact is not None
    for bad in (format_access_code(compact), compact.lower(), compact[:-1], ""):
        with pytest.raises(ValueError):
            format_access_code(bad)


# --- Vietnamese input methods -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "typed"),
    [
        # Telex: a tone key right after the vowel, or at the end of the syllable.
        ("BASK", "BÁK"),
        ("BANS", "BÁN"),
        ("HAJ", "HẠ"),
        ("MEX", "MẼ"),
        ("VYR", "VỶ"),
        ("TUF", "TÙ"),
        # Telex: doubled vowels, W and DD.
        ("CAA", "CÂ"),
        ("EE3", "Ê3"),
        ("AW2", "Ă2"),
        ("UW2", "Ư2"),
        ("W3M", "Ư3M"),
        ("DD7", "Đ7"),
        ("NEES", "NẾ"),
        # VNI: digits after the vowel.
        ("A2", "À"),
        ("U5", "Ụ"),
        ("A62", "Ầ"),
        ("D9", "Đ"),
        ("U7", "Ư"),
    ],
)
def test_codes_mangled_by_a_vietnamese_input_method_are_recovered(keys: str, typed: str) -> None:
    compact = _complete(keys + "23456789ABCDEFGHJKMN"[: RANDOM_LENGTH - len(keys)])
    display = format_access_code(compact)
    assert display.startswith(keys[:4])
    mangled = display.replace(keys, typed, 1)
    assert mangled != display
    assert normalise_access_code(mangled) == compact
    assert normalise_access_code(mangled.lower()) == compact
    assert normalise_access_code(unicodedata.normalize("NFD", mangled)) == compact


def test_input_method_recovery_needs_the_check_symbol() -> None:
    compact = _complete("BASK" + "23456789ABCDE")
    mangled = format_access_code(compact).replace("BAS", "BÁ", 1)
    assert normalise_access_code(mangled[:-1] + ("2" if mangled[-1] != "2" else "3")) is None


@pytest.mark.parametrize("text", ["BỘ", "Ö", "Ñ", "À" * 40, "ÁÁÁÁ-ÁÁÁÁ-ÁÁÁÁ-ÁÁÁÁ-ÁÁ"])
def test_unexplained_accents_rejected(text: str) -> None:
    assert normalise_access_code(text) is None


def test_recovery_happens_often_for_telex_users() -> None:
    # Simulate Telex turning a vowel and the tone key after it into one accented letter. The
    # keys typed are always among the candidates, so a result is never a different code; it
    # is None only when another candidate happens to pass the check symbol too.
    tones = dict(zip("SFRXJ", "\u0301\u0300\u0309\u0303\u0323", strict=True))
    rng = random.Random(5)
    tried = recovered = 0
    while tried < 300:
        compact = normalise_access_code(generate_access_code(rng))
        assert compact is not None
        display = format_access_code(compact)
        match = re.search("[AEUY][SFRXJ]", display)
        if match is None:
            continue
        accented = unicodedata.normalize("NFC", match[0][0] + tones[match[0][1]])
        tried += 1
        result = normalise_access_code(display[: match.start()] + accented + display[match.end() :])
        assert result in (compact, None)
        recovered += result == compact
    assert recovered >= 270


# --- Hashing ----------------------------------------------------------------------------------


def test_hash_is_hmac_sha256_of_compact_form() -> None:
    compact = SAMPLE[0]
    assert compact is not None
    expected = hmac.new(PEPPER, compact.encode(), hashlib.sha256).hexdigest()
    assert hash_access_code(compact, PEPPER) == expected
    assert re.fullmatch("[0-9a-f]{64}", expected)


def test_hash_depends_on_pepper_and_code() -> None:
    first, second = SAMPLE[0], SAMPLE[1]
    assert first is not None and second is not None
    assert hash_access_code(first, PEPPER) != hash_access_code(first, b"q" * 32)
    assert hash_access_code(first, PEPPER) != hash_access_code(second, PEPPER)
    assert hash_access_code(first, PEPPER) == hash_access_code(first, PEPPER)


def test_hash_refuses_display_form_and_short_pepper() -> None:
    compact = SAMPLE[0]
    assert compact is not None
    for bad in (format_access_code(compact), compact.lower(), compact[:-1]):
        with pytest.raises(ValueError, match="compact"):
            hash_access_code(bad, PEPPER)
    with pytest.raises(ValueError, match="pepper"):
        hash_access_code(compact, b"x" * (MIN_PEPPER_BYTES - 1))


# --- Case numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "sequence", "text"),
    [
        (2026, 123, "2026/0123"),
        (2026, 1, "2026/0001"),
        (2027, 9999, "2027/9999"),
        (2027, 12345, "2027/12345"),
    ],
)
def test_case_number_round_trip(year: int, sequence: int, text: str) -> None:
    assert format_case_number(year, sequence) == text
    assert parse_case_number(text) == (year, sequence)


@pytest.mark.parametrize("text", [" 2026/0123 ", "2026 / 123", "2026/123", "２０２６／０１２３"])
def test_case_number_parse_is_lenient_with_spacing(text: str) -> None:
    assert parse_case_number(text) == (2026, 123)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026",
        "2026/",
        "/0123",
        "2026/0000",
        "0123/2026",
        "26/0123",
        "2026/12a",
        "0999/0001",
        "2026/0123/1",
        "２０２６/١٢٣",
    ],
)
def test_case_number_parse_rejects(text: str) -> None:
    assert parse_case_number(text) is None


@pytest.mark.parametrize(("year", "sequence"), [(2026, 0), (2026, -1), (999, 1), (10000, 1)])
def test_case_number_format_rejects(year: int, sequence: int) -> None:
    with pytest.raises(ValueError):
        format_case_number(year, sequence)


# --- Pseudonyms -------------------------------------------------------------------------------


def test_pseudonym() -> None:
    pseudonym = make_pseudonym(random.Random(1))
    assert pseudonym == make_pseudonym(random.Random(1))
    assert pseudonym.startswith("Người tố cáo TC-")
    assert unicodedata.is_normalized("NFC", pseudonym)
    assert unicodedata.is_normalized("NFC", PSEUDONYM_PREFIX)
    suffix = pseudonym.removeprefix(PSEUDONYM_PREFIX)
    assert len(suffix) == 4 and set(suffix) <= set(ALPHABET)


def test_pseudonyms_vary() -> None:
    rng = random.Random(3)
    assert len({make_pseudonym(rng) for _ in range(100)}) > 95
