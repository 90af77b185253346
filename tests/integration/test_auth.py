from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, UserSession
from portal.services import accounts
from portal.web.security import SESSION_TOKEN_KEY, now_utc
from tests.factories import PASSWORD, make_user

LOGIN = "/quan-tri/dang-nhap"
WRONG = "Email hoặc mật khẩu không đúng."


def _login(client, email: str, password: str):
    return client.post_form(LOGIN, {"email": email, "password": password})


def test_login_and_dashboard(client) -> None:
    user = make_user(roles=("clerk",))
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 302
    page = client.get("/quan-tri/").get_data(as_text=True)
    assert user.name in page


def test_unknown_email_and_wrong_password_answer_alike(client) -> None:
    user = make_user()
    wrong_password = _login(client, user.email, "not the password at all")
    unknown = _login(client, "nobody@example.gov.vn", PASSWORD)
    assert wrong_password.status_code == unknown.status_code == 200
    assert WRONG in wrong_password.get_data(as_text=True)
    assert WRONG in unknown.get_data(as_text=True)


def test_failed_login_keeps_the_email_and_names_the_field(client) -> None:
    page = _login(client, "can.bo@example.gov.vn", "").get_data(as_text=True)
    assert 'value="can.bo@example.gov.vn"' in page
    assert "Lỗi:" in page.split("</title>")[0]
    assert 'href="#password"' in page


def test_expired_login_form_comes_back_with_the_email(client) -> None:
    response = client.post(LOGIN, data={"csrf_token": "expired", "email": "a@b.vn"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="a@b.vn"' in page
    assert "hết hạn" in page


def test_login_is_rate_limited(client) -> None:
    token = client.csrf_token(LOGIN)
    responses = [
        client.post(LOGIN, data={"csrf_token": token, "email": "x@y.vn", "password": "z"})
        for _ in range(12)
    ]
    assert responses[0].status_code == 200
    assert responses[-1].status_code == 429
    # the form again: the email kept, never the password, the wait in words and in Retry-After
    page = responses[-1].get_data(as_text=True)
    assert "Bạn đã thử đăng nhập quá nhiều lần" in page
    assert 'value="x@y.vn"' in page and 'value="z"' not in page
    assert int(responses[-1].headers["Retry-After"]) > 0


def test_wrong_passwords_slow_one_address_down_and_lock_nobody_out(client) -> None:
    """Five wrong passwords for an account from one address: that address waits; the
    official, elsewhere, signs in as usual. The account itself is never locked."""
    user = make_user()
    attacker = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(5):
        wrong = client.post_form(
            LOGIN, {"email": user.email, "password": "sai mật khẩu rồi"}, environ_base=attacker
        )
        assert wrong.status_code == 200
    right_but_from_there = client.post_form(
        LOGIN, {"email": user.email, "password": PASSWORD}, environ_base=attacker
    )
    assert right_but_from_there.status_code == 429
    official = client.post_form(
        LOGIN,
        {"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.20"},
    )
    assert official.status_code == 302
    db.session.refresh(user)
    assert user.locked_until is None


def test_the_pair_limit_counts_only_wrong_passwords(client) -> None:
    user = make_user()
    for _ in range(6):
        assert _login(client, user.email, PASSWORD).status_code == 302
        client.post_form("/quan-tri/dang-xuat", {}, token_from="/quan-tri/")
    assert _login(client, user.email, PASSWORD).status_code == 302


def test_session_token_changes_at_each_login(client) -> None:
    user = make_user()
    _login(client, user.email, PASSWORD)
    with client.session_transaction() as session:
        first = session[SESSION_TOKEN_KEY]
    client.post_form("/quan-tri/dang-xuat", {}, token_from="/quan-tri/")
    _login(client, user.email, PASSWORD)
    with client.session_transaction() as session:
        assert session[SESSION_TOKEN_KEY] != first


def test_logout_is_a_post_and_ends_the_session(client) -> None:
    user = make_user()
    _login(client, user.email, PASSWORD)
    with client.session_transaction() as session:
        stolen = dict(session)
    response = client.post_form("/quan-tri/dang-xuat", {}, token_from="/quan-tri/")
    assert response.status_code == 302
    # Replaying the old cookie contents does not bring the session back.
    with client.session_transaction() as session:
        session.update(stolen)
    assert client.get("/quan-tri/").status_code == 302


def test_logout_without_csrf_is_refused(client) -> None:
    user = make_user()
    _login(client, user.email, PASSWORD)
    response = client.post("/quan-tri/dang-xuat")
    assert response.status_code == 400
    assert client.get("/quan-tri/").status_code == 200


def test_deactivation_ends_sessions_at_once(client) -> None:
    user = make_user()
    admin = make_user(roles=("admin",))
    _login(client, user.email, PASSWORD)
    assert client.get("/quan-tri/").status_code == 200
    accounts.set_active(db.session, user=user, active=False, actor_id=admin.id, now=now_utc())
    assert client.get("/quan-tri/").status_code == 302


def test_idle_and_absolute_timeouts(client, app) -> None:
    user = make_user()
    _login(client, user.email, PASSWORD)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    row.last_seen_at = now_utc() - app.config["SESSION_IDLE_TIMEOUT"] - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/quan-tri/").status_code == 302

    _login(client, user.email, PASSWORD)
    row = db.session.scalars(select(UserSession).where(UserSession.revoked_at.is_(None))).one()
    row.created_at = now_utc() - app.config["SESSION_ABSOLUTE_TIMEOUT"] - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/quan-tri/").status_code == 302


def test_one_time_password_must_be_changed_first(client) -> None:
    user = make_user(must_change_password=True)
    _login(client, user.email, PASSWORD)
    response = client.get("/quan-tri/")
    assert response.headers["Location"].endswith("/quan-tri/doi-mat-khau")
    weak = client.post_form(
        "/quan-tri/doi-mat-khau",
        {
            "current_password": PASSWORD,
            "new_password": "password1234",
            "confirm_password": "password1234",
        },
    )
    assert "quá phổ biến" in weak.get_data(as_text=True)
    new = "đồng lúa xanh bên sông Vàm Cỏ 2026"
    done = client.post_form(
        "/quan-tri/doi-mat-khau",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert done.status_code == 302
    assert client.get("/quan-tri/").status_code == 200
    db.session.refresh(user)
    assert user.must_change_password is False
    assert accounts.verify_password(user.password_hash, new)


def test_password_change_ends_other_sessions(app, client) -> None:
    user = make_user()
    other = app.test_client()
    _login(other, user.email, PASSWORD)
    _login(client, user.email, PASSWORD)
    new = "mùa nước nổi về trên cánh đồng"
    client.post_form(
        "/quan-tri/doi-mat-khau",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert client.get("/quan-tri/").status_code == 200
    assert other.get("/quan-tri/").status_code == 302


def test_password_rules() -> None:
    import pytest

    with pytest.raises(accounts.WeakPassword) as short:
        accounts.check_password_strength("Ngắn-1")
    assert short.value.reason == "too_short"
    with pytest.raises(accounts.WeakPassword) as common:
        accounts.check_password_strength("password1234")
    assert common.value.reason == "too_common"
    accounts.check_password_strength("trâu ơi ta bảo trâu này")
    hashed = accounts.hash_password("trâu ơi ta bảo trâu này")
    assert hashed.startswith("$argon2id$")


def test_create_user_command_prints_a_one_time_password(app_ctx) -> None:
    runner = app_ctx.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Moi@Example.gov.vn",
            "--name",
            "Đặng Văn Mới",
            "--role",
            "handler",
            "--role",
            "clerk",
        ]
    )
    assert result.exit_code == 0, result.output
    password = result.output.strip().splitlines()[-1].rsplit(" ", 1)[-1]
    user = accounts.authenticate(
        db.session, email="moi@example.gov.vn", password=password, now=now_utc()
    )
    assert user.roles == {"handler", "clerk"}
    assert user.must_change_password
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "user.create"))
    again = runner.invoke(
        args=["create-user", "--email", "moi@example.gov.vn", "--name", "X", "--role", "admin"]
    )
    assert again.exit_code != 0
