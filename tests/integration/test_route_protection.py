"""Walk the URL map: every admin endpoint declares a permission and refuses those without it."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.domain.permissions import MATRIX, Permission, Role

SAMPLE_VALUES = {"int": 1, "string": "x", "path": "x", "any": "x"}


def _admin_rules(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            yield rule


def _url(app: Flask, rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__.lower()
        values[name] = 1 if "integer" in converter else SAMPLE_VALUES.get(converter, "x")
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _method(rule) -> str:
    return "GET" if "GET" in rule.methods else "POST"


def test_there_are_admin_endpoints(app: Flask) -> None:
    assert len(list(_admin_rules(app))) >= 4


def test_every_admin_view_declares_a_permission(app: Flask) -> None:
    undeclared = []
    for rule in _admin_rules(app):
        view = app.view_functions[rule.endpoint]
        if getattr(view, "public_admin_view", False):
            continue
        if not isinstance(getattr(view, "required_permission", None), Permission):
            undeclared.append(rule.endpoint)
    assert undeclared == []


def test_only_the_login_page_is_public(app: Flask) -> None:
    public = [
        rule.endpoint
        for rule in _admin_rules(app)
        if getattr(app.view_functions[rule.endpoint], "public_admin_view", False)
    ]
    assert sorted(public) == ["admin.login", "admin.two_step"]


def test_anonymous_users_are_sent_to_login(app: Flask, client) -> None:
    for rule in _admin_rules(app):
        if rule.endpoint == "admin.login":
            continue
        response = client.open(_url(app, rule), method=_method(rule))
        assert response.status_code in (302, 400), rule.endpoint
        if response.status_code == 302:
            assert "/quan-tri/dang-nhap" in response.headers["Location"], rule.endpoint


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_users_without_the_permission_are_refused(app: Flask, client, login_as, role) -> None:
    login_as(role)
    granted = MATRIX[Role(role)]
    for rule in _admin_rules(app):
        view = app.view_functions[rule.endpoint]
        needed = getattr(view, "required_permission", None)
        if needed is None or needed in granted:
            continue
        method = _method(rule)
        data = {"csrf_token": client.csrf_token("/quan-tri/")} if method == "POST" else None
        response = client.open(_url(app, rule), method=method, data=data)
        assert response.status_code == 403, (rule.endpoint, role, response.status_code)
