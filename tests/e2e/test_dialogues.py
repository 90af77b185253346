"""The reception schedule in Chromium: a citizen registers without JavaScript, an official
sees the registration and the monthly compliance page; the whole journey of issue 7 from a
new session to a published follow-up. axe checks every page."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from time import sleep

from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.domain.dialogues import VIETNAM
from portal.extensions import db
from portal.models import Case
from tests.factories import PASSWORD, make_dialogue, make_division, make_user


def test_register_for_a_session_and_see_it_as_an_official(new_context, visit, follow) -> None:
    dialogue_id = make_dialogue().id
    email = make_user(roles=("clerk",)).email
    db.session.rollback()

    citizen: Page = new_context(java_script_enabled=False).new_page()
    visit("/lich-tiep-cong-dan/", on=citizen)
    visit(f"/lich-tiep-cong-dan/{dialogue_id}", on=citizen)
    citizen.locator('[name="name"]').fill("Trần Văn Bình")
    citizen.locator('[name="phone"]').fill("0912 345 678")
    citizen.locator('[name="matter"]').fill("Sóng di động yếu ở ấp 3")
    citizen.locator('[name="consent"]').check()
    follow(citizen.locator("#form-submit"))
    expect(citizen.locator(".access-code")).to_be_visible()

    official: Page = new_context().new_page()
    visit("/quan-tri/dang-nhap", on=official)
    official.locator('[name="email"]').fill(email)
    official.locator('[name="password"]').fill(PASSWORD)
    follow(official.locator("#form-submit"))
    visit(f"/quan-tri/lich-tiep/{dialogue_id}", on=official)
    expect(official.locator("main")).to_contain_text("Trần Văn Bình")
    visit("/quan-tri/lich-tiep/", on=official)
    visit("/quan-tri/lich-tiep/tuan-thu", on=official)
    visit("/quan-tri/lich-tiep/moi", on=official)


def _wait_past_midnight_if_close() -> None:
    """The session starts a few minutes after the test begins and its case is received on
    its day: both must fall on the same day in Vietnam, so a run in the last minutes before
    midnight waits for the new day."""
    now = datetime.now(VIETNAM)
    midnight = datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=VIETNAM)
    if midnight - now < timedelta(minutes=6):
        sleep((midnight - now).total_seconds() + 1)


def test_session_from_registration_to_published_follow_up(new_context, visit, follow) -> None:
    _wait_past_midnight_if_close()
    email = make_user(roles=("clerk",)).email
    make_division(name="Phòng Bưu chính, Viễn thông")
    db.session.rollback()
    official: Page = new_context().new_page()
    visit("/quan-tri/dang-nhap", on=official)
    official.locator('[name="email"]').fill(email)
    official.locator('[name="password"]').fill(PASSWORD)
    follow(official.locator("#form-submit"))

    # The official creates a session starting in a few minutes.
    starts = datetime.now(VIETNAM).replace(second=0, microsecond=0) + timedelta(minutes=4)
    visit("/quan-tri/lich-tiep/moi", on=official)
    official.locator('[name="kind"]').select_option("unscheduled")
    official.locator('[name="title"]').fill("Tiếp công dân đột xuất về hạ tầng viễn thông")
    official.locator('[name="starts_at"]').fill(starts.strftime("%Y-%m-%dT%H:%M"))
    official.locator('[name="ends_at"]').fill(
        (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    official.locator('[name="mode"]').select_option("in_person")
    official.locator('[name="place"]').fill("Phòng tiếp công dân, số 1 Trần Hưng Đạo")
    official.locator('[name="host_name"]').fill("Giám đốc Sở")
    follow(official.locator("#form-submit"))
    expect(official.locator("h1")).to_have_text("Tiếp công dân đột xuất về hạ tầng viễn thông")
    dialogue_id = int(official.url.rstrip("/").rsplit("/", 1)[1])

    # A citizen registers with a question, without JavaScript.
    citizen: Page = new_context(java_script_enabled=False).new_page()
    visit("/lich-tiep-cong-dan/", on=citizen)
    follow(citizen.get_by_role("link", name="Tiếp công dân đột xuất về hạ tầng viễn thông"))
    citizen.locator('[name="name"]').fill("Trần Văn Bình")
    citizen.locator('[name="phone"]').fill("0912 345 678")
    citizen.locator('[name="matter_kind"]').select_option("reflection")
    citizen.locator('[name="matter"]').fill("Sóng di động rất yếu ở ấp 3")
    citizen.locator('[name="question"]').fill("Khi nào có trạm phát sóng mới ở ấp 3?")
    citizen.locator('[name="consent"]').check()
    follow(citizen.locator("#form-submit"))
    expect(citizen.locator(".access-code")).to_be_visible()

    # The official checks the citizen in and turns the question into a case.
    visit(f"/quan-tri/lich-tiep/{dialogue_id}", on=official)
    row = official.locator("tr", has_text="Trần Văn Bình")
    follow(row.locator('button[value="attended"]'))
    follow(official.locator("tr", has_text="Trần Văn Bình").locator('a[href$="/tao-don"]'))
    expect(official.locator('[name="content"]')).to_contain_text("Khi nào có trạm phát sóng mới")
    expect(official.locator('[name="reception_kind"]')).to_have_value("unscheduled")
    official.locator('[name="subject"]').fill("Phản ánh sóng di động yếu ở ấp 3")
    follow(official.locator("#form-submit"))
    case = db.session.scalar(select(Case))
    assert case is not None and case.channel == "in_person"
    expect(official.locator("main")).to_contain_text(case.number)
    expect(official.locator(f'tr a[href$="/quan-tri/don/{case.id}"]')).to_be_visible()

    # The official publishes the conclusions with a follow-up.
    official.locator('[name="conclusions"]').fill(
        "Giao Phòng Bưu chính, Viễn thông làm việc với nhà mạng."
    )
    follow(official.locator('button[value="publish"]'))
    official.locator('[name="conclusion"]').fill("Làm việc với nhà mạng về trạm phát sóng ấp 3")
    official.locator('[name="division_id"]').select_option(label="Phòng Bưu chính, Viễn thông")
    due = datetime.now(VIETNAM).date() + timedelta(days=30)
    official.locator('[name="due_on"]').fill(due.isoformat())
    follow(official.locator("#form-submit"))
    expect(official.locator("main")).to_contain_text("Làm việc với nhà mạng về trạm phát sóng ấp 3")

    # The citizen sees the conclusions and the follow-up on the session page.
    visit(f"/lich-tiep-cong-dan/{dialogue_id}", on=citizen)
    conclusions = citizen.locator("section", has_text="Giao Phòng Bưu chính")
    expect(conclusions).to_contain_text("Làm việc với nhà mạng về trạm phát sóng ấp 3")
    expect(conclusions).to_contain_text("Phòng Bưu chính, Viễn thông")
    expect(conclusions).to_contain_text(due.strftime("%d/%m/%Y"))
