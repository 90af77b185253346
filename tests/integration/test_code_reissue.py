"""Asking for a new access code: limited per case and per e-mail address, from any address,
and never locking the citizen out (the old code works until the new one is used)."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, OutboxMessage
from tests.integration.submission_helpers import submit_and_read_code

REISSUE = "/tra-cuu/cap-lai-ma"


def _ask(client, number: str, email: str, address: str) -> int:  # type: ignore[no-untyped-def]
    response = client.post_form(
        REISSUE, {"case_number": number, "email": email}, environ_base={"REMOTE_ADDR": address}
    )
    return response.status_code


def test_new_codes_for_one_case_are_limited_whoever_asks(client) -> None:
    submit_and_read_code(client, "kien-nghi", email="dan@example.vn")
    number = db.session.scalar(select(Case)).number
    statuses = [_ask(client, number, f"khac{n}@example.vn", f"203.0.113.{n}") for n in range(1, 5)]
    assert statuses == [303, 303, 303, 429]


def test_new_codes_to_one_address_are_limited_whoever_asks(client) -> None:
    submit_and_read_code(client, "kien-nghi", email="dan@example.vn")
    statuses = [
        _ask(client, f"2026/{900 + n}", "dan@example.vn", f"198.51.100.{n}") for n in range(1, 5)
    ]
    assert statuses == [303, 303, 303, 429]


def test_asking_again_replaces_only_the_pending_code(client) -> None:
    old = submit_and_read_code(client, "kien-nghi", email="dan@example.vn")
    number = db.session.scalar(select(Case)).number
    for address in ("203.0.113.1", "203.0.113.2"):
        assert _ask(client, number, "dan@example.vn", address) == 303
    queued = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == "new_code")
    ).all()
    assert len(queued) == 2 and {m.recipient for m in queued} == {"dan@example.vn"}
    page = client.post_form("/tra-cuu/", {"access_code": old}).get_data(as_text=True)
    assert number in page  # the old code still opens the case


def test_a_request_over_the_limit_shows_the_form_again_with_what_was_typed(client) -> None:
    submit_and_read_code(client, "kien-nghi", email="dan@example.vn")
    number = db.session.scalar(select(Case)).number
    for n in range(1, 4):
        assert _ask(client, number, f"khac{n}@example.vn", f"203.0.113.{n}") == 303
    response = client.post_form(
        REISSUE,
        {"case_number": number, "email": "lan@example.vn"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Đã có quá nhiều yêu cầu cấp lại mã cho hồ sơ hoặc địa chỉ email này" in page
    assert f'value="{number}"' in page and 'value="lan@example.vn"' in page
    assert 'name="csrf_token"' in page  # a form that can be sent again
