"""E-mails about reception and dialogue sessions: (subject, body) for the outbox.

Mail to citizens carries the session's facts and the registration code, never the matter
they raised. What a citizen reads while registering is in the language of the page; what
reaches them later (promotion, reminders, changes) is in the default language, Vietnamese,
since the registration does not record the language the citizen chose.
"""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.domain.dialogues import ChangeNotice
from portal.models import Dialogue, Registration, User
from portal.services.dialogues import RegistrationReceipt
from portal.services.reminders import FollowUpReminder


def _default_locale() -> force_locale:
    return force_locale(current_app.config["BABEL_DEFAULT_LOCALE"])


def confirmation(registration: Registration, receipt: RegistrationReceipt) -> tuple[str, str]:
    """A seat confirmed, or a place on the waiting list, with the code and the cancel page."""
    dialogue = registration.dialogue
    context = {
        "registration": registration,
        "dialogue": dialogue,
        "code": receipt.code,
        "waiting_place": receipt.waiting_place,
        "cancel_url": url_for("public.dialogue_cancel", _external=True),
    }
    if receipt.status == "confirmed":
        subject = _("Registration confirmed: %(title)s", title=dialogue.title)
        return subject, render_template("emails/dialogue_registered.txt", **context)
    subject = _("Waiting list: %(title)s", title=dialogue.title)
    return subject, render_template("emails/dialogue_waiting.txt", **context)


def promotion(registration: Registration) -> tuple[str, str]:
    dialogue = registration.dialogue
    with _default_locale():
        return (
            _("Your seat is confirmed: %(title)s", title=dialogue.title),
            render_template(
                "emails/dialogue_promoted.txt", registration=registration, dialogue=dialogue
            ),
        )


def change(dialogue: Dialogue, registration: Registration, notice: ChangeNotice) -> tuple[str, str]:
    with _default_locale():
        subject = (
            _("Session cancelled: %(title)s", title=dialogue.title)
            if notice == "cancelled"
            else _("Session changed: %(title)s", title=dialogue.title)
        )
        body = render_template(
            "emails/dialogue_changed.txt",
            registration=registration,
            dialogue=dialogue,
            notice=notice,
        )
        return subject, body


def reminder(dialogue: Dialogue, registration: Registration) -> tuple[str, str]:
    """Sent by the daily command, outside any request: links only when the site's public
    address is configured (PUBLIC_BASE_URL), never to "localhost"."""
    links = bool(current_app.config.get("PUBLIC_BASE_URL"))
    with _default_locale():
        return (
            _("Reminder: %(title)s", title=dialogue.title),
            render_template(
                "emails/dialogue_reminder.txt",
                registration=registration,
                dialogue=dialogue,
                session_url=url_for("public.dialogue", dialogue_id=dialogue.id, _external=True)
                if links
                else None,
                cancel_url=url_for("public.dialogue_cancel", _external=True) if links else None,
            ),
        )


def follow_ups(user: User, items: list[FollowUpReminder]) -> tuple[str, str]:
    overdue = sum(1 for item in items if item.overdue)
    with _default_locale():
        return (
            _(
                "Session follow-ups: %(overdue)d overdue, %(soon)d due soon",
                overdue=overdue,
                soon=len(items) - overdue,
            ),
            render_template("emails/dialogue_follow_ups.txt", user=user, items=items),
        )
