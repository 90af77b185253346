"""Forms of the officials' pages for reception and dialogue sessions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from portal.domain.dialogues import VIETNAM
from portal.web.forms import BaseForm, DayField, citizen_id, vietnamese_phone

KIND_CHOICES = (
    ("periodic", _l("Periodic citizen reception")),
    ("unscheduled", _l("Unscheduled citizen reception")),
    ("dialogue", _l("Thematic dialogue")),
)
MODE_CHOICES = (
    ("in_person", _l("In person")),
    ("online", _l("Online")),
    ("both", _l("In person and online")),
)
STATUS_CHOICES = (
    ("scheduled", _l("Scheduled")),
    ("held", _l("Held")),
    ("cancelled", _l("Cancelled")),
    ("moved", _l("Moved")),
)
POLICY_CHOICES = (
    ("next_working_day", _l("Move to the next working day")),
    ("weekday_after", _l("Move to the next chosen weekday that is a working day")),
)
WEEKDAY_CHOICES = (
    ("0", _l("Monday")),
    ("1", _l("Tuesday")),
    ("2", _l("Wednesday")),
    ("3", _l("Thursday")),
    ("4", _l("Friday")),
)


def _choices(pairs: tuple[tuple[str, Any], ...]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class LocalDateTimeField(StringField):
    """A date and time typed in Vietnam time (datetime-local); ``moment`` is aware UTC."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {})["type"] = "datetime-local"
        super().__init__(*args, **kwargs)
        self.moment: datetime | None = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        self.moment = None
        text = (self.data or "").strip()
        if not text:
            return
        for pattern in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"):
            try:
                local = datetime.strptime(text, pattern).replace(tzinfo=VIETNAM)
            except ValueError:
                continue
            self.moment = local.astimezone(UTC)
            return
        raise ValueError(_l("Enter a date and time, for example 15/02/2026 07:30."))

    @property
    def checked_moment(self) -> datetime:
        """The moment of a required field, once its form has validated."""
        if self.moment is None:
            raise ValueError(f"{self.name} has no valid moment: validate the form first")
        return self.moment

    def process_data(self, value: Any) -> None:
        self.moment = value if isinstance(value, datetime) else None
        self.data = (
            value.astimezone(VIETNAM).strftime("%Y-%m-%dT%H:%M")
            if isinstance(value, datetime)
            else value
        )

    def _value(self) -> str:
        if self.moment is not None:
            return self.moment.astimezone(VIETNAM).strftime("%Y-%m-%dT%H:%M")
        return self.data or ""


class DialogueForm(BaseForm):
    kind = SelectField(_l("Kind"), choices=_choices(KIND_CHOICES), validators=[InputRequired()])
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Write the title.")), Length(max=300)]
    )
    topic = TextAreaField(_l("Topic"), validators=[Optional(), Length(max=5000)])
    starts_at = LocalDateTimeField(
        _l("Starts at"),
        description=_l("Vietnam time."),
        validators=[DataRequired(_l("Enter when the session starts."))],
    )
    ends_at = LocalDateTimeField(
        _l("Ends at"),
        description=_l("Vietnam time."),
        validators=[DataRequired(_l("Enter when the session ends."))],
    )
    mode = SelectField(_l("How"), choices=_choices(MODE_CHOICES), validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    online_link = StringField(
        _l("Online link"),
        description=_l("Shown only to people who registered, never on the public page."),
        validators=[Optional(), Length(max=500), URL(require_tld=False)],
    )
    host_name = StringField(
        _l("Host"), validators=[DataRequired(_l("Enter who hosts the session.")), Length(max=200)]
    )
    host_is_head = BooleanField(_l("The host is the head of the department (Director)"))
    capacity = IntegerField(
        _l("Seats"),
        default=30,
        validators=[InputRequired(_l("Enter a number.")), NumberRange(min=0, max=10000)],
    )
    registration_opens_at = LocalDateTimeField(
        _l("Registration opens at"), description=_l("Optional. Vietnam time.")
    )
    registration_closes_at = LocalDateTimeField(
        _l("Registration closes at"), description=_l("Optional. Vietnam time.")
    )
    status = SelectField(
        _l("Status"), choices=_choices(STATUS_CHOICES), validators=[InputRequired()]
    )
    public_note = TextAreaField(
        _l("Public note"),
        description=_l("Shown on the public page, e.g. why the session was moved."),
        validators=[Optional(), Length(max=3000)],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        start, end = self.starts_at.moment, self.ends_at.moment
        if start and end and end <= start:
            self.ends_at.errors = [*self.ends_at.errors, _l("The end must be after the start.")]
            valid = False
        opens, closes = self.registration_opens_at.moment, self.registration_closes_at.moment
        if opens and closes and closes <= opens:
            self.registration_closes_at.errors = [
                *self.registration_closes_at.errors,
                _l("Registration must close after it opens."),
            ]
            valid = False
        return valid


class GenerateForm(BaseForm):
    start = DayField(
        _l("Start date"), validators=[DataRequired(_l("Enter the first day to consider."))]
    )
    day_of_month = IntegerField(
        _l("Day of the month"),
        default=15,
        validators=[InputRequired(), NumberRange(min=1, max=31)],
    )
    policy = SelectField(_l("When that day is not a working day"), choices=_choices(POLICY_CHOICES))
    weekday = SelectField(
        _l("Weekday (for the second rule)"), choices=_choices(WEEKDAY_CHOICES), default="0"
    )
    starts = StringField(
        _l("Starts at (time)"),
        default="07:30",
        validators=[DataRequired(), Length(max=5)],
        render_kw={"type": "time"},
    )
    ends = StringField(
        _l("Ends at (time)"),
        default="11:00",
        validators=[DataRequired(), Length(max=5)],
        render_kw={"type": "time"},
    )
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Write the title.")), Length(max=300)],
    )
    host_name = StringField(
        _l("Host"), validators=[DataRequired(_l("Enter who hosts the session.")), Length(max=200)]
    )
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    capacity = IntegerField(
        _l("Seats"), default=30, validators=[InputRequired(), NumberRange(min=0, max=10000)]
    )


class ActionForm(BaseForm):
    """A button that posts: check-in, publish, mark done. The value comes from the button."""


class ConclusionsForm(BaseForm):
    minutes = TextAreaField(
        _l("Minutes (internal)"), validators=[Optional(), Length(max=50_000)], render_kw={"rows": 6}
    )
    conclusions = TextAreaField(
        _l("Conclusions"),
        description=_l("Published on the session's public page once you publish them."),
        validators=[Optional(), Length(max=20_000)],
        render_kw={"rows": 6},
    )


class FollowUpForm(BaseForm):
    conclusion = TextAreaField(
        _l("Conclusion to follow up"),
        validators=[DataRequired(_l("Write the conclusion.")), Length(max=3000)],
        render_kw={"rows": 2},
    )
    division_id = SelectField(_l("Responsible division"), coerce=int, validators=[Optional()])
    due_on = DayField(_l("Due date"), validators=[DataRequired(_l("Enter the due date."))])


MATTER_KIND_CHOICES = (
    ("complaint", _l("Complaint")),
    ("denunciation", _l("Denunciation")),
    ("petition", _l("Petition")),
    ("reflection", _l("Reflection")),
    ("question", _l("Question or opinion")),
)
CASE_KIND_CHOICES = MATTER_KIND_CHOICES[:4]
RECEPTION_KIND_CHOICES = (
    ("periodic", _l("Periodic reception by the Director")),
    ("unscheduled", _l("Unscheduled reception")),
    ("regular", _l("Regular reception")),
)


class WalkInForm(BaseForm):
    """A citizen who came on the day without registering."""

    name = StringField(
        _l("Full name"), validators=[DataRequired(_l("Enter the full name.")), Length(max=200)]
    )
    phone = StringField(
        _l("Phone"),
        description=_l("Optional."),
        validators=[Optional(), Length(max=20), vietnamese_phone],
    )
    matter_kind = SelectField(
        _l("Kind of matter"),
        choices=_choices(MATTER_KIND_CHOICES),
        default="question",
        validators=[InputRequired()],
    )
    matter = TextAreaField(
        _l("What the citizen raises"),
        validators=[DataRequired(_l("Describe the matter.")), Length(max=5000)],
        render_kw={"rows": 3},
    )
    consent = BooleanField(
        _l("The citizen agreed that the department processes their personal data"),
        validators=[DataRequired(_l("Ask the citizen's consent and tick the box."))],
    )


class CaseFromRegistrationForm(BaseForm):
    """Check and adjust, then turn what a citizen raised into a case received in person."""

    kind = SelectField(
        _l("Kind"), choices=_choices(CASE_KIND_CHOICES), validators=[InputRequired()]
    )
    subject = StringField(
        _l("Subject"),
        validators=[DataRequired(_l("Write the subject in a few words.")), Length(max=200)],
    )
    content = TextAreaField(
        _l("Content"),
        validators=[DataRequired(_l("Describe what happened.")), Length(max=10000)],
        render_kw={"rows": 6},
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    citizen_id_number = StringField(_l("Citizen ID number"), validators=[Optional(), citizen_id])
    signed = BooleanField(_l("The citizen signed the record of the reception"))
    reception_kind = SelectField(
        _l("Reception"), choices=_choices(RECEPTION_KIND_CHOICES), validators=[InputRequired()]
    )
    note = TextAreaField(
        _l("Note for the reception register"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )
