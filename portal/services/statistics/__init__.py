"""Statistics of the department's work for a period, counted by the database.

Every case figure is a sum of the tallies the database keeps per figure, day and division
(`tallies`, migration 0022): no case is read, so a year of a million cases answers in the
time a few thousand small rows take. A period is a span of
local (Asia/Ho_Chi_Minh) days, both ends included; `division_id` narrows the case figures
and the follow-ups to one division (sessions and articles belong to the whole department).

What the figures mean:

- **received**: cases whose `received_on` (the legal receipt date) falls in the period.
- **carried over**: cases received before the period that were still open when it began:
  now open; or answered (`answered_on`) on or after its first day; or ended in another final
  status (guided, forwarded, not accepted, filed, withdrawn) by an event on or after its
  first day. A case answered before the period and reopened later counts as open.
- **outcomes** of the cases received in the period, by their status today: accepted (thụ lý:
  accepted, in progress, suspended, resolved, closed), refused (not accepted), guided,
  forwarded, filed, withdrawn, and not yet classified (still "received").
- **outside our competence**: guided, forwarded, or refused on the ground "outside
  competence"; **within**: every other classified case; the rest are not yet classified.
- **resolved**: cases whose answer was approved in the period (`answered_on` in it); days to
  resolve are calendar days from `received_on` to `answered_on`.
- **on time, per deadline rule**: deadlines of cases met in the period (`met_on` in it) by
  doing the work, i.e. not stopped (`stopped_reason` empty); on time when `met_on <= due_on`.
  Due dates were computed on the working-day calendar (Tết, day swaps) when the clock
  started, so the comparison needs no calendar here. On-time rate = on time / met.
- **open now / overdue now**: cases received up to the period's last day that are in an open
  status today; overdue when their nearest open deadline (`next_due_on`) is before today.
- **satisfaction**: ratings of the cases received in the period that were answered (resolved
  or closed: only those can be rated); response rate = rated / answered.
- **sessions**: reception and dialogue sessions starting in the period (local day); the head's
  monthly duty per month (Law 42/2013 Art. 18(2)): met when a session of the head in person
  was held that month, missed when the month is over without one, pending otherwise.
- **follow-ups** due in the period: done on time (`done_on <= due_on`), done late, not done.
- **articles**: articles published in the period (and not scheduled for later), per category.

The package: `conditions` (what is counted, shared with the queue), `figures` (the data),
`tallies` (reading `case_tallies`), `period` (`compute`), `activity` (sessions, follow-ups,
articles) and `headlines` (the public figures per month); every name is importable from the
package as before.
"""

from portal.services.statistics.conditions import (
    ACCEPTED_STATUSES,
    ANSWERED_STATUSES,
    ENDED_STATUSES,
    OUTCOMES,
    OUTSIDE_GROUND,
    RATINGS,
    day_start_utc,
    deadline_met_between,
    open_on,
    outside_competence,
    received_between,
    within_competence,
)
from portal.services.statistics.figures import CategoryCount, MonthDuty, RuleFigures, Statistics
from portal.services.statistics.headlines import Headline, public_headlines
from portal.services.statistics.period import compute

__all__ = [
    "ACCEPTED_STATUSES",
    "ANSWERED_STATUSES",
    "ENDED_STATUSES",
    "OUTCOMES",
    "OUTSIDE_GROUND",
    "RATINGS",
    "CategoryCount",
    "Headline",
    "MonthDuty",
    "RuleFigures",
    "Statistics",
    "compute",
    "day_start_utc",
    "deadline_met_between",
    "open_on",
    "outside_competence",
    "public_headlines",
    "received_between",
    "within_competence",
]
