"""QR codes as inline SVG: the symbol segno makes, drawn fast for the texts a receipt prints.

Every symbol is what ``segno.make(text, error="m", mask=0)`` makes (segno raises the error
level when the text still fits, and a fixed mask spares scoring all eight), drawn as one path
of horizontal runs with a quiet zone of :data:`BORDER` modules; the SVG is the one segno's own
writer gives for the options :func:`svg` documents.

An access code ("6MWU-T4A5-HTGH-PEU8-5U": 22 characters of QR's alphanumeric set) always gives
the same shape, version 2 at level Q in alphanumeric mode: one block of 22 data and 22 error
correction codewords. For that shape everything but the text's own bits is worked out once,
with segno: the function patterns and format information (from a probe symbol), the order in
which the codeword bits are placed and the mask. Reed-Solomon is linear, so the mask, the pad
codewords and the error correction of each hex digit of the data codewords (at its place, for
each of its 16 values) are folded into tables of matrices (as integers); a code's matrix is
then the XOR of 36 of them, one per digit of the 18 data codewords the text fills. Any other
text goes through segno's encoder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache, reduce
from operator import xor
from typing import Any, Final

import segno
from segno import encoder

_ENCODER: Final[Any] = encoder
"""segno's encoder module (it has no type hints): the placement order and the mask."""

ERROR: Final = "m"
"""The lowest error level asked for; segno boosts it (to Q for an access code)."""

MASK: Final = 0
BORDER: Final = 2
"""Quiet zone, in modules."""

_ALPHANUMERIC: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_LENGTH: Final = 22
_FAST_TEXT: Final = re.compile(f"[{re.escape(_ALPHANUMERIC)}]{{{_LENGTH}}}")
"""Texts segno makes into the fast shape (unless they are all digits: numeric mode)."""
_PROBE: Final = "6MWU-T4A5-HTGH-PEU8-5U"

_VERSION: Final = 2
_SIZE: Final = 4 * _VERSION + 17
_STRIDE: Final = _SIZE + 1
"""Each row is followed by one light module, so that no run of dark modules spans two rows."""
_CELLS: Final = _SIZE * _STRIDE
_DATA_CODEWORDS: Final = 22
_EC_CODEWORDS: Final = 22
_REMAINDER_BITS: Final = 7

_HEADER: Final = 0b0010 << 9 | _LENGTH
"""Alphanumeric mode indicator, then the character count in 9 bits."""
_TEXT_BITS: Final = 4 + 9 + 11 * (_LENGTH // 2)
_STREAM_BITS: Final = (_TEXT_BITS + 4 + 7) // 8 * 8
"""The text's bits, the 4-bit terminator, zeros up to a whole codeword."""
_FILLED: Final = _STREAM_BITS // 8
_PADS: Final = bytes((0xEC, 0x11) * _DATA_CODEWORDS)[: _DATA_CODEWORDS - _FILLED]

_PAIR: Final[dict[str, int]] = {
    first + second: 45 * i + j
    for i, first in enumerate(_ALPHANUMERIC)
    for j, second in enumerate(_ALPHANUMERIC)
}
_GAP_AND_RUN: Final = re.compile("0*1+")
_TO_DIGITS: Final = bytes.maketrans(b"\x00\x01", b"01")


def svg(text: str) -> str:
    """An SVG of ``text``'s QR code: a viewBox (it scales), one black path, no background.

    The same as segno's ``save(kind="svg", xmldecl=False, svgns=True, nl=False,
    omitsize=True, border=BORDER, svgclass=None, lineclass=None)``.
    """
    cells, size = _cells(text)
    width = size + 2 * BORDER
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {width}">'
        f'<path stroke="#000" d="{_path(cells, size)}"/></svg>'
    )


def matrix(text: str) -> tuple[bytearray, ...]:
    """``text``'s modules (1 dark, 0 light) without the quiet zone, as segno's ``matrix``."""
    cells, size = _cells(text)
    return tuple(
        bytearray(int(cell) for cell in cells[start : start + size])
        for start in range(0, len(cells), size + 1)
    )


def has_fast_shape(text: str) -> bool:
    """Whether ``text`` is drawn without segno's encoder."""
    return _FAST_TEXT.fullmatch(text) is not None and not text.isdigit() and _shape() is not None


def _cells(text: str) -> tuple[str, int]:
    """The modules as "0"/"1", each row followed by a "0", and the symbol's width."""
    shape = _shape() if _FAST_TEXT.fullmatch(text) and not text.isdigit() else None
    if shape is None:
        rows = segno.make(text, error=ERROR, mask=MASK).matrix
        return _digits(rows), len(rows)
    return format(shape.matrix(text), f"0{_CELLS}b"), _SIZE


def _digits(rows: tuple[bytearray, ...]) -> str:
    return "".join(bytes(row).translate(_TO_DIGITS).decode() + "0" for row in rows)


def _path(cells: str, size: int) -> str:
    """segno's path: a run per "m<dx> <dy>h<length>", each move from the last run's end."""
    parts: list[str] = []
    last_row = last_end = 0
    for row in range(size):
        at = row * (size + 1)
        runs = _GAP_AND_RUN.findall(cells, at, at + size)
        if not runs:
            continue
        start = runs[0].find("1")
        if parts:
            parts.append(f"m{start - last_end} {row - last_row}h{len(runs[0]) - start}")
        else:
            parts.append(f"M{start + BORDER} {row + BORDER}.5h{len(runs[0]) - start}")
        parts += map(_move, runs[1:])
        last_row, last_end = row, cells.rfind("1", at, at + size) + 1 - at
    return "".join(parts)


@lru_cache(maxsize=1024)
def _move(gap_and_run: str) -> str:
    """The move to a run from the end of the one before it on the same row."""
    gap = gap_and_run.find("1")
    return f"m{gap} 0h{len(gap_and_run) - gap}"


@dataclass(frozen=True)
class _Shape:
    base: int
    """Function patterns, format information, the mask, and the pad codewords with their
    error correction."""
    tables: tuple[dict[str, int], ...]
    """For each hex digit of the data codewords a text fills, for each value: the modules it
    flips (its bits and their share of the error correction)."""

    def matrix(self, text: str) -> int:
        pairs = 0
        for start in range(0, _LENGTH, 2):
            pairs = pairs << 11 | _PAIR[text[start : start + 2]]
        stream = (_HEADER << (_TEXT_BITS - 13) | pairs) << (_STREAM_BITS - _TEXT_BITS)
        modules = self.base
        for table, digit in zip(self.tables, f"{stream:0{_STREAM_BITS // 4}x}", strict=True):
            modules ^= table[digit]
        return modules


@cache
def _shape() -> _Shape | None:
    """The shape's tables; None (so segno draws every code) if segno disagrees with them."""
    probe = segno.make(_PROBE, error=ERROR, mask=MASK)
    if (probe.version, probe.error, probe.mask, probe.mode) != (2, "Q", 0, "alphanumeric"):
        return None
    places = _placement()
    data_places = set(places)
    fixed = 0
    for i, row in enumerate(probe.matrix):
        for j, dark in enumerate(row):
            if dark and (i, j) not in data_places:
                fixed |= _bit(i, j)
    masked = _ENCODER.get_data_mask_functions(False)[MASK]
    for i, j in places:
        if masked(i, j):
            fixed |= _bit(i, j)
    bits = [_bit(i, j) for i, j in places]

    def flips(data: bytes) -> int:
        """The modules a data block's codewords and its error correction make dark."""
        modules = 0
        for index, byte in enumerate(data + _reed_solomon(data)):
            for bit in range(8):
                if byte >> (7 - bit) & 1:
                    modules |= bits[8 * index + bit]
        return modules

    by_bit = [
        flips((1 << (_STREAM_BITS - 1 - k)).to_bytes(_FILLED) + bytes(len(_PADS)))
        for k in range(_STREAM_BITS)
    ]
    tables = tuple(
        {
            f"{value:x}": reduce(
                xor, (by_bit[4 * digit + k] for k in range(4) if value >> (3 - k) & 1), 0
            )
            for value in range(16)
        }
        for digit in range(_STREAM_BITS // 4)
    )
    shape = _Shape(fixed ^ flips(bytes(_FILLED) + _PADS), tables)
    return shape if format(shape.matrix(_PROBE), f"0{_CELLS}b") == _digits(probe.matrix) else None


def _bit(i: int, j: int) -> int:
    return 1 << (_CELLS - 1 - (i * _STRIDE + j))


def _placement() -> list[tuple[int, int]]:
    """The module of each codeword bit (then of each remainder bit), in segno's order."""
    reserved = _ENCODER.make_matrix(_SIZE, _SIZE)
    _ENCODER.add_finder_patterns(reserved, _SIZE, _SIZE)
    _ENCODER.add_alignment_patterns(reserved, _SIZE, _SIZE)
    # Free modules hold 2; each gets its bit's number (offset past 2) in placement order.
    numbered = [list(row) for row in reserved]
    count = 8 * (_DATA_CODEWORDS + _EC_CODEWORDS) + _REMAINDER_BITS
    _ENCODER.add_codewords(numbered, range(3, 3 + count), _VERSION)
    places = [(0, 0)] * count
    for i, row in enumerate(numbered):
        for j, value in enumerate(row):
            if value >= 3:
                places[value - 3] = (i, j)
    return places


def _reed_solomon(data: bytes) -> bytes:
    """The error correction codewords of one block: the remainder of data * x^22 by the
    generator polynomial."""
    exp, log, generator = _galois()
    remainder = bytearray(_EC_CODEWORDS)
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = remainder[1:] + b"\0"
        if factor:
            for k in range(_EC_CODEWORDS):
                remainder[k] ^= exp[log[generator[k + 1]] + log[factor]]
    return bytes(remainder)


@cache
def _galois() -> tuple[list[int], list[int], list[int]]:
    """GF(256) (x^8+x^4+x^3+x^2+1) powers and logarithms, and the generator polynomial
    (x - a^0)(x - a^1)...(x - a^21), highest power first (its coefficients are never 0)."""
    exp = [0] * 512
    log = [0] * 256
    value = 1
    for power in range(255):
        exp[power] = exp[power + 255] = value
        log[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    generator = [1]
    for power in range(_EC_CODEWORDS):
        product = [*generator, 0]
        for k, coefficient in enumerate(generator):
            product[k + 1] ^= exp[log[coefficient] + power]
        generator = product
    return exp, log, generator
