"""The roles → permissions matrix's rules that take more than one permission."""

from __future__ import annotations

import pytest

from portal.domain.permissions import (
    EVERY_CASE,
    NO_CASES,
    Permission,
    Role,
    case_scope,
    division_scope,
    may_see_case,
    may_update_follow_up,
    permissions_for,
)

OURS, THEIRS = 1, 2


@pytest.mark.parametrize(
    ("roles", "user_division", "follow_up_division", "allowed"),
    [
        (("clerk",), None, THEIRS, True),  # organises sessions
        (("leader",), OURS, THEIRS, True),
        (("handler",), OURS, OURS, True),  # does the work of their division
        (("handler",), OURS, THEIRS, False),
        (("handler",), None, None, False),  # no division: not theirs to close
        (("editor",), OURS, OURS, False),  # same division, but no case work
        ((), OURS, OURS, False),
    ],
)
def test_who_may_update_a_session_follow_up(
    roles: tuple[str, ...], user_division: int | None, follow_up_division: int | None, allowed: bool
) -> None:
    assert may_update_follow_up(roles, user_division, follow_up_division) is allowed


# --- who sees which case (docs/officials-guide.md, docs/security.md D2) -------------------

ME, SOMEONE = 10, 11


@pytest.mark.parametrize(
    ("roles", "user_division", "case_assignee", "case_division", "allowed"),
    [
        (("handler",), OURS, None, OURS, True),  # their division's case, nobody assigned
        (("handler",), OURS, SOMEONE, OURS, True),  # a colleague's case of their division
        (("handler",), OURS, ME, THEIRS, True),  # assigned to them personally elsewhere
        (("handler",), OURS, SOMEONE, THEIRS, False),  # another division's case
        (("handler",), OURS, None, None, False),  # not placed yet: only those who see all
        (("handler",), None, ME, None, True),  # no division: their own cases only
        (("handler",), None, SOMEONE, None, False),
        (("clerk",), None, None, None, True),  # sees every case
        (("leader",), OURS, SOMEONE, THEIRS, True),
        (("admin",), OURS, None, OURS, False),  # no VIEW_CASES: no case at all
        (("editor",), OURS, ME, OURS, False),
        (("editor", "handler"), OURS, SOMEONE, OURS, True),  # the union of the roles
        (("handler", "leader"), OURS, SOMEONE, THEIRS, True),
        ((), OURS, ME, OURS, False),
    ],
)
def test_who_may_see_a_case(
    roles: tuple[str, ...],
    user_division: int | None,
    case_assignee: int | None,
    case_division: int | None,
    allowed: bool,
) -> None:
    assert may_see_case(roles, ME, user_division, case_assignee, case_division) is allowed


def test_seeing_every_case_is_the_view_all_cases_permission() -> None:
    for role in Role:
        granted = permissions_for([role])
        scope = case_scope([role], ME, OURS)
        if Permission.VIEW_CASES not in granted:
            assert scope == NO_CASES, role
        elif Permission.VIEW_ALL_CASES in granted:
            assert scope == EVERY_CASE, role
        else:
            assert scope.division_id == OURS and scope.assignee_id == ME, role


def test_a_division_token_sees_its_division_only() -> None:
    scope = division_scope(OURS)
    assert scope.admits(None, OURS) and scope.admits(ME, OURS)
    assert not scope.admits(ME, THEIRS) and not scope.admits(None, None)
    assert not division_scope(None).admits(None, None)
