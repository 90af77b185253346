"""Case register numbers, citizens' access codes and pseudonyms.

An access code is a bearer secret: whoever holds it can look up the case. It is shown once on
the receipt, read aloud over the phone and typed on a phone keyboard, so it is built for that:

* :data:`ALPHABET` has 31 symbols: the digits 2-9 and the capital letters without I, L and O.
  0/O and 1/I/L are the pairs people confuse when reading or copying, and leaving all five out
  means a code never *contains* a look-alike, so there is nothing to guess when one is typed.
  31 is prime, which the check symbol relies on.
* :data:`RANDOM_LENGTH` = 17 random symbols carry 17 × log2(31) ≈ 84.2 bits
  (:data:`ENTROPY_BITS`), drawn from the caller's ``rng`` (``secrets.SystemRandom()`` in
  production; tests pass a seeded ``random.Random``).
* One check symbol follows. Position ``i`` (1-based) has weight ``i`` and the weighted sum of
  all :data:`CODE_LENGTH` values is 0 modulo 31. As the weights 1..18 are distinct and non-zero
  modulo the prime 31, every single-symbol substitution and every transposition of two
  different adjacent symbols changes the sum, so the code is rejected before any database
  lookup.
* Display form: groups of 4 joined by "-" (``7QK2-M9XA-C3HT-W5ZB-RM``).

:func:`normalise_access_code` also undoes what a Vietnamese input method does to a code: with
Telex, typing ``B A S`` gives "BÁ" and ``D D`` gives "Đ"; with VNI, ``A 2`` gives "À". The
keys are recovered from the accents, every plausible placement is tried, and the result is
accepted only when exactly one candidate passes the check symbol.

Nothing here reads the clock or the operating system's randomness: ``rng`` is an argument.
"""

from __future__ import annotations

import hmac
import itertools
import math
import random
import re
import unicodedata
from dataclasses import dataclass
from hashlib import sha256
from typing import Final

ALPHABET: Final[str] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""Digits 2-9 and A-Z without I, L, O. ``len(ALPHABET)`` is the prime 31."""

RANDOM_LENGTH: Final[int] = 17
"""Random symbols in a code; 16 would give only 79.3 bits."""

CODE_LENGTH: Final[int] = RANDOM_LENGTH + 1
"""Random symbols plus the check symbol (the compact form's length)."""

ENTROPY_BITS: Final[float] = RANDOM_LENGTH * math.log2(len(ALPHABET))
"""About 84.2 bits."""

GROUP_SIZE: Final[int] = 4

MIN_PEPPER_BYTES: Final[int] = 16
"""A shorter pepper is a configuration mistake; 32 random bytes are recommended."""

PSEUDONYM_PREFIX: Final[str] = "Người tố cáo TC-"
PSEUDONYM_LENGTH: Final[int] = 4
"""31**4 ≈ 923,000 pseudonyms: collisions are possible among a few hundred cases, so a caller
that needs unique pseudonyms must draw again when one is taken."""

CASE_YEAR_MIN: Final[int] = 1000
CASE_YEAR_MAX: Final[int] = 9999

_MODULUS: Final[int] = len(ALPHABET)
_VALUE: Final[dict[str, int]] = {symbol: value for value, symbol in enumerate(ALPHABET)}
_MAX_INPUT_LENGTH: Final[int] = 64
_MAX_CANDIDATES: Final[int] = 512
_CASE_NUMBER_RE: Final[re.Pattern[str]] = re.compile(
    r"([0-9]{4})\s*[/\-\s]\s*([0-9]{1,9})", re.ASCII
)
_SEQUENCE_RE: Final[re.Pattern[str]] = re.compile(r"#?\s*([0-9]{1,9})", re.ASCII)

_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_TONES: Final[tuple[str, ...]] = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
"""Combining sắc, huyền, hỏi, ngã, nặng."""


@dataclass(frozen=True)
class _InputMethod:
    """The keys a Vietnamese input method turns into accents."""

    tone_keys: dict[str, str]
    shape_keys: dict[str, str]
    """Combining mark → key typed after the vowel; "" means "type the vowel again"."""
    d_stroke: str
    horn_u_alone: bool
    """Telex turns a lone W into Ư."""


_TELEX: Final = _InputMethod(
    tone_keys=dict(zip(_TONES, "SFRXJ", strict=True)),
    shape_keys={_CIRCUMFLEX: "", _BREVE: "W", _HORN: "W"},
    d_stroke="DD",
    horn_u_alone=True,
)
_VNI: Final = _InputMethod(
    tone_keys=dict(zip(_TONES, "12345", strict=True)),
    shape_keys={_CIRCUMFLEX: "6", _HORN: "7", _BREVE: "8"},
    d_stroke="D9",
    horn_u_alone=False,
)


def generate_access_code(rng: random.Random) -> str:
    """A new access code in display form, e.g. ``"7QK2-M9XA-C3HT-W5ZB-RM"``.

    ``rng`` must be ``secrets.SystemRandom()`` outside tests (it is a ``random.Random``).
    """
    random_part = "".join(rng.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return format_access_code(random_part + _check_symbol(random_part))


def format_access_code(compact: str) -> str:
    """Group a compact code by 4 with "-". Raises ``ValueError`` unless it is a valid code."""
    if not _is_valid(compact):
        raise ValueError("not a compact access code")
    return "-".join(
        compact[start : start + GROUP_SIZE] for start in range(0, len(compact), GROUP_SIZE)
    )


def normalise_access_code(text: str) -> str | None:
    """The compact canonical code typed by a citizen, or None when it is not a valid code.

    Case, spaces, hyphens (any dash), dots and underscores are ignored and full-width
    characters are folded. A character outside :data:`ALPHABET` (such as 0, O, 1, I or L,
    which no code contains) makes the code invalid, except for letters accented by a
    Vietnamese input method (see the module docstring).
    """
    if len(text) > _MAX_INPUT_LENGTH:
        return None
    typed = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).upper())
    compact = _strip_separators(typed)
    if all(char in _VALUE for char in compact):
        return compact if _is_valid(compact) else None
    if compact.isascii():
        return None
    valid = {
        candidate
        for method in (_TELEX, _VNI)
        for candidate in _ime_candidates(typed, method)
        if _is_valid(candidate)
    }
    return valid.pop() if len(valid) == 1 else None


def hash_access_code(compact: str, pepper: bytes) -> str:
    """HMAC-SHA256 (hex) of the compact code, keyed with the server-side pepper.

    Only this digest is stored, so a database dump alone does not reveal codes. Raises
    ``ValueError`` for a code that is not compact and valid (hashing the display form by
    mistake would make every lookup fail) or a pepper shorter than :data:`MIN_PEPPER_BYTES`.
    """
    if not _is_valid(compact):
        raise ValueError("not a compact access code")
    if len(pepper) < MIN_PEPPER_BYTES:
        raise ValueError(f"the pepper must have at least {MIN_PEPPER_BYTES} bytes")
    return hmac.new(pepper, compact.encode("ascii"), sha256).hexdigest()


def format_case_number(year: int, sequence: int) -> str:
    """The register number, e.g. ``format_case_number(2026, 123) == "2026/0123"``.

    The sequence has at least 4 digits and grows beyond that when needed.
    """
    if not CASE_YEAR_MIN <= year <= CASE_YEAR_MAX:
        raise ValueError(f"year out of range: {year}")
    if sequence < 1:
        raise ValueError(f"sequence must be positive: {sequence}")
    return f"{year}/{sequence:04d}"


def _number_text(text: str) -> str:
    """NFKC (full-width digits), every kind of dash as "-", outer spaces gone."""
    normal = unicodedata.normalize("NFKC", text[:_MAX_INPUT_LENGTH]).strip()
    return "".join("-" if unicodedata.category(char) == "Pd" else char for char in normal)


def parse_case_number(text: str) -> tuple[int, int] | None:
    """``(year, sequence)`` from "2026/0123", "2026-0123" or "2026 0123" (spaces around the
    separator, any dash and missing zero padding allowed)."""
    match = _CASE_NUMBER_RE.fullmatch(_number_text(text))
    if match is None:
        return None
    year, sequence = int(match[1]), int(match[2])
    if not CASE_YEAR_MIN <= year <= CASE_YEAR_MAX or sequence < 1:
        return None
    return year, sequence


@dataclass(frozen=True)
class CaseReference:
    """A case number as typed in a search box: the year when given, and the sequence."""

    year: int | None
    sequence: int


def parse_case_reference(text: str) -> CaseReference | None:
    """A case number in any form officials and citizens type: a full number
    (:func:`parse_case_number`), or the sequence alone ("0016", "16", "#16"), which may match
    a case of any year. None when the text is not a case number (a search for words)."""
    full = parse_case_number(text)
    if full is not None:
        return CaseReference(*full)
    match = _SEQUENCE_RE.fullmatch(_number_text(text))
    if match is None or int(match[1]) < 1:
        return None
    return CaseReference(None, int(match[1]))


def make_pseudonym(rng: random.Random) -> str:
    """What officials see instead of a denouncer's name, e.g. "Người tố cáo TC-7QK2"."""
    return PSEUDONYM_PREFIX + "".join(rng.choice(ALPHABET) for _ in range(PSEUDONYM_LENGTH))


def _weighted_sum(symbols: str) -> int:
    return sum(weight * _VALUE[symbol] for weight, symbol in enumerate(symbols, start=1))


def _check_symbol(random_part: str) -> str:
    weight = len(random_part) + 1
    value = -_weighted_sum(random_part) * pow(weight, -1, _MODULUS) % _MODULUS
    return ALPHABET[value]


def _is_valid(compact: str) -> bool:
    return (
        len(compact) == CODE_LENGTH
        and all(symbol in _VALUE for symbol in compact)
        and _weighted_sum(compact) % _MODULUS == 0
    )


def _is_separator(char: str) -> bool:
    return char.isspace() or char in "._·" or unicodedata.category(char) == "Pd"


def _strip_separators(text: str) -> str:
    return "".join(char for char in text if not _is_separator(char))


def _ime_candidates(typed: str, method: _InputMethod) -> list[str]:
    """Compact key sequences that ``method`` could have turned into ``typed``.

    Each accented letter gives its base letter and shape key (``Â`` → ``AA`` in Telex), and
    its tone key goes anywhere from just after it to the end of the run of plain letters that
    follows, because input methods let the tone key be typed at the end of the syllable
    (``B A N S`` → "BÁN"). Empty when a character cannot be explained or when there are too
    many combinations to try.
    """
    keys: list[str] = []
    marked: list[int] = []
    choices: list[list[tuple[int, str, str]]] = []
    for index, char in enumerate(typed):
        options = _key_options(char, method)
        if options is None:
            keys.append(char)
            continue
        if not options:
            return []
        keys.append("")
        run = 0
        while index + 1 + run < len(typed) and "A" <= typed[index + 1 + run] <= "Z":
            run += 1
        marked.append(index)
        choices.append(
            [
                (index + offset, stem, tone)
                for stem, tone in options
                for offset in (range(run + 1) if tone else (0,))
            ]
        )
    if math.prod(len(options) for options in choices) > _MAX_CANDIDATES:
        return []
    candidates = []
    for combination in itertools.product(*choices):
        typed_keys = list(keys)
        for index, (tone_index, stem, tone) in zip(marked, combination, strict=True):
            typed_keys[index] = stem
            typed_keys[tone_index] += tone
        candidates.append(_strip_separators("".join(typed_keys)))
    return candidates


def _key_options(char: str, method: _InputMethod) -> list[tuple[str, str]] | None:
    """``(stem, tone key)`` pairs that produce ``char``; None for a plain character.

    An empty list means that ``method`` cannot produce ``char``.
    """
    if char.isascii() or _is_separator(char):
        return None
    if char == "Đ":
        return [(method.d_stroke, "")]
    base, *marks = list(unicodedata.normalize("NFD", char))
    if base not in "AEIOUY":
        return []
    shapes = [mark for mark in marks if mark in method.shape_keys]
    tones = [mark for mark in marks if mark in method.tone_keys]
    if len(shapes) > 1 or len(tones) > 1 or len(shapes) + len(tones) != len(marks):
        return []
    tone = method.tone_keys[tones[0]] if tones else ""
    if not shapes:
        return [(base, tone)]
    shape_key = method.shape_keys[shapes[0]] or base
    stems = [base + shape_key]
    if shapes[0] == _HORN and base == "U" and method.horn_u_alone:
        stems.append(shape_key)
    return [(stem, tone) for stem in stems]
