"""Every label of every admin and public form says in Vietnamese what was meant.

The test builds each form class of portal/admin/*forms.py and portal/public/*forms.py (as a
page would, in Vietnamese) and reads each visible field's label. It checks:

(a) one Vietnamese text, one meaning: two different English msgids whose Vietnamese
    translations are the same text are either listed below as synonyms, or one of them was
    translated for another meaning. (This is how "Name" of an API token read "Họ và tên", a
    person's full name, and an article's "Source" read "Căn cứ", a legal basis.)
(b) a date field says it asks for a date: every DayField, LocalDateTimeField, wtforms date or
    date-time field, and every input of type date or datetime-local, has a Vietnamese label
    containing one of the words DATE_WORDS: "ngày" (day), "hạn" (time limit, due), "lúc" (at,
    a clock time), "thời điểm" (moment) or "thời gian" (time). (This is how the periodic
    generator's first day, msgid "From", read "Người gửi": the sender of a letter.)
(c) every visible label is a translatable msgid (lazy_gettext), never a literal.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import LazyString, force_locale
from wtforms import Form
from wtforms.fields import DateField, DateTimeField, DateTimeLocalField, HiddenField

from portal.admin.dialogue_forms import LocalDateTimeField
from portal.web.forms import DayField

PORTAL = Path(__file__).resolve().parents[2] / "portal"

# Different English words for one meaning, rightly one Vietnamese text.
SYNONYMS = (
    frozenset({"Subject", "Title"}),  # Tiêu đề
    frozenset({"Body", "Content"}),  # Nội dung
    frozenset({"Channel", "How it arrived"}),  # Nguồn đơn
    frozenset({"Status", "Statuses"}),  # Tình trạng
    frozenset({"Place", "Where"}),  # Địa điểm
    frozenset({"Ground", "Source"}),  # Căn cứ: a legal ground, the document behind a day off
)
DATE_WORDS = ("ngày", "hạn", "lúc", "thời điểm", "thời gian")
DATE_FIELDS = (DayField, LocalDateTimeField, DateField, DateTimeField, DateTimeLocalField)


def _form_classes() -> Iterator[type[Form]]:
    for package in ("admin", "public"):
        for path in sorted((PORTAL / package).glob("*forms.py")):
            module = importlib.import_module(f"portal.{package}.{path.stem}")
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, Form) and cls.__module__ == module.__name__:
                    yield cls


def _labels(app: Flask) -> list[tuple[str, str | None, str, bool]]:
    """(form.field, msgid, Vietnamese label, is a date field) of every visible field."""
    rows = []
    with app.test_request_context(), force_locale("vi"):
        for cls in _form_classes():
            form = cls(meta={"csrf": False})
            for field in form:
                if isinstance(field, HiddenField):
                    continue
                text = field.label.text
                msgid = text._args[0] if isinstance(text, LazyString) else None
                kind = (field.render_kw or {}).get("type")
                is_date = isinstance(field, DATE_FIELDS) or kind in ("date", "datetime-local")
                rows.append((f"{cls.__name__}.{field.name}", msgid, str(text), is_date))
    return rows


@pytest.fixture(scope="module")
def labels(app: Flask) -> list[tuple[str, str | None, str, bool]]:
    rows = _labels(app)
    assert len(rows) > 100  # every form was found and built
    return rows


def test_every_label_is_translatable(labels) -> None:
    assert [where for where, msgid, _vi, _date in labels if msgid is None] == []


def test_one_vietnamese_label_one_meaning(labels) -> None:
    by_text: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for where, msgid, vi, _date in labels:
        by_text[vi][msgid or ""].append(where)
    shared = {
        vi: dict(msgids)
        for vi, msgids in by_text.items()
        if len(msgids) > 1 and frozenset(msgids) not in SYNONYMS
    }
    assert shared == {}, "one Vietnamese label for different msgids: check the meaning"


def test_date_fields_say_they_ask_for_a_date(labels) -> None:
    words = re.compile(r"\b(" + "|".join(DATE_WORDS) + r")\b", re.IGNORECASE)
    dates = [(where, vi) for where, _msgid, vi, is_date in labels if is_date]
    assert len(dates) > 20
    assert [(where, vi) for where, vi in dates if not words.search(vi)] == []


def test_the_periodic_generator_asks_for_its_start_date(labels) -> None:
    assert ("GenerateForm.start", "Start date", "Ngày bắt đầu", True) in labels
