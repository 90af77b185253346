from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import AnyOf

from portal.forms import BaseForm


class LanguageForm(BaseForm):
    language = HiddenField(validators=[AnyOf(["vi", "en"])])
    next = HiddenField()
