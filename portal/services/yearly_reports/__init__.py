"""The yearly mass-mobilisation report: rounds, divisions' reports, compiling, reminders.

The Office (Permission.MANAGE_REPORTING) opens a round for a year; every division with an
active official gets a report row. A division's officials (Permission.WRITE_DIVISION_REPORT)
write and submit their own division's report only; the Office reads all of them, returns one
with a reason, and compiles the consolidated report. Figures the portal knows are computed by
`portal.services.statistics` and stored as a snapshot when a report is submitted and when the
round is compiled, so the documents do not change afterwards. Every change is audited.

The parts live in submodules: `reporting_rounds`, `figures`, `division_reports`, `office`
(the consolidated report) and `reminders`, with what they share in `common`; every name is
importable from this package as before.
"""

from portal.services.yearly_reports.common import Figures, ReportError, local_day
from portal.services.yearly_reports.division_reports import (
    may_read,
    may_write,
    return_report,
    save_draft,
    submit,
)
from portal.services.yearly_reports.figures import compute_figures, figures_from, shown_figures
from portal.services.yearly_reports.office import (
    compile_round,
    draft_office_sections,
    office_figures,
    reopen_round,
    save_office_sections,
)
from portal.services.yearly_reports.reminders import send_reminders
from portal.services.yearly_reports.reporting_rounds import (
    OverviewRow,
    RoundDates,
    change_dates,
    open_round,
    overview,
    report_of,
    reporting_divisions,
    rounds,
)

__all__ = [
    "Figures",
    "OverviewRow",
    "ReportError",
    "RoundDates",
    "change_dates",
    "compile_round",
    "compute_figures",
    "draft_office_sections",
    "figures_from",
    "local_day",
    "may_read",
    "may_write",
    "office_figures",
    "open_round",
    "overview",
    "reopen_round",
    "report_of",
    "reporting_divisions",
    "return_report",
    "rounds",
    "save_draft",
    "save_office_sections",
    "send_reminders",
    "shown_figures",
    "submit",
]
