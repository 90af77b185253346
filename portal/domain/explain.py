"""Turn a deadline computation into plain sentences, in Vietnamese or English.

Used by `flask deadline due` and by the admin pages, so officials read the same
explanation everywhere.
"""

from __future__ import annotations

from datetime import date, datetime

from portal.domain.calendar import REASON_LABELS, WEEKDAY_LABELS
from portal.domain.deadlines import STEP_LABELS, UNIT_LABELS, VARIANT_LABELS, Computation, Step


def format_day(value: date | datetime, lang: str = "vi") -> str:
    """dd/mm/yyyy with the weekday; datetimes also show HH:MM."""
    weekday = WEEKDAY_LABELS[value.weekday()][lang]
    if isinstance(value, datetime):
        return f"{value:%H:%M} {weekday} {value:%d/%m/%Y}"
    return f"{weekday} {value:%d/%m/%Y}"


def _reason(step: Step, lang: str) -> str:
    detail = step.detail
    name = detail.get("name_vi" if lang == "vi" else "name_en") or detail.get("name_vi")
    reason = REASON_LABELS.get(str(detail.get("reason_code", "")), {}).get(lang, "")
    text = str(name or reason)
    source = detail.get("source")
    if source and not str(source).startswith("holidays"):
        text += f" ({source})"
    return text


def describe_step(step: Step, unit: str, lang: str = "vi") -> str:
    label = STEP_LABELS.get(step.code, {}).get(lang, step.code)
    when = format_day(step.day, lang) if step.day is not None else ""
    unit_label = UNIT_LABELS[unit][lang]
    detail = step.detail
    if step.code == "start":
        variant = VARIANT_LABELS.get(str(detail.get("variant", "normal")), {}).get(lang, "")
        return f"{label}: {when}. {detail['length']} {unit_label} ({variant})"
    if step.code in ("period_end", "pause"):
        return f"{label} ({detail['length']} {unit_label}): {when}"
    if step.code == "extension":
        return f"{label} {detail['number']} (+{detail['length']} {unit_label}): {when}"
    if step.code == "raw_end":
        return f"{label} ({detail['length']} {unit_label}): {when}"
    if step.code in ("skip", "makeup_day_counted"):
        return f"{label}: {when} — {_reason(step, lang)}"
    return f"{label}: {when}"


def describe_steps(result: Computation, lang: str = "vi") -> list[str]:
    return [describe_step(step, result.unit, lang) for step in result.steps]
