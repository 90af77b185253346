"""The consolidated yearly mass-mobilisation report as Word (.docx) and its figures as .xlsx.

The Word document follows the Decree 30/2020/NĐ-CP layout through the building blocks of
`portal.lib.documents.layout` (national motto block, agency, number and date line, title, body,
figures as tables, "Nơi nhận" and the signature block). It is addressed to the Board, so it is
always in Vietnamese: the headings below are the plan's sections in Vietnamese, whatever language
the official reads the portal in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from babel.numbers import format_decimal

from portal.domain import yearly_report as rules
from portal.lib.documents import layout
from portal.lib.documents.facts import Agency, vn_date
from portal.lib.documents.text import text_lines
from portal.lib.exports import workbook_bytes

SECTION_HEADINGS: Final[dict[str, str]] = {
    "directives": (
        "Công tác học tập, quán triệt, triển khai các chỉ thị, nghị quyết và quy chế dân chủ"
    ),
    "administrative_reform": "Công tác cải cách hành chính",
    "grassroots_democracy": "Thực hiện dân chủ ở cơ sở",
    "emulation": "Phong trào thi đua “Dân vận khéo”",
    "coordination": (
        "Công tác phối hợp với Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội"
    ),
    "targets": "Kết quả thực hiện các chỉ tiêu tại mục III của Kế hoạch",
    "proposals": "Khó khăn, vướng mắc, đề xuất, kiến nghị và nhiệm vụ năm tới",
}
FIGURE_LABELS: Final[dict[str, str]] = {
    "cases_received": "Số đơn tiếp nhận",
    "cases_resolved": "Số đơn đã giải quyết",
    "met_on_time": "Số thời hạn giải quyết bảo đảm đúng hạn",
    "met_late": "Số thời hạn giải quyết bị trễ hạn",
    "on_time_rate": "Tỷ lệ giải quyết đúng hạn",
    "overdue_open": "Số đơn đang quá hạn",
    "average_days": "Số ngày giải quyết trung bình",
    "sessions_held": "Số buổi tiếp công dân, đối thoại đã tổ chức",
    "head_duty_met": "Số tháng Giám đốc tiếp công dân định kỳ theo quy định",
    "head_duty_missed": "Số tháng Giám đốc không tiếp công dân định kỳ",
    "follow_ups_on_time": "Số việc sau tiếp xúc, đối thoại hoàn thành đúng hạn",
    "satisfaction_average": "Mức độ hài lòng trung bình (thang điểm 1–5)",
    "satisfaction_responses": "Số lượt đánh giá mức độ hài lòng",
    "articles_published": "Số tin, bài tuyên truyền đã đăng",
}
DEFAULT_RECIPIENTS: Final = ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "Lãnh đạo Sở")
NO_VALUE: Final = "–"
_ROMAN: Final = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class DivisionLine:
    """One division's part in the appendix: whether and when it reported, and its figures."""

    name: str
    submitted_on: date | None
    late: bool
    figures: Mapping[str, float | int | None]


@dataclass(frozen=True)
class ReportFacts:
    year: int
    period_start: date
    period_end: date
    issued_on: date
    sections: Mapping[str, str]
    figures: Mapping[str, float | int | None]  # the whole department
    divisions: Sequence[DivisionLine]
    document_number: str | None = None
    recipients: Sequence[str] = DEFAULT_RECIPIENTS


def format_figure(figure_id: str, value: float | int | None) -> str:
    """A figure written the Vietnamese way: "85,7%", "4,20", "12,5", "1.204"."""
    if value is None:
        return NO_VALUE
    figure = rules.FIGURE_BY_ID[figure_id]
    if figure.format == "percent":
        return format_decimal(value * 100, "#,##0.0", locale="vi") + "%"
    pattern = {"rating": "#,##0.00", "days": "#,##0.0"}.get(figure.format, "#,##0")
    return format_decimal(value, pattern, locale="vi")


def title_lines(year: int) -> tuple[str, str]:
    return ("BÁO CÁO", f"Kết quả thực hiện công tác dân vận chính quyền năm {year}")


def _day(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _figure_rows(ids: Sequence[str], figures: Mapping[str, float | int | None]) -> list[list[str]]:
    return [
        [str(number), FIGURE_LABELS[figure_id], format_figure(figure_id, figures.get(figure_id))]
        for number, figure_id in enumerate(ids, start=1)
    ]


def build_report(agency: Agency, facts: ReportFacts) -> bytes:
    """The consolidated report as a .docx file."""
    document = layout.new_document()
    number = " ".join(text_lines(facts.document_number or "")) or " " * 8
    number_line = f"Số: {number}" if "/" in number else f"Số: {number}/BC-{agency.symbol}"
    layout.add_header(
        document,
        parent=agency.parent.upper(),
        agency_name=agency.name.upper(),
        number_line=number_line,
        place_date=f"{agency.place}, {vn_date(facts.issued_on)}",
    )
    layout.add_title(document, title_lines(facts.year))
    name_in_text = agency.name_in_text or agency.name
    layout.add_body_paragraph(
        document,
        f"Thực hiện Kế hoạch công tác dân vận chính quyền năm {facts.year}, {name_in_text} "
        f"báo cáo kết quả thực hiện từ ngày {_day(facts.period_start)} đến ngày "
        f"{_day(facts.period_end)} như sau:",
    )

    chapter = 0
    layout.add_heading_line(document, f"{_ROMAN[chapter]}. KẾT QUẢ THỰC HIỆN")
    number_in_chapter = 0
    for section in rules.SECTIONS:
        text = facts.sections.get(section.id, "").strip()
        if section.id == "proposals":
            if not text:
                continue
            chapter += 1
            heading = f"{_ROMAN[chapter]}. {SECTION_HEADINGS[section.id].upper()}"
        else:
            number_in_chapter += 1
            heading = f"{number_in_chapter}. {SECTION_HEADINGS[section.id]}"
        layout.add_heading_line(document, heading)
        for line in text_lines(text):
            layout.add_body_paragraph(document, line)
        ids = rules.section_figures(section, division=False)
        if ids:
            layout.add_grid_table(
                document, ("STT", "Nội dung", "Số liệu"), _figure_rows(ids, facts.figures)
            )

    chapter += 1
    layout.add_heading_line(document, f"{_ROMAN[chapter]}. TÌNH HÌNH BÁO CÁO CỦA CÁC PHÒNG, ĐƠN VỊ")
    layout.add_grid_table(
        document,
        (
            "STT",
            "Phòng, đơn vị",
            "Ngày gửi báo cáo",
            "Thời hạn",
            "Số đơn tiếp nhận",
            "Tỷ lệ đúng hạn",
        ),
        [
            [
                str(index),
                line.name,
                _day(line.submitted_on) if line.submitted_on else "Chưa gửi",
                _timeliness(line),
                format_figure("cases_received", line.figures.get("cases_received")),
                format_figure("on_time_rate", line.figures.get("on_time_rate")),
            ]
            for index, line in enumerate(facts.divisions, start=1)
        ],
    )

    layout.add_signature(
        document,
        recipients=[f"- {line};" for line in facts.recipients] + ["- Lưu: VT, VP."],
        signer_title=tuple(line.upper() for line in agency.signer_title.splitlines()),
        signer_name=agency.signer_name,
    )
    return layout.document_bytes(
        document,
        title=" ".join(title_lines(facts.year)),
        author=agency.name.upper(),
        issued_on=facts.issued_on,
    )


def _timeliness(line: DivisionLine) -> str:
    if line.late:
        return "Trễ hạn"
    return "Đúng hạn" if line.submitted_on else NO_VALUE


def _sheet_value(figure: rules.Figure, value: float | int | None) -> float | int | None:
    """Rates as percentages (85.7), averages rounded; counts as they are."""
    if value is None:
        return None
    if figure.format == "percent":
        return round(value * 100, 1)
    if figure.format == "rating":
        return round(value, 2)
    if figure.format == "days":
        return round(value, 1)
    return value


def figures_workbook(facts: ReportFacts) -> bytes:
    """The figures as a sheet: one row per figure, the department and then each division
    (blank where a figure is counted for the whole department only)."""
    headers = ["STT", "Chỉ tiêu", "Toàn Sở", *(line.name for line in facts.divisions)]
    rows = []
    for number, figure in enumerate(rules.FIGURES, start=1):
        label = FIGURE_LABELS[figure.id] + (" (%)" if figure.format == "percent" else "")
        values: list[object] = [number, label, _sheet_value(figure, facts.figures.get(figure.id))]
        for line in facts.divisions:
            value = None if figure.department_only else line.figures.get(figure.id)
            values.append(_sheet_value(figure, value))
        rows.append(values)
    return workbook_bytes(
        f"Số liệu công tác dân vận chính quyền năm {facts.year}",
        headers,
        rows,
        subtitle=f"Từ ngày {_day(facts.period_start)} đến ngày {_day(facts.period_end)}",
    )
