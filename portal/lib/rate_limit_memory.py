"""The rate limits' in-process store (``memory://``, the default without Redis), without a
thread per expiry pass.

limits' own MemoryStorage starts a ``threading.Timer`` of 10 ms from every counted request
that finds none alive, to drop expired counters: creating and running that thread cost
about 0.45 ms of CPU, paid on most citizens' submissions. Expired counters are already
ignored when read (``get`` checks their expiry), so the sweep is only about memory: here
the counting request does it itself, at most once per :data:`SWEEP_SECONDS`.

Importing this module registers the class for the ``memory://`` scheme (limits keeps one
class per scheme), so the configuration does not change.
"""

from __future__ import annotations

import time
from typing import Any

from limits.storage import MemoryStorage

SWEEP_SECONDS = 60.0


class SweepingMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.next_sweep = time.monotonic() + SWEEP_SECONDS

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the parent's private hook
        now = time.monotonic()
        if now >= self.next_sweep:
            self.next_sweep = now + SWEEP_SECONDS
            try:
                self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
            except KeyError:
                # Another thread's read dropped an expired counter in the middle of the
                # sweep (the parent's sweep reads without the keys' locks, as its own timer
                # thread did); what is left is swept next time. A count never fails for it.
                self.next_sweep = now
