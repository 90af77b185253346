from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import AnyOf

from portal.web.forms import BaseForm


class LanguageForm(BaseForm):
    """Changes only a preference cookie, so it carries no CSRF token: that keeps public
    pages identical for every anonymous reader, and cacheable."""

    class Meta:
        csrf = False

    language = HiddenField(validators=[AnyOf(["vi", "en"])])
    next = HiddenField()
