"""The in-process rate-limit store: the same counting as limits' own, without a thread
started from the requests that count."""

from __future__ import annotations

import threading
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from portal.lib.rate_limit_memory import SweepingMemoryStorage


def _storage() -> SweepingMemoryStorage:
    storage = storage_from_string("memory://")
    assert isinstance(storage, SweepingMemoryStorage)  # the scheme the settings name
    storage.timer.join()  # the one timer its parent starts when made
    return storage


def test_memory_urls_get_the_sweeping_store_and_it_counts_as_before() -> None:
    limiter = FixedWindowRateLimiter(_storage())
    two = parse("2/minute")
    assert [limiter.hit(two, "address:1") for _ in range(3)] == [True, True, False]
    assert limiter.hit(two, "address:2")  # another key has its own counter
    assert not limiter.test(two, "address:1")


def test_counting_starts_no_thread() -> None:
    storage = _storage()
    limiter = FixedWindowRateLimiter(storage)
    before = threading.active_count()
    for number in range(5):
        limiter.hit(parse("100/minute"), f"address:{number}")
        assert threading.active_count() == before  # limits' own starts a Timer here
        time.sleep(0.015)  # longer than its timer lives, so it would start another


def test_expired_counters_are_swept_by_a_later_count() -> None:
    storage = _storage()
    storage.incr("old", expiry=0.01)
    time.sleep(0.02)
    assert "old" in storage.storage  # expired, not yet swept (but read as 0)
    assert storage.get("other") == 0 and "old" in storage.storage
    storage.next_sweep = 0  # as if SWEEP_SECONDS had passed
    storage.incr("new", expiry=60)
    assert "old" not in storage.storage and "old" not in storage.expirations
    assert storage.get("new") == 1
    assert storage.next_sweep > time.monotonic()


def test_a_sweep_that_meets_a_counter_dropped_meanwhile_does_not_fail_the_count() -> None:
    """Threads share the store: another request's read may drop an expired counter while a
    sweep walks the keys. The count goes on; the rest is swept next time."""
    storage = _storage()
    storage.incr("old", expiry=0.01)
    time.sleep(0.02)
    expirations = storage.expirations

    class DroppedWhileSwept(dict):  # type: ignore[type-arg]
        def keys(self):  # type: ignore[no-untyped-def]
            keys = list(super().keys())
            super().pop("old", None)  # as another thread's get() does
            return keys

    storage.expirations = DroppedWhileSwept(expirations)
    storage.next_sweep = 0
    assert storage.incr("new", expiry=60) == 1
    assert storage.next_sweep <= time.monotonic()  # the next count sweeps again
