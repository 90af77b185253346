from __future__ import annotations

import pytest

from portal import create_app
from portal.config import ConfigError


def test_security_headers_on_public_pages(client) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_when_served_over_https(client) -> None:
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_admin_pages_are_not_cached(client) -> None:
    response = client.get("/quan-tri/dang-nhap")
    assert response.headers["Cache-Control"] == "no-store"


def test_unsupported_methods_answer_405(client) -> None:
    assert client.get("/quan-tri/dang-xuat").status_code == 405
    assert client.get("/ngon-ngu").status_code == 405
    response = client.delete("/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_production_refuses_to_start_without_secrets(monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"PORTAL_ENV": "production", "SECRET_KEY": None})
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app(
            {"PORTAL_ENV": "production", "SECRET_KEY": "s" * 40, "SQLALCHEMY_DATABASE_URI": None}
        )


def test_production_cookies(tmp_path) -> None:
    app = create_app(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": "s" * 40,
            "ACCESS_CODE_PEPPER": "p" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
            "WEB_CONCURRENCY": "1",
        }
    )
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] > 0


def test_oversized_request_gets_the_413_page(client) -> None:
    big = "x" * (client.application.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/ngon-ngu", data=big, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "quá lớn" in response.get_data(as_text=True)


def test_proxy_headers_are_ignored_unless_trusted(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    headers = {"X-Forwarded-Proto": "https"}
    untrusted = create_app({"PORTAL_ENV": "test", "SQLALCHEMY_DATABASE_URI": url})
    assert (
        "Strict-Transport-Security" not in untrusted.test_client().get("/", headers=headers).headers
    )
    trusted = create_app(
        {"PORTAL_ENV": "test", "SQLALCHEMY_DATABASE_URI": url, "TRUSTED_PROXY_COUNT": 1}
    )
    assert "Strict-Transport-Security" in trusted.test_client().get("/", headers=headers).headers


def test_development_config_can_hash_access_codes(tmp_path) -> None:
    from portal.domain import tracking

    app = create_app(
        {"PORTAL_ENV": "development", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'd.db'}"}
    )
    pepper = app.config["ACCESS_CODE_PEPPER"].encode()
    assert len(pepper) >= tracking.MIN_PEPPER_BYTES


def test_no_cross_origin_headers_whoever_asks(client) -> None:
    """No page or API answer lets another site read it with the visitor's cookies (A3)."""
    origin = {"Origin": "https://evil.example"}
    for url in ("/", "/gui-don/phan-anh", "/tra-cuu/", "/api/v1/", "/api/v1/articles"):
        for response in (client.get(url, headers=origin), client.options(url, headers=origin)):
            assert "Access-Control-Allow-Origin" not in response.headers, url
            assert "Access-Control-Allow-Credentials" not in response.headers, url


def test_fields_a_form_does_not_declare_are_ignored(client) -> None:
    """A citizen's POST cannot set what the form does not ask (D3): status, assignment, answer
    and identity columns keep the values the service gives them."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Case
    from tests.integration.submission_helpers import fill

    response = fill(
        client,
        "phan-anh",
        status="closed",
        assignee_id="1",
        division_id="1",
        public_answer="Đã giải quyết xong",
        identity_ciphertext="x",
    )
    assert response.status_code == 303
    case = db.session.scalar(select(Case))
    assert case is not None
    assert case.status == "received"
    assert case.assignee_id is None and case.division_id is None
    assert case.public_answer is None and case.identity_ciphertext is None
