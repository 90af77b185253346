"""Finding the real services the tests need: skip on a developer's machine, fail in CI."""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def missing(what: str, how: str) -> None:
    """A service is missing: CI must fail, a developer is told how to get it."""
    message = f"{what} is not available. {how}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require_chromium() -> str:
    if not os.path.exists(CHROMIUM):
        missing(
            "Chromium",
            "Install it with `apt-get install -y chromium fonts-liberation` "
            "(or set CHROMIUM_PATH).",
        )
    return CHROMIUM
