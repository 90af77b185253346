"""Hostile input on every route: malformed, oversized and wrongly encoded requests, as an
anonymous visitor and as a signed-in official holding every role. Whatever the answer (400,
403, 404, 413, 429...), it is never a 5xx.

Deterministic and bounded: the same fixed set of requests for each rule of the URL map (no
random draws), built from the rule's own arguments, the fields of its form when it has a GET
page, and the names of query arguments the portal reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter, Rule

from portal.domain.permissions import Role
from tests.factories import PASSWORD, make_user

HUGE = "9" * 30
QUERY_NAMES = (
    "trang", "page", "nam", "year", "thang", "month", "quy", "id", "q", "sau", "limit",
    "offset", "per_page", "tu", "den", "lan", "don-truoc", "ma", "code", "trang-thai",
    "status", "kind", "loai", "start_date", "end_date", "updated_after", "service_code",
    "jurisdiction_id", "ky", "next", "lang",
)  # fmt: skip
GARBAGE_VALUES = ("%ff%fe%fd", "%c3%28", "%zz", "-" + HUGE, "1e999", "nan", "%00", "1" * 5000)
NESTED_JSON = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
JSON_BODIES = (
    NESTED_JSON, DEEP_OBJECT, b'{"a": "\xff\xfe"}', b"[1, 2]", b'"text"', b"7", b"{",
    b'{"page": ' + HUGE.encode() + b', "code": [[[[1]]]], "id": {"a": {}}}',
)  # fmt: skip
BROKEN_MULTIPART = (
    b"--xyz\r\n"
    b'Content-Disposition: form-data; name="attachments"; filename="\xff\xfe.pdf"\r\n'
    b"Content-Type: application/pdf\r\n\r\n%PDF-1.7 garbage\r\n"
    b'--xyz\r\nContent-Disposition: form-data; name="subject"\r\n\r\n\xc3\x28' + b"9" * 40
)  # no closing boundary
INPUT_NAME = re.compile(rb'name="([A-Za-z0-9_-]{1,40})"')
SKIPPED_ENDPOINTS = frozenset({"admin.logout", "static"})  # signing out would end the run


class FuzzClient(FlaskClient):
    """A test client with an app context per request, as in production."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _rules(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED_ENDPOINTS),
        key=lambda r: (r.rule, sorted(r.methods or ())),
    )


def _paths(rule: Rule) -> Iterator[str]:
    """The rule with ordinary arguments, with huge numbers, and with bad percent-encoding."""
    for style in ("plain", "large", "huge", "bad"):
        values: dict[str, str] = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                values[name] = {"plain": "1", "large": str(2**31 - 1), "huge": HUGE, "bad": HUGE}[
                    style
                ]
            elif type(converter).__name__ == "AnyConverter":
                values[name] = "json"
            else:
                values[name] = {
                    "plain": "x", "large": "x" * 3000, "huge": HUGE, "bad": "%ff%zz%c3%28"
                }[style]  # fmt: skip
        if style != "plain" and not values:
            return
        path = rule.rule
        for name, value in values.items():
            path = re.sub(rf"<(?:[^<>:]+:)?{re.escape(name)}(?:\([^)]*\))?>", value, path)
        yield path


def _query_strings() -> list[str]:
    huge = "&".join(f"{name}={HUGE}" for name in QUERY_NAMES)
    garbage = "&".join(
        f"{name}={GARBAGE_VALUES[i % len(GARBAGE_VALUES)]}" for i, name in enumerate(QUERY_NAMES)
    )
    return [huge, garbage, "%ff=%fe&&=&" + "a" * 10_000]


def _form_body(names: set[bytes], csrf: str, style: int) -> bytes:
    parts = [f"csrf_token={csrf}".encode()]
    for i, name in enumerate(sorted(names)):
        value = (HUGE, *GARBAGE_VALUES)[(i + style) % (len(GARBAGE_VALUES) + 1)]
        parts.append(name + b"=" + value.encode())
    if style == 1:
        parts.append(b"content=" + b"a" * 600_000)  # above MAX_FORM_MEMORY_SIZE
    return b"&".join(parts)


def _requests(client: FlaskClient, rule: Rule, csrf: str) -> Iterator[tuple[str, str, dict]]:
    methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    for path in _paths(rule):
        names: set[bytes] = {name.encode() for name in QUERY_NAMES}
        if "GET" in methods:
            response = client.get(path)
            if response.mimetype == "text/html":
                names |= set(INPUT_NAME.findall(response.get_data()))
            for query in _query_strings():
                yield "GET", path, {"query_string": query}
        for method in (m for m in methods if m != "GET"):
            form = "application/x-www-form-urlencoded"
            for style in (0, 1):
                yield method, path, {"data": _form_body(names, csrf, style), "content_type": form}
            multipart = "multipart/form-data; boundary=xyz"
            yield method, path, {"data": BROKEN_MULTIPART, "content_type": multipart}
            for body in JSON_BODIES:
                yield method, path, {"data": body, "content_type": "application/json"}


def _csrf(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def _fuzz(app: Flask, client: FlaskClient, csrf: str) -> tuple[list[str], set[str]]:
    """The requests answered with a 5xx, and the endpoints that answered some hostile request
    with a 2xx (so the run did reach the views, not only the checks in front of them)."""
    failures: list[str] = []
    reached: set[str] = set()
    for rule in _rules(app):
        for method, path, kwargs in _requests(client, rule, csrf):
            response = client.open(path, method=method, **kwargs)
            if response.status_code >= 500:
                kind = kwargs.get("content_type", "query")
                failures.append(f"{method} {path} {kind}: {response.status}")
            elif response.status_code < 300:
                reached.add(rule.endpoint)
    return failures, reached


@pytest.fixture
def fuzz_app(app: Flask, app_ctx: Flask) -> Iterator[Flask]:
    saved = app.test_client_class
    app.test_client_class = FuzzClient
    try:
        yield app
    finally:
        app.test_client_class = saved


def test_no_route_answers_5xx_to_an_anonymous_visitor(fuzz_app: Flask) -> None:
    client = fuzz_app.test_client()
    csrf = _csrf(client, "/gui-don/phan-anh")
    failures, reached = _fuzz(fuzz_app, client, csrf)
    assert not failures, "\n".join(failures)
    assert {"public.news_list", "public.statistics", "admin.login"} <= reached


def test_no_route_answers_5xx_to_a_signed_in_official(fuzz_app: Flask) -> None:
    user = make_user(roles=tuple(role.value for role in Role))
    client = fuzz_app.test_client()
    login = client.post(
        "/quan-tri/dang-nhap",
        data={"csrf_token": _csrf(client, "/quan-tri/dang-nhap"), "email": user.email,
              "password": PASSWORD},
    )  # fmt: skip
    assert login.status_code == 302
    csrf = _csrf(client, "/quan-tri/don/moi")
    failures, reached = _fuzz(fuzz_app, client, csrf)
    assert not failures, "\n".join(failures)
    assert {"admin.cases", "admin.register_case", "admin.statistics"} <= reached
    assert client.get("/quan-tri/").status_code == 200  # still signed in: every route was reached


# --- The cases that were measured -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/tin-tuc/", "/embed/tin-tuc/"])
def test_a_huge_news_page_number_is_an_empty_page(client, path: str) -> None:
    response = client.get(path, query_string={"trang": "99999999999999999999"})
    assert response.status_code == 200


@pytest.mark.parametrize("body", [NESTED_JSON, DEEP_OBJECT, b'{"access_code": ["x"]}'])
def test_json_nested_deeper_than_the_schema_is_a_400(client, body: bytes) -> None:
    response = client.post("/api/v1/cases/status", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == 400


def test_a_json_body_to_an_html_form_is_a_400(client) -> None:
    response = client.post("/tra-cuu/", data=b"[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_a_huge_id_in_a_path_is_a_404(client) -> None:
    assert client.get(f"/lich-tiep-cong-dan/{HUGE}").status_code == 404
    assert client.get(f"/lich-tiep-cong-dan/{2**31}").status_code == 404
    assert client.get(f"/lich-tiep-cong-dan/{2**31 - 1}").status_code == 404  # bounded, unknown
