"""Demo data for trying the product: the department of the seed plan and one account per role.

Idempotent: a second run adds nothing twice. Demo accounts that still hold a one-time password
get a fresh one printed at each run (the old one cannot be shown: only its hash is kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Division, User
from portal.services import accounts

DIVISIONS = (
    ("VP", "Văn phòng Sở"),
    ("TTRA", "Thanh tra Sở"),
    ("TTBCXB", "Phòng Thông tin Báo chí và Xuất bản"),
    ("CNTT", "Phòng Công nghệ thông tin, Bưu chính và Viễn thông"),
)

# email, name, roles, division code
ACCOUNTS = (
    ("quantri@demo.tayninh.gov.vn", "Nguyễn Văn Quản", ("admin",), "VP"),
    ("vanthu@demo.tayninh.gov.vn", "Trần Thị Thu", ("clerk",), "VP"),
    ("chuyenvien@demo.tayninh.gov.vn", "Lê Minh Tâm", ("handler",), "TTRA"),
    ("giamdoc@demo.tayninh.gov.vn", "Phạm Quốc Hưng", ("leader",), "VP"),
    ("bientap@demo.tayninh.gov.vn", "Võ Thị Hồng Nhung", ("editor",), "TTBCXB"),
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    roles: tuple[str, ...]
    password: str | None  # None: the user has chosen their own


def seed(session: Session, *, now: datetime) -> list[DemoAccount]:
    divisions = {}
    for code, name in DIVISIONS:
        division = session.scalar(select(Division).where(Division.code == code))
        if division is None:
            division = Division(code=code, name=name, created_at=now)
            session.add(division)
        divisions[code] = division
    session.flush()

    shown = []
    for email, name, roles, division_code in ACCOUNTS:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            created = accounts.create_user(
                session,
                email=email,
                name=name,
                roles=roles,
                now=now,
                division=divisions[division_code],
            )
            shown.append(DemoAccount(email, roles, created.one_time_password))
        elif user.must_change_password:
            shown.append(DemoAccount(email, roles, accounts.reset_one_time_password(user)))
        else:
            shown.append(DemoAccount(email, roles, None))
    session.commit()
    return shown
