"""Files sent to officials as downloads (never shown in the browser), and the audited
download: the audit entry is written and committed before the file leaves."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Response, send_file
from flask_login import current_user

from portal.extensions import db
from portal.services.audit import record
from portal.web.database import write_transaction
from portal.web.security import now_utc

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def office_file(body: bytes, filename: str) -> Response:
    """`body` as an attachment named `filename` (its extension gives the type)."""
    mimetype = MIMETYPES[filename.rsplit(".", 1)[-1]]
    return send_file(
        io.BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=filename
    )


def audited_download(
    file: bytes | Path,
    filename: str,
    *,
    action: str,
    target_type: str,
    target_id: object,
    mimetype: str | None = None,
    **detail: object,
) -> Response:
    """Record `action` by the current official in the audit log, commit, then send `file`.

    `file` is either the bytes of a Word or Excel document (its type comes from `filename`)
    or the path of a stored upload (then `mimetype` says its type). The entry is committed
    first so that no file leaves without its trace, in a write transaction of its own: the
    read that found the file is over by then (a GET must not write inside it, see
    portal/web/database.py).
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
    if isinstance(file, bytes):
        return office_file(file, filename)
    return send_file(file, mimetype=mimetype, as_attachment=True, download_name=filename)
