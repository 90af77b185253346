"""Citizens never lose their words, their code or their case: limits count accepted
submissions only and a limit reached keeps what was typed; the language switch keeps it too;
the receipt survives Back and reload for a while in the same browser; error pages always
carry the security headers; the readiness check tells monitoring what is wrong."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from flask import Flask
from jinja2 import ChoiceLoader, DictLoader

from portal.models import Case
from tests.integration.submission_helpers import (
    BY_KIND,
    CODE_RE,
    fill,
    form_page,
)

CONTENT = BY_KIND["phan-anh"]["content"]


# --- limits that stop abuse, not mistakes ---------------------------------------------------


def test_five_mistakes_then_a_correct_form_is_accepted(client, db_session, config_override) -> None:
    config_override(SUBMISSION_RATE_LIMIT="5/minute;30/day", CONTACT_RATE_LIMIT="5/day")
    page = form_page(client, "phan-anh")
    for _ in range(5):
        wrong = fill(client, "phan-anh", page=page, phone="12", consent=None)
        assert wrong.status_code == 200
        assert "field-error" in wrong.get_data(as_text=True)
    assert fill(client, "phan-anh", page=page).status_code == 303
    assert db_session.query(Case).count() == 1


def test_three_matters_a_day_from_one_person_are_accepted(client, db_session) -> None:
    # the default limits, the same address and the same phone number
    for slug in ("phan-anh", "kien-nghi", "phan-anh"):
        assert fill(client, slug).status_code == 303
    assert db_session.query(Case).count() == 3


def test_a_limit_reached_keeps_the_form_and_says_how_long(
    client, db_session, config_override
) -> None:
    config_override(CONTACT_RATE_LIMIT="1/day")
    assert fill(client, "phan-anh").status_code == 303
    refused = fill(client, "phan-anh", subject="Đèn đường hỏng ở ấp Bình Trung")
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 23 * 3600 < wait <= 24 * 3600
    page = refused.get_data(as_text=True)
    assert "Bạn đã gửi nhiều đơn trong thời gian ngắn; vui lòng thử lại sau khoảng 24 giờ" in page
    assert "Đèn đường hỏng ở ấp Bình Trung" in page and CONTENT in page
    assert db_session.query(Case).count() == 1
    # another person (another phone number) is not held back
    assert fill(client, "phan-anh", phone="0987 654 321").status_code == 303


def test_a_form_sent_again_at_the_limit_shows_its_receipt(
    client, db_session, config_override
) -> None:
    """A double click, or a resend after a lost answer, when the first send took the last
    free place: the citizen is shown the first case's receipt, not "too many"."""
    config_override(CONTACT_RATE_LIMIT="1/day")
    page = form_page(client, "phan-anh")
    assert fill(client, "phan-anh", page=page).status_code == 303
    first = CODE_RE.search(client.get("/gui-don/da-gui").get_data(as_text=True))
    again = fill(client, "phan-anh", page=page)
    assert again.status_code == 303
    shown = CODE_RE.search(client.get("/gui-don/da-gui").get_data(as_text=True))
    assert first and shown and shown.group(0) == first.group(0)
    assert db_session.query(Case).count() == 1


def test_the_wait_is_said_in_minutes_when_it_is_short(client, config_override) -> None:
    config_override(SUBMISSION_RATE_LIMIT="1 per 10 minutes")
    assert fill(client, "phan-anh").status_code == 303
    refused = fill(client, "kien-nghi", phone="0987 654 321")
    assert refused.status_code == 429
    assert 540 < int(refused.headers["Retry-After"]) <= 600
    assert re.search(r"sau khoảng (10|9) phút", refused.get_data(as_text=True))


def test_a_flood_of_attempts_is_stopped_with_the_form_kept(client, config_override) -> None:
    config_override(SUBMISSION_ATTEMPT_RATE_LIMIT="3/minute")
    page = form_page(client, "phan-anh")
    statuses = [fill(client, "phan-anh", page=page, consent=None).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_an_anonymous_denunciation_is_not_limited_by_the_others(
    client, db_session, config_override
) -> None:
    """Without a contact there is no per-contact counter (they would all share one)."""
    config_override(DENOUNCER_IDENTITY_ONLINE="none", CONTACT_RATE_LIMIT="1/day")
    for _ in range(2):
        assert fill(client, "to-cao", phone="", email="").status_code == 303
    assert db_session.query(Case).count() == 2


# --- the language switch keeps what was typed -----------------------------------------------


def test_switching_language_keeps_the_form_without_errors_or_a_case(
    client, db_session, config_override
) -> None:
    config_override(SUBMISSION_ATTEMPT_RATE_LIMIT="1/minute")
    page = form_page(client, "phan-anh")
    assert 'name="switch_language" value="en"' in page and 'form="submission-form"' in page
    switched = fill(client, "phan-anh", page=page, switch_language="en", consent=None)
    assert switched.status_code == 200
    english = switched.get_data(as_text=True)
    assert '<html lang="en"' in english and "Send a submission" in english
    assert CONTENT in english and "Nguyễn Văn Bình" in english
    assert "field-error" not in english and "error-summary" not in english
    assert "lang=en" in switched.headers["Set-Cookie"]
    back = fill(client, "phan-anh", page=english, switch_language="vi")
    assert '<html lang="vi"' in back.get_data(as_text=True)
    assert db_session.query(Case).count() == 0
    # the switches did not count as attempts: the one attempt allowed goes through
    assert fill(client, "phan-anh", page=english).status_code == 303


# --- the receipt survives Back and reload ---------------------------------------------------


def _receipt(client) -> str:  # type: ignore[no-untyped-def]
    return client.get("/gui-don/da-gui").get_data(as_text=True)


def test_the_receipt_shows_the_code_again_in_the_same_browser_only(app_ctx: Flask) -> None:
    citizen, stranger = app_ctx.test_client(), app_ctx.test_client()
    response = fill(citizen, "phan-anh")
    assert response.status_code == 303 and "?" not in response.headers["Location"]
    first = citizen.get("/gui-don/da-gui")
    code = CODE_RE.search(first.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    assert "no-store" in first.headers["Cache-Control"]
    assert code not in first.headers.get("Location", "")
    assert CODE_RE.search(_receipt(citizen)).group(1) == code  # type: ignore[union-attr]  # reload
    assert code not in _receipt(stranger)


def test_after_half_an_hour_the_receipt_says_how_to_get_a_new_code(app_ctx: Flask) -> None:
    with_email, without = app_ctx.test_client(), app_ctx.test_client()
    assert fill(with_email, "phan-anh", email="dan@example.vn").status_code == 303
    assert fill(without, "kien-nghi", phone="0987 654 321").status_code == 303
    for client in (with_email, without):
        code = CODE_RE.search(_receipt(client)).group(1)  # type: ignore[union-attr]
        with client.session_transaction() as session:  # half an hour has passed
            session["receipt"] = {**session["receipt"], "until": int(time.time()) - 1}
        page = _receipt(client)
        assert code not in page and not CODE_RE.search(page)
        assert "mã tra cứu không còn được hiển thị" in page
        with client.session_transaction() as session:  # the code is gone from the session
            assert "code" not in session["receipt"]
    assert "/tra-cuu/cap-lai-ma" in _receipt(with_email)
    assert "Bộ phận tiếp công dân" in _receipt(without)


# --- error pages ----------------------------------------------------------------------------


def test_an_error_page_that_fails_still_carries_the_security_headers(app: Flask, tmp_path) -> None:
    from portal import create_app

    broken = create_app(
        {
            "PORTAL_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "INSTANCE_PATH": str(tmp_path),
        }
    )
    # the error page itself fails as it renders (as when it met a locked database)
    broken.jinja_loader = ChoiceLoader(
        [DictLoader({"errors/error.html": "{{ the_page.that.fails }}"}), broken.jinja_loader]
    )

    @broken.get("/fails")
    def fails() -> str:
        raise RuntimeError("the view failed")

    for path, code in (("/fails", 500), ("/no-such-page", 404)):
        response = broken.test_client().get(path)
        assert response.status_code == code
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Traceback" not in response.get_data(as_text=True)
        assert "<h1>" in response.get_data(as_text=True)


# --- readiness ------------------------------------------------------------------------------


def test_readiness_checks_the_database_and_the_outbox(client, db_session, config_override) -> None:
    from portal.services import notifications
    from portal.web.security import now_utc

    ready = client.get("/healthz/ready")
    assert (ready.status_code, ready.get_data(as_text=True)) == (200, "ready")
    assert "no-store" in ready.headers["Cache-Control"]
    config_override(HEALTH_OUTBOX_MAX_AGE_MINUTES=10)
    notifications.queue(
        db_session,
        recipient="dan@example.vn",
        subject="s",
        body="b",
        now=now_utc() - timedelta(minutes=5),
    )
    db_session.commit()
    assert client.get("/healthz/ready").status_code == 200  # five minutes: still fine
    notifications.queue(
        db_session,
        recipient="dan@example.vn",
        subject="s",
        body="b",
        now=now_utc() - timedelta(minutes=15),
    )
    db_session.commit()
    stuck = client.get("/healthz/ready")
    assert stuck.status_code == 503
    assert stuck.get_data(as_text=True) == "outbox: oldest e-mail waiting 15 min\n"
    assert client.get("/healthz").get_data(as_text=True) == "ok"
