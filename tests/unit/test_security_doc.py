"""docs/security.md lists each security check with the test that proves it. This keeps the
list honest: a check marked done or partly names at least one test, every test file and test
function it names exists, and a check with no test says "not yet"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
ROW = re.compile(r"^\| ([A-L]\d+) \|(.*)\|$")
TEST_FILE = re.compile(r"\b(test_\w+\.py)\b")
TEST_FUNCTION = re.compile(r"\b(test_\w+)\b(?!\.py)")


def _rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            cells = [cell.strip() for cell in match.group(2).split(" | ")]
            rows.append((match.group(1), cells[-2], cells[-1]))
    return rows


def _test_sources() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py")}


def test_the_checklist_is_there() -> None:
    assert len(_rows()) >= 50


@pytest.mark.parametrize("check, tests, status", _rows(), ids=lambda v: v[:3])
def test_each_check_names_tests_that_exist(check: str, tests: str, status: str) -> None:
    sources = _test_sources()
    files = TEST_FILE.findall(tests)
    functions = TEST_FUNCTION.findall(tests)
    if status.startswith("**not yet**"):
        return
    assert files or functions, f"{check} is marked '{status[:20]}' but names no test"
    names = {path.name for path in sources}
    for name in files:
        assert name in names, f"{check} names {name}, which does not exist"
    everything = "\n".join(sources.values())
    for name in functions:
        assert re.search(rf"def {name}\b", everything), f"{check} names {name}: no such test"
