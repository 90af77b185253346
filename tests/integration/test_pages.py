from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from portal import create_app
from portal.extensions import db
from portal.models import Division, User


def test_home_page_is_vietnamese(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Dân vận chính quyền" in page
    assert "Bỏ qua, đến nội dung chính" in page


def test_language_switch_remembers_english(client) -> None:
    response = client.post("/ngon-ngu", data={"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Government mass mobilisation" in page


def test_language_switch_ignores_other_hosts(client) -> None:
    response = client.post("/ngon-ngu", data={"language": "en", "next": "//evil.example"})
    assert response.headers["Location"] == "/"


def test_language_switch_refuses_unknown_languages(client) -> None:
    client.post("/ngon-ngu", data={"language": "fr", "next": "/"})
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


def test_public_pages_set_no_session_cookie(client) -> None:
    # no CSRF token on anonymous public pages: nothing per visitor, so they can be cached
    response = client.get("/tin-tuc/")
    assert "Set-Cookie" not in response.headers
    assert 'name="csrf_token"' not in response.get_data(as_text=True)


def test_not_found_page(client) -> None:
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_api_errors_are_json(client) -> None:
    response = client.get("/api/v1/khong-co")
    assert response.status_code == 404
    assert response.json["error"]["code"] == 404


def test_error_page_renders_when_the_database_is_down() -> None:
    app: Flask = create_app(
        {"PORTAL_ENV": "test", "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@127.0.0.1:1/x"}
    )

    @app.get("/needs-db")
    def needs_db() -> str:
        db.session.execute(select(1))
        return "unreachable"

    response = app.test_client().get("/needs-db")
    page = response.get_data(as_text=True)
    assert response.status_code == 503  # an outage: try again soon
    assert int(response.headers["Retry-After"]) > 0
    assert "Hệ thống đang gián đoạn" in page
    assert "Traceback" not in page and "psycopg" not in page


def test_dates_are_dd_mm_yyyy_in_ho_chi_minh(app_ctx) -> None:
    from datetime import UTC, date, datetime

    from portal.web.i18n import format_day, format_moment

    with app_ctx.test_request_context("/"):
        assert format_day(date(2026, 2, 3)) == "03/02/2026"
        # 20:30 UTC on 31/12 is 03:30 on 01/01 in Vietnam (UTC+7)
        assert format_moment(datetime(2025, 12, 31, 20, 30, tzinfo=UTC)) == "03:30 01/01/2026"


def test_demo_seed_is_idempotent(app_ctx) -> None:
    runner = app_ctx.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = (
        db.session.query(User).count(),
        db.session.query(Division).count(),
    )
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert (db.session.query(User).count(), db.session.query(Division).count()) == counts
    from portal.models import Case
    from portal.services import demo

    assert counts == (len(demo.ACCOUNTS), 4)
    assert db.session.query(Case).count() == len(demo.DEMO_CASES)
    assert "giamdoc@demo.tayninh.gov.vn" in second.output
