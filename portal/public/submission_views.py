"""Gửi đơn (send a submission): the forms, their checks and the receipt. Looking a case up
with its access code (Tra cứu) is in lookup_views.py."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from typing import Any

from flask import (
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature

from portal.extensions import db
from portal.lib import crypto
from portal.models import Case
from portal.public import bp
from portal.public import submission_tokens as form_tokens
from portal.public.receipt_views import keep_receipt
from portal.public.submission_forms import (
    FORMS,
    KIND_SLUGS,
    SLUG_KINDS,
    SubmissionForm,
)
from portal.public.views import language_switch, remember_language
from portal.services import stored_calendar, submissions
from portal.web import limits as web_limits
from portal.web import page_cache
from portal.web import submissions as web_submissions
from portal.web import uploads as web_uploads
from portal.web.database import read_transaction
from portal.web.errors import DATABASE_DOWN, after_database_error, unavailable
from portal.web.input_bounds import takes_files
from portal.web.rules import current_rules
from portal.web.security import now_utc
from portal.web.uploads import pepper as _pepper

log = logging.getLogger(__name__)

IDENTITY_FIELDS = (
    "name",
    "address",
    "commune",
    "province",
    "phone",
    "email",
    "citizen_id_number",
    "people_count",
    "representative",
    "confidential",
)
LIMIT_SCOPE = "submission"


def _contact_key() -> str:
    """Rate-limit key for the contact given in the form, as a keyed hash (never the value);
    empty (no limit by contact) when none is given, e.g. an anonymous denunciation: they
    would otherwise all share one counter."""
    contact = (request.form.get("phone") or request.form.get("email") or "").strip().lower()
    if not contact:
        return ""
    digest = hmac.new(_pepper(), f"contact:{contact}".encode(), hashlib.sha256).hexdigest()
    return f"contact:{digest}"


def _accepted_limits() -> web_limits.Limits:
    """What counts only accepted submissions: per address, and per contact given."""
    config = current_app.config
    return [
        (config["SUBMISSION_RATE_LIMIT"], f"address:{get_remote_address()}"),
        (config["CONTACT_RATE_LIMIT"], _contact_key()),
    ]


def _attempt_limits() -> web_limits.Limits:
    """A flood guard on every POST (each may store files), far above what mistakes reach."""
    address = f"address:{get_remote_address()}"
    return [(current_app.config["SUBMISSION_ATTEMPT_RATE_LIMIT"], address)]


def _identity_withheld(kind: str) -> bool:
    return kind == "denunciation" and current_app.config["DENOUNCER_IDENTITY_ONLINE"] == "none"


def _needs_custodian(kind: str) -> bool:
    return kind == "denunciation" and not _identity_withheld(kind)


def _custodian_ready() -> bool:
    return crypto.check_public_key(current_app.config.get("CUSTODIAN_PUBLIC_KEY"))


def _build_form(kind: str) -> SubmissionForm:
    form = FORMS[kind]()
    if _identity_withheld(kind):
        for name in IDENTITY_FIELDS:
            delattr(form, name)
    elif kind == "denunciation":
        delattr(form, "confidential")  # always confidential
    return form


def _start_form(form: SubmissionForm) -> None:
    """Fill the hidden fields of a new form: when it was shown, its idempotency key (made per
    visitor even when the page comes from the page cache)."""
    form.form_started.data = page_cache.value("form_started")
    form.idempotency_key.data = page_cache.value("idempotency_key")
    form.upload_token.data = page_cache.value("upload_token")


@bp.get("/gui-don/")
@page_cache.cached()
def submit() -> ResponseReturnValue:
    return render_template("public/submit_choose.html", slugs=KIND_SLUGS)


@bp.get("/quyen-rieng-tu")
@page_cache.cached()
def privacy() -> ResponseReturnValue:
    return render_template("public/privacy.html")


@bp.route("/gui-don/<slug>", methods=["GET", "POST"])
@takes_files
@page_cache.cached(
    form_started=form_tokens.new_form_started,
    idempotency_key=form_tokens.new_idempotency_key,
    upload_token=form_tokens.new_upload_token,
)
def submit_kind(slug: str) -> ResponseReturnValue:
    kind = SLUG_KINDS.get(slug)
    if kind is None:
        abort(404)
    if _needs_custodian(kind) and not _custodian_ready():
        return render_template("public/unavailable.html", kind=kind), 503
    form = _build_form(kind)
    if request.method == "GET":
        _start_form(form)
        if kind == "complaint" and request.args.get("lan") == "2":
            form.complaint_round.data = "2"
            form.first_case_number.data = request.args.get("don-truoc", "")[:20]
        return _render_form(form, kind)

    for field_name in ("idempotency_key", "upload_token"):
        if not getattr(form, field_name).data:
            getattr(form, field_name).data = secrets.token_urlsafe(24)
    try:
        return _receive(form, kind)
    except DATABASE_DOWN as error:
        log.warning("submission not stored, database unavailable: %s", type(error).__name__)
        after_database_error()
        return _outage_form(form, kind)


def _receive(form: SubmissionForm, kind: str) -> ResponseReturnValue:
    """A posted form: the language switch, the checks, the limits, then the submission."""
    language = language_switch()
    if language is not None:  # the other language, with everything typed kept, no checks
        _handle_uploads(form, kind)  # files chosen before the switch are kept
        with force_locale(language):
            response = make_response(_render_form(form, kind))
        return remember_language(response, language)
    attempts_wait = web_limits.count_attempt(_attempt_limits(), f"{LIMIT_SCOPE}-attempt")
    if attempts_wait is not None:
        return _limited_form(form, kind, attempts_wait)
    valid = form.validate()
    genuine = _form_is_genuine(form)  # before _check_abuse, which renews a bad start token
    if not _check_abuse(form):
        valid = False
    files_sent = any(f and f.filename for f in request.files.getlist(form.attachments.name))
    # The same form sent again: its first case, before its files are stored twice or its
    # errors are shown. A valid form without files needs no look-up: the intake's insert tells.
    if (files_sent or not valid) and (earlier := _earlier_case(form)) is not None:
        return _show_duplicate(earlier, form.idempotency_key.data)
    if genuine:
        _handle_uploads(form, kind)  # storing or removing a file commits
    elif files_sent:
        form.attachments.errors = [_("Please attach your files again.")]
    if not valid or form.attachments.errors:
        return _render_form(form, kind)
    wait = web_limits.wait_seconds(_accepted_limits(), LIMIT_SCOPE)
    if wait is not None:
        # Its first send may have taken the last free place: then its receipt, not the limit.
        if (earlier := _earlier_case(form)) is not None:
            return _show_duplicate(earlier, form.idempotency_key.data)
        return _limited_form(form, kind, wait)
    try:
        receipt = _register(form, kind)
    except submissions.TemporarilyUnavailable:
        return render_template("public/unavailable.html", kind=kind), 503
    except submissions.CalendarChanged:
        return _outage_form(form, kind)
    except submissions.DuplicateSubmission as duplicate_error:
        return _show_duplicate(duplicate_error.case, form.idempotency_key.data)
    web_limits.count(_accepted_limits(), LIMIT_SCOPE)
    keep_receipt(
        receipt.case_number,
        receipt.access_code,
        receipt.kind,
        email=bool(receipt.email),
        reissue=bool(receipt.email),
    )
    return redirect(url_for("public.submitted"), 303)


def _register(form: SubmissionForm, kind: str) -> submissions.Receipt:
    """The intake, counting deadlines on the calendar this process keeps: its insert checks
    that the stored calendar has not changed meanwhile (no transaction spent reading it
    first); when it has, the calendar is read again and the form registered on it."""
    stored = stored_calendar.last_stored_calendar(db.session)
    for _attempt in range(3):
        if stored is None:
            with read_transaction(db.session):
                stored = stored_calendar.load_stored_calendar(db.session)
        try:
            return submissions.submit(
                db.session,
                _submission_from(form, kind),
                now=now_utc(),
                settings=web_submissions.settings(),
                rules=current_rules(),
                calendar=stored.calendar,
                calendar_fingerprint=stored.fingerprint,
                receipt_email=web_submissions.receipt_email,
            )
        except submissions.CalendarChanged:
            stored = None
    raise submissions.CalendarChanged()  # three times in a row: the form is shown again


def _earlier_case(form: SubmissionForm) -> Case | None:
    """The case this same form made before (a double click, a resend after a lost answer),
    read without holding SQLite's write lock."""
    with read_transaction(db.session):
        return submissions.find_duplicate(db.session, form.idempotency_key.data)


def _render_form(
    form: SubmissionForm, kind: str, *, problem: str | None = None
) -> ResponseReturnValue:
    """The form with everything typed kept; `problem` is said above it (limit, outage)."""
    drafts: list[Any] = []
    if request.method == "POST" and not g.get("safe_mode"):  # a new form has no drafts yet
        try:
            drafts = list(
                submissions.draft_attachments(
                    db.session, upload_token=form.upload_token.data or "", pepper=_pepper()
                )
            )
        except DATABASE_DOWN as error:  # the form needs no database: no drafts shown
            log.warning("drafts not listed, database unavailable: %s", type(error).__name__)
            after_database_error()
    return render_template(
        "public/submit_form.html",
        form=form,
        kind=kind,
        slug=KIND_SLUGS[kind],
        drafts=drafts,
        withheld=_identity_withheld(kind),
        problem=problem,
        language_form="submission-form",
    )


def _limited_form(form: SubmissionForm, kind: str, wait: int) -> ResponseReturnValue:
    problem = _(
        "You have sent several submissions in a short time; please try again in about "
        "%(wait)s. What you typed is kept below.",
        wait=web_limits.describe_wait(wait),
    )
    return web_limits.too_many(_render_form(form, kind, problem=problem), wait)


def _outage_form(form: SubmissionForm, kind: str) -> ResponseReturnValue:
    problem = _(
        "The system is briefly interrupted and your submission has not been sent yet; "
        "please try again in a few minutes. What you typed is kept below."
    )
    return unavailable(make_response(_render_form(form, kind, problem=problem)))


def _check_abuse(form: SubmissionForm) -> bool:
    """The honeypot and the minimum fill time. A person meets neither."""
    if form.website.data:
        form.website.errors = [_("Leave this field empty.")]
        return False
    try:
        started = float(form_tokens.signer().loads(form.form_started.data or ""))
    except (BadSignature, TypeError, ValueError):
        form.form_started.data = form_tokens.new_form_started()
        form.subject.errors = [
            *form.subject.errors,
            _("Please check what you entered and send the form again."),
        ]
        return False
    if time.time() - started < current_app.config["SUBMISSION_MIN_SECONDS"]:
        form.subject.errors = [
            *form.subject.errors,
            _("That was very fast. Please check what you entered and send the form again."),
        ]
        return False
    return True


def _form_is_genuine(form: SubmissionForm) -> bool:
    """A form this site showed (its CSRF token and its signed start token check out): only
    such a form may store files, so a bare POST cannot fill the disk."""
    csrf_field = getattr(form, "csrf_token", None)
    if csrf_field is not None and csrf_field.errors:
        return False
    try:
        form_tokens.signer().loads(form.form_started.data or "")
    except (BadSignature, TypeError, ValueError):
        return False
    return True


def _handle_uploads(form: SubmissionForm, kind: str) -> None:
    """Keep every good file (even if the form has other errors); name every bad one."""
    confidential = kind == "denunciation" or bool(
        getattr(form, "confidential", None) and form.confidential.data
    )
    form.attachments.errors = web_uploads.handle_uploads(
        form.attachments.name, form.upload_token.data, confidential=confidential
    )


def _submission_from(form: SubmissionForm, kind: str) -> submissions.Submission:
    def value(name: str) -> Any:
        field = getattr(form, name, None) if name in form else None
        return field.data if field is not None else None

    decision_field = getattr(form, "decision_known_on", None)
    return submissions.Submission(
        kind=kind,
        subject=form.subject.data,
        content=value("content"),
        field=value("field"),
        respondent=value("respondent"),
        requested_outcome=value("requested_outcome") or None,
        contested_decision=value("contested_decision"),
        decision_known_on=decision_field.day if decision_field is not None else None,
        evidence=value("evidence"),
        location=value("location") or None,
        complaint_round=int(value("complaint_round") or 1),
        first_case_number=value("first_case_number") or None,
        name=value("name"),
        address=value("address"),
        commune=value("commune"),
        province=value("province"),
        phone=value("phone") or None,
        email=(value("email") or None),
        citizen_id_number=value("citizen_id_number") or None,
        people_count=value("people_count") or 1,
        representative=value("representative") or None,
        confidential=bool(value("confidential")),
        consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
        idempotency_key=form.idempotency_key.data,
        upload_token=form.upload_token.data,
    )


def _show_duplicate(case: Any, idempotency_key: str) -> ResponseReturnValue:
    """The same form sent twice: show the first receipt again, to the same browser only."""
    if idempotency_key in session.get(form_tokens.ISSUED_KEYS, []):
        code = submissions.access_code_for(_pepper(), idempotency_key)
        keep_receipt(
            case.number, code, case.kind, email=False, reissue=bool(case.contact_email_hash)
        )
        return redirect(url_for("public.submitted"), 303)
    abort(400)
