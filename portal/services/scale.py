"""`flask seed-scale`: fill a database with many realistic cases, for measuring the queue."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from portal.domain.calendar import WorkingCalendar
from portal.domain.deadlines import Rule, due_date
from portal.domain.search import fold
from portal.models import Case, Deadline

SUBJECTS = (
    "Cột điện viễn thông đổ chắn đường",
    "Sóng di động yếu ở ấp",
    "Tin giả trên trang thông tin điện tử",
    "Khiếu nại quyết định xử phạt hành chính",
    "Đề nghị đơn giản hóa thủ tục cấp phép",
    "Bưu phẩm thất lạc",
    "Quảng cáo rác qua tin nhắn",
    "Thái độ của cán bộ bộ phận một cửa",
)
KINDS = ("reflection", "petition", "complaint", "denunciation")
STATUSES = ("received", "accepted", "in_progress", "resolved", "closed", "guided", "forwarded")


def seed_scale(
    session: Session,
    *,
    cases: int,
    rules: dict[str, Rule],
    calendar: WorkingCalendar,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
    batch: int = 10_000,
    division_ids: Sequence[int] = (),
    handler_id: int | None = None,
) -> int:
    """Insert `cases` cases spread over 2024–2026, each with its letter.process deadline;
    with `division_ids`, spread in turn over those divisions, and with `handler_id` one case
    in fifty assigned to that official. Placing them as they are made costs nothing; an
    UPDATE of every case afterwards runs the tallies' triggers once a row (half an hour for a
    million on PostgreSQL)."""
    rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
    rule = rules["letter.process"]
    start_id = (session.scalar(select(func.max(Case.id))) or 0) + 1
    sequences: dict[int, int] = {}
    for year, last in session.execute(
        select(Case.year, func.max(Case.sequence)).group_by(Case.year)
    ):
        sequences[year] = last
    first_day = date(2024, 1, 1)
    last_day = first_day + timedelta(days=1060)
    dues: dict[date, date] = {}
    now = datetime.now(UTC)
    made = 0
    while made < cases:
        size = min(batch, cases - made)
        case_rows, deadline_rows = [], []
        for offset in range(size):
            case_id = start_id + made + offset
            received = first_day + timedelta(days=rng.randrange(1060))
            sequences[received.year] = sequences.get(received.year, 0) + 1
            # Cases older than two months are closed but for 1%; of the recent ones about three
            # in seven are open, and most of those are past their 10-working-day deadline: a
            # heavier queue than a department that keeps up (22,000 overdue at a million).
            age = (last_day - received).days
            status = rng.choice(STATUSES if age < 60 or rng.random() < 0.01 else STATUSES[3:])
            due = dues.get(received)
            if due is None:
                due = dues[received] = due_date(rule, received, calendar, explain=False).due
            open_ = status in ("received", "accepted", "in_progress")
            subject = rng.choice(SUBJECTS)
            kind = rng.choice(KINDS)
            case_rows.append(
                {
                    "id": case_id,
                    "year": received.year,
                    "sequence": sequences[received.year],
                    "kind": kind,
                    "channel": rng.choice(("web", "post", "in_person")),
                    "received_on": received,
                    "submitted_at": now,
                    "subject": subject,
                    "content": f"{subject}. Nội dung chi tiết số {case_id}.",
                    "status": status,
                    "confidential": kind == "denunciation",
                    "search_text": fold(f"{subject} {case_id}"),
                    "next_due_on": due if open_ else None,
                    "division_id": (
                        division_ids[case_id % len(division_ids)] if division_ids else None
                    ),
                    "assignee_id": handler_id if case_id % 50 == 1 else None,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            deadline_rows.append(
                {
                    "case_id": case_id,
                    "rule_id": rule.id,
                    "legal_basis": rule.legal_basis,
                    "started_on": received,
                    "due_on": due,
                    "met_on": None if open_ else due,
                    "created_at": now,
                }
            )
        session.execute(insert(Case), case_rows)
        session.execute(insert(Deadline), deadline_rows)
        session.commit()
        made += size
        if progress:
            progress(size)
    return made
