"""Embeddable pages, framing rules, and the app under a path prefix (issue 8)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

from portal.web.proxy import PathPrefix, TrustedProxies
from tests.integration.submission_helpers import BY_KIND, CODE_RE, COMMON, hidden_values

PORTAL = "https://portal.example.gov.vn"
URL_RE = re.compile(r'(?:href|src|action)="([^"]*)"')
HREF_RE = re.compile(r'href="([^"]*)"')
SRCSET_RE = re.compile(r'srcset="([^"]*)"')


@pytest.fixture
def portal_origin(config_override) -> str:  # type: ignore[no-untyped-def]
    config_override(EMBED_ALLOWED_ORIGINS=[PORTAL])
    return PORTAL


def _csp(response) -> str:  # type: ignore[no-untyped-def]
    return response.headers["Content-Security-Policy"]


def _submit(client, base: str, slug: str = "phan-anh") -> str:  # type: ignore[no-untyped-def]
    """Fill a form under `base` (e.g. /embed), follow to the receipt, return the code."""
    page = client.get(f"{base}/gui-don/{slug}").get_data(as_text=True)
    actions = re.findall(r'<form method="post"([^>]*)>', page)
    assert actions and all("action=" not in a or f'action="{base}/' in a for a in actions)
    data = {**hidden_values(page), **COMMON, **BY_KIND[slug]}
    response = client.post(f"{base}/gui-don/{slug}", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    location = response.headers["Location"]
    assert location.startswith(f"{base}/gui-don/da-gui"), location
    receipt = client.get(location).get_data(as_text=True)
    match = CODE_RE.search(receipt)
    assert match, receipt
    return match.group(1)


def test_embedded_pages_may_be_framed_by_the_portal_only(client, portal_origin) -> None:
    for path in (
        "/embed/gui-don/",
        "/embed/tra-cuu/",
        "/embed/lich-tiep-cong-dan/",
        "/embed/tin-tuc/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert f"frame-ancestors 'self' {portal_origin}" in _csp(response)
        assert "X-Frame-Options" not in response.headers


def test_other_pages_refuse_to_be_framed(client, portal_origin) -> None:
    for path in ("/", "/gui-don/", "/tra-cuu/", "/tin-tuc/", "/quan-tri/dang-nhap"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in _csp(response), path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_embedded_page_has_no_site_chrome_and_stays_embedded(client, portal_origin) -> None:
    page = client.get("/embed/gui-don/").get_data(as_text=True)
    assert 'class="site-header"' not in page and 'class="site-footer"' not in page
    assert 'class="embedded"' in page
    assert f'data-embed-origins="http://localhost {portal_origin}"' in page
    assert "js/embed-frame.js" in page
    # Links to the four kinds stay in the frame; the new-tab link leaves it.
    assert 'href="/embed/gui-don/phan-anh"' in page
    assert 'href="/gui-don/" target="_blank"' in page
    assert "/ngon-ngu" not in page  # the portal decides the language


def test_the_cookie_probe_is_set_on_embedded_pages_only(client, portal_origin) -> None:
    embedded = client.get("/embed/tra-cuu/")
    assert "embed_probe=1" in embedded.headers.get("Set-Cookie", "")
    fresh = client.get("/tra-cuu/")
    assert "embed_probe" not in " ".join(fresh.headers.getlist("Set-Cookie"))


def test_a_form_sent_back_without_cookies_says_to_open_a_new_tab(
    app, client, portal_origin
) -> None:
    """Without JavaScript too: the POST arrives without the cookie the page set."""
    page = client.get("/embed/tra-cuu/").get_data(as_text=True)
    assert '<div class="embed-cookie-warning" role="alert" tabindex="-1" hidden>' in page
    no_cookies = app.test_client(use_cookies=False)
    answer = no_cookies.post("/embed/tra-cuu/", data={"access_code": "ABCD"})
    text = answer.get_data(as_text=True)
    assert '<div class="embed-cookie-warning" role="alert" tabindex="-1">' in text
    assert 'href="/tra-cuu/" target="_blank"' in text


def test_a_citizen_submits_and_looks_up_without_leaving_the_frame(client, portal_origin) -> None:
    code = _submit(client, "/embed")
    token = client.csrf_token("/embed/tra-cuu/")
    response = client.post("/embed/tra-cuu/", data={"csrf_token": token, "access_code": code})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Cột điện viễn thông đổ chắn đường" in page
    assert 'class="site-header"' not in page
    assert "X-Frame-Options" not in response.headers


def test_home_and_language_switch_have_no_embedded_twin(client) -> None:
    assert client.get("/embed/").status_code == 404
    assert client.post("/embed/ngon-ngu", data={"language": "en"}).status_code == 404


# --- under a path prefix ---------------------------------------------------------------


@pytest.fixture
def prefixed(app: Flask) -> Iterator[str]:
    """The app served under /dan-van, as the portal's proxy would pass it through."""
    original = app.wsgi_app
    app.wsgi_app = PathPrefix(original, "/dan-van")  # type: ignore[method-assign]
    yield "/dan-van"
    app.wsgi_app = original  # type: ignore[method-assign]


def _local_urls(page: str) -> list[str]:
    urls = URL_RE.findall(page) + [
        candidate.split()[0]
        for srcset in SRCSET_RE.findall(page)
        for candidate in srcset.split(",")
        if candidate.strip()
    ]
    external = ("#", "http", "mailto:", "tel:", "data:")
    return [url for url in urls if url and not url.startswith(external)]


def test_every_url_on_the_public_pages_carries_the_prefix(client, prefixed, custodian) -> None:
    seen: set[str] = set()
    queue = [f"{prefixed}/"]
    while queue and len(seen) < 60:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code in (200, 303), path
        if response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        for url in _local_urls(page):
            assert url.startswith(f"{prefixed}/"), f"{url} on {path}"
        for url in HREF_RE.findall(page):
            if url.startswith(f"{prefixed}/") and not any(
                part in url for part in ("/quan-tri", "/static/", ".ics", ".atom", "/anh/")
            ):
                queue.append(url.split("?")[0].split("#")[0])
    assert {f"{prefixed}/gui-don/", f"{prefixed}/tra-cuu/", f"{prefixed}/tin-tuc/"} <= seen


def test_the_submission_journey_under_the_prefix(client, prefixed) -> None:
    code = _submit(client, prefixed)
    token = client.csrf_token(f"{prefixed}/tra-cuu/")
    page = client.post(
        f"{prefixed}/tra-cuu/", data={"csrf_token": token, "access_code": code}
    ).get_data(as_text=True)
    assert "Cột điện viễn thông đổ chắn đường" in page
    assert all(u.startswith(f"{prefixed}/") for u in _local_urls(page))


def test_the_embedded_journey_under_the_prefix(client, prefixed, portal_origin) -> None:
    code = _submit(client, f"{prefixed}/embed")
    assert re.fullmatch(r"[A-Z0-9-]+", code)


# --- forwarded headers -----------------------------------------------------------------


@pytest.fixture
def behind_proxy(app: Flask) -> Iterator[None]:
    original = app.wsgi_app
    app.wsgi_app = TrustedProxies(original, hops=1, proxies=["10.0.0.5"])  # type: ignore[method-assign]
    yield
    app.wsgi_app = original  # type: ignore[method-assign]


FORWARDED = {
    "X-Forwarded-Prefix": "/dan-van",
    "X-Forwarded-Host": "portal.example.gov.vn",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-For": "203.0.113.9",
}


def test_forwarded_prefix_is_honoured_from_the_configured_proxy(client, behind_proxy) -> None:
    page = client.get(
        "/tra-cuu/", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.5"}
    ).get_data(as_text=True)
    assert 'action="/dan-van/tra-cuu/"' in page


def test_forwarded_headers_from_anyone_else_are_ignored(client, behind_proxy) -> None:
    page = client.get(
        "/tra-cuu/", headers=FORWARDED, environ_base={"REMOTE_ADDR": "198.51.100.7"}
    ).get_data(as_text=True)
    assert 'action="/tra-cuu/"' in page
    assert "/dan-van" not in page


def test_officials_see_the_snippets_to_paste(client, login_as, portal_origin) -> None:
    login_as("admin")
    page = client.get("/quan-tri/nhung-vao-cong?xem=tra-cuu").get_data(as_text=True)
    assert "data-dan-van=&#34;/embed/gui-don/&#34;" in page
    # without JavaScript the portal's page shows a link to the same page on our site
    assert "&lt;a href=&#34;http://localhost/gui-don/&#34;&gt;" in page
    assert "http://localhost/static/embed.js" in page
    assert "src=&#34;http://localhost/embed/tin-tuc/&#34;" in page
    assert 'data-dan-van="/embed/tra-cuu/"' in page  # the live preview
    assert portal_origin in page


def test_only_administrators_manage_embedding(client, login_as) -> None:
    login_as("clerk")
    assert client.get("/quan-tri/nhung-vao-cong").status_code == 403


def test_registering_for_a_session_and_cancelling_under_the_prefix(client, prefixed) -> None:
    from tests.factories import make_dialogue, registration_form

    dialogue = make_dialogue()
    url = f"{prefixed}/lich-tiep-cong-dan/{dialogue.id}"
    response = client.post_form(url, registration_form())
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"{prefixed}/lich-tiep-cong-dan/da-dang-ky")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r'class="access-code"[^>]*>([^<]+)<', page).group(1)
    assert all(u.startswith(f"{prefixed}/") for u in _local_urls(page))
    cancel = f"{prefixed}/lich-tiep-cong-dan/huy-dang-ky"
    response = client.post_form(cancel, {"code": code})
    assert response.status_code in (200, 303)
    if response.status_code == 303:
        assert response.headers["Location"].startswith(f"{prefixed}/")


def test_reading_the_news_under_the_prefix(client, prefixed) -> None:
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Article
    from tests.admin_helpers import sign_in, write_article
    from tests.factories import make_user

    sign_in(client, make_user(roles=("leader",)))
    write_article(client)
    article = db.session.scalar(select(Article))
    token = client.csrf_token(f"/quan-tri/bai-viet/{article.id}")
    client.post(f"/quan-tri/bai-viet/{article.id}/dang", data={"csrf_token": token})
    page = client.get(f"{prefixed}/tin-tuc/{article.slug}").get_data(as_text=True)
    assert "Dân vận khéo ở xã Hòa Thành" in page
    assert [u for u in _local_urls(page) if not u.startswith(f"{prefixed}/")] == []
    feed = client.get(f"{prefixed}/tin-tuc/feed.atom").get_data(as_text=True)
    assert f"http://localhost{prefixed}/tin-tuc/{article.slug}" in feed
