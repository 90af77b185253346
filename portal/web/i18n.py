"""Language choice and Vietnamese date formats for templates."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, request
from flask_babel import format_date as babel_format_date
from flask_babel import format_datetime as babel_format_datetime
from flask_babel import get_locale

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    choice = request.cookies.get(LANGUAGE_COOKIE)
    if choice is not None and choice in current_app.config["LANGUAGES"]:
        return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_day(value: date | datetime | None) -> str:
    """dd/mm/yyyy, in Asia/Ho_Chi_Minh for datetimes."""
    if value is None:
        return ""
    return babel_format_date(value, "dd/MM/yyyy")


def format_moment(value: datetime | None) -> str:
    """HH:mm dd/mm/yyyy in Asia/Ho_Chi_Minh."""
    if value is None:
        return ""
    return babel_format_datetime(value, "HH:mm dd/MM/yyyy")


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def init_i18n(app: Flask) -> None:
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_moment, "moment")
    app.add_template_global(current_language)
