"""The JSON API: public endpoints, token-authenticated endpoints, JSON errors, the audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiToken, AuditLog, Case
from portal.services import api_tokens
from portal.web.security import today_local
from tests.api_helpers import (
    NEW_CASE,
    bearer,
    division_case,
    make_article,
    make_division,
    make_session,
    make_token,
)

API = "/api/v1"


def _error(response) -> dict:  # type: ignore[no-untyped-def]
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:300]
    return response.get_json()["error"]


def _calls() -> list[AuditLog]:
    """The API calls recorded, in the order they were made (SQL gives no order without one:
    PostgreSQL sometimes returned them the other way round)."""
    calls = select(AuditLog).where(AuditLog.action == "api.call").order_by(AuditLog.id)
    return list(db.session.scalars(calls))


# Public endpoints


def test_index_and_openapi_document_describe_every_api_route(app: Flask, client) -> None:
    assert client.get(f"{API}/").get_json()["version"] == "v1"
    document = client.get(f"{API}/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    documented = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
    }
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi":
            path = rule.rule.removeprefix(API).replace("<int:", "{").replace("<", "{")
            path = path.replace(">", "}")
            routes |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_articles_lists_only_published_with_paging(client) -> None:
    for number in range(3):
        make_article(slug=f"bai-{number}", published_at=datetime.now(UTC) - timedelta(days=number))
    make_article(slug="ban-nhap", status="draft")
    make_article(slug="hen-gio", published_at=datetime.now(UTC) + timedelta(days=1))

    first = client.get(f"{API}/articles?per_page=2").get_json()
    assert [a["slug"] for a in first["items"]] == ["bai-0", "bai-1"]
    assert first["total"] == 3
    assert "body_html" not in first["items"][0]
    second = client.get(first["next"]).get_json()
    assert [a["slug"] for a in second["items"]] == ["bai-2"]
    assert second["next"] is None


def test_one_article_has_its_stored_html_and_unpublished_ones_are_not_found(client) -> None:
    make_article(slug="bai-viet")
    make_article(slug="ban-nhap", status="draft")
    body = client.get(f"{API}/articles/bai-viet").get_json()
    assert body["body_html"] == "<p>Nội dung <strong>hội nghị</strong>.</p>"
    assert body["tags"] == ["dân vận", "hội nghị"]
    assert body["url"].endswith("/tin-tuc/bai-viet")
    missing = client.get(f"{API}/articles/ban-nhap")
    assert missing.status_code == 404
    assert _error(missing)["code"] == 404


def test_sessions_never_show_the_meeting_link_or_minutes(client) -> None:
    upcoming = make_session()
    past_start = datetime.now(UTC) - timedelta(days=30)
    make_session(
        title="Phiên đã qua",
        starts_at=past_start,
        ends_at=past_start + timedelta(hours=2),
        conclusions="Kết luận chưa công bố",
    )
    response = client.get(f"{API}/sessions")
    text = response.get_data(as_text=True)
    assert "meet.example.vn" not in text
    assert "Biên bản nội bộ" not in text
    assert "Kết luận chưa công bố" not in text
    body = response.get_json()
    assert [s["id"] for s in body["upcoming"]] == [upcoming.id]
    assert body["upcoming"][0]["seats_left"] == 20
    assert [s["title"] for s in body["past"]] == ["Phiên đã qua"]
    one = client.get(f"{API}/sessions/{upcoming.id}").get_json()
    assert one["title"] == upcoming.title
    assert "online_link" not in one
    assert client.get(f"{API}/sessions/99999").status_code == 404


def test_statistics_headlines_count_cases_without_identity(client) -> None:
    division_case(None, kind="petition")
    division_case(None, kind="reflection")
    today = today_local()
    response = client.get(f"{API}/statistics?year={today.year}")
    body = response.get_json()
    assert body["year"] == today.year
    assert body["total"]["received"] == 2
    assert body["total"]["received"] == sum(month["received"] for month in body["months"])
    assert "Nguyễn Văn Bình" not in response.get_data(as_text=True)
    assert client.get(f"{API}/statistics?year=1999").status_code == 400
    assert client.get(f"{API}/statistics").get_json()["year"] == today.year


def test_case_status_by_access_code(client) -> None:
    case = division_case(None, kind="reflection", content="Nội dung phản ánh")
    response = client.post(f"{API}/cases/status", json={"access_code": case.test_access_code})
    assert response.status_code == 200
    body = response.get_json()
    assert body["number"] == case.number
    assert body["status"] == "received"
    assert body["events"][0]["action"] == "submitted"
    assert body["deadlines"][0]["rule"] == "letter.process"
    assert "Nguyễn Văn Bình" not in response.get_data(as_text=True)


def test_wrong_code_and_unknown_case_get_the_same_answer(client) -> None:
    division_case(None)
    wrong = client.post(f"{API}/cases/status", json={"access_code": "hello"})
    unknown = client.post(f"{API}/cases/status", json={"access_code": "2222-2222-2222-2222-2"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.get_json() == unknown.get_json()


def test_case_status_needs_a_json_object(client) -> None:
    assert client.post(f"{API}/cases/status", data="access_code=x").status_code == 400
    response = client.post(f"{API}/cases/status", json={"access_code": " "})
    assert "access_code" in _error(response)["fields"]


def test_case_status_is_rate_limited(client, config_override) -> None:
    config_override(LOOKUP_RATE_LIMIT="3/minute")
    statuses = [
        client.post(f"{API}/cases/status", json={"access_code": "x"}).status_code for _ in range(4)
    ]
    assert statuses == [404, 404, 404, 429]
    limited = client.post(f"{API}/cases/status", json={"access_code": "x"})
    assert _error(limited)["code"] == 429


# Tokens


def test_read_token_lists_only_its_division(client) -> None:
    ours, theirs = make_division(name="Thanh tra Sở"), make_division(name="Văn phòng Sở")
    mine = [division_case(ours), division_case(ours, kind="petition")]
    division_case(theirs)
    division_case(None)
    token = make_token("read_cases", ours)
    body = client.get(f"{API}/cases", headers=bearer(token)).get_json()
    assert [c["id"] for c in body["items"]] == [c.id for c in mine]
    assert body["next_after"] is None
    item = body["items"][0]
    assert item["submitter"]["name"] == "Nguyễn Văn Bình"
    assert item["submitter"]["phone"] == "+84912345678"
    assert "submitter_id_number" not in item and "access_code_hash" not in item


def test_read_token_filters_and_pages_with_a_cursor(client) -> None:
    ours = make_division()
    cases = [division_case(ours, kind="petition") for _ in range(3)]
    division_case(ours, kind="reflection")
    token = make_token("read_cases", ours)
    first = client.get(f"{API}/cases?kind=petition&limit=2", headers=bearer(token)).get_json()
    assert [c["id"] for c in first["items"]] == [cases[0].id, cases[1].id]
    second = client.get(
        f"{API}/cases?kind=petition&limit=2&after={first['next_after']}", headers=bearer(token)
    ).get_json()
    assert [c["id"] for c in second["items"]] == [cases[2].id]
    assert second["next_after"] is None
    today = datetime.now(UTC).date()
    later = client.get(
        f"{API}/cases?received_from={today + timedelta(days=2)}", headers=bearer(token)
    ).get_json()
    assert later["items"] == []
    assert client.get(f"{API}/cases?status=nope", headers=bearer(token)).status_code == 400
    assert (
        client.get(f"{API}/cases?received_to=05/11/2026", headers=bearer(token)).status_code == 400
    )


def test_confidential_cases_never_show_the_identity_or_text(client, custodian) -> None:
    ours = make_division()
    case = division_case(ours, kind="reflection", confidential=True, email="an@example.vn")
    token = make_token("read_cases", ours)
    response = client.get(f"{API}/cases/{case.id}", headers=bearer(token))
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    body = response.get_json()
    assert body["confidential"] is True
    assert body["submitter"] == {"pseudonym": case.pseudonym}
    for secret in ("Nguyễn Văn Bình", "+84912345678", "an@example.vn", "Tôi không vi phạm"):
        assert secret not in text
    assert body["content"] is None and body["subject"] is None


def test_read_token_is_refused_another_divisions_case(client) -> None:
    """Another division's case and a case without a division answer as an unknown id does:
    a token cannot learn which ids exist (docs/security.md D2)."""
    ours, theirs = make_division(), make_division()
    other, nobodys = division_case(theirs), division_case(None)
    token = make_token("read_cases", ours)
    unknown = client.get(f"{API}/cases/99999", headers=bearer(token))
    assert unknown.status_code == 404
    for case in (other, nobodys):
        response = client.get(f"{API}/cases/{case.id}", headers=bearer(token))
        assert response.status_code == 404
        assert _error(response) == _error(unknown)


def test_missing_bad_revoked_and_wrong_scope_tokens(client) -> None:
    ours = make_division()
    reader = make_token("read_cases", ours)
    creator = make_token("create_cases")
    no_token = client.get(f"{API}/cases")
    assert no_token.status_code == 401
    assert no_token.headers["WWW-Authenticate"].startswith("Bearer")
    assert _error(no_token)["code"] == 401
    assert client.get(f"{API}/cases", headers=bearer("dvcq_wrong")).status_code == 401
    assert client.get(f"{API}/cases", headers={"Authorization": reader}).status_code == 401
    assert client.get(f"{API}/cases", headers=bearer(creator)).status_code == 403
    assert client.post(f"{API}/cases", json=NEW_CASE, headers=bearer(reader)).status_code == 403
    token = db.session.scalar(select(ApiToken).where(ApiToken.scope == "read_cases"))
    api_tokens.revoke(db.session, token, actor_id=None, now=datetime.now(UTC))
    db.session.commit()
    assert client.get(f"{API}/cases", headers=bearer(reader)).status_code == 401


def test_every_token_call_is_audited_with_its_outcome(client) -> None:
    ours, theirs = make_division(), make_division()
    other = division_case(theirs)
    token = make_token("read_cases", ours)
    client.get(f"{API}/cases", headers=bearer(token))
    client.get(f"{API}/cases/{other.id}", headers=bearer(token))
    client.get(f"{API}/cases")  # no token: nobody to record
    calls = _calls()
    assert [(c.detail["path"], c.detail["status"]) for c in calls] == [
        (f"{API}/cases", 200),
        (f"{API}/cases/{other.id}", 404),
    ]
    assert calls[1].target_type == "case" and calls[1].target_id == str(other.id)
    assert calls[0].detail["token_name"] == "Trung tâm IOC"
    stored = db.session.scalar(select(ApiToken))
    assert stored.last_used_at is not None


def test_create_token_sends_a_reflection_and_gets_number_and_code(client) -> None:
    token = make_token("create_cases")
    response = client.post(f"{API}/cases", json=NEW_CASE, headers=bearer(token))
    assert response.status_code == 201, response.get_data(as_text=True)
    receipt = response.get_json()
    case = db.session.get(Case, receipt["id"])
    assert case.channel == "api"
    assert case.number == receipt["number"]
    assert case.kind == "reflection" and case.location == NEW_CASE["location"]
    status = client.post(f"{API}/cases/status", json={"access_code": receipt["access_code"]})
    assert status.get_json()["number"] == receipt["number"]
    assert [c.target_id for c in _calls()] == [str(case.id)]


def test_the_same_idempotency_key_returns_the_first_case(client) -> None:
    token = make_token("create_cases")
    headers = {**bearer(token), "Idempotency-Key": "ioc-2026-000123"}
    first = client.post(f"{API}/cases", json=NEW_CASE, headers=headers)
    again = client.post(f"{API}/cases", json=NEW_CASE, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json()
    assert db.session.query(Case).count() == 1
    other = client.post(
        f"{API}/cases", json=NEW_CASE, headers={**bearer(token), "Idempotency-Key": "ioc-2"}
    )
    assert other.status_code == 201
    assert other.get_json()["number"] != first.get_json()["number"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "denunciation"}, "kind"),
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"phone": "0912345678"}, "phone"),
        ({"phone": None}, None),
        ({"consent": False}, "consent"),
        ({"province": "Tỉnh Không Có"}, "province"),
        ({"people_count": 0}, "people_count"),
    ],
)
def test_invalid_new_cases_are_refused_with_the_field(client, changes, field) -> None:
    token = make_token("create_cases")
    body = {**NEW_CASE, **changes}
    response = client.post(f"{API}/cases", json=body, headers=bearer(token))
    assert response.status_code == 400
    if field:
        assert field in _error(response)["fields"]
    assert db.session.query(Case).count() == 0


def test_a_new_case_needs_a_phone_or_an_email(client) -> None:
    token = make_token("create_cases")
    body = {k: v for k, v in NEW_CASE.items() if k != "phone"}
    assert client.post(f"{API}/cases", json=body, headers=bearer(token)).status_code == 400
    body["email"] = "dan@example.vn"
    assert client.post(f"{API}/cases", json=body, headers=bearer(token)).status_code == 201


def test_unknown_keys_and_bad_idempotency_keys_are_refused(client) -> None:
    token = make_token("create_cases")
    extra = client.post(f"{API}/cases", json={**NEW_CASE, "x": 1}, headers=bearer(token))
    assert extra.status_code == 400
    spaced = client.post(
        f"{API}/cases", json=NEW_CASE, headers={**bearer(token), "Idempotency-Key": "a b"}
    )
    assert spaced.status_code == 400


def test_confidential_case_waits_for_the_custodian_key(client, config_override) -> None:
    config_override(CUSTODIAN_PUBLIC_KEY=None)
    token = make_token("create_cases")
    response = client.post(
        f"{API}/cases", json={**NEW_CASE, "confidential": True}, headers=bearer(token)
    )
    assert response.status_code == 503
    assert _error(response)["code"] == 503
    assert db.session.query(Case).count() == 0


def test_calls_need_no_csrf_token_and_set_no_cookie(client) -> None:
    token = make_token("create_cases")
    response = client.post(f"{API}/cases", json=NEW_CASE, headers=bearer(token))
    assert response.status_code == 201
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


# JSON errors


def test_errors_under_the_api_are_json(client, monkeypatch, config_override) -> None:
    assert _error(client.get(f"{API}/nothing-here"))["code"] == 404
    not_allowed = client.delete(f"{API}/articles")
    assert _error(not_allowed)["code"] == 405
    assert "GET" in not_allowed.headers["Allow"]
    config_override(MAX_CONTENT_LENGTH=100)
    too_large = client.post(f"{API}/cases/status", json={"access_code": "x" * 200})
    assert _error(too_large)["code"] == 413
    assert (
        _error(client.post(f"{API}/cases/status", data="{", content_type="application/json"))[
            "code"
        ]
        == 400
    )


def test_server_errors_are_json_without_details(client, monkeypatch) -> None:
    from portal.services import dialogues

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    monkeypatch.setattr(dialogues, "upcoming", broken)
    response = client.get(f"{API}/sessions")
    assert response.status_code == 500
    assert _error(response)["code"] == 500
    assert "secret internals" not in response.get_data(as_text=True)
