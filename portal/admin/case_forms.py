from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.web.forms import BaseForm, DayField


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


class CaseActionForm(BaseForm):
    """One form shape for every workflow action; each action shows the fields it needs."""

    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    ground = SelectField(_l("Ground"), validators=[Optional()], validate_choice=False)
    body = StringField(
        _l("Body the letter is forwarded to"), validators=[Optional(), Length(max=300)]
    )
    day = DayField(_l("Date the signed letter was received"), validators=[Optional()])
    answer = TextAreaField(
        _l("Answer to the citizen"),
        description=_l("Published on the citizen's status page once a leader approves it."),
        validators=[Optional(), Length(max=20000)],
    )
    answer_files = MultipleFileField(
        _l("Documents the answer relies on"),
        description=_l("Shown to the citizen with the answer once it is approved."),
    )
    earlier = StringField(_l("Number of the earlier case"), validators=[Optional(), Length(max=20)])
    assignee = SelectField(_l("Official"), validators=[Optional()], validate_choice=False)
    division = SelectField(_l("Division"), validators=[Optional()], validate_choice=False)
    complexity = SelectField(
        _l("Complexity"),
        choices=[
            SelectChoice("normal", _l("Normal")),
            SelectChoice("complex", _l("Complex")),
            SelectChoice("very_complex", _l("Very complex")),
        ],
        validators=[Optional()],
    )
    remote_area = BooleanField(_l("Remote area (vùng sâu, vùng xa)"))


class QueueForm(BaseForm):
    """The queue's filters: a GET form."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), validators=[Optional()], validate_choice=False)
    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=False)
    due = SelectField(_l("Deadline"), validators=[Optional()], validate_choice=False)
    mine = BooleanField(_l("Only my cases"))
