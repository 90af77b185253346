"""Rate limits counted by hand, for forms where only what was accepted should count: a
citizen who mistypes five times has done nothing wrong. `wait_seconds` tests every limit
without counting; `count` counts one accepted request; `count_attempt` counts a request
that every limit counts (a flood guard) and tests it in the same call. Flask-Limiter's
storage (memory, or Redis in production) keeps the counters, so they are shared by every
worker.

Test-then-count is not atomic: two requests at the very same moment may both pass the last
free place. A limit against abuse allows that; a request is never refused by mistake.
When the storage cannot be reached the limits are skipped (and logged): the readiness check
reports the storage, and a citizen's submission must not fail because of it."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator, Sequence

from flask import Response, current_app, make_response
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from flask_limiter import RequestLimit
from limits import RateLimitItem, parse_many

from portal.extensions import limiter

log = logging.getLogger(__name__)

# (limit string such as "5/minute;30/day", key): an empty key means "does not apply".
Limits = Sequence[tuple[str, str]]


def _items(limits: Limits, scope: str) -> Iterator[tuple[RateLimitItem, list[str]]]:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    for spec, key in limits:
        if not key:
            continue
        for item in parse_many(spec):
            yield item, [part for part in (prefix, scope, key) if part]


def wait_seconds(limits: Limits, scope: str) -> int | None:
    """How long until every limit allows one more request; None when all allow it now."""
    waits: list[int] = []
    try:
        for item, identifiers in _items(limits, scope):
            if not limiter.limiter.test(item, *identifiers):
                reset = limiter.limiter.get_window_stats(item, *identifiers).reset_time
                waits.append(seconds_until(reset))
    except Exception:  # any storage failure: never refuse a citizen for it
        log.exception("rate-limit storage unavailable; limits %s skipped", scope)
        return None
    return max(waits) if waits else None


def count_attempt(limits: Limits, scope: str) -> int | None:
    """Count this request against every limit, in order, and stop at the first it exceeds;
    return how long until that limit allows one more, or None when all allowed it. One call
    to the storage per limit instead of a test and a count."""
    try:
        for item, identifiers in _items(limits, scope):
            if not limiter.limiter.hit(item, *identifiers):
                reset = limiter.limiter.get_window_stats(item, *identifiers).reset_time
                return seconds_until(reset)
    except Exception:  # any storage failure: never refuse a citizen for it
        log.exception("rate-limit storage unavailable; limits %s skipped", scope)
    return None


def count(limits: Limits, scope: str) -> None:
    """Count one accepted request against every limit."""
    try:
        for item, identifiers in _items(limits, scope):
            limiter.limiter.hit(item, *identifiers)
    except Exception:
        log.exception("rate-limit storage unavailable; %s not counted", scope)


def describe_wait(seconds: int) -> str:
    """The waiting time in words, rounded up: "5 minutes", "2 hours"."""
    if seconds < 3600:
        minutes = max(1, math.ceil(seconds / 60))
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    hours = math.ceil(seconds / 3600)
    return ngettext("%(num)d hour", "%(num)d hours", hours)


def seconds_until(reset_at: float) -> int:
    """The wait before a limit's window resets (at least a second)."""
    return max(1, math.ceil(reset_at - time.time()))


def form_at_limit(
    spec: Callable[[], str],
    page: Callable[[str], ResponseReturnValue],
    problem: Callable[[str], str],
) -> Callable[[RequestLimit], Response | None]:
    """An `on_breach` callback for a limited form (Flask-Limiter's decorator): the form again
    (`page(problem(the wait in words))`, the form built from what was sent), 429 with
    Retry-After. The wait is the longest among the decorator's own limits `spec()` that have
    no place left (Flask-Limiter stops at the first, the shortest window). If drawing it
    fails, None: the generic 429 page."""

    def on_breach(limit: RequestLimit) -> Response | None:
        try:
            waits = [seconds_until(limit.window[0])]
            for item in parse_many(spec()):
                reset_at, remaining = limiter.limiter.get_window_stats(item, *limit.request_args)
                if remaining <= 0:
                    waits.append(seconds_until(reset_at))
            wait = max(waits)
            return too_many(page(problem(describe_wait(wait))), wait)
        except Exception:  # the generic 429 page then; never a 500 for a limit reached
            log.exception("the form at a rate limit could not be drawn")
            return None

    return on_breach


def too_many(page: ResponseReturnValue, wait: int) -> Response:
    """The form page again, everything typed in it, answered 429 with the real wait."""
    response = make_response(page)
    response.status_code = 429
    response.headers["Retry-After"] = str(wait)
    return response
