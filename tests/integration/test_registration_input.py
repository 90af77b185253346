"""A citizen registering for a session loses nothing: mistakes do not count toward the
limit, a limit reached gives the form back with what was typed, and the language switch
keeps it too (the same rules as the "Gửi đơn" forms, issue 16)."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Registration
from tests.factories import make_dialogue, registration_form

MATTER = "Kiến nghị về sóng di động yếu ở ấp 3"


def _registrations() -> int:
    return db.session.scalar(select(func.count(Registration.id))) or 0


def test_five_mistakes_then_a_correct_registration_is_taken(client, config_override) -> None:
    config_override(SUBMISSION_RATE_LIMIT="5/minute;30/day")
    url = f"/lich-tiep-cong-dan/{make_dialogue().id}"
    for _ in range(5):
        wrong = client.post_form(url, registration_form(phone="12", consent=""))
        assert wrong.status_code == 200
        assert "field-error" in wrong.get_data(as_text=True)
    assert client.post_form(url, registration_form()).status_code == 303
    assert _registrations() == 1


def test_a_limit_reached_keeps_what_was_typed_and_says_how_long(client, config_override) -> None:
    config_override(SUBMISSION_RATE_LIMIT="1/day")
    url = f"/lich-tiep-cong-dan/{make_dialogue(capacity=10).id}"
    assert client.post_form(url, registration_form()).status_code == 303
    again = client.post_form(url, registration_form(name="Lê Thị Hoa", phone="0913 222 333"))
    assert again.status_code == 429
    assert 23 * 3600 < int(again.headers["Retry-After"]) <= 24 * 3600
    page = again.get_data(as_text=True)
    assert "Lê Thị Hoa" in page and MATTER in page and "24 giờ" in page
    assert _registrations() == 1


def test_switching_language_keeps_the_registration_form(client) -> None:
    url = f"/lich-tiep-cong-dan/{make_dialogue().id}"
    page = client.get(url).get_data(as_text=True)
    assert 'form="registration-form"' in page and 'id="registration-form"' in page
    switched = client.post_form(url, registration_form(switch_language="en", consent=""))
    assert switched.status_code == 200
    english = switched.get_data(as_text=True)
    assert '<html lang="en"' in english and MATTER in english and "Trần Văn Bình" in english
    assert "field-error" not in english
    assert "lang=en" in switched.headers["Set-Cookie"]
    assert _registrations() == 0
