"""Files uploaded while the form is being filled in, tied to the form by its draft token until
the form is sent (see `intake.submit`) or abandoned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.lib import crypto
from portal.models import Attachment
from portal.services.submissions.codes import draft_token_hash


def store_draft_attachment(
    session: Session,
    *,
    stored_name: str,
    original_name: str | None,
    content_type: str,
    extension: str,
    size: int,
    sha256: str,
    upload_token: str,
    pepper: bytes,
    confidential: bool,
    custodian_public_key: str | None,
    now: datetime,
) -> Attachment:
    """Keep an uploaded file, tied to the form, until the form is sent or abandoned."""
    attachment = Attachment(
        stored_name=stored_name,
        content_type=content_type,
        extension=extension,
        size=size,
        sha256=sha256,
        uploaded_by="citizen",
        draft_token_hash=draft_token_hash(pepper, upload_token),
        created_at=now,
    )
    if confidential and original_name:
        attachment.original_name_ciphertext = crypto.seal_text(
            custodian_public_key or "", original_name
        )
    else:
        attachment.original_name = original_name
    session.add(attachment)
    session.commit()
    return attachment


def draft_attachments(session: Session, *, upload_token: str, pepper: bytes) -> list[Attachment]:
    if not upload_token:
        return []
    return list(
        session.scalars(
            select(Attachment)
            .where(Attachment.draft_token_hash == draft_token_hash(pepper, upload_token))
            .order_by(Attachment.id)
        )
    )


def remove_draft_attachment(
    session: Session,
    *,
    attachment_id: int,
    upload_token: str,
    pepper: bytes,
    delete_file: Callable[[str], None],
) -> None:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.draft_token_hash != draft_token_hash(pepper, upload_token):
        return
    delete_file(attachment.stored_name)
    session.delete(attachment)
    session.commit()


def purge_abandoned_drafts(
    session: Session,
    *,
    now: datetime,
    older_than: timedelta,
    delete_file: Callable[[str], None],
) -> int:
    """Delete the draft files of forms that were never sent (no case) and are older than
    `older_than`: their rows first (committed), then their files. Returns how many.

    Each row is deleted only if it still has no case when the DELETE runs, so a form sent at
    that moment keeps its files; a crash after the commit leaves at most unreferenced files.
    """
    candidates = session.execute(
        select(Attachment.id, Attachment.stored_name).where(
            Attachment.case_id.is_(None), Attachment.created_at < now - older_than
        )
    ).all()
    purged: list[str] = []
    for attachment_id, stored_name in candidates:
        result = session.execute(
            delete(Attachment).where(Attachment.id == attachment_id, Attachment.case_id.is_(None))
        )
        if getattr(result, "rowcount", 0) == 1:
            purged.append(stored_name)
    session.commit()
    for stored_name in purged:
        delete_file(stored_name)
    session.commit()  # the files' own rows, when they are kept in the database
    return len(purged)
