"""Records the API tests need: tokens, published articles, sessions, cases of a division."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app

from portal.extensions import db
from portal.models import ApiToken, Article, Case, Dialogue, Division
from portal.services import api_tokens
from tests.factories import make_case, make_dialogue, make_division


def make_token(
    scope: str,
    division: Division | None = None,
    name: str = "Trung tâm IOC",
    *,
    secret: str | None = None,
) -> str:
    """Issue a token through the service; the secret, as an administrator would copy it.

    With `secret`, store a token with that known secret instead (for tests that must name the
    token before the database exists, like schemathesis collecting its examples)."""
    pepper = current_app.config["ACCESS_CODE_PEPPER"].encode()
    if secret is not None:
        db.session.add(
            ApiToken(
                name=name,
                token_hash=api_tokens.token_hash(pepper, secret),
                prefix=secret[:11],
                scope=scope,
                division_id=division.id if division else None,
                created_at=datetime.now(UTC),
            )
        )
        db.session.commit()
        return secret
    issued = api_tokens.issue(
        db.session,
        name=name,
        scope=scope,
        division_id=division.id if division else None,
        actor_id=None,
        now=datetime.now(UTC),
        pepper=pepper,
    )
    db.session.commit()
    return issued.secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def make_article(*, slug: str = "hoi-nghi-dan-van", status: str = "published", **changes):  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    article = Article(
        slug=slug,
        title=changes.pop("title", "Hội nghị dân vận chính quyền"),
        summary="Tóm tắt hội nghị.",
        body_html="<p>Nội dung <strong>hội nghị</strong>.</p>",
        status=status,
        tags="dân vận, hội nghị",
        published_at=changes.pop("published_at", now - timedelta(hours=1)),
        created_at=now,
        updated_at=now,
        **changes,
    )
    db.session.add(article)
    db.session.commit()
    return article


def make_session(**changes: object) -> Dialogue:
    """A dialogue a week ahead whose online link and minutes the API must not show."""
    defaults: dict[str, object] = {
        "kind": "dialogue",
        "title": "Đối thoại với doanh nghiệp viễn thông",
        "online_link": "https://meet.example.vn/phong-bi-mat",
        "capacity": 20,
        "minutes": "Biên bản nội bộ",
        "public_note": None,
    }
    return make_dialogue(**(defaults | changes))


def division_case(division: Division | None, **fields: object) -> Case:
    """A case registered through the real service, then given to `division`."""
    case = make_case(**fields)
    case.division_id = division.id if division else None
    db.session.commit()
    return case


NEW_CASE = {
    "kind": "reflection",
    "subject": "Cột điện viễn thông đổ chắn đường",
    "content": "Sau cơn bão, cột điện viễn thông đổ chắn ngang đường.",
    "location": "Đường 30/4, phường Tân Ninh",
    "name": "Nguyễn Văn Bình",
    "address": "Số 12, ấp Bình Trung",
    "commune": "Xã Hòa Thành",
    "phone": "+84912345678",
    "consent": True,
}

__all__ = ["NEW_CASE", "bearer", "division_case", "make_division", "make_token"]
