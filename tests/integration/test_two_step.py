"""Two-step sign-in (TOTP) for officials."""

from __future__ import annotations

import re

import pyotp

from portal.extensions import db
from portal.models import User
from tests.factories import PASSWORD, make_user


def _login(client, email: str):  # type: ignore[no-untyped-def]
    return client.post_form("/quan-tri/dang-nhap", {"email": email, "password": PASSWORD})


def test_enable_then_sign_in_with_a_code(client) -> None:
    user = make_user(roles=("handler",))
    email = user.email
    _login(client, email)
    page = client.get("/quan-tri/bao-mat").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    wrong = client.post_form("/quan-tri/bao-mat", {"code": "000000"})
    assert "không đúng" in wrong.get_data(as_text=True)
    done = client.post_form("/quan-tri/bao-mat", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    assert db.session.get(User, user.id).totp_secret == secret

    client.post_form("/quan-tri/dang-xuat", {}, token_from="/quan-tri/")
    step = _login(client, email)
    assert step.headers["Location"].endswith("/quan-tri/xac-thuc-hai-buoc")
    assert client.get("/quan-tri/").status_code == 302  # not signed in yet
    bad = client.post_form("/quan-tri/xac-thuc-hai-buoc", {"code": "123456"})
    assert "không đúng" in bad.get_data(as_text=True)
    code = pyotp.TOTP(secret).now()
    good = client.post_form("/quan-tri/xac-thuc-hai-buoc", {"code": code})
    assert good.status_code == 302
    assert client.get("/quan-tri/").status_code == 200

    # the same code cannot be used twice
    client.post_form("/quan-tri/dang-xuat", {}, token_from="/quan-tri/")
    _login(client, email)
    replay = client.post_form("/quan-tri/xac-thuc-hai-buoc", {"code": code})
    assert replay.status_code == 200


def test_required_role_is_sent_to_set_it_up(client, config_override) -> None:
    config_override(TOTP_REQUIRED_ROLES=["leader"])
    user = make_user(roles=("leader",))
    _login(client, user.email)
    response = client.get("/quan-tri/don/")
    assert response.headers["Location"].endswith("/quan-tri/bao-mat")


def test_two_step_page_without_a_password_first(client) -> None:
    response = client.get("/quan-tri/xac-thuc-hai-buoc")
    assert response.headers["Location"].endswith("/quan-tri/dang-nhap")
