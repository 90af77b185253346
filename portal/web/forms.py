"""Form pieces shared by every blueprint: normalisation and the base form."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from gettext import NullTranslations
from typing import Any

from babel import support
from flask import current_app
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError
from wtforms.widgets import DateInput

from portal.domain.contacts import normalise_citizen_id, normalise_phone


def normalise_text(value: Any) -> Any:
    """Strip and convert to Unicode NFC (Vietnamese keyboards may send NFD)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip())
    return value


@lru_cache(maxsize=8)
def _wtforms_messages(locale: str) -> NullTranslations:
    """WTForms' own messages in `locale`, read from disk once per process (Flask-WTF reads
    them again in every request that builds a form)."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class BaseForm(FlaskForm):
    """Every text field is stripped and NFC-normalised; CSRF errors read as plain language."""

    class Meta:
        def get_translations(self, form: Any) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                # WTForms makes one class of the Meta classes of a form's bases: super() is
                # Flask-WTF's and WTForms' own.
                return super().get_translations(form)  # type: ignore[misc]
            return _wtforms_messages(str(get_locale() or ""))

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


class DayField(StringField):
    """A date typed as dd/mm/yyyy or picked in the browser's date picker (yyyy-mm-dd)."""

    widget = DateInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.day: date | None = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        self.day = None
        text = (self.data or "").strip()
        if not text:
            return
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                self.day = datetime.strptime(text, pattern).date()
                return
            except ValueError:
                continue
        raise ValueError(_l("Enter a date as dd/mm/yyyy, for example 05/01/2026."))

    @property
    def checked_day(self) -> date:
        """The day of a required field, once its form has validated."""
        if self.day is None:
            raise ValueError(f"{self.name} has no valid day: validate the form first")
        return self.day

    def process_data(self, value: Any) -> None:
        self.day = value if isinstance(value, date) else None
        self.data = value.isoformat() if isinstance(value, date) else value

    def _value(self) -> str:
        return self.day.isoformat() if self.day else (self.data or "")


FIELD_CHOICES = (
    ("press", _l("Press")),
    ("publishing", _l("Publishing, printing and distribution")),
    ("post", _l("Postal services")),
    ("telecom", _l("Telecommunications and the Internet")),
    ("it", _l("Information technology and digital transformation")),
    ("broadcast", _l("Radio, television and electronic information")),
    ("grassroots", _l("Grassroots information")),
    ("administration", _l("Administrative procedures and officials' conduct")),
    ("other", _l("Other")),
)


Validator = Callable[[Any, Any], None]


def phone_check(message: LazyString | str) -> Validator:
    """A validator that puts a Vietnamese phone number in E.164 form, or refuses it with
    `message` (the pages show an example as typed, the API the form it documents)."""

    def check(form: Any, field: Any) -> None:
        if field.data:
            normalised = normalise_phone(field.data)
            if normalised is None:
                raise ValidationError(message)
            field.data = normalised

    return check


vietnamese_phone = phone_check(_l("Enter a Vietnamese phone number, for example 0912 345 678."))


def citizen_id(form: Any, field: Any) -> None:
    if field.data:
        normalised = normalise_citizen_id(field.data)
        if normalised is None:
            raise ValidationError(_l("A citizen ID number has exactly 12 digits."))
        field.data = normalised
