"""Word and Excel files sent to officials as downloads (never shown in the browser)."""

from __future__ import annotations

import io

from flask import Response, send_file

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
