"""Charts drawn on the server as accessible SVG: no JavaScript, no inline style.

Each chart is `<svg role="img" aria-labelledby="…-title …-desc">` with a `<title>` and a
`<desc>` that states every value, so a screen reader gets the whole chart; templates put the
data table beside it as well. Colours are presentation attributes (the CSP allows no style
attribute): the bars are dark blue on white (contrast about 8.6:1, WCAG 1.4.11 asks 3:1) and
the text near black.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from markupsafe import Markup, escape

BAR_COLOUR: Final = "#1f4e8c"
TEXT_COLOUR: Final = "#1a1a1a"
AXIS_COLOUR: Final = "#595959"

ROW_HEIGHT: Final = 28
BAR_HEIGHT: Final = 18
LABEL_WIDTH: Final = 220
BAR_AREA: Final = 340
VALUE_WIDTH: Final = 80
PADDING: Final = 8
FONT_SIZE: Final = 13
MAX_LABEL: Final = 32  # characters that fit in LABEL_WIDTH; longer labels are shortened


def short_label(label: str) -> str:
    """A label that fits beside the bar; the full text stays in the description."""
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_length(value: float, largest: float, area: float = BAR_AREA) -> float:
    """The bar's length: proportional to the value, the largest value filling the area."""
    if largest <= 0 or value <= 0:
        return 0.0
    return round(area * value / largest, 2)


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, float]],
    *,
    value_suffix: str = "",
) -> Markup:
    """A horizontal bar chart: one labelled bar per (label, value), the value after it.

    `description` says what is measured; the values are appended to it so the text
    alternative is complete without the table.
    """
    largest = max((value for _, value in items), default=0)
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH + 2 * PADDING
    height = max(len(items), 1) * ROW_HEIGHT + 2 * PADDING
    values_text = "; ".join(f"{label}: {_number(value)}{value_suffix}" for label, value in items)
    full_description = f"{description} {values_text}." if items else description
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-size="{FONT_SIZE}" font-family="system-ui, sans-serif">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(full_description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    axis_x = PADDING + LABEL_WIDTH
    for index, (label, value) in enumerate(items):
        top = PADDING + index * ROW_HEIGHT
        middle = top + ROW_HEIGHT / 2
        length = bar_length(value, largest)
        parts.append(
            f'<text x="{axis_x - 6}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="middle" fill="{TEXT_COLOUR}">{escape(short_label(label))}</text>'
        )
        parts.append(
            f'<rect class="chart-bar" x="{axis_x}" y="{top + (ROW_HEIGHT - BAR_HEIGHT) / 2}" '
            f'width="{length}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
        )
        parts.append(
            f'<text x="{axis_x + length + 6}" y="{middle}" dominant-baseline="middle" '
            f'fill="{TEXT_COLOUR}">{escape(_number(value))}{escape(value_suffix)}</text>'
        )
    parts.append(
        f'<line x1="{axis_x}" y1="{PADDING}" x2="{axis_x}" y2="{height - PADDING}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704  (every text above is escaped)
