"""The page cache (portal/web/page_cache.py): a public page rendered once is served to every
visitor whose page would be the same, with what is theirs (CSRF token, a form's hidden
values) made for each. Runs on the app's own cache: each process's memory, or Redis when the
tests have one (TEST_RATELIMIT_STORAGE_URI=redis://...), as in production."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator

import pytest
from flask import Flask, template_rendered

from portal.extensions import db
from tests.admin_helpers import sign_in
from tests.factories import make_dialogue, make_user, registration_form
from tests.integration.submission_helpers import CODE_RE, fill, hidden_values

PER_VISITOR = re.compile(r'(name="(?:csrf_token|form_started|idempotency_key|upload_token)"[^>]*)')


@pytest.fixture
def cached_app(app: Flask) -> Iterator[Flask]:
    """A second app on the same database whose page cache keeps pages."""
    from portal import create_app

    redis = os.environ.get("TEST_RATELIMIT_STORAGE_URI", "")
    cache = (
        {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis,
            "CACHE_KEY_PREFIX": f"test-page-cache-{secrets.token_hex(4)}-",
        }
        if redis.startswith("redis://")
        else {"CACHE_TYPE": "SimpleCache"}
    )
    cached = create_app(
        {
            "PORTAL_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            **cache,
        }
    )
    cached.test_client_class = app.test_client_class
    yield cached
    from portal.extensions import cache as page_store

    with cached.app_context():
        page_store.clear()


@pytest.fixture
def renders(cached_app: Flask) -> Iterator[list[str]]:
    """The templates the cached app renders, in order."""
    seen: list[str] = []

    def record(sender: Flask, template, context, **extra) -> None:  # type: ignore[no-untyped-def]
        seen.append(template.name)

    template_rendered.connect(record, cached_app)
    yield seen
    template_rendered.disconnect(record, cached_app)


def _without_per_visitor_values(page: str) -> str:
    return re.sub(r'value="[^"]*"', "", PER_VISITOR.sub("", page))


def test_a_form_page_is_rendered_once_and_each_visitor_gets_their_own_tokens(
    app_ctx: Flask, cached_app: Flask, renders: list[str]
) -> None:
    first, second = cached_app.test_client(), cached_app.test_client()
    page_one = first.get("/gui-don/phan-anh")
    page_two = second.get("/gui-don/phan-anh")
    assert renders.count("public/submit_form.html") == 1
    one, two = (hidden_values(p.get_data(as_text=True)) for p in (page_one, page_two))
    assert set(one) == set(two) == {"csrf_token", "form_started", "idempotency_key", "upload_token"}
    assert all(one[name] != two[name] for name in one)
    assert "pagecache" not in page_two.get_data(as_text=True)
    assert _without_per_visitor_values(page_one.get_data(as_text=True)) == (
        _without_per_visitor_values(page_two.get_data(as_text=True))
    )
    # the same headers as a page rendered for the visitor alone, session cookie included
    fresh = app_ctx.test_client().get("/gui-don/phan-anh")
    assert sorted(page_two.headers.keys()) == sorted(fresh.headers.keys())
    assert page_two.headers["Content-Security-Policy"] == fresh.headers["Content-Security-Policy"]
    assert "session=" in page_two.headers["Set-Cookie"]


def test_a_form_from_the_cache_is_accepted_once_and_a_resend_shows_the_same_code(
    app_ctx: Flask, cached_app: Flask
) -> None:
    citizen = cached_app.test_client()
    cached_app.test_client().get("/gui-don/phan-anh")  # someone else's visit fills the cache
    page = citizen.get("/gui-don/phan-anh").get_data(as_text=True)
    sent = fill(citizen, "phan-anh", page=page)
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    code = CODE_RE.search(citizen.get(sent.headers["Location"]).get_data(as_text=True))
    assert code
    again = fill(citizen, "phan-anh", page=page)  # Back, then Send again: the same case
    assert again.status_code == 303
    assert code.group(1) in citizen.get(again.headers["Location"]).get_data(as_text=True)


def test_a_page_with_a_query_string_is_rendered_for_its_visitor(
    cached_app: Flask, renders: list[str]
) -> None:
    client = cached_app.test_client()
    client.get("/gui-don/khieu-nai")
    second_round = client.get("/gui-don/khieu-nai?lan=2&don-truoc=KN-2026-00001")
    assert renders.count("public/submit_form.html") == 2
    assert 'value="KN-2026-00001"' in second_round.get_data(as_text=True)


def test_languages_are_kept_apart(cached_app: Flask) -> None:
    vietnamese = cached_app.test_client().get("/gui-don/").get_data(as_text=True)
    reader = cached_app.test_client()
    reader.set_cookie("lang", "en")
    english = reader.get("/gui-don/").get_data(as_text=True)
    assert 'lang="vi"' in vietnamese
    assert 'lang="en"' in english
    assert "Gửi đơn" in vietnamese


def test_an_official_sees_the_schedule_as_it_is_now(app_ctx: Flask, cached_app: Flask) -> None:
    visitor = cached_app.test_client()
    assert "Đối thoại về chuyển đổi số" not in visitor.get("/lich-tiep-cong-dan/").get_data(
        as_text=True
    )
    make_dialogue(title="Đối thoại về chuyển đổi số")
    db.session.commit()
    # visitors get the kept page for at most CACHE_DEFAULT_TIMEOUT seconds
    assert "Đối thoại về chuyển đổi số" not in visitor.get("/lich-tiep-cong-dan/").get_data(
        as_text=True
    )
    official = cached_app.test_client()
    sign_in(official, make_user(roles=("office",)))
    assert "Đối thoại về chuyển đổi số" in official.get("/lich-tiep-cong-dan/").get_data(
        as_text=True
    )


def test_a_registration_and_a_cancellation_drop_the_kept_session_page(
    app_ctx: Flask, cached_app: Flask
) -> None:
    dialogue = make_dialogue(capacity=2)
    db.session.commit()
    citizen = cached_app.test_client()
    path = f"/lich-tiep-cong-dan/{dialogue.id}"
    seats = re.compile(r"Số chỗ còn lại</dt><dd>(\d+)</dd>")

    def seats_left() -> int:
        found = seats.search(cached_app.test_client().get(path).get_data(as_text=True))
        assert found
        return int(found.group(1))

    before = seats_left()
    token = hidden_values(citizen.get(path).get_data(as_text=True))["csrf_token"]
    sent = citizen.post(path, data={"csrf_token": token, **registration_form()})
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    receipt = citizen.get(sent.headers["Location"]).get_data(as_text=True)
    code = re.search(r'class="access-code"[^>]*>([^<]+)<', receipt)
    assert code
    assert seats_left() == before - 1
    cancel = "/lich-tiep-cong-dan/huy-dang-ky"
    token = hidden_values(citizen.get(cancel).get_data(as_text=True))["csrf_token"]
    cancelled = citizen.post(cancel, data={"csrf_token": token, "code": code.group(1)})
    assert cancelled.status_code == 200
    assert seats_left() == before


def test_a_message_waiting_for_the_visitor_is_shown_not_a_kept_page(
    cached_app: Flask, renders: list[str]
) -> None:
    cached_app.test_client().get("/")
    visitor = cached_app.test_client()
    with visitor.session_transaction() as session:
        session["_flashes"] = [("info", "Thông báo dành riêng cho bạn")]
    page = visitor.get("/").get_data(as_text=True)
    assert "Thông báo dành riêng cho bạn" in page
    assert renders.count("public/home.html") == 2


def test_without_its_redis_every_page_still_works_and_nothing_is_lost(
    app: Flask, app_ctx: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """The cache is a shortcut: Redis refusing (here: nothing listens on port 1), the pages
    are rendered, a submission and a registration go through, and the problem is logged."""
    from portal import create_app

    unreachable = create_app(
        {
            "PORTAL_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )
    unreachable.test_client_class = app.test_client_class
    from portal.extensions import cache

    with unreachable.app_context():
        pool = cache.cache._write_client.connection_pool
        assert pool.connection_kwargs["socket_timeout"] == 0.5  # a hanging Redis waits no more
    dialogue = make_dialogue()
    db.session.commit()
    citizen = unreachable.test_client()
    for path in ("/", "/gui-don/", "/lich-tiep-cong-dan/", "/tra-cuu/", "/tin-tuc/"):
        assert citizen.get(path).status_code == 200, path
    sent = fill(citizen, "phan-anh")
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    assert CODE_RE.search(citizen.get(sent.headers["Location"]).get_data(as_text=True))
    path = f"/lich-tiep-cong-dan/{dialogue.id}"
    token = hidden_values(citizen.get(path).get_data(as_text=True))["csrf_token"]
    registered = citizen.post(path, data={"csrf_token": token, **registration_form()})
    assert registered.status_code == 303
    assert "page cache unavailable" in caplog.text


def test_the_receipt_is_drawn_once_a_kind_and_each_citizen_gets_their_own_number_and_code(
    app_ctx: Flask, cached_app: Flask, renders: list[str]
) -> None:
    pages = []
    for phone in ("0912 345 678", "0987 654 321"):
        citizen = cached_app.test_client()
        sent = fill(citizen, "khieu-nai", phone=phone)
        assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
        pages.append((citizen, citizen.get(sent.headers["Location"])))
    assert renders.count("public/submitted.html") == 1
    (_, one), (second, two) = pages
    codes = [CODE_RE.search(p.get_data(as_text=True)).group(1) for p in (one, two)]  # type: ignore[union-attr]
    assert codes[0] != codes[1]
    for page, code in zip((one, two), codes, strict=True):
        text = page.get_data(as_text=True)
        assert f'name="access_code" value="{code}"' in text  # the pre-filled letter's form
        assert " ".join(code.replace("-", " ")) in text  # what a screen reader says
        assert "pagecache" not in text
        assert page.headers["Cache-Control"].startswith("no-store")
    qr = re.compile(r'<div class="qr".*?</div>', re.S)
    assert qr.search(one.get_data(as_text=True)).group(0) != qr.search(
        two.get_data(as_text=True)
    ).group(0)  # type: ignore[union-attr]
    # The same receipt drawn afresh (no cache) is the same page, but for the CSRF token.
    fresh_client = app_ctx.test_client()
    fresh_client.set_cookie("session", second.get_cookie("session").value)  # type: ignore[union-attr]
    fresh = fresh_client.get("/gui-don/da-gui")
    assert _without_per_visitor_values(fresh.get_data(as_text=True)) == _without_per_visitor_values(
        second.get("/gui-don/da-gui").get_data(as_text=True)
    )
    assert codes[1] in fresh.get_data(as_text=True)
