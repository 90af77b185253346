"""Names of workflow codes in the reader's language, refusal messages, answer templates."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from portal.models import Case
from portal.web.i18n import format_moment


def kind_labels() -> dict[str, str]:
    return {
        "complaint": _("Complaint"),
        "denunciation": _("Denunciation"),
        "petition": _("Petition"),
        "reflection": _("Reflection"),
    }


def status_labels() -> dict[str, str]:
    return {
        "received": _("Received, being examined"),
        "accepted": _("Accepted for handling"),
        "in_progress": _("Being handled"),
        "suspended": _("Suspended"),
        "resolved": _("Answered"),
        "closed": _("Closed"),
        "guided": _("Not ours: you were told where to go"),
        "forwarded": _("Forwarded to the competent body"),
        "not_accepted": _("Not accepted (reason given)"),
        "filed": _("Filed without further action"),
        "withdrawn": _("Withdrawn"),
    }


def action_label(name: str) -> str:
    return {
        "record_signed_letter": _("Record the signed letter"),
        "accept": _("Accept (thụ lý)"),
        "refuse": _("Refuse to accept"),
        "guide": _("Guide the citizen to the competent body"),
        "forward": _("Forward to another body"),
        "file": _("File without action"),
        "treat_as_information": _("Examine as information with denunciation content"),
        "assign": _("Assign"),
        "link_earlier": _("Link to an earlier case of the same matter"),
        "note": _("Internal note"),
        "extend": _("Extend the time limit"),
        "set_complexity": _("Set complexity and area"),
        "suspend": _("Suspend"),
        "resume": _("Resume"),
        "draft_answer": _("Draft the answer"),
        "approve_answer": _("Approve and publish the answer"),
        "record_publication": _("Record the publication of the decision"),
        "stop_duty": _("Stop the publication duty, with the reason"),
        "close": _("Close"),
        "withdraw_partly": _("Record a partial withdrawal"),
        "withdraw": _("Record a withdrawal"),
        "reopen": _("Reopen"),
    }.get(name, name)


def ground_label(code: str) -> str:
    return {
        "not_an_administrative_decision": _(
            "Not an administrative decision or act (Law on Complaints Art. 11(1))"
        ),
        "no_direct_interest": _("No direct effect on the complainant (Art. 11(2))"),
        "no_capacity_or_representative": _(
            "No legal capacity or no valid representative (Art. 11(3)-(4))"
        ),
        "out_of_time": _("Filed after the time limit (Art. 11(5))"),
        "already_resolved_second_round": _("Already resolved at second round (Art. 11(6)-(7))"),
        "withdrawn_earlier": _("Withdrawn earlier (Art. 11(8))"),
        "court_accepted": _("Already accepted by a court (Art. 11(9))"),
        "not_a_violation": _("Does not describe a violation of law"),
        "no_identity_or_cannot_verify": _("The denouncer cannot be identified or verified"),
        "already_resolved_no_new_facts": _("Already resolved, no new facts"),
        "outside_competence": _("Outside the department's competence"),
        "duplicate": _("Duplicate of an earlier letter"),
        "anonymous_without_evidence": _("Anonymous, without evidence that can be verified"),
        "not_processable": _("Not processable (Circular 05/2021)"),
        "no_content": _("No clear content"),
    }.get(code, code)


def refusal_message(code: str, params: dict[str, object] | None = None) -> str:
    params = params or {}
    messages = {
        "wrong_status": _("This action is not possible in the case's current status."),
        "wrong_kind": _("This action does not apply to this kind of case."),
        "not_permitted": _("Your role does not allow this action."),
        "already_signed": _("The signed letter has already been recorded."),
        "no_signed_letter": _(
            "Record the signed letter or the citizen's visit, with its date, first: the legal"
            " time limits start from it, and only then can the case be accepted."
        ),
        "nothing_to_stop": _("There is no running duty to stop."),
        "no_draft_answer": _("There is no draft answer to approve yet."),
        "not_assigned": _("Assign the case to an official first."),
        "nothing_to_extend": _("This case has no running time limit that can be extended."),
        "too_many_extensions": _(
            "The law allows no more extensions for this case (at most %(allowed)s).",
            allowed=params.get("allowed", 0),
        ),
        "bad_ground": _("Choose the legal ground."),
        "unknown_case": _("No case has this number."),
        "nothing_to_publish": _("There is no decision waiting to be published."),
        "bad_complexity": _("Choose the complexity."),
    }
    if code.startswith("missing_"):
        return _("Fill in what this action needs.")
    return messages.get(code, _("This action cannot be done now."))


ANSWER_OUTCOMES = {
    "complaint": ("right", "partly_right", "wrong"),
    "denunciation": ("true", "partly_true", "untrue"),
    "petition": ("accepted", "explained"),
    "reflection": ("dealt_with", "explained"),
}


def outcome_label(outcome: str) -> str:
    return {
        "right": _("The complaint is right"),
        "partly_right": _("The complaint is partly right"),
        "wrong": _("The complaint is wrong"),
        "true": _("The denunciation is true"),
        "partly_true": _("The denunciation is partly true"),
        "untrue": _("The denunciation is untrue"),
        "accepted": _("The proposal is taken up"),
        "explained": _("Explanation of the rules in force"),
        "dealt_with": _("The situation has been dealt with"),
    }.get(outcome, outcome)


def answer_template(case: Case, outcome: str | None = None) -> str:
    """A starting text for the answer, per kind and outcome, with the case's details."""
    outcomes = ANSWER_OUTCOMES[case.kind]
    outcome = outcome if outcome in outcomes else outcomes[0]
    agency = current_app.config["AGENCY_NAME"]
    intro = _(
        "%(agency)s has received your %(kind)s no. %(number)s of %(day)s about: %(subject)s.",
        agency=agency,
        kind=kind_labels()[case.kind].lower(),
        number=case.number,
        day=case.received_on.strftime("%d/%m/%Y"),
        subject=case.subject,
    )
    body = {
        "right": _(
            "After examining your complaint and the documents, the department finds it "
            "right and decides: [cancel or amend the decision or act, remedy]."
        ),
        "partly_right": _(
            "After examining your complaint and the documents, the department finds "
            "it partly right: [which points are right, which are not, and what is "
            "decided on each]."
        ),
        "wrong": _(
            "After examining your complaint and the documents, the department finds it "
            "wrong and keeps the decision, for these reasons: [reasons, legal basis]."
        ),
        "true": _(
            "After verifying the information, the department concludes that the "
            "denunciation is true: [findings, measures taken]."
        ),
        "partly_true": _(
            "After verifying the information, the department concludes that the "
            "denunciation is partly true: [findings on each point]."
        ),
        "untrue": _(
            "After verifying the information, the department concludes that the "
            "denunciation is untrue: [findings, evidence]."
        ),
        "accepted": _(
            "Concerning your proposal, the department takes it up as follows: "
            "[what will be done, by whom, by when]."
        ),
        "explained": _(
            "Concerning your proposal, the rules in force are: [rules, legal basis, "
            "what you can do]."
        ),
        "dealt_with": _(
            "Concerning the situation you reported, the department has: "
            "[what was done, by whom, when]."
        ),
    }[outcome]
    evidence = _("Attached: the documents on which this answer is based.")
    return f"{intro}\n\n{body}\n\n{evidence}"


def deadline_state_label(state: str) -> str:
    return {
        "met": _("done"),
        "on_time": _("on time"),
        "due_soon": _("due soon"),
        "overdue": _("overdue"),
    }.get(state, state)


def notice_label(kind: str) -> str:
    return {
        "acceptance": _("Notice of acceptance"),
        "non_acceptance": _("Notice of non-acceptance"),
        "forwarding_slip": _("Forwarding slip"),
        "guidance": _("Guidance letter"),
        "extension": _("Notice of extension"),
        "result": _("Notice of the result"),
    }.get(kind, kind)


def channel_label(channel: str) -> str:
    return {
        "web": _("Website"),
        "post": _("Letter by post"),
        "in_person": _("In person at the reception"),
        "forwarded": _("Forwarded by another body, the press or an elected body"),
        "email": _("Email"),
        "api": _("Another system, through the API"),
    }.get(channel, channel)


def article_status_label(article: object) -> str:
    from datetime import UTC, datetime

    status = getattr(article, "status", "")
    published_at = getattr(article, "published_at", None)
    if status == "published" and published_at and published_at > datetime.now(UTC):
        return _("Scheduled for %(moment)s", moment=format_moment(published_at))
    return {
        "draft": _("Draft"),
        "submitted": _("Waiting for approval"),
        "returned": _("Returned to the writer"),
        "published": _("Published"),
        "unpublished": _("Unpublished"),
        "archived": _("Archived"),
    }.get(status, status)


def revision_label(action: str) -> str:
    return {
        "create": _("written"),
        "edit": _("edited"),
        "submit": _("submitted for approval"),
        "return": _("returned to the writer"),
        "publish": _("published"),
        "unpublish": _("unpublished"),
        "archive": _("archived"),
    }.get(action, action)
