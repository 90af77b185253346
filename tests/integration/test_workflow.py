"""Case handling through the admin pages: every action goes through the workflow service."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Case, CaseEvent, Deadline
from portal.web.security import today_local
from tests.admin_helpers import sign_in
from tests.factories import make_case, make_user


def _act(client, case_id: int, slug: str, action: str, data: dict):  # type: ignore[no-untyped-def]
    token = client.csrf_token(f"/quan-tri/don/{case_id}")
    payload = {f"{action}-{key}": value for key, value in data.items()}
    payload[f"{action}-csrf_token"] = token
    return client.post(f"/quan-tri/don/{case_id}/thao-tac/{slug}", data=payload)


def _deadlines(case_id: int) -> dict[str, Deadline]:
    db.session.expire_all()
    rows = db.session.scalars(select(Deadline).where(Deadline.case_id == case_id))
    return {row.rule_id: row for row in rows}


def _logout(client) -> None:  # type: ignore[no-untyped-def]
    client.post_form("/quan-tri/dang-xuat", {}, token_from="/quan-tri/")


def test_complaint_from_signed_letter_to_published_answer(client, app) -> None:
    case = make_case(kind="complaint")
    case_id, code = case.id, case.test_access_code
    clerk = make_user(roles=("clerk",))
    leader = make_user(roles=("leader",))
    handler = make_user(roles=("handler",), name="Lê Minh Tâm")

    sign_in(client, clerk)
    response = _act(client, case_id, "nhan-don-ky", "record_signed_letter", {"day": "2026-11-02"})
    assert response.status_code == 303
    accept = _deadlines(case_id)["complaint.accept"]
    assert accept.started_on == date(2026, 11, 2) and accept.due_on == date(2026, 11, 12)
    # a clerk cannot accept: the route refuses
    assert _act(client, case_id, "thu-ly", "accept", {}).status_code == 403
    _logout(client)

    sign_in(client, leader)
    assert _act(client, case_id, "thu-ly", "accept", {"note": "Đủ điều kiện"}).status_code == 303
    deadlines = _deadlines(case_id)
    assert deadlines["complaint.accept"].met_on == today_local()
    assert deadlines["letter.process"].met_on == today_local()
    assert deadlines["complaint.resolve"].met_on is None
    refused = _act(client, case_id, "gia-han", "extend", {"note": "Cần thêm thời gian"})
    assert refused.status_code == 200
    assert "không cho phép gia hạn" in refused.get_data(as_text=True)
    _logout(client)

    sign_in(client, clerk)
    assigned = _act(client, case_id, "giao-xu-ly", "assign", {"assignee": str(handler.id)})
    assert assigned.status_code == 303
    _logout(client)

    sign_in(client, handler)
    page = client.get(f"/quan-tri/don/{case_id}").get_data(as_text=True)
    assert "đã nhận được đơn khiếu nại số" in page  # the answer template, pre-filled
    drafted = _act(
        client,
        case_id,
        "du-thao",
        "draft_answer",
        {"answer": "Sở giữ nguyên quyết định xử phạt vì các lý do sau."},
    )
    assert drafted.status_code == 303
    _logout(client)

    sign_in(client, leader)
    assert _act(client, case_id, "duyet", "approve_answer", {}).status_code == 303
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    assert case.status == "resolved" and case.public_answer.startswith("Sở giữ nguyên")
    assert _deadlines(case_id)["complaint.resolve"].met_on == today_local()
    _logout(client)

    status = client.post_form("/tra-cuu/", {"access_code": code}).get_data(as_text=True)
    assert "Sở giữ nguyên quyết định" in status
    assert "Đã trả lời" in status
    actions = [
        e.action
        for e in db.session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        )
    ]
    assert actions == [
        "submitted",
        "record_signed_letter",
        "accept",
        "assign",
        "draft_answer",
        "approve_answer",
    ]
    audited = set(
        db.session.scalars(select(AuditLog.action).where(AuditLog.target_id == str(case_id)))
    )
    assert {"case.accept", "case.assign", "case.approve_answer"} <= audited


def test_refusal_needs_a_legal_ground_and_is_shown_to_the_citizen(client) -> None:
    case = make_case(kind="complaint")
    case_id, code = case.id, case.test_access_code
    sign_in(client, make_user(roles=("leader",)))
    missing = _act(client, case_id, "khong-thu-ly", "refuse", {"note": "Quá hạn"})
    assert missing.status_code == 200
    assert "căn cứ" in missing.get_data(as_text=True).lower()
    done = _act(
        client,
        case_id,
        "khong-thu-ly",
        "refuse",
        {"ground": "out_of_time", "note": "Đơn gửi sau 90 ngày"},
    )
    assert done.status_code == 303
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    assert case.status == "not_accepted" and case.outcome_ground == "out_of_time"
    assert all(d.met_on for d in case.deadlines)
    assert _deadlines(case_id)["letter.process"].stopped_reason == "not_accepted"
    _logout(client)
    status = client.post_form("/tra-cuu/", {"access_code": code}).get_data(as_text=True)
    assert "Không thụ lý" in status


def test_denunciation_extension_and_suspension(client, app, custodian) -> None:
    case = make_case(kind="denunciation", signed_letter=True)
    case_id = case.id
    sign_in(client, make_user(roles=("leader",)))
    _act(client, case_id, "thu-ly", "accept", {})
    resolve = _deadlines(case_id)["denunciation.resolve"]
    base_due = resolve.due_on
    assert "denunciation.notify_acceptance" in _deadlines(case_id)
    # normal case: no extension allowed; complex: one
    assert _act(client, case_id, "gia-han", "extend", {"note": "x"}).status_code == 200
    _act(client, case_id, "muc-do", "set_complexity", {"complexity": "complex"})
    assert _act(client, case_id, "gia-han", "extend", {"note": "Cần xác minh"}).status_code == 303
    assert _deadlines(case_id)["denunciation.resolve"].due_on > base_due
    assert (
        _act(
            client, case_id, "tam-dinh-chi", "suspend", {"note": "Chờ kết quả giám định"}
        ).status_code
        == 303
    )
    assert _deadlines(case_id)["denunciation.resolve"].paused_since == today_local()
    assert _act(client, case_id, "tiep-tuc", "resume", {}).status_code == 303
    resumed = _deadlines(case_id)["denunciation.resolve"]
    assert resumed.paused_since is None and resumed.paused_days == 0


def test_queue_filters_and_accent_insensitive_search(client) -> None:
    make_case(kind="reflection", subject="Cột điện đổ ở Hòa Thành")
    make_case(kind="petition", subject="Đơn giản hóa thủ tục thẻ nhà báo")
    sign_in(client, make_user(roles=("clerk",)))
    page = client.get("/quan-tri/don/?q=COT+dien+hoa").get_data(as_text=True)
    assert "Cột điện đổ ở Hòa Thành" in page and "thẻ nhà báo" not in page
    page = client.get("/quan-tri/don/?kind=petition").get_data(as_text=True)
    assert "thẻ nhà báo" in page and "Cột điện" not in page
    assert client.get("/quan-tri/don/?due=overdue").status_code == 200
    home = client.get("/quan-tri/").get_data(as_text=True)
    assert "Chưa giao xử lý" in home


def test_overdue_cases_are_found(client) -> None:
    from datetime import UTC, datetime

    make_case(kind="reflection", subject="Đơn cũ", now=datetime(2026, 1, 5, 3, tzinfo=UTC))
    sign_in(client, make_user(roles=("clerk",)))
    page = client.get("/quan-tri/don/?due=overdue").get_data(as_text=True)
    assert "Đơn cũ" in page


def test_notices_open_as_docx_and_print_view(client, custodian) -> None:
    import io

    from docx import Document

    case = make_case(kind="denunciation", name="Lê Thị Bí Mật")
    case_id, number = case.id, case.number
    sign_in(client, make_user(roles=("clerk",)))
    _act(client, case_id, "chuyen-don", "forward", {"body": "Thanh tra tỉnh Tây Ninh"})
    page = client.get(f"/quan-tri/don/{case_id}").get_data(as_text=True)
    assert f"/quan-tri/don/{case_id}/van-ban/forwarding_slip.docx" in page
    response = client.get(f"/quan-tri/don/{case_id}/van-ban/forwarding_slip.docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    tables = " ".join(
        c.text
        for t in Document(io.BytesIO(response.data)).tables
        for row in t.rows
        for c in row.cells
    )
    assert "PHIẾU CHUYỂN ĐƠN" in text and "Thanh tra tỉnh Tây Ninh" in text
    assert number in text + tables
    assert "Bí Mật" not in text + tables
    view = client.get(f"/quan-tri/don/{case_id}/van-ban/forwarding_slip").get_data(as_text=True)
    assert "PHIẾU CHUYỂN ĐƠN" in view
    assert client.get(f"/quan-tri/don/{case_id}/van-ban/acceptance.docx").status_code == 404


def test_answer_documents_reach_the_citizen_after_approval(client) -> None:
    import io

    from PIL import Image

    from portal.models import Attachment

    case = make_case(kind="complaint")
    case_id, code = case.id, case.test_access_code
    handler = make_user(roles=("handler",))
    case.assignee_id = handler.id
    case.status = "in_progress"
    db.session.commit()
    sign_in(client, handler)
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "PNG")
    token = client.csrf_token(f"/quan-tri/don/{case_id}")
    response = client.post(
        f"/quan-tri/don/{case_id}/thao-tac/du-thao",
        data={
            "draft_answer-csrf_token": token,
            "draft_answer-answer": "Trả lời kèm biên bản.",
            "draft_answer-answer_files": (io.BytesIO(buffer.getvalue()), "bien-ban.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    evidence = db.session.scalar(select(Attachment).where(Attachment.case_id == case_id))
    assert evidence.uploaded_by == "official" and not evidence.visible_to_citizen
    _logout(client)
    status = client.post_form("/tra-cuu/", {"access_code": code}).get_data(as_text=True)
    assert "/tra-cuu/tep" not in status
    sign_in(client, make_user(roles=("leader",)))
    _act(client, case_id, "duyet", "approve_answer", {})
    assert "complaint.publish_decision" in _deadlines(case_id)
    _logout(client)
    status = client.post_form("/tra-cuu/", {"access_code": code}).get_data(as_text=True)
    assert "/tra-cuu/tep" in status
    token = client.csrf_token("/tra-cuu/")
    download = client.post(
        "/tra-cuu/tep", data={"csrf_token": token, "access_code": code, "file": str(evidence.id)}
    )
    assert download.status_code == 200 and download.data.startswith(b"\x89PNG")
    wrong = client.post(
        "/tra-cuu/tep", data={"csrf_token": token, "access_code": "x", "file": str(evidence.id)}
    )
    assert wrong.status_code == 404


def test_same_matter_is_suggested_and_linked(client) -> None:
    first = make_case(kind="reflection", subject="Cột điện đổ ở ấp Bàu Sen")
    second = make_case(kind="reflection", subject="Cột điện đổ ở ấp Bàu Sen")
    first_id, first_number, second_id = first.id, first.number, second.id
    sign_in(client, make_user(roles=("clerk",)))
    page = client.get(f"/quan-tri/don/{second_id}").get_data(as_text=True)
    assert first_number in page
    bad = _act(client, second_id, "lien-ket", "link_earlier", {"earlier": "2099/0001"})
    assert "Không có hồ sơ nào mang số này" in bad.get_data(as_text=True)
    assert (
        _act(client, second_id, "lien-ket", "link_earlier", {"earlier": first_number}).status_code
        == 303
    )
    db.session.expire_all()
    assert db.session.get(Case, second_id).duplicate_of_id == first_id


def test_queue_pages_with_a_keyset_cursor(client, app) -> None:
    import re

    from portal.admin import queue_views

    for number in range(5):
        make_case(kind="reflection", subject=f"Phản ánh số {number}")
    sign_in(client, make_user(roles=("clerk",)))
    saved = queue_views.PAGE_SIZE
    queue_views.PAGE_SIZE = 2
    try:
        seen: list[str] = []
        url = "/quan-tri/don/"
        while url:
            page = client.get(url).get_data(as_text=True)
            seen += re.findall(r"Phản ánh số \d", page)
            match = re.search(r'href="(/quan-tri/don/\?sau=[^"]+)"', page)
            url = match.group(1).replace("&amp;", "&") if match else ""
    finally:
        queue_views.PAGE_SIZE = saved
    assert sorted(seen) == [f"Phản ánh số {n}" for n in range(5)]


def test_the_other_actions_move_status_and_clocks(client) -> None:
    leader = make_user(roles=("leader", "clerk"))
    sign_in(client, leader)
    guided = make_case(kind="petition").id
    assert (
        _act(client, guided, "huong-dan", "guide", {"note": "Gửi UBND xã Hòa Thành"}).status_code
        == 303
    )
    filed = make_case(kind="reflection").id
    assert _act(client, filed, "luu-don", "file", {"ground": "duplicate"}).status_code == 303
    noted = make_case(kind="petition").id
    assert _act(client, noted, "ghi-chu", "note", {"note": "Đã gọi điện"}).status_code == 303
    withdrawn = make_case(kind="complaint").id
    assert (
        _act(client, withdrawn, "rut-don", "withdraw", {"note": "Công dân rút đơn"}).status_code
        == 303
    )
    assert _act(client, withdrawn, "mo-lai", "reopen", {"note": "Rút đơn nhầm"}).status_code == 303
    closing = make_case(kind="complaint", signed_letter=True)
    closing_id = closing.id
    _act(client, closing_id, "thu-ly", "accept", {})
    _act(client, closing_id, "giao-xu-ly", "assign", {"assignee": str(leader.id)})
    _act(client, closing_id, "du-thao", "draft_answer", {"answer": "Trả lời"})
    _act(client, closing_id, "duyet", "approve_answer", {})
    assert (
        _act(
            client,
            closing_id,
            "cong-khai-quyet-dinh",
            "record_publication",
            {"note": "Niêm yết tại trụ sở"},
        ).status_code
        == 303
    )
    assert _act(client, closing_id, "ket-thuc", "close", {}).status_code == 303
    db.session.expire_all()
    statuses = {
        cid: db.session.get(Case, cid).status
        for cid in (guided, filed, noted, withdrawn, closing_id)
    }
    assert statuses == {
        guided: "guided",
        filed: "filed",
        noted: "received",
        withdrawn: "in_progress",
        closing_id: "closed",
    }
    assert _deadlines(guided)["letter.process"].stopped_reason == "guided"
    assert _deadlines(closing_id)["complaint.publish_decision"].met_on == today_local()
    notes = [
        e.note
        for e in db.session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == noted, CaseEvent.action == "note")
        )
    ]
    assert notes == ["Đã gọi điện"]


def test_denunciation_examined_as_information(client, custodian) -> None:
    case_id = make_case(kind="denunciation").id
    sign_in(client, make_user(roles=("leader",)))
    assert (
        _act(
            client,
            case_id,
            "xu-ly-thong-tin",
            "treat_as_information",
            {"note": "Nặc danh nhưng có chứng cứ"},
        ).status_code
        == 303
    )
    db.session.expire_all()
    assert db.session.get(Case, case_id).status == "in_progress"
    assert _deadlines(case_id)["letter.process"].met_on == today_local()


def test_answer_templates_per_outcome_and_partial_withdrawal(client) -> None:
    case = make_case(kind="complaint")
    case_id = case.id
    handler = make_user(roles=("handler", "clerk"))
    case.assignee_id = handler.id
    case.status = "in_progress"
    db.session.commit()
    sign_in(client, handler)
    page = client.get(f"/quan-tri/don/{case_id}?mau=partly_right").get_data(as_text=True)
    assert "đúng một phần" in page
    assert (
        _act(
            client,
            case_id,
            "rut-mot-phan",
            "withdraw_partly",
            {"note": "Rút yêu cầu bồi thường, giữ yêu cầu hủy quyết định"},
        ).status_code
        == 303
    )
    db.session.expire_all()
    assert db.session.get(Case, case_id).status == "in_progress"
    event = db.session.scalar(select(CaseEvent).where(CaseEvent.action == "withdraw_partly"))
    assert event.visible_to_citizen and "bồi thường" in event.note


def test_queue_counts_stop_past_the_cap(client, monkeypatch) -> None:
    from portal.services import queue

    for number in range(5):
        make_case(kind="reflection", subject=f"Cột điện số {number}")
    sign_in(client, make_user(roles=("clerk",)))
    page = client.get("/quan-tri/don/?q=cot+dien").get_data(as_text=True)
    assert "5 đơn;" in page
    monkeypatch.setattr(queue, "COUNT_CAP", 3)
    page = client.get("/quan-tri/don/?q=cot+dien").get_data(as_text=True)
    assert "Hơn 3 đơn." in page
    assert page.count("Cột điện số") == 5  # the list itself is not capped
    # the working queue's counts come from the tallies: exact past the cap
    page = client.get("/quan-tri/don/").get_data(as_text=True)
    assert "5 đơn;" in page and "Hơn 3 đơn." not in page


def test_common_and_rare_words_find_the_same_cases(client, monkeypatch) -> None:
    """On SQLite a word with many matches is planned the other way round (search_index)."""
    from portal.models import search_index

    for number in range(4):
        make_case(kind="reflection", subject=f"Cột điện số {number}")
    make_case(kind="petition", subject="Thủ tục thẻ nhà báo")
    sign_in(client, make_user(roles=("clerk",)))

    def found(url: str) -> list[str]:
        page = client.get(url).get_data(as_text=True)
        return sorted(set(re.findall(r"Cột điện số \d|thẻ nhà báo", page)))

    urls = [
        "/quan-tri/don/?q=cot+dien",
        "/quan-tri/don/?q=cot&status=received",
        "/quan-tri/don/?q=the+nha",
    ]
    rare = [found(url) for url in urls]
    monkeypatch.setattr(search_index, "COMMON", 1)
    assert [found(url) for url in urls] == rare
    assert rare[0] == [f"Cột điện số {n}" for n in range(4)] and rare[2] == ["thẻ nhà báo"]
