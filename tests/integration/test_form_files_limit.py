"""A form that takes files, sent with its files in one request, may carry every file the
upload settings allow, beyond MAX_CONTENT_LENGTH: it is read, checked and stored, or shown
again with what was typed; only a body beyond that answers with the 413 page. Every other
request keeps MAX_CONTENT_LENGTH."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Attachment, Case
from portal.web.input_bounds import form_with_files_limit
from tests.integration.submission_helpers import BY_KIND, COMMON, fill, hidden_values

ROOT = Path(__file__).resolve().parents[2]


def _photo(seed: int, side: int = 240) -> bytes:
    """A PNG of noise: it does not compress, so its size is about side² × 3 bytes."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def _small_limits(config_override) -> None:  # type: ignore[no-untyped-def]
    config_override(MAX_CONTENT_LENGTH=300_000, UPLOAD_MAX_BYTES=200_000, UPLOAD_MAX_FILES=3)


@pytest.mark.parametrize("prefix", ["", "/embed"])  # the page, and its twin in the portal's frame
def test_files_beyond_the_request_limit_but_allowed_are_stored(
    client, config_override, prefix: str
) -> None:  # type: ignore[no-untyped-def]
    _small_limits(config_override)
    photos = [_photo(1), _photo(2)]
    assert sum(len(photo) for photo in photos) > 300_000  # more than MAX_CONTENT_LENGTH
    page = client.get(f"{prefix}/gui-don/phan-anh").get_data(as_text=True)
    data = {
        **hidden_values(page),
        **COMMON,
        **BY_KIND["phan-anh"],
        "attachments": [(io.BytesIO(photo), f"ảnh {n}.png") for n, photo in enumerate(photos)],
    }
    response = client.post(
        f"{prefix}/gui-don/phan-anh", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    case = db.session.scalars(select(Case)).one()
    stored = db.session.scalar(
        select(func.count(Attachment.id)).where(Attachment.case_id == case.id)
    )
    assert stored == 2


def test_a_file_too_large_is_named_and_the_text_kept(client, config_override) -> None:  # type: ignore[no-untyped-def]
    _small_limits(config_override)
    big = _photo(3, side=330)  # about 330 KB: over UPLOAD_MAX_BYTES and MAX_CONTENT_LENGTH
    response = fill(
        client,
        "phan-anh",
        subject="Đèn đường hỏng ở ấp Bình Trung",
        attachments=[(io.BytesIO(big), "ảnh lớn.png")],
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Đèn đường hỏng ở ấp Bình Trung" in page
    assert "ảnh lớn.png" in page
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_a_body_beyond_every_allowed_file_gets_the_413_page(client, config_override) -> None:  # type: ignore[no-untyped-def]
    _small_limits(config_override)
    limit = form_with_files_limit()
    assert limit is not None
    response = fill(
        client,
        "phan-anh",
        attachments=[(io.BytesIO(b"x" * (limit + 1)), "ban-chup.pdf")],
    )
    assert response.status_code == 413
    assert "quá lớn" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/ngon-ngu", "/tra-cuu/", "/quan-tri/dang-nhap", "/open311/v2/requests.json"]
)
def test_other_forms_keep_the_request_limit(client, config_override, path: str) -> None:  # type: ignore[no-untyped-def]
    """Forms that take no files, sent as multipart with a file all the same."""
    _small_limits(config_override)
    response = client.post(
        path,
        data={"note": "x", "file": (io.BytesIO(b"x" * 300_001), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


def test_nginx_lets_every_allowed_form_through(app) -> None:  # type: ignore[no-untyped-def]
    """deploy/nginx-portal.conf must not refuse, with nginx's own page, what the app reads."""
    conf = (ROOT / "deploy" / "nginx-portal.conf").read_text(encoding="utf-8")
    match = re.search(r"client_max_body_size\s+(\d+)m;", conf)
    assert match is not None
    with app.app_context():
        limit = form_with_files_limit()
    assert limit is not None and int(match.group(1)) * 1024 * 1024 > limit


def test_the_forms_that_take_files_are_marked(app) -> None:  # type: ignore[no-untyped-def]
    """Each view whose form has a file field gets the larger limit; no other view does."""
    marked = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "takes_files", False)
    }
    assert {"public.submit_kind", "embed.submit_kind", "admin.register_case"} <= marked
    answers = {endpoint for endpoint in marked if endpoint.startswith("admin.case_")}
    assert "admin.case_draft_answer" in answers
    assert marked - answers == {"public.submit_kind", "embed.submit_kind", "admin.register_case"}
