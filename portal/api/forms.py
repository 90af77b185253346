"""Input of the API: query strings and JSON bodies, checked by forms like every other input.

JSON is first checked for its shape (an object, known keys, the right JSON types), then given
to a form as text, so the length limits, choices and normalisation are the web forms' own.
The OpenAPI document (portal/api/openapi.py) is built from the constants here, so the two
cannot drift: what the document calls valid, these forms accept, and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, ClassVar, Final

import phonenumbers
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, StopValidation

from portal.domain import limits
from portal.domain.contacts import PROVINCE_CODES
from portal.domain.contacts import normalise_text as tidy
from portal.domain.open311 import SERVICE_CODES
from portal.domain.provinces import ALL as ALL_PROVINCES
from portal.domain.provinces import HOME_PROVINCE
from portal.domain.workflow import KINDS, STATUSES
from portal.web.forms import FIELD_CHOICES, BaseForm, citizen_id, phone_check

API_KINDS: Final = SERVICE_CODES  # what other systems may file: the Open311 services
FIELDS: Final = tuple(value for value, _label in FIELD_CHOICES)
CASE_KINDS: Final = KINDS

# At least one character that survives tidying (not white space, not a control character):
# a required text is never blank once tidied. The white space is listed rather than written
# \s, which means slightly different things in Python and in JSON Schema (ECMA 262).
VISIBLE_PATTERN: Final = (
    r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]"
)


def _vietnamese_phone_pattern() -> str:
    """A Vietnamese mobile or landline number in E.164 form, as the phone number metadata the
    web form uses defines them (with ASCII digits: Python's \\d also matches other scripts')."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("VN")
    mobile = metadata.mobile.national_number_pattern if metadata and metadata.mobile else None
    landline = (
        metadata.fixed_line.national_number_pattern if metadata and metadata.fixed_line else None
    )
    if not mobile or not landline:
        raise RuntimeError("phonenumbers has no Vietnamese number patterns")
    return rf"^\+84(?:{mobile}|{landline})$".replace(r"\d", "[0-9]")


PHONE_PATTERN: Final = _vietnamese_phone_pattern()
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN: Final = (
    rf"^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,24}}$"
)
CITIZEN_ID_PATTERN: Final = rf"^(?:{'|'.join(sorted(PROVINCE_CODES))})[0-3][0-9]{{8}}$"
DATE_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

TEXT_LIMITS: Final = {
    "subject": limits.SUBJECT_MAX,
    "content": limits.CONTENT_MAX,
    "location": limits.LOCATION_MAX,
    "requested_outcome": limits.REQUESTED_OUTCOME_MAX,
    "name": limits.NAME_MAX,
    "address": limits.ADDRESS_MAX,
    "commune": limits.COMMUNE_MAX,
    "representative": limits.REPRESENTATIVE_MAX,
}
REQUIRED_TEXT: Final = ("subject", "content", "name", "address", "commune")
PER_PAGE_MAX: Final = 50
PAGE_MAX: Final = 100000
FIRST_YEAR: Final = 2020  # as the public statistics page
LAST_YEAR: Final = 2100
MAX_ID: Final = 2**31 - 1
IDEMPOTENCY_PATTERN: Final = r"^[!-~]{1,200}$"  # printable ASCII, no spaces
LIMIT_MAX: Final = 100


def _tidy(value: Any) -> Any:
    return tidy(value) if isinstance(value, str) else value


def _raw(field: Any) -> str | None:
    """The value as sent: the documented limits apply to it, before any tidying."""
    return field.raw_data[0] if field.raw_data else None


def _checked(
    *, required: bool = False, limit: int | None = None, pattern: str | None = None
) -> Any:
    """One validator for the documented rules of a text value: present, length, pattern."""
    compiled = re.compile(pattern) if pattern else None

    def check(form: Any, field: Any) -> None:
        raw = _raw(field)
        if raw is None:
            if required:
                raise StopValidation(_l("This field is required."))
            raise StopValidation()
        if required and not re.search(VISIBLE_PATTERN, raw):
            raise StopValidation(_l("This field is required."))
        if limit is not None and len(raw) > limit:
            raise StopValidation(_l("At most %(max)d characters.", max=limit))
        if compiled is not None and not compiled.search(raw):
            raise StopValidation(_l("This value is not in the documented form."))

    return check


def _one_of(values: Iterable[str], *, required: bool = False) -> Any:
    allowed = frozenset(values)

    def check(form: Any, field: Any) -> None:
        raw = _raw(field)
        if raw is None and not required:
            raise StopValidation()
        if raw not in allowed:
            raise StopValidation(_l("Choose one of the documented values."))

    return check


def _integer(minimum: int, maximum: int) -> Any:
    """A whole number in minimum..maximum when given; an empty value is not a number."""

    def check(form: Any, field: Any) -> None:
        raw = _raw(field)
        if raw is None:
            field.process_errors.clear()
            raise StopValidation()
        if not re.fullmatch(r"-?[0-9]{1,20}", raw):
            raise StopValidation(_l("Give a whole number."))
        if not minimum <= int(raw) <= maximum:
            raise StopValidation(_l("From %(min)d to %(max)d.", min=minimum, max=maximum))

    return check


def _text(name: str) -> StringField:
    limit = TEXT_LIMITS[name]
    return StringField(
        name,
        validators=[
            _checked(required=name in REQUIRED_TEXT, limit=limit),
            # Tidying to NFC lengthens a few rare letters: the column must still hold it.
            Length(max=limit, message=_l("At most %(max)d characters.", max=limit)),
        ],
        filters=[_tidy],
    )


_as_phone = phone_check(_l("Give a Vietnamese phone number in the form +84912345678."))


class JsonShapeError(ValueError):
    """The body is not a JSON object of the documented keys and types."""


class ApiForm(BaseForm):
    """A form fed from a query string or a JSON object; no CSRF (no cookies are used)."""

    class Meta:
        csrf = False

    # JSON key -> the Python types its value may have (bool is kept apart from int).
    json_types: ClassVar[Mapping[str, tuple[type, ...]]] = {}

    @classmethod
    def from_json(cls, payload: Any) -> ApiForm:
        if not isinstance(payload, dict):
            raise JsonShapeError("object")
        data: MultiDict[str, Any] = MultiDict()
        for key, value in payload.items():
            types = cls.json_types.get(key)
            if types is None:
                raise JsonShapeError(f"unknown:{key}")
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                raise JsonShapeError(f"type:{key}")
            if isinstance(value, bool):
                if value:
                    data[key] = "y"
            else:
                data[key] = str(value)
        return cls(formdata=data)

    def problems(self) -> dict[str, list[str]]:
        return {name: [str(message) for message in errors] for name, errors in self.errors.items()}


class NewCaseForm(ApiForm):
    """A petition or reflection sent by another system on a citizen's behalf."""

    json_types = {
        **dict.fromkeys(
            (*TEXT_LIMITS, "kind", "field", "province", "phone", "email", "citizen_id_number"),
            (str,),
        ),
        "people_count": (int,),
        "confidential": (bool,),
        "consent": (bool,),
    }

    kind = StringField("kind", validators=[_one_of(API_KINDS, required=True)])
    subject = _text("subject")
    content = _text("content")
    field = StringField("field", default="other", validators=[_one_of(FIELDS)])
    location = _text("location")
    requested_outcome = _text("requested_outcome")
    name = _text("name")
    address = _text("address")
    commune = _text("commune")
    province = StringField("province", default=HOME_PROVINCE, validators=[_one_of(ALL_PROVINCES)])
    phone = StringField("phone", validators=[_checked(pattern=PHONE_PATTERN), _as_phone])
    email = StringField(
        "email", validators=[_checked(limit=limits.EMAIL_MAX, pattern=EMAIL_PATTERN)]
    )
    citizen_id_number = StringField(
        "citizen_id_number", validators=[_checked(pattern=CITIZEN_ID_PATTERN), citizen_id]
    )
    people_count = IntegerField(
        "people_count", default=1, validators=[_integer(1, limits.PEOPLE_MAX)]
    )
    representative = _text("representative")
    confidential = BooleanField("confidential")
    consent = BooleanField(
        "consent",
        validators=[DataRequired(_l("The citizen must agree to the processing of their data."))],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if not self.phone.data and not self.email.data:
            self.phone.errors = [
                *self.phone.errors,
                _l("Give a phone number or an email so that we can answer the citizen."),
            ]
            valid = False
        return valid


class StatusLookupForm(ApiForm):
    json_types = {"access_code": (str,)}

    access_code = StringField(
        "access_code", validators=[_checked(required=True, limit=limits.ACCESS_CODE_MAX)]
    )


class PageForm(ApiForm):
    page = IntegerField("page", default=1, validators=[_integer(1, PAGE_MAX)])
    per_page = IntegerField("per_page", default=10, validators=[_integer(1, PER_PAGE_MAX)])


class YearForm(ApiForm):
    year = IntegerField("year", validators=[_integer(FIRST_YEAR, LAST_YEAR)])


def _iso_day(form: Any, field: Any) -> None:
    raw = _raw(field)
    if raw is None:
        raise StopValidation()
    try:
        if not re.fullmatch(DATE_PATTERN, raw):
            raise ValueError(raw)
        field.day = date.fromisoformat(raw)
    except ValueError as error:
        raise StopValidation(_l("Give a date as YYYY-MM-DD.")) from error


class CaseQueryForm(ApiForm):
    status = StringField("status", validators=[_one_of(STATUSES)])
    kind = StringField("kind", validators=[_one_of(CASE_KINDS)])
    received_from = StringField("received_from", validators=[_iso_day])
    received_to = StringField("received_to", validators=[_iso_day])
    after = IntegerField("after", validators=[_integer(0, MAX_ID)])
    limit = IntegerField("limit", default=50, validators=[_integer(1, LIMIT_MAX)])

    def day(self, name: str) -> date | None:
        return getattr(getattr(self, name), "day", None)
