"""Reception and dialogue sessions: scheduling, registrations, check-in, cases, conclusions.

The parts, each importing only those listed before it:

- ``base``: the service's error, queued e-mails and the audited commit;
- ``registration``: citizens registering, the waiting list, attendance and walk-ins;
- ``sessions``: creating, changing and listing sessions, the periodic receptions;
- ``cases``: a case raised from what a citizen brought to a session;
- ``follow_ups``: conclusions and the follow-up tasks they give divisions;
- ``calendar_feed``: the sessions as an .ics file.

Callers use the names below, e.g. ``dialogues.register``. (The registration module is singular
so that it does not clash with the ``registrations`` function re-exported here.)
"""

from portal.services.dialogues.base import DialogueError
from portal.services.dialogues.calendar_feed import ics_bytes
from portal.services.dialogues.cases import (
    CaseDraft,
    CaseFromRegistration,
    draft_for,
    idempotency_key,
    raise_case,
)
from portal.services.dialogues.follow_ups import (
    FollowUpItem,
    add_follow_up,
    division_names,
    open_follow_ups,
    save_conclusions,
    set_follow_up_status,
    unpublish_conclusions,
)
from portal.services.dialogues.registration import (
    ConfirmationEmail,
    PromotionEmail,
    RegistrationData,
    RegistrationReceipt,
    ReminderEmail,
    WalkInData,
    add_walk_in,
    cancel,
    check_in,
    confirmed_count,
    find_registration,
    queue_day_before_reminders,
    register,
    registrations,
    seats_left,
)
from portal.services.dialogues.sessions import (
    ChangeEmail,
    DialogueData,
    PeriodicPlan,
    compliance,
    generate_periodic,
    months_without_head,
    past,
    save_dialogue,
    upcoming,
)

__all__ = [
    "CaseDraft",
    "CaseFromRegistration",
    "ChangeEmail",
    "ConfirmationEmail",
    "DialogueData",
    "DialogueError",
    "FollowUpItem",
    "PeriodicPlan",
    "PromotionEmail",
    "RegistrationData",
    "RegistrationReceipt",
    "ReminderEmail",
    "WalkInData",
    "add_follow_up",
    "add_walk_in",
    "cancel",
    "check_in",
    "compliance",
    "confirmed_count",
    "division_names",
    "draft_for",
    "find_registration",
    "generate_periodic",
    "ics_bytes",
    "idempotency_key",
    "months_without_head",
    "open_follow_ups",
    "past",
    "queue_day_before_reminders",
    "raise_case",
    "register",
    "registrations",
    "save_conclusions",
    "save_dialogue",
    "seats_left",
    "set_follow_up_status",
    "unpublish_conclusions",
    "upcoming",
]
