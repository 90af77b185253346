"""Forms of the API tokens page: issue a token, revoke one."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from portal.web.forms import BaseForm


class ApiTokenForm(BaseForm):
    name = StringField(
        _l("Name of the system"),
        description=_l("The system that will use the token, e.g. Trung tâm IOC tỉnh."),
        validators=[DataRequired(_l("Enter the name of the system.")), Length(max=200)],
    )
    scope = RadioField(
        _l("What the token may do"),
        choices=[
            SelectChoice("read_cases", _l("Read the cases of one division")),
            SelectChoice("create_cases", _l("Send petitions and reflections")),
        ],
        default="read_cases",
        validators=[InputRequired(_l("Choose what the token may do."))],
    )
    division = SelectField(
        _l("Division"),
        description=_l("For a read token: the division whose cases it may read."),
        coerce=int,
        validate_choice=False,
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.scope.data == "read_cases" and not self.division.data:
            self.division.errors = [
                *self.division.errors,
                _l("A read token needs the division whose cases it may read."),
            ]
            valid = False
        return valid


class RevokeTokenForm(BaseForm):
    """Only the CSRF token: revoking takes no input."""
