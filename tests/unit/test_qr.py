"""QR codes drawn fast (portal.lib.qr): segno is the oracle for the symbol and for the SVG."""

from __future__ import annotations

import io
import random
import re
from xml.etree import ElementTree

import pytest
import segno

from portal.domain.tracking import generate_access_code
from portal.lib import qr
from portal.web.filters import qr_svg

SVG_NS = "{http://www.w3.org/2000/svg}"
CODES = [generate_access_code(random.Random(seed)) for seed in range(3000)]
# Not access codes: segno's encoder draws them.
OTHER_TEXTS = [
    "otpauth://totp/C%E1%BB%95ng:can.bo%40example.vn?secret=JBSWY3DPEHPK3PXP&issuer=C%E1%BB%95ng",
    "6mwu-t4a5-htgh-peu8-5u",  # lower case: byte mode
    "6MWU-T4A5-HTGH-PEU8-5",  # 21 characters
    "6MWU-T4A5-HTGH-PEU8-5UX",  # 23 characters
    "1234567890123456789012",  # numeric mode
    "6MWU-T4A5-HTGH-PEU8-5Ư",  # not Latin-1
    "A",
]
_MOVE = re.compile(r"([Mm])(-?\d+) (-?\d+(?:\.5)?)h(\d+)")


def _segno(text: str) -> segno.QRCode:
    return segno.make(text, error="m", mask=0)


def _segno_svg(text: str) -> str:
    """What portal.web.filters.qr_svg drew before portal.lib.qr."""
    buffer = io.BytesIO()
    _segno(text).save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        border=2,
        svgclass=None,
        lineclass=None,
    )
    return buffer.getvalue().decode()


def _drawn(svg: str) -> list[list[int]]:
    """The dark modules the SVG's one path draws (quiet zone included), checking its form."""
    assert svg.startswith("<svg ")  # no XML declaration
    root = ElementTree.fromstring(svg)  # noqa: S314  (our own output)
    assert root.tag == f"{SVG_NS}svg"
    assert "style" not in root.attrib
    assert "width" not in root.attrib and "height" not in root.attrib
    width = int(root.attrib["viewBox"].split()[2])
    assert root.attrib["viewBox"] == f"0 0 {width} {width}"
    (path,) = list(root)
    assert path.tag == f"{SVG_NS}path"
    assert set(path.attrib) == {"stroke", "d"}
    assert path.attrib["stroke"] == "#000"
    modules = [[0] * width for _ in range(width)]
    x, y = 0.0, 0.0
    d = path.attrib["d"]
    assert "".join(match.group(0) for match in _MOVE.finditer(d)) == d
    for absolute, dx, dy, length in _MOVE.findall(d):
        x, y = (float(dx), float(dy)) if absolute == "M" else (x + float(dx), y + float(dy))
        for column in range(int(x), int(x) + int(length)):
            modules[int(y)][column] = 1  # stroke 1 wide, centred on row + 0.5
        x += int(length)
    return modules


def _with_border(text: str) -> list[list[int]]:
    return [list(row) for row in _segno(text).matrix_iter(border=2)]


def test_an_access_code_is_the_symbol_segno_makes_version_2_at_q() -> None:
    code = _segno(CODES[0])
    assert (code.version, code.error, code.mask, code.mode) == (2, "Q", 0, "alphanumeric")
    assert qr.matrix(CODES[0]) == code.matrix


def test_access_codes_are_drawn_without_segnos_encoder() -> None:
    assert all(qr.has_fast_shape(code) for code in CODES)


@pytest.mark.parametrize("text", OTHER_TEXTS)
def test_other_text_goes_through_segno(text: str) -> None:
    assert not qr.has_fast_shape(text)
    assert qr.matrix(text) == _segno(text).matrix
    assert qr.svg(text) == _segno_svg(text)
    assert _drawn(qr.svg(text)) == _with_border(text)


def test_every_access_code_has_segnos_modules() -> None:
    mismatches = [code for code in CODES if qr.matrix(code) != _segno(code).matrix]
    assert mismatches == []


def test_any_22_alphanumeric_characters_have_segnos_modules() -> None:
    """The fast shape is QR's alphanumeric set (space and $%*+-./: too), not only codes."""
    rng = random.Random(7)
    texts = ["".join(rng.choice(qr._ALPHANUMERIC) for _ in range(22)) for _ in range(500)]
    texts += [" " * 22, ":" * 22, "0" * 21 + "A"]
    assert all(qr.has_fast_shape(text) for text in texts)
    assert [text for text in texts if qr.matrix(text) != _segno(text).matrix] == []


def test_the_svg_draws_segnos_modules_with_a_quiet_zone_of_two() -> None:
    for code in CODES[:500]:
        assert _drawn(qr.svg(code)) == _with_border(code), code


def test_the_svg_is_the_one_segnos_writer_gave() -> None:
    assert [code for code in CODES[:500] if qr.svg(code) != _segno_svg(code)] == []


def test_the_template_global_gives_the_svg_as_markup() -> None:
    markup = qr_svg(CODES[0])
    assert markup.__html__() == qr.svg(CODES[0])
    assert "<script" not in markup and "style=" not in markup
