from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.web.forms import BaseForm


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ArticleForm(BaseForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Write the title.")), Length(max=300)]
    )
    summary = TextAreaField(
        _l("Summary"),
        description=_l("Two or three sentences shown in lists and when the link is shared."),
        validators=[DataRequired(_l("Write a short summary.")), Length(max=1000)],
        render_kw={"rows": 3},
    )
    body = TextAreaField(
        _l("Body"),
        description=_l(
            "Headings, lists, tables, bold, italic and links are kept; other formatting is "
            "removed when you save."
        ),
        validators=[DataRequired(_l("Write the article.")), Length(max=200_000)],
        render_kw={"rows": 18, "data-rich-text": "1"},
    )
    categories = CheckboxesField(_l("Categories"), coerce=int, validators=[Optional()])
    tags = StringField(
        _l("Tags"), description=_l("Separated by commas."), validators=[Length(max=300)]
    )
    source = StringField(_l("Source of the article"), validators=[Optional(), Length(max=200)])
    cover = FileField(_l("Cover image (JPG or PNG)"))
    cover_alt = StringField(
        _l("Description of the cover image"),
        description=_l(
            "Required with a cover image: what the picture shows, for people who cannot see it."
        ),
        validators=[Optional(), Length(max=300)],
    )
    related_links = TextAreaField(
        _l("Related pages on this site"),
        description=_l("One address per line, e.g. /lich-tiep-cong-dan/ or /thong-ke/."),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )


class PublishForm(BaseForm):
    publish_at = StringField(
        _l("Publish at (optional)"),
        description=_l("Leave empty to publish now; or a time, e.g. 2026-12-01 07:30."),
        validators=[Optional(), Length(max=20)],
        render_kw={"type": "datetime-local"},
    )


class StatusForm(BaseForm):
    pass
