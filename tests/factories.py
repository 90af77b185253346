"""Plain factory functions with keyword defaults."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count

from portal.extensions import db
from portal.models import Division, User, UserRole
from portal.services.accounts import hash_password

PASSWORD = "một câu mật khẩu đủ dài 2026"
_numbers = count(1)


def make_division(*, code: str | None = None, name: str = "Thanh tra Sở") -> Division:
    division = Division(code=code or f"D{next(_numbers)}", name=name)
    db.session.add(division)
    db.session.commit()
    return division


def make_user(
    *,
    roles: tuple[str, ...] = ("handler",),
    email: str | None = None,
    name: str = "Nguyễn Thị Lan",
    password: str = PASSWORD,
    must_change_password: bool = False,
    active: bool = True,
    division: Division | None = None,
) -> User:
    user = User(
        email=email or f"user{next(_numbers)}@example.gov.vn",
        name=name,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
        active=active,
        division=division,
        password_changed_at=datetime.now(UTC),
    )
    user.role_rows = [UserRole(role=r) for r in roles]
    db.session.add(user)
    db.session.commit()
    return user
