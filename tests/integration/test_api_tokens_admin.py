"""The administrators' API tokens page: issue (shown once), list, revoke."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiToken, AuditLog
from tests.api_helpers import bearer, make_division, make_token

PAGE = "/quan-tri/ma-api"
SECRET_RE = re.compile(r'class="access-code">(dvcq_[A-Za-z0-9_-]+)<')


def _issue(client, **data):  # type: ignore[no-untyped-def]
    return client.post_form(PAGE, {"name": "Trung tâm IOC tỉnh", "scope": "read_cases", **data})


def test_admin_issues_a_read_token_shown_once_that_works(client, login_as) -> None:
    login_as("admin")
    division = make_division(name="Thanh tra Sở")
    response = _issue(client, division=str(division.id))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    secret = SECRET_RE.search(page).group(1)
    token = db.session.scalar(select(ApiToken))
    assert token.division_id == division.id and token.scope == "read_cases"
    assert secret not in (token.token_hash, token.prefix) and secret.startswith(token.prefix)
    again = client.get(PAGE).get_data(as_text=True)
    assert secret not in again
    assert "Trung tâm IOC tỉnh" in again and token.prefix in again
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 200
    issued = db.session.scalar(select(AuditLog).where(AuditLog.action == "api_token.issue"))
    assert issued.actor_id is not None


def test_a_read_token_needs_a_division(client, login_as) -> None:
    login_as("admin")
    response = _issue(client, division="0")
    assert response.status_code == 200
    assert SECRET_RE.search(response.get_data(as_text=True)) is None
    assert db.session.scalar(select(ApiToken)) is None


def test_a_create_token_has_no_division(client, login_as) -> None:
    login_as("admin")
    division = make_division()
    _issue(client, scope="create_cases", division=str(division.id))
    token = db.session.scalar(select(ApiToken))
    assert token.scope == "create_cases" and token.division_id is None


def test_admin_revokes_a_token_and_it_stops_working(client, login_as) -> None:
    login_as("admin")
    secret = make_token("read_cases", make_division())
    token = db.session.scalar(select(ApiToken))
    url = f"{PAGE}/{token.id}/thu-hoi"
    assert client.post(url).status_code == 400  # no CSRF token: nothing happens
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 200
    response = client.post_form(url, {}, token_from=PAGE)
    assert response.status_code == 302
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 401
    page = client.get(PAGE).get_data(as_text=True)
    assert f'action="{url}"' not in page  # no revoke button for a revoked token


def test_other_roles_cannot_see_tokens(client, login_as) -> None:
    make_token("create_cases")
    login_as("leader")
    assert client.get(PAGE).status_code == 403
