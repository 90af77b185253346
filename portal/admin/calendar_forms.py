from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.web.forms import BaseForm, DayField


class DeadlineCalculatorForm(BaseForm):
    """A GET form: computing a date changes nothing, so no CSRF token is needed."""

    class Meta:
        csrf = False

    rule = SelectField(_l("Deadline rule"), validators=[DataRequired(_l("Choose a rule."))])
    start = DayField(
        _l("Start date (the day the clock starts; not counted)"),
        description=_l("dd/mm/yyyy, for example the day the letter was received."),
        validators=[DataRequired(_l("Enter the start date."))],
    )
    complex_case = BooleanField(_l("Complex case"))
    very_complex = BooleanField(_l("Very complex case"))
    remote_area = BooleanField(_l("Remote area (vùng sâu, vùng xa)"))
    multi_place = BooleanField(_l("Verification needed at several places"))
    extensions = IntegerField(
        _l("Number of extensions"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=10, message=_l("From 0 to 10."))],
    )
    paused_days = IntegerField(
        _l("Days paused (suspension)"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=3650, message=_l("From 0 to 3650."))],
    )


class OverrideForm(BaseForm):
    day = DayField(_l("Date"), validators=[DataRequired(_l("Enter the date."))])
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("day_off", _l("Extra day off")),
            SelectChoice("working_day", _l("Make-up working day")),
            SelectChoice("not_day_off", _l("Not a day off (removes a holiday)")),
        ],
        validators=[InputRequired()],
    )
    note = StringField(
        _l("Note"),
        description=_l("What the day is, as officials should read it."),
        validators=[DataRequired(_l("Enter a note.")), Length(max=300)],
    )
    source = StringField(
        _l("Source"),
        description=_l("The document that decides it, e.g. VPCP 12729/VPCP-KGVX."),
        validators=[DataRequired(_l("Enter the source document.")), Length(max=200)],
    )


class DeleteOverrideForm(BaseForm):
    pass
