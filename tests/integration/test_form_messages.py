"""WTForms' own messages (for example a number field's "Not a valid integer value.") come
from a catalogue read once per process, in the page's language, not once per request."""

from __future__ import annotations

from babel import support
from flask import Flask
from werkzeug.datastructures import MultiDict

from portal.public.submission_forms import FORMS
from portal.web import forms as web_forms


def test_the_catalogue_is_read_once_and_follows_the_language(app: Flask, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    reads: list[list[str]] = []
    load = support.Translations.load

    def counted(dirname, locales, domain):  # type: ignore[no-untyped-def]
        reads.append([str(locale) for locale in locales])
        return load(dirname, locales, domain)

    monkeypatch.setattr(support.Translations, "load", counted)
    web_forms._wtforms_messages.cache_clear()
    messages = []
    for language in ("en", "en", "vi", "vi", "en"):
        with app.test_request_context(
            "/gui-don/phan-anh", method="POST", headers={"Cookie": f"lang={language}"}
        ):
            form = FORMS["reflection"](formdata=MultiDict({"people_count": "nhiều"}))
            messages.append(str(form.people_count.process_errors[-1]))
    assert reads == [["en"], ["vi"]]
    assert messages[0] == messages[1] == messages[4] == "Not a valid integer value."
    web_forms._wtforms_messages.cache_clear()


def test_without_translations_the_forms_use_wtforms_own_words(app: Flask, config_override) -> None:  # type: ignore[no-untyped-def]
    config_override(WTF_I18N_ENABLED=False)
    with app.test_request_context(
        "/gui-don/phan-anh", method="POST", headers={"Cookie": "lang=vi"}
    ):
        form = FORMS["reflection"](formdata=MultiDict({"people_count": "nhiều"}))
        assert str(form.people_count.process_errors[-1]) == "Not a valid integer value."
