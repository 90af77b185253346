"""The "Gửi đơn" forms: one per kind of matter, sharing the contact and consent parts.

Forms own validation and normalisation; the service re-checks what needs the database.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from portal.domain import limits
from portal.domain.provinces import ALL as ALL_PROVINCES
from portal.domain.provinces import HOME_PROVINCE
from portal.web.forms import FIELD_CHOICES, BaseForm, DayField, citizen_id, vietnamese_phone

KINDS = ("complaint", "denunciation", "petition", "reflection")
# Vietnamese URL slug of each kind, and back.
KIND_SLUGS = {
    "complaint": "khieu-nai",
    "denunciation": "to-cao",
    "petition": "kien-nghi",
    "reflection": "phan-anh",
}
SLUG_KINDS = {slug: kind for kind, slug in KIND_SLUGS.items()}


def email_field(description: Any = None) -> Any:
    """An optional e-mail address, as every public form asks it."""
    return EmailField(
        _l("Email"),
        description=description,
        validators=[
            Optional(),
            Length(max=limits.EMAIL_MAX),
            Email(
                _l("Enter an email address such as ten@example.com."), check_deliverability=False
            ),
        ],
        render_kw={"autocomplete": "email"},
    )


def _text(label: Any, maximum: int, required: Any = None, **kwargs: Any) -> Any:
    validators = [DataRequired(required)] if required else [Optional()]
    validators.append(Length(max=maximum, message=_l("At most %(max)d characters.", max=maximum)))
    return StringField(label, validators=validators, **kwargs)


def _area(label: Any, maximum: int, required: Any = None, **kwargs: Any) -> Any:
    validators = [DataRequired(required)] if required else [Optional()]
    validators.append(Length(max=maximum, message=_l("At most %(max)d characters.", max=maximum)))
    return TextAreaField(label, validators=validators, **kwargs)


class SubmissionForm(BaseForm):
    """What every kind of submission asks for."""

    kind = ""  # set by the subclasses

    subject = _text(
        _l("Subject"),
        limits.SUBJECT_MAX,
        _l("Write the subject in a few words."),
        description=_l("A short title, for example: Cột điện viễn thông đổ sau bão."),
    )
    field = SelectField(
        _l("Field"),
        choices=[SelectChoice(value, label) for value, label in FIELD_CHOICES],
        default="other",
        validators=[InputRequired()],
    )

    name = _text(_l("Full name"), limits.NAME_MAX, _l("Enter your full name."))
    address = _text(
        _l("House number, street, hamlet or quarter"),
        limits.ADDRESS_MAX,
        _l("Enter your address."),
        render_kw={"autocomplete": "street-address"},
    )
    commune = _text(
        _l("Commune or ward"),
        limits.COMMUNE_MAX,
        _l("Enter your commune or ward."),
        description=_l("The commune, ward or special zone after 1 July 2025."),
    )
    province = SelectField(
        _l("Province or city"),
        choices=[SelectChoice(p, p) for p in ALL_PROVINCES],
        default=HOME_PROVINCE,
        validators=[InputRequired()],
    )
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), Length(max=limits.PHONE_MAX), vietnamese_phone],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    email = email_field(_l("Optional. We send your receipt and news of your case here."))
    citizen_id_number = StringField(
        _l("Citizen ID number (optional)"),
        description=_l("12 digits, on your identity card."),
        validators=[Optional(), citizen_id],
        render_kw={"inputmode": "numeric"},
    )
    people_count = IntegerField(
        _l("Number of people sending this letter"),
        default=1,
        description=_l("More than 1 for a group letter."),
        validators=[
            InputRequired(_l("Enter a number.")),
            NumberRange(min=1, max=limits.PEOPLE_MAX, message=_l("From 1 to 10,000.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    representative = _text(
        _l("Representative of the group"),
        limits.REPRESENTATIVE_MAX,
        description=_l("For a group letter: the person the group has chosen to represent it."),
    )
    attachments = MultipleFileField(
        _l("Attach documents or photos"),
        description=_l("JPG, PNG, PDF, Word or Excel; up to 5 files of 10 MB each."),
        render_kw={"accept": ".jpg,.jpeg,.png,.pdf,.doc,.docx,.xls,.xlsx"},
    )
    confidential = BooleanField(
        _l("Keep my identity confidential"),
        description=_l("Your name and contact details are then sealed; officials see a pseudonym."),
    )
    consent = BooleanField(
        _l("I agree that the department processes my personal data to handle this matter."),
        validators=[DataRequired(_l("Tick the box to agree, or we cannot handle your matter."))],
    )
    # Abuse controls: a field people never see, and the time the form was first shown.
    website = StringField(_l("Leave this field empty"))
    form_started = HiddenField()
    idempotency_key = HiddenField()
    upload_token = HiddenField()

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if "phone" not in self:  # identity not collected (anonymous denunciation)
            return valid
        if not self.phone.data and not self.email.data:
            self.phone.errors = [
                *self.phone.errors,
                _l("Give a phone number or an email so that we can answer you."),
            ]
            valid = False
        if (self.people_count.data or 1) > 1 and not self.representative.data:
            self.representative.errors = [
                *self.representative.errors,
                _l("A group letter needs the name of its representative."),
            ]
            valid = False
        return valid

    def content_fields(self) -> list[Any]:
        """The fields about the matter itself, in the order the template shows them."""
        return []


class ComplaintForm(SubmissionForm):
    kind = "complaint"

    complaint_round = RadioField(
        _l("Is this your first or second complaint about this matter?"),
        choices=[
            SelectChoice("1", _l("First complaint")),
            SelectChoice("2", _l("Second complaint (I disagree with the first decision)")),
        ],
        default="1",
        validators=[InputRequired(_l("Choose first or second complaint."))],
    )
    first_case_number = _text(
        _l("Number of the first complaint's case"),
        20,
        description=_l("For a second complaint, for example 2026/0123."),
    )
    contested_decision = _area(
        _l("The administrative decision or act you complain about"),
        limits.CONTESTED_DECISION_MAX,
        _l("Say which decision (number, date, who signed it) or act you complain about."),
    )
    decision_known_on = DayField(
        _l("When did you receive the decision or learn of the act?"),
        description=_l("dd/mm/yyyy. A complaint must be filed within 90 days of that day."),
        validators=[DataRequired(_l("Enter the date you received the decision."))],
    )
    respondent = _text(
        _l("Body or person complained about"), limits.RESPONDENT_MAX, _l("Name the body or person.")
    )
    content = _area(
        _l("What happened"),
        limits.CONTENT_MAX,
        _l("Describe what happened."),
        render_kw={"rows": 8},
    )
    requested_outcome = _area(
        _l("What you ask for"),
        limits.REQUESTED_OUTCOME_MAX,
        _l("Say what you ask the department to do."),
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.complaint_round.data == "2" and not self.first_case_number.data:
            self.first_case_number.errors = [
                *self.first_case_number.errors,
                _l("Give the number of the first complaint's case."),
            ]
            valid = False
        return valid

    def content_fields(self) -> list[Any]:
        return [
            self.complaint_round,
            self.first_case_number,
            self.contested_decision,
            self.decision_known_on,
            self.respondent,
            self.content,
            self.requested_outcome,
        ]


class DenunciationForm(SubmissionForm):
    kind = "denunciation"

    respondent = _text(
        _l("Person or body denounced"),
        limits.RESPONDENT_MAX,
        _l("Name the person or body, with their position and unit if you know them."),
    )
    content = _area(
        _l("The violation of law"),
        limits.CONTENT_MAX,
        _l("Describe what was done, when and where."),
        description=_l("What was done, when, where, by whom, and its consequences."),
        render_kw={"rows": 8},
    )
    evidence = _area(
        _l("Evidence"),
        limits.EVIDENCE_MAX,
        _l("Describe your evidence: a denunciation without evidence cannot be verified."),
        description=_l("Documents, photos, witnesses. Attach them below if you have them."),
    )
    requested_outcome = _area(_l("What you ask for"), limits.REQUESTED_OUTCOME_MAX)

    def content_fields(self) -> list[Any]:
        return [self.respondent, self.content, self.evidence, self.requested_outcome]


class PetitionForm(SubmissionForm):
    kind = "petition"

    content = _area(
        _l("Your petition"),
        limits.CONTENT_MAX,
        _l("Write your petition."),
        description=_l("The policy, rule or practice concerned and what you propose."),
        render_kw={"rows": 8},
    )
    requested_outcome = _area(
        _l("What you propose"), limits.REQUESTED_OUTCOME_MAX, _l("Write what you propose.")
    )

    def content_fields(self) -> list[Any]:
        return [self.content, self.requested_outcome]


class ReflectionForm(SubmissionForm):
    kind = "reflection"

    location = _text(
        _l("Where"), limits.LOCATION_MAX, description=_l("The place concerned, if there is one.")
    )
    content = _area(
        _l("What you want to report"),
        limits.CONTENT_MAX,
        _l("Describe the situation."),
        render_kw={"rows": 8},
    )
    requested_outcome = _area(_l("What you suggest"), limits.REQUESTED_OUTCOME_MAX)

    def content_fields(self) -> list[Any]:
        return [self.location, self.content, self.requested_outcome]


FORMS: dict[str, type[SubmissionForm]] = {
    "complaint": ComplaintForm,
    "denunciation": DenunciationForm,
    "petition": PetitionForm,
    "reflection": ReflectionForm,
}


class LookupForm(BaseForm):
    access_code = StringField(
        _l("Access code"),
        description=_l("The code on your receipt, for example 7KQM-2XPA-9RTD-4HWC-N."),
        validators=[
            DataRequired(_l("Enter your access code.")),
            Length(max=limits.ACCESS_CODE_MAX),
        ],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class ReissueForm(BaseForm):
    case_number = StringField(
        _l("Case number"),
        description=_l("For example 2026/0123."),
        validators=[DataRequired(_l("Enter the case number.")), Length(max=20)],
    )
    email = EmailField(
        _l("The email you gave with your submission"),
        validators=[
            DataRequired(_l("Enter the email you gave.")),
            Email(
                _l("Enter an email address such as ten@example.com."), check_deliverability=False
            ),
        ],
    )


class RatingForm(BaseForm):
    access_code = HiddenField()
    rating = RadioField(
        _l("How satisfied are you with how your matter was handled?"),
        choices=[
            SelectChoice("5", _l("5 – Very satisfied")),
            SelectChoice("4", _l("4 – Satisfied")),
            SelectChoice("3", _l("3 – Neither satisfied nor dissatisfied")),
            SelectChoice("2", _l("2 – Dissatisfied")),
            SelectChoice("1", _l("1 – Very dissatisfied")),
        ],
        validators=[InputRequired(_l("Choose a rating."))],
    )
    comment = _area(_l("Comment (optional)"), 2000)
