"""Citizens on cheap phones and slow rural connections: every public page, with its style
sheet, stays under 30 KB compressed, and none needs JavaScript (issue 18)."""

from __future__ import annotations

import gzip
import re

from flask import Flask

from portal.extensions import db
from tests.factories import make_dialogue
from tests.integration.submission_helpers import fill

LIMIT = 30 * 1024
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


def _weight(client, html: str) -> int:  # type: ignore[no-untyped-def]
    """gzip size of the page and of each style sheet it links (what a browser fetches)."""
    total = len(gzip.compress(html.encode(), compresslevel=6))
    for href in STYLESHEET.findall(html):
        sheet = client.get(href)
        assert sheet.status_code == 200, href
        total += len(gzip.compress(sheet.get_data(), compresslevel=6))
    return total


def test_every_public_page_is_light_and_needs_no_script(app_ctx: Flask, client, custodian) -> None:  # type: ignore[no-untyped-def]
    dialogue = make_dialogue()
    db.session.commit()
    paths = [
        "/",
        "/gui-don/",
        "/gui-don/phan-anh",
        "/gui-don/kien-nghi",
        "/gui-don/khieu-nai",
        "/gui-don/to-cao",
        "/lich-tiep-cong-dan/",
        f"/lich-tiep-cong-dan/{dialogue.id}",
        "/tra-cuu/",
        "/tra-cuu/cap-lai-ma",
        "/tin-tuc/",
        "/thong-ke",
        "/quyen-rieng-tu",
    ]
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.get_data(as_text=True)
    sent = fill(client, "phan-anh")
    assert sent.status_code == 303
    pages["receipt"] = client.get(sent.headers["Location"]).get_data(as_text=True)
    for path, html in pages.items():
        assert "<script" not in html, f"{path} loads a script"
        assert _weight(client, html) < LIMIT, f"{path}: {_weight(client, html)} bytes"
