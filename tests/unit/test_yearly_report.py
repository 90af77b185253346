"""Pure rules of the yearly mass-mobilisation report, and its documents opened back."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from portal.domain import yearly_report as rules
from portal.domain.calendar import WorkingCalendar
from portal.lib import documents, report_documents

CALENDAR = WorkingCalendar()


def test_sections_follow_the_plan_and_have_unique_ids() -> None:
    assert rules.SECTION_IDS == (
        "directives",
        "administrative_reform",
        "grassroots_democracy",
        "emulation",
        "coordination",
        "targets",
        "proposals",
    )
    for section in rules.SECTIONS:
        assert section.label and section.hint
        assert set(section.figures) <= set(rules.FIGURE_BY_ID)
        assert section.id in report_documents.SECTION_HEADINGS
    assert set(report_documents.FIGURE_LABELS) == set(rules.FIGURE_BY_ID)
    assert [s.id for s in rules.SECTIONS if not s.required] == ["proposals"]


def test_default_deadlines_and_period_are_the_plans() -> None:
    assert rules.default_deadlines(2026) == (date(2026, 10, 22), date(2026, 10, 25))
    assert rules.default_period(2026) == (date(2026, 1, 1), date(2026, 9, 30))


def test_a_division_report_leaves_out_department_only_figures() -> None:
    democracy = rules.SECTION_BY_ID["grassroots_democracy"]
    assert rules.section_figures(democracy, division=True) == ("follow_ups_on_time",)
    assert "sessions_held" in rules.section_figures(democracy, division=False)
    division = rules.report_figures(division=True)
    department = rules.report_figures(division=False)
    assert "articles_published" not in division
    assert "articles_published" in department
    assert set(division) < set(department)
    assert department == tuple(f.id for f in rules.FIGURES)  # every figure is used somewhere


def test_clean_sections_keeps_known_ids_and_strips() -> None:
    cleaned = rules.clean_sections({"directives": "  Đã học  ", "unknown": "x", "targets": 5})
    assert cleaned["directives"] == "Đã học"
    assert cleaned["targets"] == ""
    assert "unknown" not in cleaned
    assert set(cleaned) == set(rules.SECTION_IDS)


def test_problems_when_saving_only_length_when_submitting_required_sections() -> None:
    empty = rules.clean_sections({})
    assert rules.problems(empty, submitting=False) == {}
    missing = rules.problems(empty, submitting=True)
    assert set(missing) == set(rules.SECTION_IDS) - {"proposals"}
    assert set(missing.values()) == {"missing"}
    long = {**empty, "emulation": "x" * (rules.MAX_SECTION_LENGTH + 1)}
    assert rules.problems(long, submitting=False) == {"emulation": "too_long"}
    full = {section_id: "Nội dung" for section_id in rules.SECTION_IDS}
    full["proposals"] = ""
    assert rules.problems(full, submitting=True) == {}


@pytest.mark.parametrize(
    ("status", "submitted_on", "today", "late"),
    [
        ("draft", None, date(2026, 10, 22), False),  # the due day itself is still on time
        ("draft", None, date(2026, 10, 23), True),
        ("returned", None, date(2026, 10, 23), True),
        ("submitted", date(2026, 10, 22), date(2026, 11, 30), False),
        ("submitted", date(2026, 10, 23), date(2026, 10, 23), True),
    ],
)
def test_late_against_the_division_deadline_on_the_calendar_date(
    status: str, submitted_on: date | None, today: date, late: bool
) -> None:
    due = date(2026, 10, 22)
    assert rules.is_late(status=status, due_on=due, today=today, submitted_on=submitted_on) is late


def test_working_days_left_skips_weekends() -> None:
    due = date(2026, 10, 22)  # a Thursday
    assert rules.working_days_left(date(2026, 10, 15), due, CALENDAR) == 5
    assert rules.working_days_left(date(2026, 10, 21), due, CALENDAR) == 1
    assert rules.working_days_left(date(2026, 10, 17), due, CALENDAR) == 4  # Saturday
    assert rules.working_days_left(date(2026, 10, 22), due, CALENDAR) == 0


def test_reminders_five_and_one_working_days_before_and_when_late() -> None:
    due = date(2026, 10, 22)
    sent = {
        day: rules.reminder_due(today=day, due_on=due, calendar=CALENDAR, last_reminded_on=None)
        for day in (date(2026, 10, d) for d in range(12, 28))
    }
    assert {day: kind for day, kind in sent.items() if kind} == {
        date(2026, 10, 15): "soon",
        date(2026, 10, 21): "soon",
        date(2026, 10, 23): "late",
        date(2026, 10, 26): "late",  # Saturday 24 and Sunday 25 are skipped
        date(2026, 10, 27): "late",
    }


def test_at_most_one_reminder_a_day() -> None:
    today = date(2026, 10, 21)
    due = date(2026, 10, 22)
    assert (
        rules.reminder_due(today=today, due_on=due, calendar=CALENDAR, last_reminded_on=today)
        is None
    )
    assert rules.reminder_due(
        today=today, due_on=due, calendar=CALENDAR, last_reminded_on=date(2026, 10, 15)
    )


def test_five_working_days_before_a_deadline_after_a_day_off() -> None:
    # National Day 2026: Mon 31/08 (swapped), Tue 1/09 and Wed 2/09 are days off.
    due = date(2026, 9, 7)  # a Monday
    assert rules.working_days_left(date(2026, 8, 28), due, CALENDAR) == 3
    first = next(
        date(2026, 8, d)
        for d in range(20, 32)
        if rules.reminder_due(
            today=date(2026, 8, d), due_on=due, calendar=CALENDAR, last_reminded_on=None
        )
    )
    assert first == date(2026, 8, 26)  # 27, 28, 3/9, 4/9, 7/9 are the five days left


FIGURES = {
    "cases_received": 1204,
    "cases_resolved": 980,
    "met_on_time": 857,
    "met_late": 143,
    "on_time_rate": 0.857,
    "overdue_open": 3,
    "average_days": 12.5,
    "sessions_held": 14,
    "head_duty_met": 8,
    "head_duty_missed": 1,
    "follow_ups_on_time": 6,
    "satisfaction_average": 4.2,
    "satisfaction_responses": 77,
    "articles_published": 31,
}
AGENCY = documents.Agency(
    parent="Ủy ban nhân dân tỉnh Tây Ninh",
    name="Sở Thông tin và Truyền thông",
    place="Tây Ninh",
    signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
    signer_name="Trần Văn An",
    symbol="STTTT",
)


def _facts(**changes: object) -> report_documents.ReportFacts:
    values: dict = {
        "year": 2026,
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 9, 30),
        "issued_on": date(2026, 10, 24),
        "sections": {s: f"Nội dung {s}.\nĐoạn hai {s}." for s in rules.SECTION_IDS},
        "figures": FIGURES,
        "divisions": [
            report_documents.DivisionLine(
                "Thanh tra Sở", date(2026, 10, 20), False, {"cases_received": 40}
            ),
            report_documents.DivisionLine("Văn phòng Sở", None, True, {}),
        ],
        "document_number": "125",
    }
    values.update(changes)
    return report_documents.ReportFacts(**values)


def test_figures_are_written_the_vietnamese_way() -> None:
    assert report_documents.format_figure("on_time_rate", 0.857) == "85,7%"
    assert report_documents.format_figure("cases_received", 1204) == "1.204"
    assert report_documents.format_figure("satisfaction_average", 4.2) == "4,20"
    assert report_documents.format_figure("average_days", 12.46) == "12,5"
    assert report_documents.format_figure("on_time_rate", None) == "–"


def _paragraphs(body: bytes) -> list[str]:
    document = Document(io.BytesIO(body))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts


def test_the_report_has_the_decree_30_parts_sections_and_figure_tables() -> None:
    body = report_documents.build_report(AGENCY, _facts())
    document = Document(io.BytesIO(body))
    texts = _paragraphs(body)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN TỈNH TÂY NINH",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "Số: 125/BC-STTTT",
        "Tây Ninh, ngày 24 tháng 10 năm 2026",
        "BÁO CÁO",
        "Kết quả thực hiện công tác dân vận chính quyền năm 2026",
        "I. KẾT QUẢ THỰC HIỆN",
        "1. " + report_documents.SECTION_HEADINGS["directives"],
        "6. " + report_documents.SECTION_HEADINGS["targets"],
        "II. " + report_documents.SECTION_HEADINGS["proposals"].upper(),
        "III. TÌNH HÌNH BÁO CÁO CỦA CÁC PHÒNG, ĐƠN VỊ",
        "Nội dung directives.",
        "Đoạn hai directives.",
        "Nơi nhận:",
        "- Ban Tuyên giáo và Dân vận Tỉnh ủy;",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Trần Văn An",
    ):
        assert expected in texts, expected
    assert any("từ ngày 01/01/2026 đến ngày 30/09/2026" in t for t in texts)
    # header, three sections' figures, the divisions' appendix, the signature
    grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(grids) == 4
    reform = [[c.text for c in row.cells] for row in grids[0].rows]
    assert reform[0] == ["STT", "Nội dung", "Số liệu"]
    assert ["1", "Số đơn tiếp nhận", "1.204"] in reform
    assert ["5", "Tỷ lệ giải quyết đúng hạn", "85,7%"] in reform
    appendix = [[c.text for c in row.cells] for row in grids[3].rows]
    assert appendix[1] == ["1", "Thanh tra Sở", "20/10/2026", "Đúng hạn", "40", "–"]
    assert appendix[2] == ["2", "Văn phòng Sở", "Chưa gửi", "Trễ hạn", "–", "–"]
    assert document.core_properties.language == "vi-VN"


def test_without_proposals_the_appendix_is_chapter_two_and_the_number_is_left_blank() -> None:
    sections = {s: "Có." for s in rules.SECTION_IDS} | {"proposals": ""}
    texts = _paragraphs(
        report_documents.build_report(AGENCY, _facts(sections=sections, document_number=None))
    )
    assert "II. TÌNH HÌNH BÁO CÁO CỦA CÁC PHÒNG, ĐƠN VỊ" in texts
    assert any(t.startswith("Số: ") and t.endswith("/BC-STTTT") for t in texts)


def test_pasted_control_characters_do_not_break_the_document() -> None:
    sections = {s: "Dòng một\x0b\x00 còn lại.\r\n\r\nDòng hai" for s in rules.SECTION_IDS}
    facts = _facts(sections=sections, document_number="12\x00")
    texts = _paragraphs(report_documents.build_report(AGENCY, facts))
    assert "Số: 12/BC-STTTT" in texts
    assert texts.count("Dòng một còn lại.") == len(rules.SECTION_IDS)
    assert texts.count("Dòng hai") == len(rules.SECTION_IDS)


def test_the_figures_workbook_has_a_row_per_figure_and_a_column_per_division() -> None:
    sheet = load_workbook(io.BytesIO(report_documents.figures_workbook(_facts()))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0] == ["STT", "Chỉ tiêu", "Toàn Sở", "Thanh tra Sở", "Văn phòng Sở"]
    by_label = {row[1]: row[2:] for row in rows[1:]}
    assert len(by_label) == len(rules.FIGURES)
    assert by_label["Số đơn tiếp nhận"] == [1204, 40, None]
    assert by_label["Tỷ lệ giải quyết đúng hạn (%)"] == [85.7, None, None]
    assert by_label["Số tin, bài tuyên truyền đã đăng"] == [31, None, None]
    assert "01/01/2026" in sheet["A2"].value
