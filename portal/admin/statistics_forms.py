"""The statistics period form and the extra queue filters a figure's link carries: GET forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from portal.domain import periods
from portal.web.forms import BaseForm, DayField

PERIOD_KINDS = (
    ("month", _l("Month")),
    ("quarter", _l("Quarter")),
    ("year", _l("Year")),
    ("custom", _l("From a day to a day")),
)


class StatisticsForm(BaseForm):
    """Which period and division the statistics are for."""

    class Meta:
        csrf = False

    ky = SelectField(
        _l("Period"),
        choices=[SelectChoice(value, label) for value, label in PERIOD_KINDS],
        default="month",
        validators=[Optional()],
    )
    nam = IntegerField(
        _l("Year"), validators=[Optional(), NumberRange(min=2000, max=2100)], default=None
    )
    thang = SelectField(
        _l("Month"),
        choices=[SelectChoice(str(m), str(m)) for m in range(1, 13)],
        validators=[Optional()],
    )
    quy = SelectField(
        _l("Quarter"),
        choices=[SelectChoice(str(q), str(q)) for q in range(1, 5)],
        validators=[Optional()],
    )
    tu = DayField(_l("From (custom period)"), description=_l("For example 01/02/2026."))
    den = DayField(_l("To (custom period)"), description=_l("For example 28/02/2026."))
    phong = SelectField(_l("Division"), validators=[Optional()], validate_choice=False)

    def validate_den(self, field: Any) -> None:
        if self.ky.data != "custom":
            return
        if self.tu.day is None or field.day is None:
            raise ValidationError(_l("Give both days of a custom period."))
        if field.day < self.tu.day:
            raise ValidationError(_l("The last day is before the first day."))
        if (field.day - self.tu.day).days + 1 > periods.MAX_CUSTOM_DAYS:
            raise ValidationError(_l("A custom period is at most three years."))


class CaseListFilters(BaseForm):
    """Filters a statistics figure puts on the queue (and its export), so the list behind a
    number is exactly the cases it counts."""

    class Meta:
        csrf = False

    received_from = DayField(_l("Received from"))
    received_to = DayField(_l("Received until"))
    channel = StringField(_l("Channel"), validators=[Optional()])
    field = StringField(_l("Field"), validators=[Optional()])
    statuses = SelectMultipleField(_l("Statuses"), validators=[Optional()], validate_choice=False)
    competence = SelectField(
        _l("Competence"),
        choices=[SelectChoice(value, value) for value in ("", "within", "outside")],
        validators=[Optional()],
    )
    open_on = DayField(_l("Open when this day began"))
    answered_from = DayField(_l("Answered from"))
    answered_to = DayField(_l("Answered until"))
    met_from = DayField(_l("Deadline met from"))
    met_to = DayField(_l("Deadline met until"))
    met = SelectField(
        _l("Deadline met"),
        choices=[SelectChoice(value, value) for value in ("", "any", "on_time", "late")],
        validators=[Optional()],
    )
    rule = StringField(_l("Deadline rule"), validators=[Optional()])
    rating = IntegerField(_l("Rating"), validators=[Optional(), NumberRange(min=0, max=5)])
    division = IntegerField(_l("Division"), validators=[Optional()])
