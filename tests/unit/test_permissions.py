"""The roles → permissions matrix's rules that take more than one permission."""

from __future__ import annotations

import pytest

from portal.domain.permissions import may_update_follow_up

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
