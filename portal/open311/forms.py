"""The POST requests arguments (application/x-www-form-urlencoded), checked like a web form.

Standard GeoReport arguments keep their names; the service definition's attributes arrive as
attribute[code]=value. Beyond the specification the department needs a name and a way to
answer (phone or email), as on the web form, and a location for a reflection.
"""

from __future__ import annotations

import math
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from portal.domain import limits
from portal.domain.open311 import DESCRIPTION_MAX, SUBJECT_MAX
from portal.open311.catalog import CONSENT_VALUE
from portal.web.forms import FIELD_CHOICES, BaseForm, vietnamese_phone


def _coordinate(limit: float) -> Any:
    def check(form: Any, field: Any) -> None:
        if not field.data:
            return
        try:
            value = float(field.data)
        except ValueError as error:
            raise ValidationError(_l("Give a decimal number (WGS84).")) from error
        if not math.isfinite(value) or abs(value) > limit:
            raise ValidationError(_l("Out of range (WGS84)."))

    return check


class ServiceRequestForm(BaseForm):
    class Meta:
        csrf = False  # an API call authenticated by its api_key; no cookie is read

    service_code = StringField("service_code")
    lat = StringField("lat", validators=[Optional(), Length(max=40), _coordinate(90)])
    long = StringField("long", validators=[Optional(), Length(max=40), _coordinate(180)])
    address_string = StringField("address_string", validators=[Optional(), Length(max=300)])
    address_id = StringField("address_id", validators=[Optional(), Length(max=100)])
    email = StringField(
        "email",
        validators=[
            Optional(),
            Length(max=limits.EMAIL_MAX),
            Email(
                _l("Enter an email address such as ten@example.com."), check_deliverability=False
            ),
        ],
    )
    # Together, with the space between them, they fill the characters of a submitter name.
    first_name = StringField(
        "first_name", validators=[Optional(), Length(max=limits.NAME_MAX // 2 - 1)]
    )
    last_name = StringField("last_name", validators=[Optional(), Length(max=limits.NAME_MAX // 2)])
    phone = StringField(
        "phone", validators=[Optional(), Length(max=limits.PHONE_MAX), vietnamese_phone]
    )
    description = TextAreaField(
        "description",
        validators=[
            DataRequired(_l("Describe the matter.")),
            Length(
                max=DESCRIPTION_MAX,
                message=_l("At most %(max)d characters.", max=DESCRIPTION_MAX),
            ),
        ],
    )
    media_url = StringField(
        "media_url",
        validators=[
            Optional(),
            Length(max=1000),
            URL(require_tld=True, message=_l("Give an http or https address.")),
        ],
    )
    subject = StringField(
        "subject",
        name="attribute[subject]",
        validators=[
            Optional(),
            Length(max=SUBJECT_MAX, message=_l("At most %(max)d characters.", max=SUBJECT_MAX)),
        ],
    )
    field = StringField(
        "field", name="attribute[field]", validators=[Optional(), Length(max=limits.FIELD_MAX)]
    )
    requested_outcome = TextAreaField(
        "requested_outcome",
        name="attribute[requested_outcome]",
        validators=[
            Optional(),
            Length(
                max=limits.REQUESTED_OUTCOME_MAX,
                message=_l("At most %(max)d characters.", max=limits.REQUESTED_OUTCOME_MAX),
            ),
        ],
    )
    consent = StringField("consent", name="attribute[consent]")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        checks = (
            (
                self.consent,
                self.consent.data == CONSENT_VALUE,
                _l("Consent is required: attribute[consent]=true."),
            ),
            (
                self.field,
                not self.field.data or self.field.data in {k for k, _label in FIELD_CHOICES},
                _l("Not one of the values in the service definition."),
            ),
            (
                self.first_name,
                bool(self.first_name.data or self.last_name.data),
                _l("Give first_name or last_name: a petition or reflection needs a name."),
            ),
            (
                self.phone,
                bool(self.phone.data or self.email.data),
                _l("Give a phone number or an email so that we can answer you."),
            ),
            (
                self.media_url,
                not self.media_url.data or self.media_url.data.startswith(("http://", "https://")),
                _l("Give an http or https address."),
            ),
            (
                self.lat,
                bool(self.lat.data) == bool(self.long.data),
                _l("Send lat and long together."),
            ),
            (
                self.address_id,
                not self.address_id.data or self.has_location,
                _l("address_id is not used here: send lat and long, or address_string."),
            ),
            (
                self.address_string,
                self.service_code.data != "reflection" or self.has_location,
                _l("A reflection needs a location: lat and long, or address_string."),
            ),
        )
        for field, ok, message in checks:
            if not ok:
                field.errors = [*field.errors, message]
                valid = False
        return valid

    @property
    def has_location(self) -> bool:
        return bool((self.lat.data and self.long.data) or self.address_string.data)

    @property
    def point(self) -> tuple[float | None, float | None]:
        if self.lat.data and self.long.data:
            return float(self.lat.data), float(self.long.data)
        return None, None

    @property
    def full_name(self) -> str:
        """Vietnamese order: family name (last_name) first, then the given name."""
        return " ".join(p for p in (self.last_name.data, self.first_name.data) if p)

    def problems(self) -> list[str]:
        """One line per problem, naming the argument as the client sent it."""
        return [f"{field.name}: {message}" for field in self for message in field.errors]
