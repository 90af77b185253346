"""The layout rules that no linter checks: what may sit at the root of `portal/`, and how
long a module may grow. The import rules between layers are import-linter's contracts
(`.importlinter`), run by `make test` before the tests."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[2] / "portal"
ROOT_MODULES = {"__init__.py", "config.py", "extensions.py"}
LAYERS = {"public", "admin", "api", "embed", "open311", "cli", "web", "services", "models"}
LAYERS |= {"lib", "domain"}
NON_CODE = {"templates", "static", "translations", "__pycache__"}
MAX_LINES = 400
REASON = "longer than 400 lines because"


def test_the_package_root_holds_only_the_factory_config_and_extensions() -> None:
    modules = {p.name for p in PORTAL.glob("*.py")}
    assert modules == ROOT_MODULES
    folders = {p.name for p in PORTAL.iterdir() if p.is_dir()}
    assert folders - NON_CODE == LAYERS


@pytest.mark.parametrize(
    "path", sorted(PORTAL.rglob("*.py")), ids=lambda p: str(p.relative_to(PORTAL))
)
def test_a_long_module_says_why(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if text.count("\n") <= MAX_LINES:
        return
    docstring = ast.get_docstring(ast.parse(text)) or ""
    assert REASON in docstring.lower(), (
        f"{path.relative_to(PORTAL)} has more than {MAX_LINES} lines and its docstring does "
        f"not say why ('{REASON} …'): split it along its seams"
    )
