from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.forms import BaseForm


class RevealIdentityForm(BaseForm):
    reason = TextAreaField(
        _l("Reason for revealing the identity"),
        description=_l("Recorded in the audit log, with your name and the time."),
        validators=[
            DataRequired(_l("Give the reason.")),
            Length(min=10, max=1000, message=_l("Between 10 and 1000 characters.")),
        ],
    )
    passphrase = PasswordField(
        _l("Custodian passphrase"),
        validators=[DataRequired(_l("Enter the custodian passphrase.")), Length(max=500)],
        render_kw={"autocomplete": "off"},
    )
