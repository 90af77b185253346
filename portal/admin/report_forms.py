"""Forms of the yearly mass-mobilisation report: the round, a division's report, the Office's."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.domain import yearly_report as rules
from portal.web.forms import BaseForm, DayField

_PROBLEM_MESSAGES = {
    "missing": _l("Write this section before submitting the report."),
    "too_long": _l("This section is too long."),
}


class DatesForm(BaseForm):
    """The deadlines and the period of the figures."""

    division_due_on = DayField(_l("Divisions report to the Office by"), validators=[DataRequired()])
    office_due_on = DayField(_l("The Office reports to the Board by"), validators=[DataRequired()])
    period_start = DayField(_l("Figures from"), validators=[DataRequired()])
    period_end = DayField(_l("Figures until"), validators=[DataRequired()])

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        valid = True
        if self.office_due_on.checked_day < self.division_due_on.checked_day:
            self.office_due_on.errors = [
                _l("The Office's deadline cannot be before the divisions' deadline.")
            ]
            valid = False
        if self.period_end.checked_day < self.period_start.checked_day:
            self.period_end.errors = [_l("The end of the period cannot be before its start.")]
            valid = False
        return valid


class OpenRoundForm(DatesForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2020, max=2100)])

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.period_start.checked_day.year != self.year.data:
            self.period_start.errors = [_l("The period must start in the year of the report.")]
            return False
        return True


def _with_sections(form_class: type[BaseForm]) -> type[BaseForm]:
    """Add one text area per section of the plan, labelled and hinted in the reader's
    language (the msgids are marked in portal.domain.yearly_report)."""
    for section in rules.SECTIONS:
        setattr(
            form_class,
            section.id,
            TextAreaField(
                _l(section.label),  # the msgids are marked with N_ where they are defined
                description=_l(section.hint),
                validators=[Optional(), Length(max=rules.MAX_SECTION_LENGTH)],
                render_kw={"rows": 8},
            ),
        )
    return form_class


class SectionsForm(BaseForm):
    """The sections' text, one text area per section of the plan."""

    def sections(self) -> dict[str, str]:
        return {section.id: self[section.id].data or "" for section in rules.SECTIONS}

    def show_problems(self, problems: dict[str, str]) -> None:
        """Put the domain's findings ("missing", "too_long") on the sections' fields."""
        for section_id, code in problems.items():
            self[section_id].errors = [_PROBLEM_MESSAGES[code]]

    def check_complete(self) -> bool:
        """Submitting or compiling: every required section must be written."""
        problems = rules.problems(self.sections(), submitting=True)
        self.show_problems(problems)
        return not problems


@_with_sections
class DivisionReportForm(SectionsForm):
    pass


@_with_sections
class OfficeReportForm(SectionsForm):
    document_number = StringField(
        _l("Document number"),
        description=_l('The register number, for example "125" or "125/BC-STTTT".'),
        validators=[Optional(), Length(max=60)],
    )


class ReopenForm(BaseForm):
    reason = TextAreaField(
        _l("Why the compiled report is reopened"),
        validators=[DataRequired(), Length(max=rules.MAX_REASON_LENGTH)],
        render_kw={"rows": 3},
    )


class ReturnForm(BaseForm):
    reason = TextAreaField(
        _l("Why the report goes back to the division"),
        validators=[DataRequired(), Length(max=rules.MAX_REASON_LENGTH)],
        render_kw={"rows": 3},
    )
