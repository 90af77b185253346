"""Files sent with a form (by a citizen or a clerk): checked, cleaned, kept with the form.

Shared by the public and admin views; the checks themselves live in portal/lib/uploads.py.
Callers store files only for a genuine form (CSRF token and, for citizens, the signed start
token checked first). Drafts have two quotas: UPLOAD_MAX_FILES per form (upload token) and
UPLOAD_ADDRESS_LIMIT per client address, counted in the rate-limit storage under a keyed hash
of the address (never the address itself, and never written next to a case); drafts that
never became part of a case are purged by `flask purge-drafts`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from pathlib import Path

from flask import current_app, request
from flask_babel import gettext as _
from limits import parse_many
from werkzeug.datastructures import FileStorage

from portal.extensions import db, limiter
from portal.lib import uploads
from portal.lib.file_storage import FileStore, OpenedFile
from portal.services import file_storage, submissions
from portal.web.security import now_utc

log = logging.getLogger(__name__)


def pepper() -> bytes:
    return current_app.config["ACCESS_CODE_PEPPER"].encode()


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    return folder if folder.is_absolute() else Path(current_app.instance_path) / folder


def storage_folders() -> dict[str, Path]:
    return {"uploads": upload_folder(), "news-images": image_folder()}


def storage_kind() -> str:
    """FILE_STORAGE, or its default: "database" in production on PostgreSQL, else "folder"."""
    config = current_app.config
    return config.get("FILE_STORAGE") or file_storage.default_kind(
        str(config["SQLALCHEMY_DATABASE_URI"]), str(config["PORTAL_ENV"])
    )


def file_store() -> FileStore:
    """The configured file storage, writing in the request's session (database backend)."""
    return file_storage.file_store(storage_kind(), db.session, storage_folders())


def store_upload(clean: uploads.CleanFile) -> str:
    """Keep a cleaned file under a new random name and return the name."""
    name = uploads.new_stored_name(clean)
    file_store().put("uploads", name, clean.data)
    return name


def open_upload(stored_name: str) -> OpenedFile | None:
    """A stored attachment, or None when its name is not one we make or it is missing."""
    try:
        return file_store().open("uploads", stored_name)
    except ValueError:
        return None


def limits() -> uploads.UploadLimits:
    return uploads.UploadLimits(
        max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
        max_files=current_app.config["UPLOAD_MAX_FILES"],
    )


def handle_uploads(field_name: str, token: str, *, confidential: bool) -> list[str]:
    """Remove the drafts the form asks to remove, keep each good new file, name each bad one."""
    for value in request.form.getlist("remove_upload"):
        if value.isdigit():
            submissions.remove_draft_attachment(
                db.session,
                attachment_id=int(value),
                upload_token=token,
                pepper=pepper(),
                delete_file=delete_upload,
            )
    files = [f for f in request.files.getlist(field_name) if f and f.filename]
    if not files:
        return []
    limit = limits()
    existing = len(submissions.draft_attachments(db.session, upload_token=token, pepper=pepper()))
    errors: list[str] = []
    for number, storage in enumerate(files, start=1):
        if existing + number > limit.max_files:
            errors.append(_("At most %(count)d files.", count=limit.max_files))
            break
        if not _address_may_store_one_more():
            errors.append(_("Too many files were sent from your connection; try again later."))
            break
        error = keep_upload(storage, token, confidential, limit)
        if error:
            errors.append(error)
    return errors


def _address_may_store_one_more() -> bool:
    """Count one draft file against the client address's quota (UPLOAD_ADDRESS_LIMIT); False
    once it is used up. The key is a keyed hash of the address, so the rate-limit storage
    never holds an address."""
    address = request.remote_addr or ""
    key = hmac.new(pepper(), f"draft-upload:{address}".encode(), hashlib.sha256).hexdigest()
    items = parse_many(current_app.config["UPLOAD_ADDRESS_LIMIT"])
    return all(limiter.limiter.hit(item, "draft-upload", key) for item in items)


def keep_upload(
    storage: FileStorage, token: str, confidential: bool, limits: uploads.UploadLimits
) -> str | None:
    data = storage.stream.read(limits.max_bytes + 1)
    original = storage.filename or ""
    try:
        clean = uploads.inspect_and_clean(data, limits)
    except uploads.UploadRejected as rejected:
        return upload_message(rejected.code, original)
    stored_name = store_upload(clean)
    submissions.store_draft_attachment(
        db.session,
        stored_name=stored_name,
        original_name=original[:255],
        content_type=clean.content_type,
        extension=clean.extension,
        size=clean.size,
        sha256=clean.sha256,
        upload_token=token,
        pepper=pepper(),
        confidential=confidential,
        custodian_public_key=current_app.config.get("CUSTODIAN_PUBLIC_KEY"),
        now=now_utc(),
    )
    return None


def upload_message(code: str, name: str) -> str:
    messages = {
        "empty": _("The file %(name)s is empty."),
        "too_large": _("The file %(name)s is too large (at most %(mb)d MB)."),
        "type_not_allowed": _("The file %(name)s is not a JPG, PNG, PDF, Word or Excel file."),
        "pdf_active_content": _(
            "The PDF %(name)s contains scripts or embedded files; please print it to a new PDF."
        ),
        "corrupt": _("The file %(name)s is damaged or protected and cannot be opened."),
        "image_too_large": _("The image %(name)s has too many pixels; please make it smaller."),
    }
    template = messages.get(code, messages["type_not_allowed"])
    return template % {"name": name[:80], "mb": current_app.config["UPLOAD_MAX_BYTES"] // 2**20}


def delete_upload(stored_name: str) -> None:
    try:
        file_store().delete("uploads", stored_name)
    except ValueError:
        log.warning("refused to delete an upload with an unexpected name")


def attach_to_case(field_name: str, case_id: int, *, confidential: bool) -> list[str]:
    """Files an official adds to a case (the evidence of an answer); not yet visible."""
    from portal.models import Attachment

    files = [f for f in request.files.getlist(field_name) if f and f.filename]
    limit = limits()
    errors: list[str] = []
    for storage in files[: limit.max_files]:
        data = storage.stream.read(limit.max_bytes + 1)
        original = (storage.filename or "")[:255]
        try:
            clean = uploads.inspect_and_clean(data, limit)
        except uploads.UploadRejected as rejected:
            errors.append(upload_message(rejected.code, original))
            continue
        stored_name = store_upload(clean)
        db.session.add(
            Attachment(
                case_id=case_id,
                stored_name=stored_name,
                original_name=None if confidential else original,
                content_type=clean.content_type,
                extension=clean.extension,
                size=clean.size,
                sha256=clean.sha256,
                uploaded_by="official",
                visible_to_citizen=False,
                created_at=now_utc(),
            )
        )
    if len(files) > limit.max_files:
        errors.append(_("At most %(count)d files.", count=limit.max_files))
    return errors


def image_folder() -> Path:
    return Path(current_app.instance_path) / "news-images"
