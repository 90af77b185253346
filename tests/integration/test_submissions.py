"""Gửi đơn and Tra cứu, through the HTTP interface, on the real database."""

from __future__ import annotations

import io
import unicodedata

from PIL import Image
from sqlalchemy import select

from portal.extensions import db
from portal.models import Attachment, Case, Deadline, OutboxMessage
from tests.integration.submission_helpers import (
    BY_KIND,
    fill,
    form_page,
    hidden_values,
    submit_and_read_code,
)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return buffer.getvalue()


def _lookup(client, code: str) -> str:
    return client.post_form("/tra-cuu/", {"access_code": code}).get_data(as_text=True)


def test_choose_page_explains_the_four_kinds(client) -> None:
    page = client.get("/gui-don/").get_data(as_text=True)
    for slug in BY_KIND:
        assert f"/gui-don/{slug}" in page
    assert "90 ngày" in page


def test_home_links_to_submit_and_lookup(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "/gui-don/" in page and "/tra-cuu/" in page


def test_reflection_from_form_to_lookup(client) -> None:
    code = submit_and_read_code(client, "phan-anh")
    case = db.session.scalar(select(Case))
    assert case.kind == "reflection" and case.channel == "web" and case.status == "received"
    assert case.submitter_phone == "+84912345678"
    assert case.access_code_hash and code.replace("-", "") not in case.access_code_hash
    deadline = db.session.scalar(select(Deadline).where(Deadline.case_id == case.id))
    assert deadline.rule_id == "letter.process"
    # any case, no dashes: still found
    page = _lookup(client, code.replace("-", " ").lower())
    assert case.number in page
    assert "Đã tiếp nhận" in page or "Received" in page
    assert "Phân loại, xử lý đơn" in page


def test_text_is_stored_as_nfc(client) -> None:
    nfd = unicodedata.normalize("NFD", "Cột điện đổ ở Hòa Thành")
    submit_and_read_code(client, "phan-anh", subject=nfd)
    assert db.session.scalar(select(Case.subject)) == unicodedata.normalize("NFC", nfd)


def test_errors_are_named_and_input_kept(client) -> None:
    response = fill(
        client,
        "khieu-nai",
        phone="12345",
        decision_known_on="31/02/2026",
        consent=None,
        respondent="",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Lỗi:" in page
    assert "Hãy nhập số điện thoại Việt Nam" in page
    assert 'value="12345"' in page
    assert "Nguyễn Văn Bình" in page
    assert 'href="#consent"' in page and 'href="#respondent"' in page
    assert db.session.query(Case).count() == 0


def test_uploaded_file_is_kept_when_the_form_has_errors(client) -> None:
    page = form_page(client, "phan-anh")
    first = fill(
        client,
        "phan-anh",
        page=page,
        content="",
        attachments=(io.BytesIO(_png()), "ảnh cột điện.png"),
    )
    assert "ảnh cột điện.png" in first.get_data(as_text=True)
    draft = db.session.scalar(select(Attachment))
    assert draft.case_id is None and draft.original_name == "ảnh cột điện.png"
    second = fill(client, "phan-anh", page=page)
    assert second.status_code == 303
    attachment = db.session.scalar(select(Attachment))
    assert attachment.case_id is not None and attachment.draft_token_hash is None


def test_bad_files_are_refused_and_named(client) -> None:
    response = fill(
        client,
        "phan-anh",
        attachments=[
            (io.BytesIO(b"MZ" + b"\0" * 200), "ban-chup.pdf"),
            (io.BytesIO(b"<html><script>alert(1)</script></html>"), "a.jpg"),
        ],
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ban-chup.pdf" in page and "không phải" in page
    assert db.session.query(Attachment).count() == 0
    assert db.session.query(Case).count() == 0


def test_honeypot_stops_bots(client) -> None:
    response = fill(client, "phan-anh", website="http://spam.example")
    assert response.status_code == 200
    assert db.session.query(Case).count() == 0


def test_minimum_fill_time(client, config_override) -> None:
    config_override(SUBMISSION_MIN_SECONDS=60)
    response = fill(client, "phan-anh")
    assert response.status_code == 200
    assert "nhanh" in response.get_data(as_text=True)
    assert db.session.query(Case).count() == 0


def test_double_submission_creates_one_case_and_shows_the_same_code(client) -> None:
    page = form_page(client, "kien-nghi")
    first = fill(client, "kien-nghi", page=page)
    second = fill(client, "kien-nghi", page=page)
    assert first.status_code == second.status_code == 303
    assert db.session.query(Case).count() == 1
    code = client.get("/gui-don/da-gui").get_data(as_text=True)
    assert db.session.scalar(select(Case)).number in code


def test_a_form_with_a_photo_sent_twice_keeps_one_photo(client) -> None:
    """The second send of a form with files is looked up before its files are stored: one
    case, one photo, the same receipt."""
    page = form_page(client, "phan-anh")
    photo = _png()
    sends = [
        fill(client, "phan-anh", page=page, attachments=(io.BytesIO(photo), "cot-dien.png"))
        for _ in range(2)
    ]
    assert [send.status_code for send in sends] == [303, 303]
    assert db.session.query(Case).count() == 1
    assert db.session.query(Attachment).count() == 1
    assert db.session.scalar(select(Attachment)).case_id == db.session.scalar(select(Case)).id


def test_idempotency_key_from_another_browser_reveals_nothing(app, client) -> None:
    page = form_page(client, "kien-nghi")
    fill(client, "kien-nghi", page=page)
    stranger = app.test_client()
    data = {
        **hidden_values(page),
        "subject": "x",
        "content": "y",
        "consent": "y",
        "name": "z",
        "address": "a",
        "commune": "b",
        "province": "Tỉnh Tây Ninh",
        "phone": "0912345678",
        "people_count": "1",
        "field": "other",
    }
    data["csrf_token"] = stranger.csrf_token("/gui-don/kien-nghi")
    response = stranger.post("/gui-don/kien-nghi", data=data)
    assert response.status_code == 400
    assert db.session.query(Case).count() == 1


def test_submissions_are_rate_limited_per_address(client, config_override) -> None:
    config_override(SUBMISSION_RATE_LIMIT="2/minute")
    statuses = [fill(client, "phan-anh").status_code for _ in range(3)]
    assert statuses == [303, 303, 429]


def test_submissions_are_rate_limited_per_contact(client, config_override) -> None:
    config_override(CONTACT_RATE_LIMIT="1/day")
    assert fill(client, "phan-anh").status_code == 303
    assert fill(client, "phan-anh").status_code == 429
    assert fill(client, "phan-anh", phone="0987 654 321").status_code == 303


def test_wrong_and_unknown_codes_get_the_same_answer(client) -> None:
    submit_and_read_code(client, "phan-anh")
    malformed = _lookup(client, "hello")
    unknown = _lookup(client, "2222-2222-2222-2222-2")
    message = "Không có đơn nào khớp với mã này"
    assert message in malformed and message in unknown


def test_lookup_is_rate_limited(client, config_override) -> None:
    config_override(LOOKUP_RATE_LIMIT="3/minute")
    token = client.csrf_token("/tra-cuu/")
    responses = [
        client.post("/tra-cuu/", data={"csrf_token": token, "access_code": "7QK2-M9XA"})
        for _ in range(4)
    ]
    assert [response.status_code for response in responses] == [200, 200, 200, 429]
    # the form again, the code kept, the wait said in words and in Retry-After
    page = responses[-1].get_data(as_text=True)
    assert "Bạn đã tra cứu nhiều lần trong thời gian ngắn" in page
    assert "1 phút" in page
    assert 'value="7QK2-M9XA"' in page
    assert 0 < int(responses[-1].headers["Retry-After"]) <= 60
    assert "no-store" in responses[-1].headers["Cache-Control"]  # the code typed is in it


def test_a_lookup_at_two_limits_is_told_the_longer_wait(client, config_override) -> None:
    """Flask-Limiter stops at the first limit reached, the shortest window: the page says
    the wait of the longest one that has no place left."""
    config_override(LOOKUP_RATE_LIMIT="2/minute;2/day")
    token = client.csrf_token("/tra-cuu/")
    for _ in range(2):
        client.post("/tra-cuu/", data={"csrf_token": token, "access_code": "x"})
    response = client.post("/tra-cuu/", data={"csrf_token": token, "access_code": "x"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 3600
    assert "giờ" in response.get_data(as_text=True)


def test_a_limit_page_that_cannot_be_drawn_is_the_plain_429_page(
    client, config_override, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from portal.web import limits

    def broken(seconds: int) -> str:
        raise RuntimeError("cannot say the wait")

    monkeypatch.setattr(limits, "describe_wait", broken)
    config_override(LOOKUP_RATE_LIMIT="1/minute")
    token = client.csrf_token("/tra-cuu/")
    client.post("/tra-cuu/", data={"csrf_token": token, "access_code": "x"})
    response = client.post("/tra-cuu/", data={"csrf_token": token, "access_code": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Bạn đã tra cứu nhiều lần" not in page and "<title>" in page


def _deliver(client) -> str:  # type: ignore[no-untyped-def]
    return client.application.test_cli_runner().invoke(args=["deliver-outbox"]).output


def test_receipt_email_goes_through_smtp_without_case_content(client, smtp_server) -> None:
    code = submit_and_read_code(client, "kien-nghi", email="dan@example.vn")
    assert smtp_server.messages == []  # never sent by the request
    assert "Sent 1" in _deliver(client)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    body = message.get_payload(decode=True).decode()
    assert message["To"] == "dan@example.vn"
    assert code in body
    assert BY_KIND["kien-nghi"]["content"] not in body
    assert db.session.scalar(select(OutboxMessage.status)) == "sent"


def test_outbox_keeps_mail_when_smtp_is_down(client) -> None:
    submit_and_read_code(client, "kien-nghi", email="dan@example.vn")
    assert "failed 1" in _deliver(client)
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == "pending" and message.attempts == 1
    assert message.next_attempt_at is not None and message.claim_token is None


def test_lost_code_is_reissued_to_the_email_on_file(client, smtp_server) -> None:
    """The old code keeps working until the new one is first used: asking for a new code
    (which anyone knowing the case number and the e-mail can do) locks nobody out."""
    old = submit_and_read_code(client, "kien-nghi", email="dan@example.vn")
    number = db.session.scalar(select(Case)).number
    _deliver(client)
    smtp_server.messages.clear()
    response = client.post_form(
        "/tra-cuu/cap-lai-ma", {"case_number": number, "email": "DAN@example.vn"}
    )
    assert response.status_code == 303
    assert "Sent 1" in _deliver(client)
    (message,) = smtp_server.messages
    assert message["To"] == "dan@example.vn"
    body = message.get_payload(decode=True).decode()
    assert "mã cũ vẫn dùng được" in body.lower()
    new = next(word for word in body.split() if word.count("-") == 4)
    assert number in _lookup(client, old)  # still works
    assert number in _lookup(client, old)
    assert number in _lookup(client, new)  # first use of the new code
    assert "Không có đơn nào khớp" in _lookup(client, old)
    assert number in _lookup(client, new)


def test_reissue_answers_the_same_when_nothing_matches(client, smtp_server) -> None:
    submit_and_read_code(client, "kien-nghi", email="dan@example.vn")
    number = db.session.scalar(select(Case)).number
    smtp_server.messages.clear()
    wrong = client.post_form("/tra-cuu/cap-lai-ma", {"case_number": number, "email": "x@y.vn"})
    unknown = client.post_form(
        "/tra-cuu/cap-lai-ma", {"case_number": "2099/9999", "email": "dan@example.vn"}
    )
    assert wrong.status_code == unknown.status_code == 303
    _deliver(client)
    assert len(smtp_server.messages) == 1  # the receipt only


def test_rating_after_the_answer(client) -> None:
    code = submit_and_read_code(client, "phan-anh")
    case = db.session.scalar(select(Case))
    assert "Đánh giá" not in _lookup(client, code)
    case.status = "resolved"
    case.public_answer = "Doanh nghiệp đã dựng lại cột.\n<script>x</script>"
    db.session.commit()
    page = _lookup(client, code)
    assert "Doanh nghiệp đã dựng lại cột.<br>" in page
    assert "<script>x</script>" not in page
    rated = client.post_form(
        "/tra-cuu/danh-gia",
        {"access_code": code, "rating": "4", "comment": "Nhanh"},
        token_from="/tra-cuu/",
    ).get_data(as_text=True)
    assert "4" in rated
    db.session.expire_all()
    assert db.session.get(Case, case.id).satisfaction_rating == 4


def test_second_complaint_window_is_offered(client) -> None:
    from datetime import UTC, datetime

    from portal.models import CaseEvent

    code = submit_and_read_code(client, "khieu-nai")
    case = db.session.scalar(select(Case))
    case.status = "resolved"
    case.events.append(
        CaseEvent(at=datetime(2026, 11, 2, 3, tzinfo=UTC), action="answered", to_status="resolved")
    )
    db.session.commit()
    page = _lookup(client, code)
    assert "khiếu nại lần hai" in page
    assert "02/12/2026" in page  # 30 days after 02/11/2026


def test_complaint_letter_is_prefilled(client) -> None:
    code = submit_and_read_code(client, "khieu-nai")
    letter = client.post_form("/gui-don/in-don", {"access_code": code}, token_from="/tra-cuu/")
    page = letter.get_data(as_text=True)
    assert "ĐƠN KHIẾU NẠI" in page and "Nguyễn Văn Bình" in page
    assert "Quyết định xử phạt số 15/QĐ-XPHC" in page


def test_simultaneous_submissions_get_consecutive_numbers(app, app_ctx) -> None:
    """Eight submissions at once: every one is registered, numbered 1 to 8 without a gap
    or a repeat (on PostgreSQL the numbering takes turns under an advisory lock)."""
    import threading

    from tests.factories import make_case

    barrier = threading.Barrier(8)
    errors: list[Exception] = []

    def submit(number: int) -> None:
        with app.test_request_context("/gui-don/phan-anh", method="POST"):
            try:
                barrier.wait()
                make_case(kind="reflection", subject=f"Cột điện số {number}")
            except Exception as error:  # collected and reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.rollback()
    assert sorted(db.session.scalars(select(Case.sequence))) == list(range(1, 9))
