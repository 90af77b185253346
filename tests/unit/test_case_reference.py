"""A case number typed in the queue's search box, in every form people type it."""

from __future__ import annotations

import pytest

from portal.domain.tracking import CaseReference, parse_case_number, parse_case_reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026/0016", CaseReference(2026, 16)),
        ("2026-0016", CaseReference(2026, 16)),
        ("2026 – 0016", CaseReference(2026, 16)),  # an en dash from a word processor
        ("2026 0016", CaseReference(2026, 16)),
        (" 2026 / 16 ", CaseReference(2026, 16)),
        ("２０２６／００１６", CaseReference(2026, 16)),  # full-width, from a phone keyboard
        ("0016", CaseReference(None, 16)),
        ("16", CaseReference(None, 16)),
        (" 16 ", CaseReference(None, 16)),
        ("#16", CaseReference(None, 16)),
        ("# 0016", CaseReference(None, 16)),
    ],
)
def test_every_form_of_a_case_number(text: str, expected: CaseReference) -> None:
    assert parse_case_reference(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "cột điện", "0", "0000", "2026/", "/0016", "2026/0000", "2026-0016-1", "16a", "1" * 12],
)
def test_words_are_not_case_numbers(text: str) -> None:
    assert parse_case_reference(text) is None


@pytest.mark.parametrize("text", ["2026-0016", "2026 0016", "2026—16"])
def test_a_full_number_with_a_dash_or_a_space_is_a_case_number(text: str) -> None:
    assert parse_case_number(text) == (2026, 16)


def test_the_partial_index_of_open_cases_without_a_clock_names_every_open_status() -> None:
    from portal.domain.workflow import OPEN_STATUSES
    from portal.models.cases import OPEN_WITHOUT_CLOCK

    listed = OPEN_WITHOUT_CLOCK.partition("IN (")[2].rstrip(")").replace("'", "").split(", ")
    assert set(listed) == OPEN_STATUSES
