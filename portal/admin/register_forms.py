"""Registering what arrives outside the web: letters by post, walk-ins, forwarded letters."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from portal.domain import limits
from portal.domain.provinces import ALL as ALL_PROVINCES
from portal.domain.provinces import HOME_PROVINCE
from portal.web.forms import FIELD_CHOICES, BaseForm, DayField, citizen_id, vietnamese_phone

CHANNELS = (
    ("post", _l("Letter by post")),
    ("in_person", _l("In person at the reception")),
    ("forwarded", _l("Forwarded by another body, the press or an elected body")),
    ("email", _l("Email")),
)


def _optional_text(label: Any, maximum: int) -> Any:
    return StringField(label, validators=[Optional(), Length(max=maximum)])


def _optional_area(label: Any, maximum: int) -> Any:
    return TextAreaField(label, validators=[Optional(), Length(max=maximum)])


class RegisterCaseForm(BaseForm):
    channel = SelectField(
        _l("How it arrived"),
        choices=[SelectChoice(v, label) for v, label in CHANNELS],
        validators=[InputRequired()],
    )
    source_body = _optional_text(_l("Sent or forwarded by (body)"), limits.SOURCE_BODY_MAX)
    received_on = DayField(
        _l("Date received"),
        description=_l("The real date of receipt: the legal time limits count from it."),
        validators=[DataRequired(_l("Enter the date received."))],
    )
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("complaint", _l("Complaint")),
            SelectChoice("denunciation", _l("Denunciation")),
            SelectChoice("petition", _l("Petition")),
            SelectChoice("reflection", _l("Reflection")),
        ],
        validators=[InputRequired()],
    )
    signed = BooleanField(_l("The letter is signed (or the citizen signed the record)"))
    complaint_round = SelectField(
        _l("Complaint round"),
        choices=[
            SelectChoice("1", _l("First complaint")),
            SelectChoice("2", _l("Second complaint")),
        ],
        default="1",
    )
    subject = StringField(
        _l("Subject"),
        validators=[
            DataRequired(_l("Write the subject in a few words.")),
            Length(max=limits.SUBJECT_MAX),
        ],
    )
    content = TextAreaField(
        _l("Content"),
        validators=[DataRequired(_l("Describe what happened.")), Length(max=limits.CONTENT_MAX)],
        render_kw={"rows": 6},
    )
    respondent = _optional_text(
        _l("Person or body complained about or denounced"), limits.RESPONDENT_MAX
    )
    contested_decision = _optional_area(
        _l("Decision or act complained of"), limits.CONTESTED_DECISION_MAX
    )
    evidence = _optional_area(_l("Evidence"), limits.EVIDENCE_MAX)
    requested_outcome = _optional_area(_l("Request"), limits.REQUESTED_OUTCOME_MAX)
    field = SelectField(
        _l("Field"), choices=[SelectChoice(v, label) for v, label in FIELD_CHOICES], default="other"
    )
    name = _optional_text(_l("Full name"), limits.NAME_MAX)
    address = _optional_text(_l("Address"), limits.ADDRESS_MAX)
    commune = _optional_text(_l("Commune or ward"), limits.COMMUNE_MAX)
    province = SelectField(
        _l("Province or city"),
        choices=[SelectChoice(p, p) for p in ALL_PROVINCES],
        default=HOME_PROVINCE,
    )
    phone = StringField(
        _l("Phone"), validators=[Optional(), Length(max=limits.PHONE_MAX), vietnamese_phone]
    )
    email = EmailField(
        _l("Email"),
        validators=[Optional(), Length(max=limits.EMAIL_MAX), Email(check_deliverability=False)],
    )
    citizen_id_number = StringField(_l("Citizen ID number"), validators=[Optional(), citizen_id])
    people_count = IntegerField(
        _l("Number of people"),
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=limits.PEOPLE_MAX)],
    )
    representative = _optional_text(_l("Representative"), limits.REPRESENTATIVE_MAX)
    confidential = BooleanField(_l("Keep the identity confidential"))
    reception_kind = SelectField(
        _l("Reception"),
        description=_l("For a citizen received in person."),
        choices=[
            SelectChoice("regular", _l("Regular reception")),
            SelectChoice("periodic", _l("Periodic reception by the Director")),
            SelectChoice("unscheduled", _l("Unscheduled reception")),
        ],
        default="regular",
    )
    previously_resolved_by = _optional_text(_l("Body that already dealt with it"), 300)
    visit_note = _optional_area(_l("Note for the reception register"), 2000)
    attachments = MultipleFileField(_l("Scans of the letter and documents"))
    idempotency_key = HiddenField()
    upload_token = HiddenField()
