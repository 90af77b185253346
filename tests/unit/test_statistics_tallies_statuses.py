"""Migration 0022 froze the statuses its triggers count; they must still be the statistics'."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from portal.domain.workflow import OPEN_STATUSES
from portal.services.statistics import ANSWERED_STATUSES, ENDED_STATUSES

VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"
# found by name, not number: migrations are renumbered when branches merge
(MIGRATION,) = VERSIONS.glob("*_statistics_tallies.py")


def test_the_triggers_count_the_statuses_the_statistics_mean() -> None:
    spec = importlib.util.spec_from_file_location("tallies_migration", MIGRATION)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert set(migration.OPEN) == OPEN_STATUSES
    assert set(migration.ANSWERED) == ANSWERED_STATUSES
    assert set(migration.ENDED) == ENDED_STATUSES
