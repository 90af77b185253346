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


def make_case(
    *,
    kind: str = "complaint",
    subject: str = "Khiếu nại quyết định xử phạt",
    content: str = "Tôi không vi phạm như quyết định nêu.",
    name: str = "Nguyễn Văn Bình",
    now: datetime | None = None,
    **fields: object,
):  # type: ignore[no-untyped-def]
    """A web submission registered through the real service (non-confidential kinds)."""
    import secrets

    from flask import current_app

    from portal.models import Case
    from portal.services import deadlines as deadline_service
    from portal.services import submissions
    from portal.web.rules import current_rules

    receipt = submissions.submit(
        db.session,
        submissions.Submission(
            kind=kind,
            subject=subject,
            content=content,
            idempotency_key=secrets.token_urlsafe(16),
            consent_version="test",
            name=name,
            phone="+84912345678",
            respondent="Chánh Thanh tra Sở",
            **fields,  # type: ignore[arg-type]
        ),
        now=now or datetime.now(UTC),
        settings=submissions.Settings(
            pepper=current_app.config["ACCESS_CODE_PEPPER"].encode(),
            custodian_public_key=current_app.config.get("CUSTODIAN_PUBLIC_KEY"),
        ),
        rules=current_rules(),
        calendar=deadline_service.load_calendar(db.session),
    )
    case = db.session.get(Case, receipt.case_id)
    case.test_access_code = receipt.access_code  # type: ignore[attr-defined]
    return case


# --- reception and dialogue sessions -------------------------------------------------------------
# Imported here rather than at the top so that factories appended by other changes merge cleanly.
from datetime import timedelta  # noqa: E402

from portal.models import Dialogue  # noqa: E402


def make_dialogue(**changes: object) -> Dialogue:
    """A periodic reception hosted by the head a week from now, two seats, in person and online."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    values: dict[str, object] = {
        "kind": "periodic",
        "title": "Tiếp công dân định kỳ tháng 7",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "mode": "both",
        "place": "Hội trường Sở",
        "online_link": "https://meet.example.vn/phong-tiep-dan",
        "host_name": "Giám đốc Sở",
        "host_is_head": True,
        "capacity": 2,
        "status": "scheduled",
        "public_note": "Mang theo căn cước công dân",
        "created_at": datetime.now(UTC),
    }
    values.update(changes)
    dialogue = Dialogue(**values)
    db.session.add(dialogue)
    db.session.commit()
    return dialogue


def access_code_pepper() -> bytes:
    """The application's pepper for registration and access codes, as the services take it."""
    from flask import current_app

    return str(current_app.config["ACCESS_CODE_PEPPER"]).encode()


def registration_form(**changes: str) -> dict[str, str]:
    """What a citizen types into a session's registration form."""
    return {
        "name": "Trần Văn Bình",
        "phone": "0912 345 678",
        "email": "",
        "matter_kind": "petition",
        "matter": "Kiến nghị về sóng di động yếu ở ấp 3",
        "question": "",
        "consent": "y",
        **changes,
    }
