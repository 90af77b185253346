"""The file storage (FILE_STORAGE): both backends serve what was stored; the database one
streams a file chunk by chunk, keeps a file only if the transaction that refers to it
commits, and `flask storage migrate` moves the folders' files into it, checked by SHA-256."""

from __future__ import annotations

import hashlib
import os
import secrets

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.lib.file_storage import CHUNK_SIZE, FolderStore
from portal.models import Attachment, StoredFile, StoredFileChunk
from portal.services.file_storage import DatabaseStore, default_kind
from portal.web import uploads as web_uploads
from tests.factories import make_case

BACKENDS = ("folder", "database")


def _attach(case_id: int, data: bytes) -> Attachment:
    name = f"{secrets.token_hex(16)}.pdf"
    web_uploads.file_store().put("uploads", name, data)
    row = Attachment(
        case_id=case_id,
        stored_name=name,
        original_name="ho-so.pdf",
        extension="pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by="official",
    )
    db.session.add(row)
    db.session.commit()
    return row


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_multi_chunk_file_is_downloaded_whole(
    app: Flask, client, login_as, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    monkeypatch.setitem(app.config, "FILE_STORAGE", backend)
    data = b"%PDF-1.4\n" + os.urandom(2 * CHUNK_SIZE + 12345)
    row = _attach(make_case().id, data)
    if backend == "database":
        chunks = db.session.scalar(
            select(func.count())
            .select_from(StoredFileChunk)
            .join(StoredFile)
            .where(StoredFile.name == row.stored_name)
        )
        assert chunks == 3
    login_as("leader")

    response = client.get(f"/quan-tri/tep/{row.id}")

    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(data))
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.mimetype == "application/pdf"
    if backend == "database":
        assert response.is_streamed
        pieces = list(response.response)
        assert [len(p) for p in pieces] == [CHUNK_SIZE, CHUNK_SIZE, 12345 + 9]
        assert b"".join(pieces) == data
    else:
        assert response.get_data() == data


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_missing_file_is_a_404(
    app: Flask, client, login_as, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    monkeypatch.setitem(app.config, "FILE_STORAGE", backend)
    row = _attach(make_case().id, b"%PDF-1.4\n%%EOF\n")
    web_uploads.file_store().delete("uploads", row.stored_name)
    db.session.commit()
    login_as("leader")
    assert client.get(f"/quan-tri/tep/{row.id}").status_code == 404


def test_a_file_whose_row_fails_to_commit_is_not_kept(app_ctx: Flask) -> None:
    store = DatabaseStore(db.session)
    name = f"{secrets.token_hex(16)}.pdf"
    store.put("uploads", name, b"%PDF-1.4\n" + os.urandom(CHUNK_SIZE + 1))
    db.session.add(
        Attachment(
            case_id=987654,  # no such case: the foreign key fails the commit
            stored_name=name,
            extension="pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert db.session.scalar(select(func.count()).select_from(StoredFileChunk)) == 0
    assert store.open("uploads", name) is None


def test_names_that_are_not_ours_are_refused(app_ctx: Flask) -> None:
    for store in (DatabaseStore(db.session), FolderStore(web_uploads.storage_folders())):
        for name in ("../etc/passwd", "a.pdf", f"{'0' * 32}.pdf\n", f"/{'0' * 32}.pdf"):
            with pytest.raises(ValueError):
                store.open("uploads", name)
        with pytest.raises(ValueError):
            store.put("elsewhere", f"{'0' * 32}.pdf", b"x")


def test_the_default_is_the_database_only_in_production_on_postgresql() -> None:
    assert default_kind("postgresql+psycopg://db/portal", "production") == "database"
    assert default_kind("postgresql+psycopg://db/portal", "development") == "folder"
    assert default_kind("sqlite:///portal.db", "production") == "folder"


def test_storage_migrate_moves_checks_and_is_idempotent(app: Flask, app_ctx: Flask) -> None:
    folders = FolderStore(web_uploads.storage_folders())
    for area in ("uploads", "news-images"):
        for name in folders.names(area):
            folders.delete(area, name)
    case_id = make_case().id
    data = b"%PDF-1.4\n" + os.urandom(CHUNK_SIZE + 7)
    name = f"{secrets.token_hex(16)}.pdf"
    folders.put("uploads", name, data)
    db.session.add(
        Attachment(
            case_id=case_id,
            stored_name=name,
            extension="pdf",
            content_type="application/pdf",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
    )
    db.session.commit()
    image = f"{secrets.token_hex(16)}-480.jpg"
    folders.put("news-images", image, b"\xff\xd8\xff" + os.urandom(100))
    runner = app.test_cli_runner()

    first = runner.invoke(args=["storage", "migrate"])
    assert first.exit_code == 0, first.output
    assert "uploads: 1 moved, 0 already in the database, 0 failed." in first.output
    assert "news-images: 1 moved, 0 already in the database, 0 failed." in first.output
    db.session.rollback()
    stored = DatabaseStore(db.session).open("uploads", name)
    assert stored is not None and stored.read() == data

    again = runner.invoke(args=["storage", "migrate"])
    assert again.exit_code == 0, again.output
    assert "uploads: 0 moved, 1 already in the database, 0 failed." in again.output

    damaged = f"{secrets.token_hex(16)}.pdf"
    folders.put("uploads", damaged, b"%PDF-1.4 changed on disk")
    db.session.add(
        Attachment(
            case_id=case_id,
            stored_name=damaged,
            extension="pdf",
            content_type="application/pdf",
            size=3,
            sha256=hashlib.sha256(b"what was uploaded").hexdigest(),
        )
    )
    db.session.commit()
    failed = runner.invoke(args=["storage", "migrate"])
    assert failed.exit_code != 0
    assert "uploads: 0 moved, 1 already in the database, 1 failed." in failed.output
    assert f"{damaged}: differs from the SHA-256 recorded for it" in failed.output
    db.session.rollback()
    assert DatabaseStore(db.session).open("uploads", damaged) is None
