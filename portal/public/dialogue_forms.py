"""Registering for a reception or dialogue session, and cancelling a registration."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.public.submission_forms import email_field
from portal.web.forms import BaseForm, vietnamese_phone

MATTER_KIND_CHOICES = (
    ("complaint", _l("Complaint")),
    ("denunciation", _l("Denunciation")),
    ("petition", _l("Petition")),
    ("reflection", _l("Reflection")),
    ("question", _l("Question or opinion")),
)


class DialogueRegistrationForm(BaseForm):
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Enter your full name.")), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    phone = StringField(
        _l("Phone"),
        description=_l("A phone number or an email: at least one."),
        validators=[Optional(), Length(max=20), vietnamese_phone],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    email = email_field()
    matter_kind = SelectField(
        _l("Kind of matter"),
        choices=[SelectChoice(value, label) for value, label in MATTER_KIND_CHOICES],
        default="question",
        validators=[InputRequired()],
    )
    matter = TextAreaField(
        _l("Your matter"),
        description=_l("In a few sentences: what you want to raise with the Director."),
        validators=[DataRequired(_l("Describe your matter.")), Length(max=5000)],
        render_kw={"rows": 4},
    )
    question = TextAreaField(
        _l("Question to send in advance (optional)"),
        validators=[Optional(), Length(max=3000)],
        render_kw={"rows": 3},
    )
    consent = BooleanField(
        _l("I agree that the department processes my personal data to organise this session."),
        validators=[DataRequired(_l("Tick the box to agree, or we cannot register you."))],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if not self.phone.data and not self.email.data:
            self.phone.errors = [
                *self.phone.errors,
                _l("Give a phone number or an email so that we can reach you."),
            ]
            valid = False
        return valid


class CancelRegistrationForm(BaseForm):
    code = StringField(
        _l("Registration code"),
        description=_l("The code shown when you registered, for example 7QK2-M9XA-C3HT-W5ZB-RM."),
        validators=[DataRequired(_l("Enter your registration code.")), Length(max=64)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
