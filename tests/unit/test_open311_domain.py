"""The GeoReport v2 rules that need no app: statuses, dates, windows, locations, keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.domain import open311 as georeport
from portal.domain.workflow import FINAL_STATUSES, OPEN_STATUSES

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize("status", sorted(OPEN_STATUSES))
def test_open_workflow_statuses_are_open(status: str) -> None:
    assert georeport.georeport_status(status) == "open"


@pytest.mark.parametrize("status", sorted(FINAL_STATUSES))
def test_final_workflow_statuses_are_closed(status: str) -> None:
    assert georeport.georeport_status(status) == "closed"


def test_workflow_statuses_of_georeport_statuses() -> None:
    assert georeport.workflow_statuses(["open"]) == OPEN_STATUSES
    assert georeport.workflow_statuses(["closed"]) == FINAL_STATUSES
    assert georeport.workflow_statuses([]) == frozenset()


def test_w3_datetime_has_the_vietnam_offset() -> None:
    assert georeport.w3_datetime(NOW, VIETNAM) == "2026-11-27T14:00:00+07:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-27T07:00:00Z", NOW),
        ("2026-11-27T14:00:00+07:00", NOW),
        ("2026-11-27T14:00:00 07:00", NOW),  # "+" unencoded in a query string
        ("2026-11-27T14:00:00", NOW),  # no offset: Vietnam time
        ("2026-11-27", datetime(2026, 11, 27, tzinfo=VIETNAM)),
    ],
)
def test_parse_w3_datetime(text: str, expected: datetime) -> None:
    assert georeport.parse_w3_datetime(text, VIETNAM) == expected


@pytest.mark.parametrize("text", ["", "hôm qua", "27/11/2026", "2026-13-01T00:00:00Z"])
def test_parse_w3_datetime_refuses_other_text(text: str) -> None:
    with pytest.raises(georeport.QueryError) as error:
        georeport.parse_w3_datetime(text, VIETNAM)
    assert error.value.code == "bad_date"


def test_query_window_defaults_to_the_last_90_days() -> None:
    assert georeport.query_window(None, None, now=NOW) == (NOW - timedelta(days=90), NOW)
    start = NOW - timedelta(days=200)
    assert georeport.query_window(start, None, now=NOW) == (start, start + timedelta(days=90))
    assert georeport.query_window(None, start, now=NOW) == (start - timedelta(days=90), start)


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (NOW, NOW - timedelta(seconds=1), "start_after_end"),
        (NOW - timedelta(days=90, seconds=1), NOW, "window_too_long"),
    ],
)
def test_query_window_refusals(start: datetime, end: datetime, code: str) -> None:
    with pytest.raises(georeport.QueryError) as error:
        georeport.query_window(start, end, now=NOW)
    assert error.value.code == code


def test_split_list() -> None:
    assert georeport.split_list(" open, closed,,open ") == ["open", "closed"]
    assert georeport.split_list(None) == []


def test_location_round_trip() -> None:
    text = georeport.location_text("Đường 30/4, Tây Ninh", 11.31, 106.098)
    assert text == "Đường 30/4, Tây Ninh (geo:11.310000,106.098000)"
    assert georeport.split_location(text) == ("Đường 30/4, Tây Ninh", 11.31, 106.098)
    assert georeport.location_text(None, -1.5, -2.25) == "(geo:-1.500000,-2.250000)"
    assert georeport.split_location("(geo:-1.500000,-2.250000)") == (None, -1.5, -2.25)
    assert georeport.location_text("  ", None, None) is None
    # A place typed on the web form has no point.
    assert georeport.split_location("Chợ Long Hoa") == ("Chợ Long Hoa", None, None)
    assert georeport.split_location(None) == (None, None, None)


def test_a_long_address_is_shortened_so_that_the_point_fits() -> None:
    text = georeport.location_text("đường " * 100, 11.31, 106.098)
    assert len(text) <= georeport.LOCATION_MAX
    assert text.endswith("… (geo:11.310000,106.098000)")
    assert georeport.split_location(text)[1:] == (11.31, 106.098)


def test_subject_from_the_description() -> None:
    assert georeport.subject_from("\n  Cột điện   đổ\nchi tiết") == "Cột điện đổ"
    long_text = "chữ " * 100
    subject = georeport.subject_from(long_text)
    assert len(subject) <= georeport.SUBJECT_MAX
    assert subject.endswith("chữ…")


def test_idempotency_key_ignores_the_api_key_and_order_but_not_the_token() -> None:
    pepper = b"p" * 32
    fields = [("service_code", "petition"), ("description", "Đề nghị")]
    key = georeport.idempotency_key(pepper, 1, [("api_key", "a"), *fields])
    assert len(key) == 64
    assert key == georeport.idempotency_key(pepper, 1, [*reversed(fields), ("api_key", "b")])
    assert key != georeport.idempotency_key(pepper, 2, fields)
    assert key != georeport.idempotency_key(pepper, 1, [*fields, ("phone", "0912345678")])
    assert key != georeport.idempotency_key(b"q" * 32, 1, fields)
