"""`flask deadline ...` and `flask calendar ...`: the deadline engine for operators."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from portal.domain.calendar import REASON_LABELS, DayInfo
from portal.domain.deadlines import (
    CONFIDENCE_LABELS,
    ERROR_LABELS,
    UNIT_LABELS,
    DeadlineError,
    due_date,
)
from portal.domain.explain import describe_steps
from portal.extensions import db
from portal.services import deadlines as deadline_service
from portal.web.rules import current_rules
from portal.web.security import now_utc

deadline_cli = AppGroup("deadline", help="Legal deadlines: compute, list rules, recompute.")
calendar_cli = AppGroup("calendar", help="The working-day calendar.")

LANGUAGE = click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)


def _iso(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from error


@deadline_cli.command("due")
@click.argument("rule_id")
@click.argument("start")
@click.option("--complex", "complex_", is_flag=True, help="Complex case.")
@click.option("--very-complex", is_flag=True, help="Very complex case.")
@click.option("--remote", is_flag=True, help="Remote area (vùng sâu, vùng xa).")
@click.option("--multi-place", is_flag=True, help="Verification needed at several places.")
@click.option("--extensions", type=click.IntRange(min=0), default=0)
@click.option("--paused-days", type=click.IntRange(min=0), default=0)
@LANGUAGE
def due(
    rule_id: str,
    start: str,
    complex_: bool,
    very_complex: bool,
    remote: bool,
    multi_place: bool,
    extensions: int,
    paused_days: int,
    lang: str,
) -> None:
    """Explain the due date of RULE_ID counted from START (YYYY-MM-DD); the last line is the
    due date alone."""
    rules = current_rules()
    if rule_id not in rules:
        raise click.BadParameter(f"unknown rule {rule_id!r}; see `flask deadline rules`")
    rule = rules[rule_id]
    from datetime import datetime

    begin: date | datetime = _iso(start)
    if rule.unit == "hours":
        begin = datetime.fromisoformat(start if "T" in start else f"{start}T00:00")
        if begin.tzinfo is None:
            from portal.domain.calendar import VIETNAM_TZ

            begin = begin.replace(tzinfo=VIETNAM_TZ)
    calendar = deadline_service.load_calendar(db.session)
    try:
        result = due_date(
            rule,
            begin,
            calendar,
            complex=complex_,
            very_complex=very_complex,
            remote=remote,
            multi_place=multi_place,
            extensions=extensions,
            paused_days=paused_days,
        )
    except DeadlineError as error:
        raise click.ClickException(ERROR_LABELS[error.code][lang].format(**error.params)) from error
    title = rule.title_vi if lang == "vi" else rule.title_en
    click.echo(f"{rule.id}: {title}")
    click.echo(
        f"  {rule.legal_basis} [{rule.confidence}: {CONFIDENCE_LABELS[rule.confidence][lang]}]"
    )
    for line in describe_steps(result, lang):
        click.echo(f"  {line}")
    click.echo(result.due.isoformat())


@deadline_cli.command("rules")
@LANGUAGE
def list_rules(lang: str) -> None:
    """List the rules in force (after the deployment's rules file)."""
    for rule in current_rules().values():
        title = rule.title_vi if lang == "vi" else rule.title_en
        unit = UNIT_LABELS[rule.unit][lang]
        variants = ", ".join(
            f"{name} {value}"
            for name, value in (
                ("complex", rule.complex_length),
                ("remote", rule.remote_length),
                ("remote+complex", rule.remote_complex_length),
                ("multi-place", rule.multi_place_length),
            )
            if value
        )
        extra = f" ({variants})" if variants else ""
        if rule.extension_length:
            counts = (
                rule.max_extensions,
                rule.max_extensions_complex,
                rule.max_extensions_very_complex,
            )
            extra += f" +{rule.extension_length} x{'/'.join(map(str, counts))}"
        basis = f"[{rule.confidence}] {title} — {rule.legal_basis}"
        click.echo(f"{rule.id:32} {rule.length:>3} {unit}{extra}  {basis}")


@deadline_cli.command("recompute")
def recompute() -> None:
    """Recompute every open deadline with the current calendar and rules."""
    from sqlalchemy import func, select

    from portal.models import Deadline

    total = db.session.scalar(select(func.count()).where(Deadline.met_on.is_(None))) or 0
    with click.progressbar(length=total, label="Recomputing open deadlines") as bar:
        report = deadline_service.recompute_open_deadlines(
            db.session, rules=current_rules(), progress=bar.update
        )
    click.echo(f"Checked {report.checked} open deadlines; {len(report.moves)} moved.")
    for move in report.moves[:50]:
        click.echo(
            f"  deadline {move.deadline_id} ({move.rule_id}): {move.old_due} -> {move.new_due}"
        )


@calendar_cli.command("show")
@click.argument("year", type=int)
@LANGUAGE
def show(year: int, lang: str) -> None:
    """List the days off (Monday–Friday and holidays) and the working Saturdays of YEAR."""
    calendar = deadline_service.load_calendar(db.session)
    click.echo(f"Days off in {year}:" if lang == "en" else f"Ngày nghỉ năm {year}:")
    for info in calendar.days_off(year):
        click.echo(f"  {info.day.isoformat()}  {_name(info, lang)}")
    click.echo("Working Saturdays:" if lang == "en" else "Thứ Bảy đi làm:")
    for info in calendar.working_saturdays(year):
        click.echo(f"  {info.day.isoformat()}  {_name(info, lang)}")


def _name(info: DayInfo, lang: str) -> str:
    name = info.name_vi if lang == "vi" else (info.name_en or info.name_vi)
    reason = REASON_LABELS.get(info.reason_code or "", {}).get(lang, "")
    source = f" ({info.source})" if info.source else ""
    return f"{name or reason}{source}"


@calendar_cli.command("sync")
def sync() -> None:
    """Store the calendar corrections this release knows of; recompute if any were added."""
    added = deadline_service.sync_builtin_corrections(db.session, now=now_utc())
    for correction in added:
        click.echo(f"  added {correction.day.isoformat()} {correction.kind}: {correction.note}")
    if added:
        report = deadline_service.recompute_open_deadlines(db.session, rules=current_rules())
        click.echo(f"Recomputed {report.checked} open deadlines; {len(report.moves)} moved.")
    click.echo(f"Calendar corrections up to date ({len(added)} added).")
