"""The server-drawn SVG charts: valid XML, a title and a description, proportional bars."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from portal.lib import charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314  (our own SVG)


def test_chart_is_an_accessible_image() -> None:
    svg = _parse(
        charts.bar_chart(
            "c1", "Đơn theo loại", "Số đơn nhận trong kỳ.", [("Khiếu nại", 4), ("Tố cáo", 2)]
        )
    )
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "Đơn theo loại"
    assert svg.find(f"{SVG}title").get("id") == "c1-title"
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == "c1-desc"
    assert desc.text == "Số đơn nhận trong kỳ. Khiếu nại: 4; Tố cáo: 2."
    for element in svg.iter():
        assert "style" not in element.attrib


def test_bar_lengths_are_proportional() -> None:
    svg = _parse(charts.bar_chart("c", "t", "d", [("a", 10), ("b", 5), ("c", 0), ("d", 2.5)]))
    bars = [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect") if rect.get("class")]
    assert bars == [charts.BAR_AREA, charts.BAR_AREA / 2, 0, charts.BAR_AREA / 4]


def test_text_is_escaped() -> None:
    markup = charts.bar_chart("c", "<b>&", '"quoted"', [("<script>", 1)], value_suffix="%")
    svg = _parse(markup)
    assert "<script>" not in str(markup)
    assert svg.find(f"{SVG}title").text == "<b>&"
    labels = [text.text for text in svg.iter(f"{SVG}text")]
    assert labels == ["<script>", "1%"]


def test_empty_chart_still_parses() -> None:
    svg = _parse(charts.bar_chart("c", "Nothing", "No data.", []))
    assert svg.find(f"{SVG}desc").text == "No data."
    assert [r for r in svg.iter(f"{SVG}rect") if r.get("class")] == []


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_colours_have_enough_contrast_on_white() -> None:
    white = _luminance("#ffffff")
    for colour, needed in (
        (charts.BAR_COLOUR, 3),
        (charts.TEXT_COLOUR, 4.5),
        (charts.AXIS_COLOUR, 3),
    ):
        ratio = (white + 0.05) / (_luminance(colour) + 0.05)
        assert ratio >= needed, (colour, ratio)


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=20))
def test_longest_bar_fills_the_area_and_order_is_kept(values: list[int]) -> None:
    svg = _parse(charts.bar_chart("c", "t", "d", [(str(i), v) for i, v in enumerate(values)]))
    bars = [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect") if rect.get("class")]
    assert len(bars) == len(values)
    if max(values) > 0:
        assert max(bars) == charts.BAR_AREA
        for value, bar in zip(values, bars, strict=True):
            assert abs(bar - charts.BAR_AREA * value / max(values)) <= 0.01
    else:
        assert bars == [0] * len(values)


def test_long_labels_are_shortened_but_described_in_full() -> None:
    label = "Chuyển phản ánh, kiến nghị không thuộc thẩm quyền"
    svg = _parse(charts.bar_chart("c", "t", "d", [(label, 3)]))
    shown = next(svg.iter(f"{SVG}text")).text
    assert len(shown) == charts.MAX_LABEL and shown.endswith("…")
    assert label in svg.find(f"{SVG}desc").text
