"""Deadline rules and counting (Civil Code Arts. 147-148), rules file, receipt date.

Expected dates were worked out by hand from docs/legal-basis.md (§7, worked examples, §10).
"""

from __future__ import annotations

import ast
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.calendar import Override, WorkingCalendar
from portal.domain.deadlines import (
    CONFIDENCE_LABELS,
    ERROR_LABELS,
    RULES,
    STEP_LABELS,
    UNIT_LABELS,
    VARIANT_LABELS,
    Computation,
    DeadlineError,
    Rule,
    RulesFileError,
    alternative_due_date,
    due_date,
    load_rules,
    receipt_date,
)

D = date
ICT = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkingCalendar()

STABLE_IDS = {
    "letter.process",
    "reception.reply",
    "complaint.limitation",
    "complaint.accept",
    "complaint.resolve",
    "complaint.second_window",
    "complaint2.accept",
    "complaint2.resolve",
    "complaint.publish_decision",
    "complaint.enforce",
    "denunciation.intake",
    "denunciation.transfer",
    "denunciation.notify_acceptance",
    "denunciation.resolve",
    "petition.forward",
    "petition.answer_legal_docs",
    "petition.answer",
    "data_request.acknowledge",
    "data_request.complete",
    "breach.notify",
}


def compute(rule_id: str, start: date | datetime, **options: Any) -> Computation:
    return due_date(RULES[rule_id], start, CALENDAR, **options)


# --- The table ---------------------------------------------------------------------------------


def test_rule_ids_are_stable() -> None:
    assert set(RULES) == STABLE_IDS
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id


@pytest.mark.parametrize(
    ("rule_id", "length", "unit", "variants"),
    [
        ("letter.process", 10, "working_days", {}),
        ("reception.reply", 10, "days", {}),
        ("complaint.limitation", 90, "days", {}),
        ("complaint.accept", 10, "days", {}),
        (
            "complaint.resolve",
            30,
            "days",
            {"complex_length": 45, "remote_length": 45, "remote_complex_length": 60},
        ),
        ("complaint.second_window", 30, "days", {"remote_length": 45}),
        ("complaint2.accept", 10, "days", {}),
        (
            "complaint2.resolve",
            45,
            "days",
            {"complex_length": 60, "remote_length": 60, "remote_complex_length": 70},
        ),
        ("complaint.publish_decision", 15, "days", {}),
        ("complaint.enforce", 5, "working_days", {}),
        ("denunciation.intake", 7, "working_days", {"multi_place_length": 10}),
        ("denunciation.transfer", 5, "working_days", {}),
        ("denunciation.notify_acceptance", 5, "working_days", {}),
        (
            "denunciation.resolve",
            30,
            "days",
            {
                "extension_length": 30,
                "max_extensions": 0,
                "max_extensions_complex": 1,
                "max_extensions_very_complex": 2,
            },
        ),
        ("petition.forward", 5, "working_days", {}),
        ("petition.answer_legal_docs", 15, "days", {}),
        ("petition.answer", 15, "working_days", {}),
        ("data_request.acknowledge", 2, "working_days", {}),
        (
            "data_request.complete",
            15,
            "days",
            {"extension_length": 15, "max_extensions": 1, "max_extensions_very_complex": 1},
        ),
        ("breach.notify", 72, "hours", {}),
    ],
)
def test_rule_lengths_match_the_issue(
    rule_id: str, length: int, unit: str, variants: dict[str, int]
) -> None:
    rule = RULES[rule_id]
    assert (rule.length, rule.unit) == (length, unit)
    for name, value in variants.items():
        assert getattr(rule, name) == value


def test_rules_are_consistent_and_bilingual() -> None:
    assert load_rules(None) == dict(RULES)
    for rule in RULES.values():
        for text in (rule.title_vi, rule.starts_vi, rule.legal_basis, rule.note_vi):
            assert unicodedata.is_normalized("NFC", text)
        assert rule.title_vi and rule.title_en and rule.starts_vi and rule.starts_en
        assert rule.legal_basis
        assert rule.confidence in CONFIDENCE_LABELS
        assert rule.alternative_unit != rule.unit
        if rule.max_extensions_very_complex:
            assert rule.extension_length


def test_uncertain_units_default_to_days_with_an_alternative() -> None:
    for rule_id in ("reception.reply", "complaint.accept", "complaint2.accept"):
        rule = RULES[rule_id]
        assert rule.unit == "days"
        assert rule.alternative_unit == "working_days"
    # The issue fixes letter.process at working days; calendar days are the alternative.
    assert RULES["letter.process"].alternative_unit == "days"


def test_label_tables_are_bilingual_and_nfc() -> None:
    for table in (UNIT_LABELS, CONFIDENCE_LABELS, VARIANT_LABELS, STEP_LABELS, ERROR_LABELS):
        for labels in table.values():
            assert set(labels) == {"vi", "en"}
            assert unicodedata.is_normalized("NFC", labels["vi"])


# --- Due dates -----------------------------------------------------------------------------

DUE_CASES = [
    # rule, start, options, expected due
    ("letter.process", D(2024, 2, 7), {}, D(2024, 2, 28)),  # Tết 2024 skipped
    ("reception.reply", D(2024, 4, 19), {}, D(2024, 5, 2)),  # 29/04/2024 swap
    ("reception.reply", D(2024, 8, 23), {}, D(2024, 9, 4)),  # 2/9/2024
    ("complaint.limitation", D(2025, 10, 1), {}, D(2025, 12, 30)),
    ("complaint.limitation", D(2025, 10, 4), {}, D(2026, 1, 5)),  # 02/01/2026 off
    ("complaint.accept", D(2026, 2, 14), {}, D(2026, 2, 24)),  # worked example 3
    ("complaint.accept", D(2026, 2, 23), {}, D(2026, 3, 5)),  # worked example 3
    ("complaint.accept", D(2024, 1, 29), {}, D(2024, 2, 15)),  # Tết 2024
    ("complaint.accept", D(2026, 4, 20), {}, D(2026, 5, 4)),  # 30/4-1/5 2026
    ("complaint.accept", D(2026, 4, 17), {}, D(2026, 4, 28)),  # Hùng Kings observed
    ("complaint.resolve", D(2026, 1, 5), {}, D(2026, 2, 4)),  # the issue's example
    ("complaint.resolve", D(2026, 1, 5), {"complex": True}, D(2026, 2, 23)),  # Tết 2026
    ("complaint.resolve", D(2026, 1, 5), {"remote": True}, D(2026, 2, 23)),
    ("complaint.resolve", D(2026, 1, 5), {"remote": True, "complex": True}, D(2026, 3, 6)),
    ("complaint.second_window", D(2026, 8, 1), {}, D(2026, 9, 3)),  # 31/08/2026 swap
    ("complaint.second_window", D(2026, 8, 1), {"remote": True}, D(2026, 9, 15)),
    ("complaint.second_window", D(2026, 8, 1), {"complex": True}, D(2026, 9, 3)),
    ("complaint2.accept", D(2026, 8, 22), {}, D(2026, 9, 3)),
    ("complaint2.resolve", D(2025, 4, 1), {}, D(2025, 5, 16)),
    ("complaint2.resolve", D(2025, 4, 1), {"complex": True}, D(2025, 6, 2)),
    ("complaint2.resolve", D(2025, 4, 1), {"remote": True}, D(2025, 6, 2)),
    ("complaint2.resolve", D(2025, 4, 1), {"remote": True, "complex": True}, D(2025, 6, 10)),
    ("complaint.publish_decision", D(2025, 4, 11), {}, D(2025, 4, 26)),  # make-up Saturday
    ("complaint.enforce", D(2025, 12, 31), {}, D(2026, 1, 9)),  # docs/legal-basis.md §10
    ("denunciation.intake", D(2025, 4, 24), {}, D(2025, 5, 7)),  # worked example 4
    ("denunciation.intake", D(2025, 4, 24), {"multi_place": True}, D(2025, 5, 12)),
    ("denunciation.transfer", D(2025, 8, 29), {}, D(2025, 9, 9)),  # 2/9/2025
    ("denunciation.notify_acceptance", D(2026, 8, 28), {}, D(2026, 9, 9)),
    ("denunciation.notify_acceptance", D(2026, 8, 21), {}, D(2026, 8, 27)),  # 22/08 counted
    ("denunciation.resolve", D(2026, 1, 5), {}, D(2026, 2, 4)),
    ("denunciation.resolve", D(2026, 1, 5), {"complex": True, "extensions": 1}, D(2026, 3, 6)),
    (
        "denunciation.resolve",
        D(2026, 1, 5),
        {"very_complex": True, "extensions": 2},
        D(2026, 4, 6),  # raw end Sun 05/04/2026
    ),
    ("petition.forward", D(2024, 4, 26), {}, D(2024, 5, 7)),  # 04/05/2024 counted
    # The department's own rule, 15 working days by default: 29/04-01/05 off, 04/05 counted.
    ("petition.answer", D(2024, 4, 26), {}, D(2024, 5, 21)),
    ("petition.answer", D(2026, 1, 5), {}, D(2026, 1, 23)),  # Saturday 10/01/2026 worked
    ("petition.answer_legal_docs", D(2026, 11, 9), {}, D(2026, 11, 24)),  # 24/11 working
    ("data_request.acknowledge", D(2026, 1, 9), {}, D(2026, 1, 12)),  # 10/01/2026 counted
    ("data_request.complete", D(2025, 1, 15), {}, D(2025, 2, 3)),  # Tết 2025
    ("data_request.complete", D(2025, 1, 15), {"extensions": 1}, D(2025, 2, 14)),
    # pauses: calendar days for day rules, working days for working-day rules
    ("complaint.limitation", D(2025, 10, 1), {"paused_days": 10}, D(2026, 1, 9)),
    ("denunciation.intake", D(2025, 4, 24), {"paused_days": 2}, D(2025, 5, 9)),
    (
        "denunciation.resolve",
        D(2026, 1, 5),
        {"complex": True, "extensions": 1, "paused_days": 5},
        D(2026, 3, 11),
    ),
]


@pytest.mark.parametrize(("rule_id", "start", "options", "expected"), DUE_CASES)
def test_due_date(rule_id: str, start: date, options: dict[str, Any], expected: date) -> None:
    result = compute(rule_id, start, **options)
    assert result.due == expected
    assert result.rule_id == rule_id
    assert result.start == start
    assert CALENDAR.is_working_day(result.due)
    quick = compute(rule_id, start, explain=False, **options)
    assert (quick.raw_end, quick.due, quick.steps) == (result.raw_end, result.due, ())


def test_every_rule_is_exercised() -> None:
    assert {case[0] for case in DUE_CASES} | {"breach.notify"} == STABLE_IDS


def test_issue_example_extension_adds_to_raw_end() -> None:
    result = compute("denunciation.resolve", D(2026, 1, 5), complex=True, extensions=1)
    codes = [(s.code, s.day) for s in result.steps]
    assert codes == [
        ("start", D(2026, 1, 5)),
        ("period_end", D(2026, 2, 4)),
        ("extension", D(2026, 3, 6)),
        ("raw_end", D(2026, 3, 6)),
        ("due", D(2026, 3, 6)),
    ]
    assert result.length == 60
    assert result.unit == "days"


def test_extension_counts_from_raw_end_not_from_moved_date() -> None:
    # 30 days from 21/01/2026 end on Fri 20/02 (Tết) and move to Mon 23/02; the extension
    # still counts from 20/02: 20/02 + 30 = Sun 22/03 -> Mon 23/03 (not 25/03).
    assert compute("denunciation.resolve", D(2026, 1, 21)).due == D(2026, 2, 23)
    result = compute("denunciation.resolve", D(2026, 1, 21), complex=True, extensions=1)
    assert result.raw_end == D(2026, 3, 22)
    assert result.due == D(2026, 3, 23)


def test_days_rule_steps_list_skipped_days_with_reasons() -> None:
    result = compute("complaint.accept", D(2026, 2, 10))
    assert result.raw_end == D(2026, 2, 20)
    assert result.due == D(2026, 2, 23)
    skips = [s for s in result.steps if s.code == "skip"]
    assert [s.day for s in skips] == [D(2026, 2, 20), D(2026, 2, 21), D(2026, 2, 22)]
    assert [s.detail["reason_code"] for s in skips] == ["holiday", "saturday", "sunday"]
    assert skips[0].detail["name_vi"] == "Mùng bốn Tết Nguyên Đán"
    assert skips[0].detail["name_en"] == "Fourth Day of Lunar New Year"
    moved = next(s for s in result.steps if s.code == "moved_to_working_day")
    assert moved.day == D(2026, 2, 23)
    assert moved.detail == {"from": "2026-02-20", "days": 3}
    assert result.steps[-1].code == "due"
    assert all(s.code in STEP_LABELS for s in result.steps)


def test_tet_2024_steps_are_all_holidays() -> None:
    result = compute("complaint.accept", D(2024, 1, 29))
    skips = [s for s in result.steps if s.code == "skip"]
    assert [s.day for s in skips] == [D(2024, 2, d) for d in range(8, 15)]
    assert {s.detail["reason_code"] for s in skips} == {"holiday"}


def test_working_days_steps_show_skips_and_counted_makeup_day() -> None:
    result = compute("denunciation.intake", D(2025, 4, 24))
    makeup = [s for s in result.steps if s.code == "makeup_day_counted"]
    assert [s.day for s in makeup] == [D(2025, 4, 26)]
    assert makeup[0].detail["reason_code"] == "makeup_saturday"
    skipped = {s.day: s.detail["reason_code"] for s in result.steps if s.code == "skip"}
    assert skipped == {
        D(2025, 4, 27): "sunday",
        D(2025, 4, 30): "holiday",
        D(2025, 5, 1): "holiday",
        D(2025, 5, 2): "holiday",
        D(2025, 5, 3): "saturday",
        D(2025, 5, 4): "sunday",
    }
    assert result.raw_end == result.due == D(2025, 5, 7)


def test_new_year_2026_swap_in_steps() -> None:
    result = compute("complaint.enforce", D(2025, 12, 31))
    skipped = {s.day: s.detail for s in result.steps if s.code == "skip"}
    assert skipped[D(2026, 1, 2)]["reason_code"] == "override_day_off"
    assert str(skipped[D(2026, 1, 2)]["source"]).startswith("VPCP 12729/VPCP-KGVX")


def test_pause_step() -> None:
    result = compute("complaint.limitation", D(2025, 10, 1), paused_days=10)
    pause = next(s for s in result.steps if s.code == "pause")
    assert pause.day == D(2026, 1, 9)
    assert pause.detail == {"length": 10}
    assert result.length == 100


def test_hours_rule_is_not_shifted() -> None:
    detected = datetime(2026, 2, 15, 21, 0, tzinfo=ICT)  # worked example 2, inside Tết
    result = compute("breach.notify", detected)
    assert result.due == datetime(2026, 2, 18, 21, 0, tzinfo=ICT)
    assert result.raw_end == result.due
    assert result.unit == "hours"
    assert result.length == 72
    assert [s.code for s in result.steps] == ["start", "raw_end", "due"]
    naive = compute("breach.notify", datetime(2026, 2, 15, 21, 0))
    assert naive.due == datetime(2026, 2, 18, 21, 0)
    utc = compute("breach.notify", datetime(2026, 2, 15, 14, 0, tzinfo=UTC))
    assert utc.due == datetime(2026, 2, 18, 14, 0, tzinfo=UTC)


def test_alternative_due_date() -> None:
    result = alternative_due_date(RULES["complaint.accept"], D(2026, 2, 14), CALENDAR)
    assert result is not None
    # 10 working days from Sat 14/02/2026: 23-27/02 and 02-06/03.
    assert result.unit == "working_days"
    assert result.due == D(2026, 3, 6)
    assert alternative_due_date(RULES["complaint.resolve"], D(2026, 1, 5), CALENDAR) is None


# --- Errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "start", "options", "code"),
    [
        ("denunciation.resolve", D(2026, 1, 5), {"extensions": 1}, "too_many_extensions"),
        (
            "denunciation.resolve",
            D(2026, 1, 5),
            {"complex": True, "extensions": 2},
            "too_many_extensions",
        ),
        (
            "denunciation.resolve",
            D(2026, 1, 5),
            {"very_complex": True, "extensions": 3},
            "too_many_extensions",
        ),
        ("data_request.complete", D(2026, 1, 5), {"extensions": 2}, "too_many_extensions"),
        ("complaint.resolve", D(2026, 1, 5), {"extensions": 1}, "too_many_extensions"),
        ("complaint.resolve", D(2026, 1, 5), {"extensions": -1}, "negative"),
        ("complaint.resolve", D(2026, 1, 5), {"paused_days": -3}, "negative"),
        ("complaint.resolve", D(2026, 1, 5), {"paused_days": True}, "not_an_integer"),
        ("complaint.resolve", D(2026, 1, 5), {"extensions": 1.5}, "not_an_integer"),
        ("breach.notify", D(2026, 2, 15), {}, "datetime_required"),
        ("breach.notify", datetime(2026, 2, 15, 21), {"paused_days": 1}, "pause_not_supported"),
        ("complaint.resolve", datetime(2026, 1, 5, 9), {}, "date_required"),
        ("denunciation.intake", datetime(2026, 1, 5, 9), {}, "date_required"),
    ],
)
def test_due_date_errors(rule_id: str, start: date, options: dict[str, Any], code: str) -> None:
    with pytest.raises(DeadlineError) as raised:
        compute(rule_id, start, **options)
    assert raised.value.code == code
    assert code in ERROR_LABELS
    assert isinstance(raised.value, ValueError)
    ERROR_LABELS[code]["en"].format(**raised.value.params)  # every placeholder is provided


# --- Overrides change due dates -------------------------------------------------------------


def test_override_day_off_moves_a_due_date() -> None:
    closed = WorkingCalendar([Override(D(2026, 2, 4), "day_off", "Nghỉ đột xuất", "QĐ 5/UBND")])
    result = due_date(RULES["complaint.resolve"], D(2026, 1, 5), closed)
    assert result.due == D(2026, 2, 5)
    skip = next(s for s in result.steps if s.code == "skip")
    assert skip.detail["reason_code"] == "override_day_off"
    assert skip.detail["name_vi"] == "Nghỉ đột xuất"


def test_override_not_day_off_moves_a_due_date_earlier() -> None:
    no_holiday = WorkingCalendar([Override(D(2026, 4, 30), "not_day_off", "Thử", "test")])
    assert due_date(RULES["complaint.accept"], D(2026, 4, 20), no_holiday).due == D(2026, 4, 30)


def test_override_working_day_counts_in_working_day_rules() -> None:
    plain = due_date(RULES["denunciation.transfer"], D(2026, 2, 2), CALENDAR)
    assert plain.due == D(2026, 2, 9)
    saturday = WorkingCalendar([Override(D(2026, 2, 7), "working_day", "Làm bù", "TB 1")])
    assert due_date(RULES["denunciation.transfer"], D(2026, 2, 2), saturday).due == D(2026, 2, 7)


def test_without_corrections_results_differ() -> None:
    raw = WorkingCalendar(corrections=())
    assert due_date(RULES["complaint.enforce"], D(2025, 12, 31), raw).due == D(2026, 1, 8)
    assert due_date(RULES["petition.answer_legal_docs"], D(2026, 11, 9), raw).due == D(2026, 11, 25)
    assert due_date(RULES["data_request.acknowledge"], D(2026, 1, 9), raw).due == D(2026, 1, 13)


# --- Rules file ------------------------------------------------------------------------------


def test_load_rules_changes_a_rule() -> None:
    text = """
    [rules."complaint.resolve"]
    unit = "working_days"
    length = 30
    legal_basis = "Luật Khiếu nại 2011, Điều 28 (theo quyết định của Sở)"
    confidence = "R"

    [rules."complaint.accept"]
    alternative_unit = ""
    remote_length = 0
    """
    rules = load_rules(text)
    resolve = rules["complaint.resolve"]
    assert resolve.unit == "working_days"
    assert resolve.legal_basis == "Luật Khiếu nại 2011, Điều 28 (theo quyết định của Sở)"
    assert resolve.confidence == "R"
    assert resolve.complex_length == 45  # untouched fields are kept
    assert rules["complaint.accept"].alternative_unit is None
    assert rules["letter.process"] is RULES["letter.process"]
    assert RULES["complaint.resolve"].unit == "days"  # the base is not modified
    # 30 working days from Mon 05/01/2026, counting the make-up Saturday 10/01: Fri 13/02.
    assert due_date(resolve, D(2026, 1, 5), CALENDAR).due == D(2026, 2, 13)


def test_load_rules_removes_a_variant_with_zero() -> None:
    rules = load_rules('[rules."complaint.resolve"]\ncomplex_length = 0\n')
    assert rules["complaint.resolve"].complex_length is None
    assert due_date(rules["complaint.resolve"], D(2026, 1, 5), CALENDAR, complex=True).due == D(
        2026, 2, 4
    )


def test_load_rules_none_and_empty() -> None:
    copy = load_rules(None)
    assert copy == dict(RULES)
    assert copy is not RULES
    assert load_rules("") == dict(RULES)


def test_example_rules_file_is_valid() -> None:
    example = Path(__file__).resolve().parents[2] / "docs" / "deadline_rules.example.toml"
    rules = load_rules(example.read_text(encoding="utf-8"))
    assert rules == dict(RULES)  # as shipped, the example changes nothing


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[rules.", "not valid TOML"),
        ('title = "x"', "unknown key 'title'"),
        ('rules = "x"', "rules: expected tables"),
        ('[rules."complaint.nope"]\nlength = 3', 'rules."complaint.nope": unknown rule id'),
        ('[rules."complaint.resolve"]\nlenght = 3', 'rules."complaint.resolve".lenght: unknown'),
        ('[rules."complaint.resolve"]\nid = "x"', 'rules."complaint.resolve".id: unknown'),
        ('[rules."complaint.resolve"]\nlength = -1', ".length: must not be negative"),
        ('[rules."complaint.resolve"]\nlength = 0', ".length: must be at least 1"),
        ('[rules."complaint.resolve"]\nlength = "30"', ".length: expected an integer"),
        ('[rules."complaint.resolve"]\nlength = 30.0', ".length: expected an integer"),
        ('[rules."complaint.resolve"]\nlength = true', ".length: expected an integer"),
        ('[rules."complaint.resolve"]\nlength = 99999', ".length: must be at most"),
        ('[rules."complaint.resolve"]\ncomplex_length = -5', ".complex_length: must not be"),
        ('[rules."complaint.resolve"]\nunit = "weeks"', ".unit: expected one of"),
        ('[rules."complaint.resolve"]\nalternative_unit = "days"', "must differ from unit"),
        ('[rules."complaint.resolve"]\nconfidence = "X"', ".confidence: expected one of"),
        ('[rules."complaint.resolve"]\nlegal_basis = 28', ".legal_basis: expected a string"),
        ('[rules."complaint.resolve"]\ntitle_vi = "  "', ".title_vi: must not be empty"),
        ('[rules."complaint.resolve"]\nmax_extensions = 1', "extension_length is not"),
        (
            '[rules."denunciation.resolve"]\nmax_extensions = 3',
            "max_extensions <= max_extensions_complex",
        ),
        ('[rules]\n"complaint.resolve" = 30', 'rules."complaint.resolve": expected a table'),
    ],
)
def test_load_rules_rejects_invalid_files(text: str, message: str) -> None:
    with pytest.raises(RulesFileError) as raised:
        load_rules(text, source="instance/deadline_rules.toml")
    assert str(raised.value).startswith("instance/deadline_rules.toml")
    assert message in str(raised.value)


# --- Receipt date ------------------------------------------------------------------------------


def test_receipt_date_converts_to_vietnam_time() -> None:
    # 18:30 UTC on Fri 13/02/2026 is 01:30 on Sat 14/02 in Vietnam.
    submitted = datetime(2026, 2, 13, 18, 30, tzinfo=UTC)
    assert receipt_date(submitted, CALENDAR) == D(2026, 2, 14)
    assert receipt_date(submitted, CALENDAR, "next_working_day") == D(2026, 2, 23)
    other_zone = datetime(2026, 2, 14, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert receipt_date(other_zone, CALENDAR) == D(2026, 2, 14)
    working = datetime(2026, 3, 4, 22, 0, tzinfo=ICT)
    assert receipt_date(working, CALENDAR, "next_working_day") == D(2026, 3, 4)


@pytest.mark.parametrize(
    ("convention", "expected"),
    [("submission_date", D(2026, 2, 24)), ("next_working_day", D(2026, 3, 5))],
)
def test_receipt_date_worked_example_3(convention: str, expected: date) -> None:
    submitted = datetime(2026, 2, 14, 10, 0, tzinfo=ICT)  # Sat, first day of the Tết break
    received = receipt_date(submitted, CALENDAR, convention)  # type: ignore[arg-type]
    assert compute("complaint.accept", received).due == expected


def test_receipt_date_errors() -> None:
    with pytest.raises(DeadlineError) as raised:
        receipt_date(datetime(2026, 2, 14, 10, 0), CALENDAR)
    assert raised.value.code == "naive_datetime"
    with pytest.raises(DeadlineError) as raised:
        receipt_date(datetime(2026, 2, 14, tzinfo=ICT), CALENDAR, "whenever")  # type: ignore[arg-type]
    assert raised.value.code == "unknown_convention"


# --- Properties --------------------------------------------------------------------------------

DAY_RULES = sorted(rule_id for rule_id, rule in RULES.items() if rule.unit != "hours")


@st.composite
def computations(draw: st.DrawFn) -> tuple[Rule, date, dict[str, Any]]:
    rule = RULES[draw(st.sampled_from(DAY_RULES))]
    start = draw(st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31)))
    very_complex = draw(st.booleans())
    complex_case = very_complex or draw(st.booleans())
    if very_complex:
        allowed = rule.max_extensions_very_complex
    elif complex_case:
        allowed = rule.max_extensions_complex
    else:
        allowed = rule.max_extensions
    options = {
        "complex": complex_case,
        "very_complex": very_complex,
        "remote": draw(st.booleans()),
        "multi_place": draw(st.booleans()),
        "extensions": draw(st.integers(0, allowed)),
        "paused_days": draw(st.integers(0, 20)),
    }
    return rule, start, options


@settings(deadline=None, max_examples=300)
@given(computations())
def test_property_due_is_a_working_day_not_before_raw_end(
    case: tuple[Rule, date, dict[str, Any]],
) -> None:
    rule, start, options = case
    result = due_date(rule, start, CALENDAR, **options)
    assert CALENDAR.is_working_day(result.due)
    assert result.due >= result.raw_end > start
    quick = due_date(rule, start, CALENDAR, explain=False, **options)
    assert quick.due == result.due
    skipped = [s.day for s in result.steps if s.code == "skip" and s.day >= result.raw_end]
    assert skipped == [result.raw_end + timedelta(days=n) for n in range(len(skipped))]


@settings(deadline=None, max_examples=300)
@given(computations())
def test_property_due_never_decreases_when_start_moves_later(
    case: tuple[Rule, date, dict[str, Any]],
) -> None:
    rule, start, options = case
    today = due_date(rule, start, CALENDAR, **options).due
    tomorrow = due_date(rule, start + timedelta(days=1), CALENDAR, **options).due
    assert tomorrow >= today


# --- Purity of the domain package -------------------------------------------------------------

DOMAIN = Path(__file__).resolve().parents[2] / "portal" / "domain"
FORBIDDEN_ROOTS = {"flask", "sqlalchemy", "werkzeug", "wtforms", "flask_sqlalchemy", "alembic"}


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                names.append("portal.domain" + ("." + node.module if node.module else ""))
            else:
                names.append(node.module or "")
    return names


def _domain_id(path: Path) -> str:
    return str(path.relative_to(DOMAIN))


@pytest.mark.parametrize("path", sorted(DOMAIN.rglob("*.py")), ids=_domain_id)
def test_domain_imports_no_framework(path: Path) -> None:
    for name in _imported_modules(path):
        root = name.split(".")[0]
        assert root not in FORBIDDEN_ROOTS, f"{path.name} imports {name}"
        assert not root.startswith("flask_"), f"{path.name} imports {name}"
        if root == "portal":
            assert name == "portal.domain" or name.startswith("portal.domain."), name


@pytest.mark.parametrize(
    "path",
    sorted([*(DOMAIN / "calendar").glob("*.py"), *(DOMAIN / "deadlines").glob("*.py")]),
    ids=_domain_id,
)
def test_domain_never_reads_the_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"today", "now", "utcnow", "time", "monotonic"}, node.attr
