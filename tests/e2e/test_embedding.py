"""The portal embeds our pages (issue 8): a parent page on one host name and the app on
another of the same site (Chromium's --host-resolver-rules sends both to this machine); a
parent on another site; a page that must not be framed.

The parent pages are served by a small server of their own, as the portal's would be."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page, expect

from tests.e2e.conftest import CHROMIUM_ARGS, CONTEXT_DEFAULTS, TIMEOUT_MS
from tests.integration.submission_helpers import BY_KIND, COMMON
from tests.services import require_chromium

SAME_SITE_PORTAL = "portal.example.test"
APP_HOST = "dan-van.example.test"
OTHER_SITE_PORTAL = "portal.other-site.test"
RESOLVER = f"--host-resolver-rules=MAP *.example.test 127.0.0.1, MAP {OTHER_SITE_PORTAL} 127.0.0.1"


def _parent_html(app_base: str, body: str) -> bytes:
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Cổng thông tin điện tử</title></head>
<body><main><h1>Cổng thông tin điện tử</h1>{body}</main></body></html>""".encode()


@pytest.fixture(scope="module")
def portal_server(live_server: str) -> Iterator[int]:
    """Serves / (our form through embed.js) and /raw (a plain frame of a public page)."""
    app_port = urlsplit(live_server).port
    app_base = f"http://{APP_HOST}:{app_port}"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/raw":
                body = f'<iframe src="{app_base}/gui-don/" title="Gửi đơn"></iframe>'
            else:
                body = (
                    '<div data-dan-van="/embed/gui-don/phan-anh" data-title="Gửi đơn"></div>'
                    f'<script src="{app_base}/static/embed.js" async></script>'
                )
            content = _parent_html(app_base, body)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def resolving_browser(browser: Browser) -> Iterator[Browser]:
    """A Chromium that sends the test host names to this machine."""
    launched = browser.browser_type.launch(
        executable_path=require_chromium(), args=[*CHROMIUM_ARGS, RESOLVER]
    )
    yield launched
    launched.close()


@pytest.fixture
def portal_page(
    resolving_browser: Browser, portal_server: int, config_override: Callable[..., None]
) -> Iterator[Callable[[str, str], Page]]:
    config_override(
        EMBED_ALLOWED_ORIGINS=[
            f"http://{SAME_SITE_PORTAL}:{portal_server}",
            f"http://{OTHER_SITE_PORTAL}:{portal_server}",
        ]
    )
    contexts: list[BrowserContext] = []

    def open_page(host: str, path: str = "/") -> Page:
        context = resolving_browser.new_context(**CONTEXT_DEFAULTS)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"http://{host}:{portal_server}{path}")
        return page

    yield open_page
    for context in contexts:
        context.close()


def _frame(page: Page) -> Frame:
    page.wait_for_function("document.querySelector('iframe') !== null")
    handle = page.locator("iframe").element_handle()
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_load_state("load")
    return frame


def _frame_height(page: Page) -> int:
    return int(page.locator("iframe").evaluate("f => f.getBoundingClientRect().height"))


def _content_height(frame: Frame) -> int:
    return int(frame.evaluate("document.documentElement.getBoundingClientRect().height"))


def _wait_until_fitted(page: Page, frame: Frame) -> None:
    page.wait_for_function(
        "expected => Math.abs(document.querySelector('iframe').getBoundingClientRect().height"
        " - expected) <= 2",
        arg=_content_height(frame),
    )


def _fill(frame: Frame) -> None:
    values = {**COMMON, **BY_KIND["phan-anh"]}
    for name, value in values.items():
        if name in ("consent", "field", "province") or not value:
            continue
        control = frame.locator(f'[name="{name}"]')
        if control.count():
            control.fill(value)
    frame.locator('[name="field"]').select_option(values["field"])
    if frame.locator('[name="province"]').count():
        frame.locator('[name="province"]').select_option(values["province"])
    frame.locator('[name="consent"]').check()


def test_a_same_site_portal_embeds_the_form_which_fits_and_submits(portal_page, axe_check) -> None:
    page = portal_page(SAME_SITE_PORTAL)
    frame = _frame(page)
    expect(frame.get_by_role("heading", level=1)).to_contain_text("Phản ánh")
    _wait_until_fitted(page, frame)
    tall_form = _frame_height(page)
    assert tall_form > 900  # the whole form shows, no scrollbar inside the frame
    expect(frame.locator(".embed-cookie-warning")).to_be_hidden()
    axe_check(page)

    _fill(frame)
    with frame.expect_navigation():
        frame.locator("#form-submit").click()
    frame = _frame(page)
    expect(frame.get_by_role("heading", level=1)).to_contain_text("đã được tiếp nhận")
    code = frame.locator(".access-code").inner_text().strip()
    assert len(code.replace("-", "")) >= 17
    assert frame.url.split("?")[0].endswith("/embed/gui-don/da-gui")
    _wait_until_fitted(page, frame)
    assert _frame_height(page) != tall_form  # it followed its new content


def test_a_cross_site_portal_offers_a_new_tab_instead(portal_page) -> None:
    page = portal_page(OTHER_SITE_PORTAL)
    frame = _frame(page)
    warning = frame.locator(".embed-cookie-warning")
    expect(warning).to_be_visible()
    link = warning.get_by_role("link")
    expect(link).to_have_attribute("target", "_blank")
    assert link.get_attribute("href").endswith("/gui-don/phan-anh")
    # Submitting is stopped before it could fail on the missing session.
    frame.locator("#form-submit").click()
    expect(warning).to_be_focused()
    assert frame.url.endswith("/embed/gui-don/phan-anh")


def test_a_page_that_is_not_embeddable_refuses_the_frame(portal_page) -> None:
    page = portal_page(SAME_SITE_PORTAL, "/raw")
    page.wait_for_function("document.querySelector('iframe') !== null")
    frame = page.locator("iframe").element_handle().content_frame()
    assert frame is not None
    frame.wait_for_load_state("load")
    # Chromium replaces a refused frame's document with its own error page.
    assert frame.url.startswith("chrome-error://"), frame.url


def test_embedded_pages_are_accessible(visit) -> None:
    for path in (
        "/embed/gui-don/",
        "/embed/gui-don/phan-anh",
        "/embed/tra-cuu/",
        "/embed/lich-tiep-cong-dan/",
        "/embed/tin-tuc/",
    ):
        visit(path)
