"""Talking to a running server (werkzeug or gunicorn) over HTTP, as a browser would."""

from __future__ import annotations

import re

import requests

from tests.factories import PASSWORD

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def sign_in_over_http(base: str, email: str, *, timeout: float) -> requests.Session:
    """An official's browser, signed in through the login form of the server at `base`."""
    browser = requests.Session()
    page = browser.get(f"{base}/quan-tri/dang-nhap", timeout=timeout).text
    token = CSRF_RE.search(page)
    assert token
    response = browser.post(
        f"{base}/quan-tri/dang-nhap",
        data={"csrf_token": token.group(1), "email": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=timeout,
    )
    assert response.status_code == 302, response.text[:2000]
    return browser
