"""Demo data for trying the product: the department of the seed plan and one account per role.

Idempotent: a second run adds nothing twice. Demo accounts that still hold a one-time password
get a fresh one printed at each run (the old one cannot be shown: only its hash is kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.dialogues import VIETNAM
from portal.models import Division, User
from portal.services import accounts

if TYPE_CHECKING:
    from portal.domain.calendar import WorkingCalendar
    from portal.domain.deadlines import Rule
    from portal.services.submissions import Settings

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
    # A handler in each other division, so that every division has cases.
    ("xuly.vanphong@demo.tayninh.gov.vn", "Đỗ Thị Mai", ("handler",), "VP"),
    ("xuly.baochi@demo.tayninh.gov.vn", "Huỳnh Văn Phúc", ("handler",), "TTBCXB"),
    ("xuly.cntt@demo.tayninh.gov.vn", "Ngô Thanh Sơn", ("handler",), "CNTT"),
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


@dataclass(frozen=True)
class DemoCase:
    """A case as a citizen sent it, and how far the department has taken it: accepted and
    given to a handler of ``division`` after ``accepted_after`` days, answered after
    ``answered_after`` days (counted from the day it was received), rated by the citizen."""

    kind: str
    channel: str
    days_ago: int
    subject: str
    content: str
    name: str
    phone: str
    division: str | None = None
    accepted_after: int = 1
    answered_after: int | None = None
    answer: str | None = None
    rating: int | None = None


DEMO_CASES = (
    # Just arrived: nobody has it yet.
    DemoCase(
        "reflection",
        "web",
        2,
        "Cột điện viễn thông đổ chắn đường 30/4",
        "Sau cơn mưa lớn tối qua, một cột điện viễn thông đổ chắn ngang đường 30/4, gần chợ.",
        "Nguyễn Văn Bình",
        "+84912345678",
    ),
    DemoCase(
        "petition",
        "web",
        6,
        "Đề nghị mở rộng sóng di động ở ấp Bàu Sen",
        "Ấp Bàu Sen, xã Hòa Thành không có sóng điện thoại ổn định, người dân khó liên lạc.",
        "Trần Thị Hoa",
        "+84987654321",
        division="CNTT",
    ),
    DemoCase(
        "complaint",
        "post",
        9,
        "Khiếu nại quyết định xử phạt vi phạm hành chính",
        "Tôi không đồng ý với quyết định xử phạt số 15/QĐ-XPHC về hoạt động in.",
        "Lê Văn Tài",
        "+84903123456",
        division="TTRA",
        accepted_after=2,
    ),
    DemoCase(
        "reflection",
        "in_person",
        20,
        "Tin nhắn quảng cáo rác liên tục",
        "Tôi nhận hàng chục tin nhắn quảng cáo mỗi ngày từ các đầu số lạ.",
        "Phạm Thị Lan",
        "+84358111222",
        division="CNTT",
        answered_after=8,
        answer="Sở đã đề nghị các nhà mạng chặn 12 đầu số phát tán tin nhắn rác mà ông/bà nêu.",
        rating=5,
    ),
    # Received long ago and never classified: overdue, in no division yet.
    DemoCase(
        "petition",
        "web",
        45,
        "Đơn giản hóa thủ tục cấp giấy phép xuất bản bản tin",
        "Đề nghị cho phép nộp hồ sơ và nhận kết quả hoàn toàn trực tuyến.",
        "Võ Minh Khoa",
        "+84707333444",
    ),
    DemoCase(
        "petition",
        "web",
        35,
        "Đề nghị công khai danh sách điểm phát wifi miễn phí",
        "Đề nghị Sở công bố các điểm wifi công cộng miễn phí trong tỉnh để người dân biết.",
        "Đặng Thị Ngọc",
        "+84913555666",
        division="VP",
        answered_after=12,
        answer="Danh sách 86 điểm wifi công cộng đã được đăng trên cổng thông tin của Sở.",
        rating=4,
    ),
    # Accepted long ago, time limit for the decision passed: overdue in the Inspectorate.
    DemoCase(
        "complaint",
        "in_person",
        80,
        "Khiếu nại việc thu hồi giấy phép hoạt động in",
        "Cơ sở in của tôi bị thu hồi giấy phép mà không được giải thích lý do.",
        "Bùi Văn Hậu",
        "+84936777888",
        division="TTRA",
        accepted_after=5,
    ),
    # Answered today, not rated yet.
    DemoCase(
        "reflection",
        "web",
        12,
        "Trang tin điện tử đăng tin sai sự thật về xã Trường Hòa",
        "Một trang tin điện tử đăng bài viết sai sự thật về việc giải tỏa chợ xã Trường Hòa.",
        "Lý Thị Kim",
        "+84978999000",
        division="TTBCXB",
        answered_after=12,
        answer="Sở đã yêu cầu trang tin gỡ bài viết và đính chính; đơn vị đã chấp hành.",
    ),
    DemoCase(
        "petition",
        "web",
        25,
        "Đề nghị cấp phép bản tin nội bộ cho hợp tác xã",
        "Hợp tác xã muốn phát hành bản tin nội bộ hằng quý cho xã viên.",
        "Cao Văn Lực",
        "+84945123123",
        division="TTBCXB",
        accepted_after=3,
    ),
)

# The handler of each division who gets its demo cases (see ACCOUNTS).
DEMO_HANDLERS = {account[3]: account[0] for account in ACCOUNTS if account[2] == ("handler",)}


def seed_cases(
    session: Session,
    *,
    now: datetime,
    settings: Settings,
    rules: dict[str, Rule],
    calendar: WorkingCalendar,
) -> int:
    """The demo cases, each sent and then handled through the services (so deadlines, events
    and the audit trail are real) on the days it says; a case already there is left alone."""
    from portal.services import submissions

    added = 0
    for number, demo in enumerate(DEMO_CASES):
        key = f"demo-case-{number}"
        if submissions.find_duplicate(session, key) is not None:
            continue
        received = (now - timedelta(days=demo.days_ago)).astimezone(VIETNAM).date()
        receipt = submissions.submit(
            session,
            submissions.Submission(
                kind=demo.kind,
                subject=demo.subject,
                content=demo.content,
                idempotency_key=key,
                consent_version="demo",
                field="telecom",
                name=demo.name,
                phone=demo.phone,
                province="Tỉnh Tây Ninh",
                respondent="Chánh Thanh tra Sở" if demo.kind == "complaint" else None,
                channel=demo.channel,
                received_on=received,
                signed_letter=demo.channel != "web",
            ),
            now=min(_at(received, 8), now),
            settings=settings,
            rules=rules,
            calendar=calendar,
        )
        _handle(session, receipt.case_id, demo, received, now=now, rules=rules, calendar=calendar)
        added += 1
    return added


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=VIETNAM).astimezone(UTC)


def _handle(
    session: Session,
    case_id: int,
    demo: DemoCase,
    received: date,
    *,
    now: datetime,
    rules: dict[str, Rule],
    calendar: WorkingCalendar,
) -> None:
    """Accept, assign, draft and approve as the officials would, on the days of the plan."""
    from portal.models import Case
    from portal.services import submissions, workflow

    if demo.division is None:
        return
    case = session.get(Case, case_id)
    division = session.scalar(select(Division).where(Division.code == demo.division))
    leader, clerk, handler = (
        session.scalar(select(User).where(User.email == email))
        for email in (ACCOUNTS[3][0], ACCOUNTS[1][0], DEMO_HANDLERS[demo.division])
    )
    if case is None or division is None or leader is None or clerk is None or handler is None:
        raise LookupError("demo accounts or divisions are missing: run demo.seed first")
    today = now.astimezone(VIETNAM).date()
    accepted = min(received + timedelta(days=demo.accepted_after), today)
    steps: list[tuple[str, User, workflow.ActionInput, date, int]] = [
        ("accept", leader, workflow.ActionInput(), accepted, 9),
        (
            "assign",
            clerk,
            workflow.ActionInput(assignee_id=handler.id, division_id=division.id),
            accepted,
            10,
        ),
    ]
    if demo.answered_after is not None:
        answered = min(received + timedelta(days=demo.answered_after), today)
        steps += [
            ("draft_answer", handler, workflow.ActionInput(answer=demo.answer), answered, 8),
            ("approve_answer", leader, workflow.ActionInput(), answered, 9),
        ]
    for action, actor, data, day, hour in steps:
        workflow.perform(
            session,
            case=case,
            action_name=action,
            actor=actor,
            data=data,
            today=day,
            now=min(_at(day, hour), now),
            rules=rules,
            calendar=calendar,
        )
    if demo.rating is not None:
        submissions.rate(session, case=case, rating=demo.rating, comment=None, now=now)


DEMO_ARTICLES = (
    (
        "dan-van-kheo-kinh-te",
        "Mô hình “Dân vận khéo” giúp nông dân bán hàng trực tuyến",
        "Cán bộ Sở hướng dẫn hơn 300 hộ nông dân mở gian hàng trên sàn thương mại điện tử.",
        "<h2>Bắt đầu từ một buổi đối thoại</h2><p>Tại buổi đối thoại tháng 3, người dân xã Hòa "
        "Thành đề nghị được hỗ trợ bán nông sản trực tuyến. Sở đã cử cán bộ về tận ấp.</p>"
        "<ul><li>312 hộ được hướng dẫn</li><li>47 gian hàng mới</li></ul>",
    ),
    (
        "hoat-dong-dan-van-chinh-quyen",
        "Sở tổng kết công tác dân vận chính quyền năm 2026",
        "Hội nghị đánh giá kết quả tiếp công dân, giải quyết phản ánh và đối thoại với Nhân dân.",
        "<p>Năm 2026, Sở tiếp nhận và xử lý đúng hạn phần lớn phản ánh, kiến nghị của người "
        "dân.</p><table><tr><th>Nội dung</th><th>Số lượng</th></tr><tr><td>Đơn tiếp nhận</td>"
        "<td>128</td></tr></table>",
    ),
    (
        "doi-thoai-voi-nhan-dan",
        "Giám đốc Sở đối thoại với người dân về hạ tầng viễn thông",
        "Hơn 60 người dân và doanh nghiệp dự buổi đối thoại; 12 kiến nghị được ghi nhận.",
        "<p>Buổi đối thoại diễn ra tại hội trường Sở. Các kết luận được công khai trên cổng "
        "thông tin.</p>",
    ),
)


def seed_articles(session: Session, *, now: datetime, author_id: int) -> int:
    """A few published articles, once."""
    from sqlalchemy import func

    from portal.lib.sanitize import sanitize_article
    from portal.models import Article, Category
    from portal.services import news

    if session.scalar(select(func.count(Article.id))):
        return 0
    for slug, title, summary, body in DEMO_ARTICLES:
        category = session.scalar(select(Category).where(Category.slug == slug))
        article = news.save(
            session,
            None,
            news.ArticleInput(
                title=title,
                summary=summary,
                body_html=body,
                category_ids=[category.id] if category else [],
                tags="dân vận chính quyền",
            ),
            editor_id=author_id,
            now=now,
            sanitize=lambda html: sanitize_article(html, image_prefix=news.IMAGE_PREFIX),
            text_of=lambda html: html,
        )
        news.change_status(
            session,
            article,
            "publish",
            actor_id=author_id,
            can_publish=True,
            now=now,
        )
    return len(DEMO_ARTICLES)
