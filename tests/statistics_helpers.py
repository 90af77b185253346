"""A known history of cases, sessions, follow-ups and articles with fixed dates (2026), for
checking every statistics figure exactly. Cases go through the real submission and
workflow services, so their deadlines are computed on the working-day calendar (Tết 2026).

Timeline (D1 and D2 are divisions; the checked month is February 2026, the quarter Q1):

    A  petition    D1 web        received 20/01, accepted 22/01            open
    B  reflection  D1 post       received 05/01, accepted 06/01, answered 05/02, rated 4
    C  petition    D2 web        received 05/01, guided 08/01
    D  petition    D1 web        received 26/01, guided 03/02
    E  petition    D1 web        received 12/02 telecom, accepted on its due date (after Tết)
    F  reflection  D1 in person  received 12/02 telecom, accepted a working day after it
    G  complaint   D2 post       received 20/02 press, refused (out of time) 23/02
    H  petition    D1 web        received 25/02, forwarded 26/02
    I  reflection  D1 web        received 27/02, never classified (overdue on 15/04)
    J  reflection  D1 web        received 10/03, accepted 11/03, answered 12/03, rated 5
    K  reflection  D1 web        received 10/02, accepted 11/02, answered 20/02, rated 2
    L  reflection  D2 web        received 16/02 (in Tết), accepted 24/02, answered 27/02
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from portal.domain.dialogues import local_to_utc
from portal.extensions import db
from portal.models import Article, Case, Category, Deadline, Dialogue, FollowUp, Registration
from portal.services import deadlines as deadline_service
from portal.services import submissions
from portal.services import workflow as workflow_service
from portal.web.rules import current_rules
from tests.factories import make_case, make_division, make_user

TODAY = date(2026, 4, 15)
FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))
QUARTER = (date(2026, 1, 1), date(2026, 3, 31))


@dataclass
class Dataset:
    d1: int
    d2: int
    cases: dict[str, Case]
    categories: list[Category]


def _moment(day: date) -> datetime:
    return local_to_utc(day, time(9, 0))


def _act(case: Case, action: str, day: date, actor, **data: object) -> None:  # type: ignore[no-untyped-def]
    workflow_service.perform(
        db.session,
        case=case,
        action_name=action,
        actor=actor,
        data=workflow_service.ActionInput(**data),  # type: ignore[arg-type]
        today=day,
        now=_moment(day),
        rules=current_rules(),
        calendar=deadline_service.load_calendar(db.session),
    )


def letter_due(case: Case) -> date:
    return db.session.scalar(
        select(Deadline.due_on).where(
            Deadline.case_id == case.id, Deadline.rule_id == "letter.process"
        )
    )


def build() -> Dataset:
    d1 = make_division(name="Thanh tra Sở")
    d2 = make_division(name="Văn phòng Sở")
    actor = make_user(roles=("leader", "clerk", "handler"), division=d1)
    cases: dict[str, Case] = {}

    def new(name: str, kind: str, day: date, division, channel: str = "web", field=None):  # type: ignore[no-untyped-def]
        case = make_case(
            kind=kind,
            subject=f"Đơn {name}",
            received_on=day,
            channel=channel,
            field=field,
            now=_moment(day),
        )
        case.division_id = division.id
        db.session.commit()
        cases[name] = case
        return case

    def answer(case: Case, accepted: date, answered: date) -> None:
        _act(case, "accept", accepted, actor)
        _act(case, "assign", accepted, actor, assignee_id=actor.id)
        _act(case, "draft_answer", accepted, actor, answer="Trả lời công dân.")
        _act(case, "approve_answer", answered, actor)

    def rate(case: Case, rating: int, day: date) -> None:
        submissions.rate(db.session, case=case, rating=rating, comment=None, now=_moment(day))

    a = new("A", "petition", date(2026, 1, 20), d1)
    _act(a, "accept", date(2026, 1, 22), actor)
    b = new("B", "reflection", date(2026, 1, 5), d1, channel="post")
    answer(b, date(2026, 1, 6), date(2026, 2, 5))
    rate(b, 4, date(2026, 2, 6))
    c = new("C", "petition", date(2026, 1, 5), d2)
    _act(c, "guide", date(2026, 1, 8), actor, note="Gửi UBND xã.")
    d = new("D", "petition", date(2026, 1, 26), d1)
    _act(d, "guide", date(2026, 2, 3), actor, note="Gửi UBND xã.")
    e = new("E", "petition", date(2026, 2, 12), d1, field="telecom")
    _act(e, "accept", letter_due(e), actor)
    f = new("F", "reflection", date(2026, 2, 12), d1, channel="in_person", field="telecom")
    calendar = deadline_service.load_calendar(db.session)
    _act(f, "accept", calendar.add_working_days(letter_due(f), 1), actor)
    g = new("G", "complaint", date(2026, 2, 20), d2, channel="post", field="press")
    _act(g, "refuse", date(2026, 2, 23), actor, ground="out_of_time", note="Quá thời hiệu.")
    h = new("H", "petition", date(2026, 2, 25), d1)
    _act(h, "forward", date(2026, 2, 26), actor, body="UBND tỉnh")
    new("I", "reflection", date(2026, 2, 27), d1)
    j = new("J", "reflection", date(2026, 3, 10), d1)
    answer(j, date(2026, 3, 11), date(2026, 3, 12))
    rate(j, 5, date(2026, 3, 13))
    k = new("K", "reflection", date(2026, 2, 10), d1)
    answer(k, date(2026, 2, 11), date(2026, 2, 20))
    rate(k, 2, date(2026, 2, 21))
    m = new("L", "reflection", date(2026, 2, 16), d2)
    answer(m, date(2026, 2, 24), date(2026, 2, 27))

    _sessions(d1.id, d2.id)
    categories = _articles()
    return Dataset(d1=d1.id, d2=d2.id, cases=cases, categories=categories)


def _session(
    kind: str, title: str, day: date, host_name: str, status: str, **more: object
) -> Dialogue:
    """A two-hour session starting at 9:00 on `day`."""
    return Dialogue(
        kind=kind,
        title=title,
        starts_at=_moment(day),
        ends_at=_moment(day) + timedelta(hours=2),
        host_name=host_name,
        status=status,
        **more,
    )


def _sessions(d1: int, d2: int) -> None:
    held = _session(
        "periodic",
        "Tiếp công dân định kỳ tháng 2",
        date(2026, 2, 10),
        "Giám đốc Sở",
        "held",
        host_is_head=True,
    )
    cancelled = _session(
        "unscheduled", "Tiếp công dân đột xuất", date(2026, 2, 24), "Giám đốc Sở", "cancelled"
    )
    march = _session(
        "dialogue",
        "Đối thoại với doanh nghiệp",
        date(2026, 3, 18),
        "Phó Giám đốc Sở",
        "held",
        host_is_head=False,
    )
    db.session.add_all([held, cancelled, march])
    db.session.flush()
    people = [
        ("confirmed", "attended", False),
        ("confirmed", "no_show", False),
        ("waiting", None, False),
        ("cancelled", None, False),
        ("confirmed", "attended", True),
    ]
    for number, (status, attendance, walk_in) in enumerate(people):
        db.session.add(
            Registration(
                dialogue_id=held.id,
                code_hash=f"hash-{number}",
                name=f"Công dân {number}",
                matter="Hỏi về thủ tục",
                consent_at=_moment(date(2026, 2, 1)),
                status=status,
                position=number + 1,
                attendance=attendance,
                walk_in=walk_in,
            )
        )
    db.session.add(
        Registration(
            dialogue_id=march.id,
            code_hash="hash-march",
            name="Công dân tháng 3",
            matter="Hỏi",
            consent_at=_moment(date(2026, 3, 1)),
        )
    )
    for division, due, done in (
        (d1, date(2026, 2, 10), date(2026, 2, 9)),
        (d2, date(2026, 2, 15), date(2026, 2, 20)),
        (d1, date(2026, 2, 25), None),
        (d1, date(2026, 3, 5), date(2026, 3, 5)),
    ):
        db.session.add(
            FollowUp(
                dialogue_id=held.id,
                conclusion="Trả lời bằng văn bản",
                division_id=division,
                due_on=due,
                done_on=done,
                status="done" if done else "open",
            )
        )
    db.session.commit()


def _articles() -> list[Category]:
    first, second = db.session.scalars(select(Category).order_by(Category.id).limit(2)).all()

    def article(slug: str, status: str, day: date | None, categories: list[Category]) -> None:
        db.session.add(
            Article(
                slug=slug,
                title=slug,
                status=status,
                published_at=_moment(day) if day else None,
                categories=categories,
            )
        )

    article("bai-1", "published", date(2026, 2, 2), [first, second])
    article("bai-2", "published", date(2026, 2, 27), [first])
    article("bai-3", "published", date(2026, 3, 3), [second])
    article("bai-4", "draft", None, [first])
    # Published on the last evening of February, Vietnam time: 28/02 23:30 is 16:30 UTC.
    db.session.add(
        Article(
            slug="bai-5",
            title="bai-5",
            status="published",
            published_at=datetime(2026, 2, 28, 16, 30, tzinfo=UTC),
            categories=[second],
        )
    )
    db.session.commit()
    return [first, second]
