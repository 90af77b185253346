from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import DataRequest, Deadline


def test_register_acknowledge_extend_and_refuse_with_reason(client, login_as) -> None:
    login_as("clerk")
    response = client.post_form(
        "/quan-tri/du-lieu-ca-nhan/",
        {
            "request_type": "deletion",
            "received_on": "02/11/2026",
            "requester_name": "Nguyễn Văn Bình",
            "contact": "0912345678",
            "details": "Đề nghị xóa thông tin cá nhân trong đơn năm 2025.",
        },
    )
    assert response.status_code == 303
    row = db.session.scalar(select(DataRequest))
    dues = {d.rule_id: d.due_on for d in db.session.scalars(select(Deadline))}
    assert dues == {
        "data_request.acknowledge": date(2026, 11, 4),
        "data_request.complete": date(2026, 11, 17),
    }
    url = f"/quan-tri/du-lieu-ca-nhan/{row.id}"
    client.post_form(f"{url}/xac-nhan", {}, token_from=url)
    client.post_form(f"{url}/gia-han", {}, token_from=url)
    twice = client.post_form(f"{url}/gia-han", {}, token_from=url)
    assert twice.status_code == 303
    assert "chỉ được gia hạn một lần" in client.get(url).get_data(as_text=True)
    refused = client.post_form(
        f"{url}/hoan-thanh", {"outcome": "refused_legal_retention"}, token_from=url
    )
    assert refused.status_code == 200
    assert "lý do" in refused.get_data(as_text=True)
    done = client.post_form(
        f"{url}/hoan-thanh",
        {"outcome": "refused_legal_retention", "note": "Hồ sơ khiếu nại phải lưu trữ theo luật."},
        token_from=url,
    )
    assert done.status_code == 303
    db.session.expire_all()
    row = db.session.get(DataRequest, row.id)
    assert row.status == "done" and row.acknowledged_on is not None
    assert all(d.met_on for d in row.deadlines)
    complete = next(d for d in row.deadlines if d.rule_id == "data_request.complete")
    assert complete.extensions == 1 and complete.due_on == date(2026, 12, 2)


def test_unknown_case_number_is_named(client, login_as) -> None:
    login_as("clerk")
    page = client.post_form(
        "/quan-tri/du-lieu-ca-nhan/",
        {
            "request_type": "access",
            "received_on": "02/11/2026",
            "requester_name": "A",
            "contact": "a@b.vn",
            "case_number": "2026/9999",
            "details": "x",
        },
    ).get_data(as_text=True)
    assert "<title>Lỗi:" in page
    assert db.session.query(DataRequest).count() == 0
