"""Browser journeys: the app served from a thread, the system Chromium, axe-core on every page.

Fixtures:
- `live_server`: base URL of the session `app`, served by werkzeug from a daemon thread.
- `browser`: the system Chromium through Playwright (skips on a developer's machine without it,
  fails in CI).
- `new_context(**options)`: a Vietnamese browser context (vi-VN, Asia/Ho_Chi_Minh); every test
  that uses it starts with empty tables (it depends on `app_ctx`).
- `page`: a page in such a context.
- `axe_check(page)`: axe-core (WCAG 2.0/2.1 A and AA) on the page as it is now; fails on any
  violation. Pages without JavaScript are checked by re-rendering their HTML in a checker page.
- `visit(path)`: go to a page, check the status, run axe.
- `follow(action)`: do something that loads a new page (click a link, submit a form), wait for
  it, check the status, run axe.

Every page a test lands on must be checked with axe: a passing test that loaded a page without
checking it fails at teardown, and so does a page that broke the Content-Security-Policy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Response, sync_playwright
from werkzeug.serving import make_server

from tests.services import require_chromium

E2E_DIR = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CONTEXT_DEFAULTS: dict[str, Any] = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
TIMEOUT_MS = 15_000
AXE_OPTIONS = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}

_CALL_REPORT = pytest.StashKey[pytest.TestReport]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


# --- the server and the browser ------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# --- contexts and pages, watched for unchecked pages ---------------------------------------


@dataclass
class _Watch:
    """What happened in one page: loads not yet checked with axe, CSP errors."""

    javascript: bool
    unchecked: list[str] = field(default_factory=list)
    csp_errors: list[str] = field(default_factory=list)


@pytest.fixture
def _watches() -> dict[Page, _Watch]:
    return {}


def _watch(page: Page, watches: dict[Page, _Watch], *, javascript: bool) -> None:
    watch = watches[page] = _Watch(javascript=javascript)

    def loaded(loaded_page: Page) -> None:  # a new document, not a move within one (#main)
        if loaded_page.url != "about:blank":
            watch.unchecked.append(loaded_page.url)

    def console(message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            watch.csp_errors.append(f"{page.url}: {message.text}")

    page.on("load", loaded)
    page.on("console", console)


@pytest.fixture
def new_context(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: str,
    app_ctx: Flask,
    _watches: dict[Page, _Watch],
) -> Iterator[Callable[..., BrowserContext]]:
    """Make a browser context (more than one makes separate visitors). Tables are emptied
    after the test through `app_ctx`."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        settings = {**CONTEXT_DEFAULTS, "base_url": live_server, **options}
        context = browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
        javascript = settings.get("java_script_enabled", True)
        context.on("page", lambda page: _watch(page, _watches, javascript=javascript))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    report = request.node.stash.get(_CALL_REPORT, None)
    if report is None or not report.passed:
        return  # the test's own failure is the one to read
    unchecked = [url for watch in _watches.values() for url in watch.unchecked]
    csp_errors = [error for watch in _watches.values() for error in watch.csp_errors]
    problems = []
    if unchecked:
        problems.append(f"pages loaded but never checked with axe_check: {unchecked}")
    if csp_errors:
        problems.append(f"Content-Security-Policy errors: {csp_errors}")
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


# --- accessibility -------------------------------------------------------------------------


def _axe_report(results: Any, url: str) -> str:
    lines = [f"axe-core found {results.violations_count} violation(s) on {url}:"]
    for violation in results.response["violations"]:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html']}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


@pytest.fixture
def axe_check(
    browser: Browser, live_server: str, _watches: dict[Page, _Watch]
) -> Iterator[Callable[[Page], Any]]:
    """`axe_check(page)` runs axe-core on the page as it is now and fails on any violation.

    axe is injected through Playwright's evaluate (the DevTools protocol), which the page's
    Content-Security-Policy (`script-src 'self'`) does not block. A page in a context without
    JavaScript cannot run axe, so its HTML is served again, at the same address, to a checker
    page that has JavaScript, and axe runs there on the same markup and stylesheet.
    """
    axe = Axe()
    checker: dict[str, Page] = {}

    def page_for_axe(page: Page) -> Page:
        watch = _watches.get(page)
        if watch is None or watch.javascript:
            return page
        if "page" not in checker:
            context = browser.new_context(**CONTEXT_DEFAULTS)
            context.set_default_timeout(TIMEOUT_MS)
            checker["page"] = context.new_page()
        helper = checker["page"]
        html, address = page.content(), page.url
        helper.unroute_all()
        helper.route(
            lambda url: url == address,
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=html
            ),
        )
        helper.goto(address)
        helper.wait_for_load_state("load")
        return helper

    def check(page: Page) -> Any:
        page.wait_for_load_state("load")
        target = page_for_axe(page)
        results = axe.run(target, options=AXE_OPTIONS)
        assert results.response.get("passes"), f"axe-core did not run any check on {page.url}"
        assert results.violations_count == 0, _axe_report(results, page.url)
        watch = _watches.get(page)
        if watch is not None:
            watch.unchecked.clear()
        return results

    yield check
    if "page" in checker:
        checker["page"].context.close()


# --- moving around -------------------------------------------------------------------------


def _check_status(response: Response | None, expect_status: int | None, what: str) -> Response:
    assert response is not None, f"{what}: no response"
    if expect_status is None:
        assert response.status < 400, f"{what}: HTTP {response.status} at {response.url}"
    else:
        assert response.status == expect_status, (
            f"{what}: HTTP {response.status} at {response.url}, expected {expect_status}"
        )
    return response


@pytest.fixture
def visit(
    page: Page, live_server: str, axe_check: Callable[[Page], Any]
) -> Callable[..., Response]:
    """`visit(path, expect_status=None, on=page)`: load the page, check its status (below 400
    unless told), run axe. Returns the response."""

    def go(path: str, *, expect_status: int | None = None, on: Page | None = None) -> Response:
        target = on or page
        response = _check_status(target.goto(live_server + path), expect_status, f"GET {path}")
        axe_check(target)
        return response

    return go


@pytest.fixture
def follow(axe_check: Callable[[Page], Any]) -> Callable[..., Response]:
    """`follow(locator_or_action, expect_status=None, on=None)`: click the locator (or call the
    action) that loads a new page, wait for that page, check its status, run axe."""

    def go(
        action: Locator | Callable[[], Any],
        *,
        expect_status: int | None = None,
        on: Page | None = None,
    ) -> Response:
        if isinstance(action, Locator):
            target, what = action.page, f"clicking {action}"
            do = action.click
        else:
            assert on is not None, "follow(action) needs on=page when action is not a locator"
            target, what, do = on, "action", action
        with target.expect_navigation() as navigation:
            do()
        response = _check_status(navigation.value, expect_status, what)
        axe_check(target)
        return response

    return go
