"""Form pieces shared by every blueprint: normalisation and the base form."""

from __future__ import annotations

import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm


def normalise_text(value: Any) -> Any:
    """Strip and convert to Unicode NFC (Vietnamese keyboards may send NFD)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip())
    return value


class BaseForm(FlaskForm):
    """Every text field is stripped and NFC-normalised; CSRF errors read as plain language."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = list(unbound_field.kwargs.get("filters", []))
            filters.append(normalise_text)
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        csrf_field = getattr(self, "csrf_token", None)
        if csrf_field is not None and csrf_field.errors:
            csrf_field.errors = [
                _l("This form has expired. Check what you entered and send it again.")
            ]
        return valid
