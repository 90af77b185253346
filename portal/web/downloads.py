"""Files sent to officials as downloads (never shown in the browser), and the audited
download: the audit entry is written and committed before the file leaves."""

from __future__ import annotations

import io
import os
from typing import IO

from flask import Response, request, send_file
from flask_login import current_user

from portal.extensions import db
from portal.lib.file_storage import OpenedFile
from portal.services.audit import record
from portal.web.database import write_transaction
from portal.web.security import now_utc

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def office_file(body: bytes | IO[bytes], filename: str) -> Response:
    """`body` (bytes, or a file open at its start, closed once sent: a temporary file
    holding an export) as an attachment named `filename` (its extension gives the type)."""
    mimetype = MIMETYPES[filename.rsplit(".", 1)[-1]]
    file = io.BytesIO(body) if isinstance(body, bytes) else body
    response = send_file(file, mimetype=mimetype, as_attachment=True, download_name=filename)
    if not isinstance(body, bytes):
        response.content_length = os.fstat(body.fileno()).st_size - body.tell()
    return response


def stored_file(
    opened: OpenedFile,
    *,
    mimetype: str,
    download_name: str | None = None,
    max_age: int | None = None,
) -> Response:
    """Send a stored file: as a download named `download_name`, or inline (cached for
    `max_age` seconds). From the folder backend the server sends the file; from the
    database it is streamed chunk by chunk, never read whole into memory."""
    if opened.path is not None:
        return send_file(
            opened.path,
            mimetype=mimetype,
            as_attachment=download_name is not None,
            download_name=download_name,
            max_age=max_age,
        )
    response = Response(opened.chunks, mimetype=mimetype, direct_passthrough=True)
    response.content_length = opened.size
    if download_name is not None:
        response.headers.set("Content-Disposition", "attachment", filename=download_name)
        response.cache_control.no_cache = True
    if max_age is not None:
        response.cache_control.public = True
        response.cache_control.max_age = max_age
    if opened.sha256:
        response.set_etag(opened.sha256)
        response.make_conditional(request.environ)
    return response


def audited_download(
    file: bytes | IO[bytes] | OpenedFile,
    filename: str,
    *,
    action: str,
    target_type: str,
    target_id: object,
    mimetype: str | None = None,
    **detail: object,
) -> Response:
    """Record `action` by the current official in the audit log, commit, then send `file`.

    `file` is either a Word or Excel document, as bytes or an open (temporary) file (its
    type comes from `filename`), or a stored upload opened from the file storage (then
    `mimetype` says its type). The entry is committed first so that no file leaves without
    its trace, in a write transaction of its own: the read that found the file is over by
    then (a GET must not write inside it, see portal/web/database.py).
    """
    actor_id = current_user.id
    with write_transaction(db.session):
        record(
            db.session,
            actor_id=actor_id,
            action=action,
            now=now_utc(),
            target_type=target_type,
            target_id=target_id,
            **detail,
        )
        db.session.commit()
    if not isinstance(file, OpenedFile):
        return office_file(file, filename)
    return stored_file(
        file, mimetype=mimetype or "application/octet-stream", download_name=filename
    )
