"""Officials' passwords: nothing built from what a guesser knows (the e-mail, the name, the
agency, the province); and, in production, rate limits that every worker shares."""

from __future__ import annotations

import pytest

from portal import create_app
from portal.config import ConfigError
from portal.services import accounts
from tests.factories import PASSWORD

AGENCY = ["Sở Thông tin và Truyền thông tỉnh Tây Ninh", "Tây Ninh", "STTTT"]


@pytest.mark.parametrize(
    "password",
    ["victim212345678", "Tayninh123456", "tayninh@2026!", "NguyenVanBinh99", "STTTTtayninh1"],
)
def test_passwords_from_the_email_the_name_or_the_agency_are_refused(password: str) -> None:
    with pytest.raises(accounts.WeakPassword) as weak:
        accounts.check_password_strength(
            password, user_inputs=["victim2@example.gov.vn", "Nguyễn Văn Bình", *AGENCY]
        )
    assert weak.value.reason == "too_common"


def test_the_same_inputs_leave_a_good_password_alone() -> None:
    accounts.check_password_strength(
        "trâu ơi ta bảo trâu này",
        user_inputs=["victim2@example.gov.vn", "Nguyễn Văn Bình", *AGENCY],
    )


def test_the_change_password_page_checks_against_the_agency_and_the_email(client, login_as) -> None:
    user = login_as("handler", email="victim2@example.gov.vn")
    url = "/quan-tri/doi-mat-khau"
    for guessable in ("Tayninh123456", "victim212345678"):
        page = client.post_form(
            url,
            {
                "current_password": PASSWORD,
                "new_password": guessable,
                "confirm_password": guessable,
            },
        )
        assert page.status_code == 200
        assert accounts.verify_password(user.password_hash, PASSWORD)
    strong = "trâu ơi ta bảo trâu này"
    done = client.post_form(
        url, {"current_password": PASSWORD, "new_password": strong, "confirm_password": strong}
    )
    assert done.status_code in (302, 303)


def _production(tmp_path, **settings):  # type: ignore[no-untyped-def]
    return create_app(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": "s" * 40,
            "ACCESS_CODE_PEPPER": "p" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
            "INSTANCE_PATH": str(tmp_path),
            **settings,
        }
    )


def test_production_refuses_a_per_process_rate_limit_store(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        _production(tmp_path, RATELIMIT_STORAGE_URI="memory://")
    with pytest.raises(ConfigError, match="WEB_CONCURRENCY"):
        _production(tmp_path, RATELIMIT_STORAGE_URI=None, WEB_CONCURRENCY="4")


def test_production_accepts_a_shared_store_or_a_single_process(tmp_path) -> None:
    shared = _production(tmp_path, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15")
    single = _production(tmp_path, RATELIMIT_STORAGE_URI="memory://", WEB_CONCURRENCY="1")
    assert shared.config["PORTAL_ENV"] == single.config["PORTAL_ENV"] == "production"
