"""Files reach the disk only with a form the site showed, within quotas, and drafts that never
became part of a case are purged."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from flask import Flask
from PIL import Image
from sqlalchemy import select

from portal.extensions import db
from portal.lib import uploads
from portal.models import Attachment
from portal.services.submissions.drafts import purge_abandoned_drafts, store_draft_attachment
from portal.web import uploads as web_uploads
from tests.factories import access_code_pepper, make_case
from tests.integration.submission_helpers import fill, form_page


def _png(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _files(n: int) -> list[tuple[io.BytesIO, str]]:
    return [(io.BytesIO(_png()), f"anh-{i}.png") for i in range(n)]


def _stored_files() -> set[str]:
    db.session.rollback()  # see what the requests committed
    return set(web_uploads.file_store().names("uploads"))


def _is_stored(name: str) -> bool:
    db.session.rollback()
    return web_uploads.file_store().open("uploads", name) is not None


def test_a_bare_post_with_files_stores_nothing(app: Flask, app_ctx: Flask) -> None:
    before = _stored_files()
    # No cookie at all, no CSRF token, no other field: what measured 5 stored drafts.
    bare = app.test_client()
    response = bare.post(
        "/gui-don/phan-anh",
        data={"attachments": _files(5)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert db.session.scalars(select(Attachment)).all() == []
    assert _stored_files() == before


def test_a_form_without_its_csrf_token_stores_nothing(client) -> None:
    before = _stored_files()
    response = fill(client, "phan-anh", csrf_token="forged", attachments=_files(2))
    assert response.status_code == 200
    assert "Vui lòng đính kèm lại tệp" in response.get_data(as_text=True)
    assert db.session.scalars(select(Attachment)).all() == []
    assert _stored_files() == before


def test_a_forged_start_token_stores_nothing(client) -> None:
    before = _stored_files()
    response = fill(client, "phan-anh", form_started="1700000000.0", attachments=_files(2))
    assert response.status_code == 200
    assert db.session.scalars(select(Attachment)).all() == []
    assert _stored_files() == before


def test_a_genuine_form_keeps_its_files_even_with_other_errors(client) -> None:
    response = fill(client, "phan-anh", content="", attachments=_files(2))
    assert response.status_code == 200
    drafts = db.session.scalars(select(Attachment)).all()
    assert len(drafts) == 2 and all(d.case_id is None for d in drafts)


def test_one_form_keeps_at_most_upload_max_files(app: Flask, client) -> None:
    page = form_page(client, "phan-anh")
    fill(client, "phan-anh", page=page, content="", attachments=_files(4))
    response = fill(client, "phan-anh", page=page, content="", attachments=_files(4))
    assert "Tối đa" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Attachment)).all()) == app.config["UPLOAD_MAX_FILES"]


def test_one_address_stores_at_most_its_quota_of_drafts(app: Flask, client) -> None:
    saved = app.config["UPLOAD_ADDRESS_LIMIT"]
    app.config["UPLOAD_ADDRESS_LIMIT"] = "3/hour"
    try:
        fill(client, "phan-anh", content="", attachments=_files(2))
        # A new form (new upload token) from the same address: only one more file fits.
        response = fill(client, "phan-anh", content="", attachments=_files(2))
    finally:
        app.config["UPLOAD_ADDRESS_LIMIT"] = saved
    assert "quá nhiều tệp" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Attachment)).all()) == 3


def test_clerk_register_form_without_csrf_stores_nothing(client, login_as) -> None:
    login_as("clerk")
    before = _stored_files()
    response = client.post(
        "/quan-tri/don/moi",
        data={"kind": "complaint", "attachments": _files(2)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert db.session.scalars(select(Attachment)).all() == []
    assert _stored_files() == before


def _draft(now: datetime, token: str) -> Attachment:
    clean = uploads.inspect_and_clean(_png())
    name = web_uploads.store_upload(clean)
    return store_draft_attachment(
        db.session,
        stored_name=name,
        original_name="anh.png",
        content_type=clean.content_type,
        extension=clean.extension,
        size=clean.size,
        sha256=clean.sha256,
        upload_token=token,
        pepper=access_code_pepper(),
        confidential=False,
        custodian_public_key=None,
        now=now,
    )


def test_purge_deletes_old_drafts_rows_and_files_only(app_ctx: Flask) -> None:
    now = datetime.now(UTC)
    old = [_draft(now - timedelta(hours=7), f"old-{i}") for i in range(3)]
    recent = _draft(now - timedelta(hours=1), "recent")
    attached = _draft(now - timedelta(days=30), "sent")
    attached.case_id = make_case().id
    attached.draft_token_hash = None
    db.session.commit()
    old_names = [a.stored_name for a in old]
    kept_names = {recent.stored_name, attached.stored_name}

    purged = purge_abandoned_drafts(
        db.session, now=now, older_than=timedelta(hours=6), delete_file=web_uploads.delete_upload
    )

    assert purged == 3
    assert not any(_is_stored(name) for name in old_names)
    assert all(_is_stored(name) for name in kept_names)
    remaining = {a.stored_name for a in db.session.scalars(select(Attachment))}
    assert remaining == kept_names


def test_purge_drafts_command(app: Flask, app_ctx: Flask) -> None:
    old = _draft(datetime.now(UTC) - timedelta(hours=30), "old")
    name = old.stored_name
    result = app.test_cli_runner().invoke(args=["purge-drafts", "--hours", "24"])
    assert result.exit_code == 0, result.output
    assert "1 draft files purged" in result.output
    db.session.rollback()
    assert db.session.scalars(select(Attachment)).all() == []
    assert not _is_stored(name)
