"""Roles and what each may do. Views declare a Permission; this matrix decides.

Which cases an official may see is decided here too (`case_scope`, `may_see_case`): roles
with VIEW_ALL_CASES (clerk, leader) see every case; other officials with VIEW_CASES (handler)
see the cases of their division and the cases assigned to them personally, and nothing else;
a case with no division and no assignee is seen only by those who see every case. Roles
without VIEW_CASES (admin, editor) see no case. The services turn the same scope into a SQL
condition (`portal/services/case_access.py`), so lists and single pages agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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
    VIEW_CASES = "view_cases"  # the case pages, limited to the cases `case_scope` admits
    VIEW_ALL_CASES = "view_all_cases"  # every case, whatever its division or assignee
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


@dataclass(frozen=True)
class CaseScope:
    """The cases a viewer may see: every case, or those of `division_id` and those assigned
    to `assignee_id` (either may be None: then it admits nothing by that key)."""

    every_case: bool = False
    division_id: int | None = None
    assignee_id: int | None = None

    def admits(self, case_assignee_id: int | None, case_division_id: int | None) -> bool:
        if self.every_case:
            return True
        if self.assignee_id is not None and case_assignee_id == self.assignee_id:
            return True
        return self.division_id is not None and case_division_id == self.division_id


NO_CASES = CaseScope()
EVERY_CASE = CaseScope(every_case=True)


def case_scope(
    roles: Iterable[str], user_id: int | None, user_division_id: int | None
) -> CaseScope:
    """Which cases an official sees (see the module's docstring for the rule)."""
    granted = permissions_for(roles)
    if Permission.VIEW_CASES not in granted:
        return NO_CASES
    if Permission.VIEW_ALL_CASES in granted:
        return EVERY_CASE
    return CaseScope(division_id=user_division_id, assignee_id=user_id)


def division_scope(division_id: int | None) -> CaseScope:
    """What an API token that reads one division's cases sees: that division's, no more."""
    return CaseScope(division_id=division_id)


def may_see_case(
    roles: Iterable[str],
    user_id: int | None,
    user_division_id: int | None,
    case_assignee_id: int | None,
    case_division_id: int | None,
) -> bool:
    """Whether an official may open a case, its attachments, notices and actions."""
    return case_scope(roles, user_id, user_division_id).admits(case_assignee_id, case_division_id)
