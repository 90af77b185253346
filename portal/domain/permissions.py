"""Roles and what each may do. Views declare a Permission; this matrix decides."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    CLERK = "clerk"
    HANDLER = "handler"
    LEADER = "leader"
    EDITOR = "editor"


class Permission(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    USE_DEADLINE_CALCULATOR = "use_deadline_calculator"
    MANAGE_USERS = "manage_users"
    MANAGE_CALENDAR = "manage_calendar"
    MANAGE_SETTINGS = "manage_settings"
    REGISTER_CASES = "register_cases"
    CLASSIFY_CASES = "classify_cases"
    HANDLE_CASES = "handle_cases"
    DECIDE_CASES = "decide_cases"
    VIEW_CASES = "view_cases"
    VIEW_ALL_CASES = "view_all_cases"
    VIEW_ATTACHMENTS = "view_attachments"
    REVEAL_IDENTITY = "reveal_identity"
    WRITE_ARTICLES = "write_articles"
    PUBLISH_ARTICLES = "publish_articles"
    MANAGE_DIALOGUES = "manage_dialogues"
    VIEW_STATISTICS = "view_statistics"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_API_TOKENS = "manage_api_tokens"
    # The yearly mass-mobilisation report: divisions write theirs, the Office runs the round.
    WRITE_DIVISION_REPORT = "write_division_report"
    MANAGE_REPORTING = "manage_reporting"


_EVERY_OFFICIAL = {
    Permission.VIEW_DASHBOARD,
    Permission.USE_DEADLINE_CALCULATOR,
    Permission.VIEW_STATISTICS,
}

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        _EVERY_OFFICIAL
        | {
            Permission.MANAGE_USERS,
            Permission.MANAGE_CALENDAR,
            Permission.MANAGE_SETTINGS,
            Permission.VIEW_AUDIT_LOG,
            Permission.MANAGE_API_TOKENS,
        }
    ),
    Role.CLERK: frozenset(
        _EVERY_OFFICIAL
        | {
            Permission.REGISTER_CASES,
            Permission.CLASSIFY_CASES,
            Permission.VIEW_CASES,
            Permission.VIEW_ALL_CASES,
            Permission.VIEW_ATTACHMENTS,
            Permission.MANAGE_DIALOGUES,
            Permission.WRITE_DIVISION_REPORT,
        }
    ),
    Role.HANDLER: frozenset(
        _EVERY_OFFICIAL
        | {
            Permission.VIEW_CASES,
            Permission.HANDLE_CASES,
            Permission.VIEW_ATTACHMENTS,
            Permission.WRITE_DIVISION_REPORT,
        }
    ),
    Role.LEADER: frozenset(
        _EVERY_OFFICIAL
        | {
            Permission.CLASSIFY_CASES,
            Permission.HANDLE_CASES,
            Permission.VIEW_CASES,
            Permission.DECIDE_CASES,
            Permission.VIEW_ALL_CASES,
            Permission.VIEW_ATTACHMENTS,
            Permission.REVEAL_IDENTITY,
            Permission.WRITE_ARTICLES,
            Permission.PUBLISH_ARTICLES,
            Permission.MANAGE_DIALOGUES,
            Permission.VIEW_AUDIT_LOG,
            Permission.WRITE_DIVISION_REPORT,
            Permission.MANAGE_REPORTING,
        }
    ),
    Role.EDITOR: frozenset(
        _EVERY_OFFICIAL | {Permission.WRITE_ARTICLES, Permission.WRITE_DIVISION_REPORT}
    ),
}


def permissions_for(roles: Iterable[str]) -> frozenset[Permission]:
    """The union of the permissions of the given role names; unknown names give nothing."""
    granted: set[Permission] = set()
    for name in roles:
        try:
            granted |= MATRIX[Role(name)]
        except ValueError:
            continue
    return frozenset(granted)


def can(roles: Iterable[str], permission: Permission) -> bool:
    return permission in permissions_for(roles)


def may_update_follow_up(
    roles: Iterable[str], user_division_id: int | None, follow_up_division_id: int | None
) -> bool:
    """Who may mark a session's follow-up done or open again: the officials who organise
    sessions, and the case handlers of the division the follow-up was given to, who do
    the work and see it on their dashboard."""
    if can(roles, Permission.MANAGE_DIALOGUES):
        return True
    return (
        can(roles, Permission.HANDLE_CASES)
        and user_division_id is not None
        and user_division_id == follow_up_division_id
    )
