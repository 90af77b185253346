"""The public calendar feed: the sessions as an iCalendar (.ics) file."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from icalendar import Calendar, Event

from portal.domain import dialogues as rules
from portal.models import Dialogue


def ics_bytes(
    dialogues: Iterable[Dialogue],
    *,
    url_for_dialogue: Callable[[int], str],
    domain: str,
    name: str,
) -> bytes:
    """An iCalendar file of the sessions, times in Asia/Ho_Chi_Minh (TZID) with its VTIMEZONE.

    The online link is never included: it is for registered people only.
    """
    calendar = Calendar()
    calendar.add("prodid", f"-//{domain}//lich-tiep-cong-dan//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for dialogue in dialogues:
        event = Event()
        event.add("uid", f"dialogue-{dialogue.id}@{domain}")
        event.add("dtstamp", dialogue.created_at)
        event.add("dtstart", dialogue.starts_at.astimezone(rules.VIETNAM))
        event.add("dtend", dialogue.ends_at.astimezone(rules.VIETNAM))
        event.add("summary", dialogue.title)
        if dialogue.place:
            event.add("location", dialogue.place)
        description = "\n\n".join(
            part for part in (dialogue.host_name, dialogue.topic, dialogue.public_note) if part
        )
        if description:
            event.add("description", description)
        event.add("url", url_for_dialogue(dialogue.id))
        event.add("status", "CANCELLED" if dialogue.status == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()  # Component.to_ical has no return annotation
    return ical
