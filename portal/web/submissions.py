"""What every way in for a submission shares (the public form, the clerk's register, the
API, Open311, a session's registration): the service's settings from the configuration, the
e-mailed receipt (queued with the case, sent by the delivery worker)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _

from portal.services import submissions
from portal.web.uploads import pepper


def settings(*, online: bool = True) -> submissions.Settings:
    """The submission service's settings. Only what citizens send online is subject to the
    setting on denouncers' identity and to the receipt-date convention; a clerk registering a
    letter or a visit gives the real date and records the identity."""
    config = current_app.config
    if not online:
        return submissions.Settings(
            pepper=pepper(), custodian_public_key=config.get("CUSTODIAN_PUBLIC_KEY")
        )
    return submissions.Settings(
        pepper=pepper(),
        custodian_public_key=config.get("CUSTODIAN_PUBLIC_KEY"),
        collect_denouncer_identity=config["DENOUNCER_IDENTITY_ONLINE"] != "none",
        receipt_convention=config["RECEIPT_DATE_CONVENTION"],
    )


def receipt_email(receipt: submissions.Receipt) -> tuple[str, str]:
    """The receipt e-mail with the access code (never the content of the submission)."""
    subject = _("Your submission %(number)s was received", number=receipt.case_number)
    return subject, render_template("emails/receipt.txt", receipt=receipt)
