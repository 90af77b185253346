"""Open311 GeoReport v2 rules that need no framework: statuses, dates, query windows, locations.

The specification is https://wiki.open311.org/GeoReport_v2 (frozen). Our two services are the
kinds of matter a civic-reporting client can file: petitions and reflections. Complaints and
denunciations have formal legal requirements (a signed letter, a sealed identity) that a
GeoReport client cannot meet, so they are not offered.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo
from typing import Final

from portal.domain.workflow import OPEN_STATUSES, STATUSES

SPECIFICATION: Final = "http://wiki.open311.org/GeoReport_v2"
SERVICE_CODES: Final = ("petition", "reflection")
GEOREPORT_STATUSES: Final = ("open", "closed")
# Statuses in which a case's answer has been published to the citizen (approve_answer, close).
ANSWERED_STATUSES: Final = frozenset({"resolved", "closed"})
MAX_WINDOW: Final = timedelta(days=90)
MAX_RESULTS: Final = 1000
MAX_IDS: Final = 100
DESCRIPTION_MAX: Final = 4000
SUBJECT_MAX: Final = 200
LOCATION_MAX: Final = 300

_GEO_RE: Final = re.compile(r"\s*\(geo:(-?[0-9]+(?:\.[0-9]+)?),(-?[0-9]+(?:\.[0-9]+)?)\)$")
# A "+07:00" offset typed into a query string unencoded arrives as " 07:00".
_SPACED_OFFSET_RE: Final = re.compile(r" ([0-9]{2}(?::?[0-9]{2})?)$")


class QueryError(ValueError):
    """A GET requests query the specification does not allow; `code` says which rule."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def georeport_status(status: str) -> str:
    """GeoReport knows two statuses: open (reported, being handled) and closed (finished)."""
    return "open" if status in OPEN_STATUSES else "closed"


def workflow_statuses(georeport: Iterable[str]) -> frozenset[str]:
    """The workflow statuses that a list of GeoReport statuses stands for."""
    wanted = set(georeport)
    return frozenset(s for s in STATUSES if georeport_status(s) in wanted)


def w3_datetime(moment: datetime, zone: tzinfo) -> str:
    """2026-11-27T14:49:32+07:00: the W3C profile of ISO 8601, with the offset."""
    return moment.astimezone(zone).isoformat(timespec="seconds")


def parse_w3_datetime(text: str, zone: tzinfo) -> datetime:
    """A start_date/end_date argument; a value without an offset is read in `zone`."""
    cleaned = _SPACED_OFFSET_RE.sub(r"+\1", text.strip())
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError as error:
        raise QueryError("bad_date") from error
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def query_window(
    start: datetime | None, end: datetime | None, *, now: datetime
) -> tuple[datetime, datetime]:
    """The requested_datetime range to search: at most 90 days, the last 90 by default."""
    if start is None:
        end = end or now
        start = end - MAX_WINDOW
    elif end is None:
        end = start + MAX_WINDOW
    if start > end:
        raise QueryError("start_after_end")
    if end - start > MAX_WINDOW:
        raise QueryError("window_too_long")
    return start, end


def split_list(text: str | None) -> list[str]:
    """A comma-delimited argument ("open,closed"), without blanks or repeats, in order."""
    items = [item.strip() for item in (text or "").split(",")]
    return list(dict.fromkeys(item for item in items if item))


def location_text(address: str | None, lat: float | None, long: float | None) -> str | None:
    """What the case's location column keeps: the address, then the point as a geo: URI.

    The address is shortened so that the point always fits (the column holds 300 characters).
    """
    point = f" (geo:{lat:.6f},{long:.6f})" if lat is not None and long is not None else ""
    address = (address or "").strip()
    if len(address) + len(point) > LOCATION_MAX:
        address = address[: LOCATION_MAX - len(point) - 1].rstrip() + "…"
    text = (address + point).strip()
    return text or None


def split_location(text: str | None) -> tuple[str | None, float | None, float | None]:
    """The address and the point of a location written by `location_text` (or by a person)."""
    if not text:
        return None, None, None
    match = _GEO_RE.search(text)
    if match is None:
        return text, None, None
    address = text[: match.start()].strip() or None
    return address, float(match.group(1)), float(match.group(2))


def subject_from(description: str) -> str:
    """A case needs a short subject; GeoReport has none, so the description's first words."""
    first_line = next((line.strip() for line in description.splitlines() if line.strip()), "")
    words = " ".join(first_line.split())
    if len(words) <= SUBJECT_MAX:
        return words
    cut = words[: SUBJECT_MAX - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut + "…"


def idempotency_key(pepper: bytes, token_id: int, fields: Iterable[tuple[str, str]]) -> str:
    """The same POST sent again (a retry after a lost answer) gives the same key.

    The key covers every argument except the API key itself, and the token that sent it, so
    two systems filing the same text still make two cases. It is a keyed hash: the stored key
    says nothing about the request.
    """
    canonical = json.dumps(
        sorted((name, value) for name, value in fields if name != "api_key"),
        ensure_ascii=False,
    )
    message = f"open311:{token_id}:{canonical}".encode()
    return hmac.new(pepper, message, hashlib.sha256).hexdigest()
