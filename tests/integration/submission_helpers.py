"""Filling in the "Gửi đơn" forms like a citizen would."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from flask import current_app

from portal.extensions import db
from portal.services import deadlines as deadline_service
from portal.services import stored_calendar, submissions
from portal.web.rules import current_rules

CODE_RE = re.compile(r'class="access-code"[^>]*>([A-Z0-9-]+)<')

COMMON = {
    "subject": "Cột điện viễn thông đổ chắn đường",
    "field": "telecom",
    "name": "Nguyễn Văn Bình",
    "address": "Số 12, ấp Bình Trung",
    "commune": "Xã Hòa Thành",
    "province": "Tỉnh Tây Ninh",
    "phone": "0912 345 678",
    "email": "",
    "citizen_id_number": "",
    "people_count": "1",
    "representative": "",
    "consent": "y",
}

BY_KIND = {
    "phan-anh": {
        "location": "Đường 30/4, phường Tân Ninh",
        "content": "Sau cơn bão, cột điện viễn thông đổ chắn ngang đường.",
        "requested_outcome": "Đề nghị doanh nghiệp khắc phục sớm.",
    },
    "kien-nghi": {
        "content": "Thủ tục cấp thẻ nhà báo còn nhiều giấy tờ.",
        "requested_outcome": "Đề nghị cho nộp hồ sơ trực tuyến.",
    },
    "khieu-nai": {
        "complaint_round": "1",
        "contested_decision": (
            "Quyết định xử phạt số 15/QĐ-XPHC ngày 02/11/2026 của Chánh Thanh tra Sở"
        ),
        "decision_known_on": "05/11/2026",
        "respondent": "Chánh Thanh tra Sở",
        "content": "Tôi không vi phạm như quyết định nêu.",
        "requested_outcome": "Đề nghị hủy quyết định xử phạt.",
    },
    "to-cao": {
        "respondent": "Ông Trần Văn A, cán bộ bộ phận một cửa",
        "content": "Ông A đòi 2 triệu đồng để giải quyết hồ sơ nhanh.",
        "evidence": "Tin nhắn điện thoại ngày 03/11/2026.",
        "requested_outcome": "",
    },
}


def form_page(client, slug: str) -> str:
    return client.get(f"/gui-don/{slug}").get_data(as_text=True)


def hidden_values(page: str) -> dict[str, str]:
    values = {}
    for name in ("csrf_token", "form_started", "idempotency_key", "upload_token"):
        match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
            rf'value="([^"]*)"[^>]*name="{name}"', page
        )
        if match:
            values[name] = match.group(1)
    return values


def fill(client, slug: str, page: str | None = None, **changes):  # type: ignore[no-untyped-def]
    """POST the form of `slug` with realistic data; `changes` override fields."""
    page = page or form_page(client, slug)
    data = {**hidden_values(page), **COMMON, **BY_KIND[slug]}
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"/gui-don/{slug}", data=data, content_type="multipart/form-data")


def submit_and_read_code(client, slug: str, **changes) -> str:  # type: ignore[no-untyped-def]
    response = fill(client, slug, **changes)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    match = CODE_RE.search(page)
    assert match, page
    return match.group(1)


def register_reflection(
    key: str,
    *,
    received_on: date | None = None,
    stored: stored_calendar.StoredCalendar | None = None,
) -> submissions.Receipt:
    """Register a reflection through the intake service, as the form's view does; on
    `stored` (the calendar and its fingerprint, checked by the insert) when given."""
    return submissions.submit(
        db.session,
        submissions.Submission(
            kind="reflection",
            subject="Cột điện viễn thông đổ chắn đường",
            content="Sau cơn bão, cột điện đổ chắn ngang đường.",
            idempotency_key=key,
            consent_version="test",
            name="Nguyễn Văn Bình",
            phone="+84912345678",
            received_on=received_on,
        ),
        now=datetime.now(UTC),
        settings=submissions.Settings(
            pepper=current_app.config["ACCESS_CODE_PEPPER"].encode(),
            custodian_public_key=None,
        ),
        rules=current_rules(),
        calendar=stored.calendar if stored else deadline_service.load_calendar(db.session),
        calendar_fingerprint=stored.fingerprint if stored else None,
    )
