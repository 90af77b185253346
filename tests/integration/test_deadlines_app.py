"""The deadline engine where officials meet it: CLI, calculator page, calendar admin."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, CalendarOverride, Deadline
from portal.services import deadlines as deadline_service
from portal.web.rules import current_rules
from portal.web.security import now_utc


@pytest.fixture
def synced(app_ctx):
    deadline_service.sync_builtin_corrections(db.session, now=now_utc())
    return app_ctx


def _deadline(rule_id: str, started_on: date, due_on: date, **fields) -> Deadline:
    row = Deadline(
        rule_id=rule_id,
        legal_basis=current_rules()[rule_id].legal_basis,
        started_on=started_on,
        due_on=due_on,
        **fields,
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_cli_due_prints_the_explanation_then_the_date(synced) -> None:
    runner = synced.test_cli_runner()
    result = runner.invoke(args=["deadline", "due", "complaint.resolve", "2026-01-05"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "2026-02-04"
    assert any("Luật Khiếu nại" in line for line in lines)

    extended = runner.invoke(
        args=[
            "deadline",
            "due",
            "denunciation.resolve",
            "2026-01-05",
            "--complex",
            "--extensions",
            "1",
        ]
    )
    assert extended.output.strip().splitlines()[-1] == "2026-03-06"


def test_cli_due_skips_tet_and_names_it(synced) -> None:
    runner = synced.test_cli_runner()
    result = runner.invoke(args=["deadline", "due", "letter.process", "2026-02-12"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "2026-03-05"
    assert "Tết Nguyên Đán" in result.output


def test_cli_due_uses_the_stored_corrections(synced) -> None:
    # 02/01/2026 is a day off only through the stored correction (VPCP 12729).
    runner = synced.test_cli_runner()
    result = runner.invoke(args=["deadline", "due", "complaint.enforce", "2025-12-31"])
    assert result.output.strip().splitlines()[-1] == "2026-01-09"  # 08/01 without it
    assert "VPCP 12729" in result.output


def test_cli_due_refuses_bad_input(synced) -> None:
    runner = synced.test_cli_runner()
    assert runner.invoke(args=["deadline", "due", "no.such.rule", "2026-01-05"]).exit_code != 0
    assert runner.invoke(args=["deadline", "due", "complaint.resolve", "05/01/2026"]).exit_code != 0
    too_many = runner.invoke(
        args=["deadline", "due", "complaint.resolve", "2026-01-05", "--extensions", "1"]
    )
    assert too_many.exit_code != 0
    assert "gia hạn" in too_many.output


def test_cli_rules_and_calendar_show(synced) -> None:
    runner = synced.test_cli_runner()
    rules = runner.invoke(args=["deadline", "rules"]).output
    for rule_id in current_rules():
        assert rule_id in rules
    shown = runner.invoke(args=["calendar", "show", "2026"]).output
    assert "2026-01-02" in shown and "2026-01-10" in shown
    assert "2026-11-24" not in shown.split("Thứ Bảy đi làm")[0]


def test_calendar_sync_is_idempotent(synced) -> None:
    runner = synced.test_cli_runner()
    count = db.session.query(CalendarOverride).count()
    assert count > 0
    assert "(0 added)" in runner.invoke(args=["calendar", "sync"]).output
    assert db.session.query(CalendarOverride).count() == count


def test_recompute_reports_what_moved(synced) -> None:
    moved = _deadline("complaint.accept", date(2026, 3, 30), date(2026, 4, 1))
    kept = _deadline("complaint.accept", date(2026, 6, 1), date(2026, 6, 11))
    met = _deadline(
        "complaint.accept", date(2026, 3, 30), date(2026, 4, 1), met_on=date(2026, 4, 1)
    )
    runner = synced.test_cli_runner()
    result = runner.invoke(args=["deadline", "recompute"])
    assert result.exit_code == 0, result.output
    assert "Checked 2 open deadlines; 1 moved." in result.output
    db.session.expire_all()
    # 30/03 + 10 days = 09/04/2026, a Thursday
    assert db.session.get(Deadline, moved.id).due_on == date(2026, 4, 9)
    assert db.session.get(Deadline, kept.id).due_on == date(2026, 6, 11)
    assert db.session.get(Deadline, met.id).due_on == date(2026, 4, 1)


def test_calculator_page(client, login_as, synced) -> None:
    login_as("handler")
    page = client.get("/quan-tri/tinh-thoi-han").get_data(as_text=True)
    assert "complaint.resolve" in page
    result = client.get(
        "/quan-tri/tinh-thoi-han?rule=letter.process&start=12/02/2026&extensions=0"
    ).get_data(as_text=True)
    assert "05/03/2026" in result
    assert "Tết Nguyên Đán" in result


def test_calculator_names_each_problem(client, login_as, synced) -> None:
    login_as("clerk")
    page = client.get(
        "/quan-tri/tinh-thoi-han?rule=complaint.resolve&start=31/02/2026&extensions=-1"
    ).get_data(as_text=True)
    assert "<title>Lỗi:" in page
    assert "dd/mm/yyyy" in page
    assert 'value="31/02/2026"' in page
    too_many = client.get(
        "/quan-tri/tinh-thoi-han?rule=complaint.resolve&start=2026-01-05&extensions=1"
    ).get_data(as_text=True)
    assert "Quá số lần gia hạn" in too_many


def test_calendar_admin_adds_and_removes_with_audit_and_recompute(client, login_as, synced) -> None:
    admin = login_as("admin")
    row = _deadline("complaint.enforce", date(2026, 6, 1), date(2026, 6, 8))
    page = client.get("/quan-tri/lich-lam-viec?nam=2026").get_data(as_text=True)
    assert "02/01/2026" in page and "10/01/2026" in page

    response = client.post_form(
        "/quan-tri/lich-lam-viec?nam=2026",
        {"day": "03/06/2026", "kind": "day_off", "note": "Nghỉ đột xuất", "source": "QĐ 1/UBND"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Deadline, row.id).due_on == date(2026, 6, 9)
    flash = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 hạn được dời" in flash

    added = db.session.scalar(
        select(CalendarOverride).where(CalendarOverride.day == date(2026, 6, 3))
    )
    client.post_form(
        f"/quan-tri/lich-lam-viec/{added.id}/xoa", {}, token_from="/quan-tri/lich-lam-viec"
    )
    db.session.expire_all()
    assert db.session.get(Deadline, row.id).due_on == date(2026, 6, 8)
    actions = set(db.session.scalars(select(AuditLog.action).where(AuditLog.actor_id == admin.id)))
    assert {"calendar.override.add", "calendar.override.delete", "deadline.recompute"} <= actions


def test_calendar_admin_keeps_input_on_error(client, login_as, synced) -> None:
    login_as("admin")
    page = client.post_form(
        "/quan-tri/lich-lam-viec",
        {"day": "02/01/2026", "kind": "day_off", "note": "Trùng", "source": "x"},
    ).get_data(as_text=True)
    assert "đã có điều chỉnh" in page
    assert 'value="Trùng"' in page


def test_removed_builtin_correction_is_not_synced_back(client, login_as, synced) -> None:
    login_as("admin")
    builtin = db.session.scalar(
        select(CalendarOverride).where(CalendarOverride.day == date(2026, 11, 24))
    )
    client.post_form(
        f"/quan-tri/lich-lam-viec/{builtin.id}/xoa", {}, token_from="/quan-tri/lich-lam-viec"
    )
    deadline_service.sync_builtin_corrections(db.session, now=now_utc())
    assert (
        db.session.scalar(
            select(CalendarOverride).where(CalendarOverride.day == date(2026, 11, 24))
        )
        is None
    )


def test_invalid_rules_file_stops_the_app(tmp_path) -> None:
    from portal import create_app
    from portal.domain.deadlines import RulesFileError

    (tmp_path / "rules.toml").write_text('[rules."complaint.resolve"]\nlength = -5\n')
    with pytest.raises(RulesFileError, match=r"complaint\.resolve"):
        create_app({"PORTAL_ENV": "test", "DEADLINE_RULES_FILE": str(tmp_path / "rules.toml")})


def test_rules_file_changes_a_rule(tmp_path) -> None:
    from portal import create_app

    (tmp_path / "rules.toml").write_text(
        '[rules."complaint.accept"]\nunit = "working_days"\nalternative_unit = "days"\n'
    )
    app = create_app({"PORTAL_ENV": "test", "DEADLINE_RULES_FILE": str(tmp_path / "rules.toml")})
    assert app.extensions["deadline_rules"]["complaint.accept"].unit == "working_days"
