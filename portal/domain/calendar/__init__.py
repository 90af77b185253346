"""Working-day calendar for a Vietnamese state agency.

A working day is Monday to Friday unless it is an official day off, plus the make-up
Saturdays ("đi làm bù") announced when the Government swaps days (Decision 188/1999/QĐ-TTg,
Labour Code 2019 Arts. 111-112).

Layers, each applied on top of the previous one:

1. Baseline: the pinned ``holidays`` package (``country_holidays("VN")``), including its
   make-up Saturdays (``weekend_workdays``).
2. Built-in corrections (:data:`BUILTIN_CORRECTIONS`): what the pinned package gets wrong
   according to the legal research (docs/legal-basis.md §7.4 and §10).
3. Overrides kept in the database by the administrators (extra days off, make-up working
   days, removed holidays). They win over both layers above, so an administrator can also
   undo a built-in correction (e.g. mark 24/11 as a day off once the Labour Code is amended).

Nothing here reads the clock: "today" is always an argument.

Modules: :mod:`.model` (time zone, :class:`Override`, :class:`DayInfo`), :mod:`.labels`
(wording), :mod:`.corrections` (the holiday and Tết data that corrects the package),
:mod:`.working` (:class:`WorkingCalendar`, the computation) and :mod:`.reception` (monthly
reception dates). Every name is re-exported here; import from ``portal.domain.calendar``.
"""

from portal.domain.calendar.corrections import (
    BUILTIN_CORRECTIONS,
    BUILTIN_NAME_CORRECTIONS,
    CULTURE_DAY_CORRECTIONS,
    CULTURE_DAY_LAST_YEAR,
    ONE_OFF_CORRECTIONS,
)
from portal.domain.calendar.labels import (
    OVERRIDE_KIND_LABELS,
    POLICY_LABELS,
    REASON_LABELS,
    WEEKDAY_LABELS,
)
from portal.domain.calendar.model import (
    OVERRIDE_KINDS,
    VIETNAM_TZ,
    DayInfo,
    Override,
    OverrideKind,
    ReceptionPolicy,
    override_kind,
)
from portal.domain.calendar.reception import monthly_reception_dates
from portal.domain.calendar.working import BASELINE_SOURCE, WorkingCalendar

__all__ = [
    "BASELINE_SOURCE",
    "BUILTIN_CORRECTIONS",
    "BUILTIN_NAME_CORRECTIONS",
    "CULTURE_DAY_CORRECTIONS",
    "CULTURE_DAY_LAST_YEAR",
    "ONE_OFF_CORRECTIONS",
    "OVERRIDE_KINDS",
    "OVERRIDE_KIND_LABELS",
    "POLICY_LABELS",
    "REASON_LABELS",
    "VIETNAM_TZ",
    "WEEKDAY_LABELS",
    "DayInfo",
    "Override",
    "OverrideKind",
    "ReceptionPolicy",
    "WorkingCalendar",
    "monthly_reception_dates",
    "override_kind",
]
