"""Demo data for trying the product: the department of the seed plan and one account per role.

Idempotent: a second run adds nothing twice. Demo accounts that still hold a one-time password
get a fresh one printed at each run (the old one cannot be shown: only its hash is kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

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


DEMO_CASES = (
    # kind, channel, days ago, subject, content, name, phone
    (
        "reflection",
        "web",
        2,
        "Cột điện viễn thông đổ chắn đường 30/4",
        "Sau cơn mưa lớn tối qua, một cột điện viễn thông đổ chắn ngang đường 30/4, gần chợ.",
        "Nguyễn Văn Bình",
        "+84912345678",
    ),
    (
        "petition",
        "web",
        6,
        "Đề nghị mở rộng sóng di động ở ấp Bàu Sen",
        "Ấp Bàu Sen, xã Hòa Thành không có sóng điện thoại ổn định, người dân khó liên lạc.",
        "Trần Thị Hoa",
        "+84987654321",
    ),
    (
        "complaint",
        "post",
        9,
        "Khiếu nại quyết định xử phạt vi phạm hành chính",
        "Tôi không đồng ý với quyết định xử phạt số 15/QĐ-XPHC về hoạt động in.",
        "Lê Văn Tài",
        "+84903123456",
    ),
    (
        "reflection",
        "in_person",
        20,
        "Tin nhắn quảng cáo rác liên tục",
        "Tôi nhận hàng chục tin nhắn quảng cáo mỗi ngày từ các đầu số lạ.",
        "Phạm Thị Lan",
        "+84358111222",
    ),
    (
        "petition",
        "web",
        45,
        "Đơn giản hóa thủ tục cấp giấy phép xuất bản bản tin",
        "Đề nghị cho phép nộp hồ sơ và nhận kết quả hoàn toàn trực tuyến.",
        "Võ Minh Khoa",
        "+84707333444",
    ),
)


def seed_cases(
    session: Session,
    *,
    now: datetime,
    settings: Settings,
    rules: dict[str, Rule],
    calendar: WorkingCalendar,
) -> int:
    """A few cases in different states, once (a database that has cases is left alone)."""
    from datetime import timedelta

    from sqlalchemy import func

    from portal.models import Case
    from portal.services import submissions

    if session.scalar(select(func.count(Case.id))):
        return 0
    for number, (kind, channel, days_ago, subject, content, name, phone) in enumerate(DEMO_CASES):
        received = (now - timedelta(days=days_ago)).date()
        submissions.submit(
            session,
            submissions.Submission(
                kind=kind,
                subject=subject,
                content=content,
                idempotency_key=f"demo-case-{number}",
                consent_version="demo",
                field="telecom",
                name=name,
                phone=phone,
                province="Tỉnh Tây Ninh",
                respondent="Chánh Thanh tra Sở" if kind == "complaint" else None,
                channel=channel,
                received_on=received,
                signed_letter=channel != "web",
            ),
            now=now,
            settings=settings,
            rules=rules,
            calendar=calendar,
        )
    return len(DEMO_CASES)


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
