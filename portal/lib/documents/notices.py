"""A notice on a case: its whole text composed once (`compose_notice`), then laid out in Word
(`render_docx`, `build_notice`); the app's HTML print view renders the same `Notice`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from portal.lib.documents import wording
from portal.lib.documents.facts import Agency, CaseFacts, Notice, NoticeKind, vn_date
from portal.lib.documents.layout import (
    add_body_paragraph,
    add_header,
    add_salutation,
    add_signature,
    add_title,
    document_bytes,
    new_document,
)
from portal.lib.documents.text import clean_line, text_lines


def notice_title(kind: NoticeKind, case_kind: str, *, round: int = 1) -> str:
    """The title on one line, e.g. "THÔNG BÁO Về việc thụ lý giải quyết khiếu nại lần đầu"."""
    return " ".join(wording.title_lines(kind, case_kind, round))


def notice_paragraphs(
    kind: NoticeKind, agency: Agency, case: CaseFacts, *, issued_on: date, **options: Any
) -> list[str]:
    """The body between "Kính gửi" and "Nơi nhận", one string per paragraph; the options are
    those of `compose_notice`."""
    return list(compose_notice(kind, agency, case, issued_on=issued_on, **options).paragraphs)


def build_notice(
    kind: NoticeKind, agency: Agency, case: CaseFacts, *, issued_on: date, **options: Any
) -> bytes:
    """The notice as a .docx file; the options are those of `compose_notice`."""
    notice = compose_notice(kind, agency, case, issued_on=issued_on, **options)
    return render_docx(notice, issued_on=issued_on)


def compose_notice(
    kind: NoticeKind,
    agency: Agency,
    case: CaseFacts,
    *,
    issued_on: date,
    document_number: str | None = None,
    ground: str | None = None,
    forwarded_to: str | None = None,
    extension_until: date | None = None,
    reason: str | None = None,
    result_text: str | None = None,
    recipients: Sequence[str] = (),
    accepted_on: date | None = None,
) -> Notice:
    """All the text of a notice.

    Required options by kind (ValueError when missing): non_acceptance → `ground`;
    forwarding_slip and guidance → `forwarded_to` (the competent body); extension →
    `extension_until` and `reason`; result → `result_text`. Options a kind does not use are
    ignored. `accepted_on` (acceptance only) defaults to `issued_on`. `document_number` is the
    register number ("12"); without it the number is left blank for the clerk to fill in.
    `recipients` are the "Nơi nhận" lines besides "Như trên" and the file copy.

    A forwarding slip for a denunciation goes to a third party, so it never carries the
    denouncer's name, address or ID number, and any of them found in the free text is replaced by
    "[…]". The same holds for every notice when `submitter_name` is None (a confidential case).
    """
    title = wording.title_lines(kind, case.kind, case.round)
    if issued_on < case.received_on:
        raise ValueError("issued_on is before the letter was received")

    text = wording.agency_in_text(agency)
    hidden = case.submitter_name is None or (
        kind == "forwarding_slip" and case.kind == "denunciation"
    )
    if hidden:
        # Redact the free text only: the fixed wording and the bodies' names stay intact.
        redact = wording.redactor(case)
        case = replace(
            case,
            subject=redact(case.subject),
            content=redact(case.content),
            respondent=redact(case.respondent) if case.respondent else None,
        )
        ground, reason, result_text = (
            redact(value) if value else value for value in (ground, reason, result_text)
        )
        recipients = [redact(line) for line in recipients]
    you = "ông (bà)" if case.submitter_name is not None else wording.ROLE[case.kind]
    noun = wording.NOUN[case.kind]
    closing = f"{text} thông báo để {you} được biết./."

    if kind == "forwarding_slip":
        competent = wording.required(forwarded_to, "forwarded_to")
        salutation = competent
        body = wording.forwarding_slip(case, text, competent, hidden)
    else:
        salutation = wording.addressee(case)
        body = [wording.receipt_sentence(case, text, hidden)]
        if kind == "acceptance":
            body += wording.acceptance(case, text, accepted_on or issued_on)
            body.append(closing)
        elif kind == "non_acceptance":
            body += wording.non_acceptance(case, text, wording.required(ground, "ground"))
            body.append(closing)
        elif kind == "guidance":
            competent = wording.required(forwarded_to, "forwarded_to")
            body += wording.prefixed("Nội dung đơn: ", case.content)
            body.append(
                f"Căn cứ {wording.LAW[case.kind]}, nội dung đơn không thuộc thẩm quyền giải quyết "
                f"của {text}."
            )
            body.append(
                f"Đề nghị {you} gửi đơn đến {competent} để được xem xét, giải quyết theo quy "
                "định của pháp luật./."
            )
        elif kind == "extension":
            until = extension_until
            if until is None:
                raise ValueError("extension_until is required for an extension notice")
            if until <= issued_on:
                raise ValueError("extension_until must be after issued_on")
            body.append(wording.extension(case, text, until))
            body += wording.prefixed("Lý do gia hạn: ", wording.required(reason, "reason"))
            body.append(closing)
        else:
            body.append(f"{text} đã xem xét, giải quyết {noun} nêu trên. Kết quả như sau:")
            body += text_lines(wording.required(result_text, "result_text"))
            rights = wording.rights_after_result(case, you)
            if rights:
                body.append(rights)
            body.append(closing)

    recipient_lines = [
        "- Như trên;",
        *(f"- {wording.recipient(line)};" for line in recipients if wording.recipient(line)),
        f"- Lưu: VT, hồ sơ {clean_line(case.number)}.",
    ]
    number = clean_line(document_number or "") or " " * 8
    symbol = f"{'PC' if kind == 'forwarding_slip' else 'TB'}-{clean_line(agency.symbol)}"
    number_line = f"Số: {number}" if "/" in number else f"Số: {number}/{symbol}"
    return Notice(
        parent=clean_line(agency.parent).upper(),
        agency_name=clean_line(agency.name).upper(),
        number_line=number_line,
        place_date=f"{clean_line(agency.place)}, {vn_date(issued_on)}",
        title=title,
        salutation=f"Kính gửi: {salutation}",
        paragraphs=tuple(body),
        recipients=tuple(recipient_lines),
        signer_title=tuple(line.upper() for line in text_lines(agency.signer_title)),
        signer_name=clean_line(agency.signer_name),
    )


def render_docx(notice: Notice, *, issued_on: date | None = None) -> bytes:
    """Lay a composed notice out on A4 in the Decree 30/2020 format."""
    document = new_document()
    add_header(
        document,
        parent=notice.parent,
        agency_name=notice.agency_name,
        number_line=notice.number_line,
        place_date=notice.place_date,
    )
    add_title(document, notice.title)
    add_salutation(document, notice.salutation)
    for text in notice.paragraphs:
        add_body_paragraph(document, text)
    add_signature(
        document,
        recipients=notice.recipients,
        signer_title=notice.signer_title,
        signer_name=notice.signer_name,
    )
    return document_bytes(
        document, title=" ".join(notice.title), author=notice.agency_name, issued_on=issued_on
    )
