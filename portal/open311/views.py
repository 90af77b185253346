"""Open311 GeoReport v2 at /open311/v2: discovery, services, service definitions, requests.

Every resource answers in JSON or XML by its suffix (services.json, services.xml). Reading is
open to anybody and shows only petitions and reflections whose answer has been published,
never a confidential case and never who sent it; filing needs an API key with the
create_cases scope, and every call made with a key is audit-logged.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import current_app, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.domain import open311 as georeport
from portal.domain.tracking import parse_case_number
from portal.extensions import db, limiter
from portal.models import ApiToken, Case
from portal.open311 import bp
from portal.open311.catalog import CHANGESET, definition, service_name, services
from portal.open311.errors import Open311Error
from portal.open311.forms import ServiceRequestForm
from portal.open311.render import respond
from portal.services import api_tokens, submissions
from portal.services import deadlines as deadline_service
from portal.services import open311 as open311_service
from portal.web import submissions as web_submissions
from portal.web.labels import kind_labels, status_labels
from portal.web.rules import current_rules
from portal.web.security import VIETNAM, now_utc
from portal.web.uploads import pepper as _pepper

FORMAT = "<any(json, xml):fmt>"


def _read_limit() -> str:
    return current_app.config["OPEN311_READ_RATE_LIMIT"]


def _write_limit() -> str:
    return current_app.config["OPEN311_WRITE_RATE_LIMIT"]


# One allowance for all reads of a caller, one for the filings of an API key.
read_limit = limiter.shared_limit(_read_limit, scope="open311-read")


def _api_key() -> str:
    """The api_key argument of the POST body, or a bearer token (never the query string)."""
    key = request.form.get("api_key", "")
    header = request.headers.get("Authorization", "")
    if not key and header.lower().startswith("bearer "):
        key = header[7:].strip()
    return key


def _key_bucket() -> str:
    """Rate-limit key for a POST: the API key as a keyed hash, else the caller's address."""
    key = _api_key()
    if not key:
        return request.remote_addr or "unknown"
    digest = hmac.new(_pepper(), f"open311-key:{key}".encode(), hashlib.sha256).hexdigest()
    return f"open311:{digest}"


def _check_jurisdiction() -> None:
    """We serve one jurisdiction: jurisdiction_id may be left out; a wrong one is not found."""
    given = (request.values.get("jurisdiction_id") or "").strip()
    ours = current_app.config.get("OPEN311_JURISDICTION_ID")
    if given and ours and given != ours:
        raise Open311Error(404, _("jurisdiction_id %(id)s was not found.", id=given[:100]))


def _check_service_code(code: str | None) -> str:
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    if code not in georeport.SERVICE_CODES:
        raise Open311Error(404, _("service_code %(code)s was not found.", code=code[:50]))
    return code


@bp.get("/")
@bp.get(f"/discovery.{FORMAT}")
@read_limit
def discovery(fmt: str = "xml") -> ResponseReturnValue:
    config = current_app.config
    data = {
        "changeset": CHANGESET,
        "contact": _(
            "%(agency)s, email %(email)s, telephone %(phone)s",
            agency=config["AGENCY_NAME"],
            email=config["AGENCY_EMAIL"],
            phone=config["AGENCY_PHONE"],
        ),
        "key_service": _(
            "Only filing requests needs an API key. Ask the department for one: %(email)s",
            email=config["AGENCY_EMAIL"],
        ),
        "endpoints": [
            {
                "specification": georeport.SPECIFICATION,
                "url": url_for("open311.discovery", _external=True).rstrip("/"),
                "changeset": CHANGESET,
                "type": "production" if config["PORTAL_ENV"] == "production" else "test",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", data)


@bp.get(f"/services.{FORMAT}")
@read_limit
def service_list(fmt: str) -> ResponseReturnValue:
    _check_jurisdiction()
    return respond(fmt, "services", services())


@bp.get(f"/services/<code>.{FORMAT}")
@read_limit
def service_definition(code: str, fmt: str) -> ResponseReturnValue:
    _check_jurisdiction()
    return respond(fmt, "service_definition", definition(_check_service_code(code)))


@bp.post(f"/requests.{FORMAT}")
@limiter.limit(_write_limit, key_func=_key_bucket)
def create_request(fmt: str) -> ResponseReturnValue:
    _check_jurisdiction()
    now = now_utc()
    token = api_tokens.authenticate(db.session, _api_key(), pepper=_pepper(), now=now)
    if token is None:
        db.session.rollback()
        raise Open311Error(403, _("Missing or invalid api_key."))
    try:
        if token.scope != "create_cases":
            raise Open311Error(403, _("This api_key may not file requests."))
        code = _check_service_code(request.form.get("service_code"))
        form = ServiceRequestForm(request.form)
        if not form.validate():
            raise Open311Error(400, *form.problems())
        case, receipt = submissions.submit_once(
            db.session,
            _submission(form, code, token),
            now=now,
            settings=web_submissions.settings(),
            rules=current_rules(),
            calendar=deadline_service.load_calendar(db.session),
            receipt_email=web_submissions.receipt_email,
        )
    except Open311Error as error:
        _record(token, error.status)
        raise
    except Exception:
        db.session.rollback()
        _record(token, 400)  # the "general service error" the client receives
        raise
    status = 201 if receipt is not None else 200
    _record(token, status, case)
    item = {"service_request_id": case.number, "service_notice": _service_notice(case, receipt)}
    return respond(fmt, "service_requests", [item], status)


def _record(token: ApiToken, status: int, case: Case | None = None) -> None:
    api_tokens.record_call(
        db.session,
        token,
        now=now_utc(),
        method=request.method,
        path=request.path,
        status=status,
        target_type="case" if case is not None else None,
        target_id=case.id if case is not None else None,
    )
    db.session.commit()


def _submission(form: ServiceRequestForm, code: str, token: ApiToken) -> submissions.Submission:
    lat, long = form.point
    media = form.media_url.data
    return submissions.Submission(
        kind=code,
        subject=form.subject.data or georeport.subject_from(form.description.data),
        content=form.description.data,
        idempotency_key=georeport.idempotency_key(
            _pepper(), token.id, request.form.items(multi=True)
        ),
        consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
        field=form.field.data or "other",
        requested_outcome=form.requested_outcome.data or None,
        evidence=_("Media sent with the request: %(url)s", url=media) if media else None,
        location=georeport.location_text(form.address_string.data, lat, long),
        name=form.full_name,
        phone=form.phone.data or None,
        email=form.email.data or None,
        channel="api",
        source_body=f"Open311: {token.name}"[:300],
    )


def _service_notice(case: Case, receipt: submissions.Receipt | None) -> str:
    kind = service_name(case.kind).lower()
    if case.next_due_on is not None:
        notice = _(
            "The department registered this %(kind)s as case %(number)s and will examine it "
            "by %(day)s.",
            kind=kind,
            number=case.number,
            day=case.next_due_on.strftime("%d/%m/%Y"),
        )
    else:
        notice = _(
            "The department registered this %(kind)s as case %(number)s.",
            kind=kind,
            number=case.number,
        )
    if case.submitter_email:
        notice += " " + _("The access code to follow it is sent to the email given.")
    return notice


@bp.get(f"/requests.{FORMAT}")
@read_limit
def request_list(fmt: str) -> ResponseReturnValue:
    _check_jurisdiction()
    ids = georeport.split_list(request.args.get("service_request_id"))
    if ids:  # "This overrides all other arguments."
        cases = open311_service.public_cases_by_number(db.session, _case_numbers(ids))
    else:
        cases = _search()
    return respond(fmt, "service_requests", _request_items(list(cases)))


def _case_numbers(ids: list[str]) -> list[tuple[int, int]]:
    if len(ids) > georeport.MAX_IDS:
        raise Open311Error(
            400, _("At most %(count)d service_request_id at once.", count=georeport.MAX_IDS)
        )
    numbers = []
    for text in ids:
        parsed = parse_case_number(text) if "/" in text else None
        if parsed is None or text != f"{parsed[0]}/{parsed[1]:04d}":
            raise Open311Error(
                400, _("service_request_id %(id)s is not a case number.", id=text[:50])
            )
        numbers.append(parsed)
    return numbers


def _search() -> list[Case]:
    args = request.args
    codes = georeport.split_list(args.get("service_code"))
    for code in codes:
        _check_service_code(code)
    statuses = georeport.split_list(args.get("status"))
    unknown = [s for s in statuses if s not in georeport.GEOREPORT_STATUSES]
    if unknown:
        raise Open311Error(400, _("status may be open or closed, comma-separated."))
    try:
        start, end = georeport.query_window(
            _moment(args.get("start_date")), _moment(args.get("end_date")), now=now_utc()
        )
    except georeport.QueryError as error:
        raise Open311Error(400, _query_message(error.code)) from error
    return open311_service.public_cases(
        db.session,
        start=start,
        end=end,
        kinds=codes or georeport.SERVICE_CODES,
        statuses=georeport.workflow_statuses(statuses or georeport.GEOREPORT_STATUSES)
        & georeport.ANSWERED_STATUSES,
        limit=georeport.MAX_RESULTS,
    )


def _moment(text: str | None) -> Any:
    if not text:
        return None
    try:
        return georeport.parse_w3_datetime(text, VIETNAM)
    except georeport.QueryError as error:
        raise Open311Error(400, _query_message(error.code)) from error


def _query_message(code: str) -> str:
    return {
        "bad_date": _(
            "start_date and end_date are W3C dates and times, for example "
            "2026-11-01T00:00:00+07:00."
        ),
        "start_after_end": _("start_date is after end_date."),
        "window_too_long": _("start_date and end_date may not be more than 90 days apart."),
    }[code]


@bp.get(f"/requests/<int:year>/<int:sequence>.{FORMAT}")
@read_limit
def request_detail(year: int, sequence: int, fmt: str) -> ResponseReturnValue:
    _check_jurisdiction()
    cases = open311_service.public_cases_by_number(db.session, [(year, sequence)])
    if not cases:
        raise Open311Error(
            404,
            _(
                "service_request_id %(year)d/%(sequence)04d was not found, or its answer "
                "is not public.",
                year=year,
                sequence=sequence,
            ),
        )
    return respond(fmt, "service_requests", _request_items(cases[:1]))


def _request_items(cases: list[Case]) -> list[dict[str, Any]]:
    """Requests as anybody may see them: no name, no contact, no content beyond the subject.
    The translated labels are looked up once for the whole list."""
    names = kind_labels()
    statuses = status_labels()
    return [_request_item(case, names, statuses) for case in cases]


def _request_item(case: Case, names: dict[str, str], statuses: dict[str, str]) -> dict[str, Any]:
    address, lat, long = georeport.split_location(case.location)
    return {
        "service_request_id": case.number,
        "status": georeport.georeport_status(case.status),
        "status_notes": case.public_answer or statuses.get(case.status, case.status),
        "service_name": names[case.kind],
        "service_code": case.kind,
        "description": case.subject,
        "agency_responsible": current_app.config["AGENCY_NAME"],
        "service_notice": None,
        "requested_datetime": georeport.w3_datetime(case.submitted_at, VIETNAM),
        "updated_datetime": georeport.w3_datetime(case.updated_at, VIETNAM),
        "expected_datetime": None,
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": long,
        "media_url": None,
    }
