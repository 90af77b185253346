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


SQL_CALLS = {"text", "execute", "exec_driver_sql", "executescript"}
# Built from our own constants, never from input: the SQLite busy timeout (an int setting) and
# the name of one of the two FTS tables (the search words go in as a bound parameter).
ALLOWED_BUILT_SQL = {
    ("web/database.py", "PRAGMA busy_timeout"),
    ("models/search_index.py", "MATCH :expression"),
}


def _built_string(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


@pytest.mark.parametrize(
    "path", sorted(PORTAL.rglob("*.py")), ids=lambda p: str(p.relative_to(PORTAL))
)
def test_no_sql_is_built_from_strings(path: Path) -> None:
    """SQL goes through SQLAlchemy expressions or bound parameters, never string building
    (docs/security.md F6)."""
    relative = str(path.relative_to(PORTAL))
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else None
        name = name or (node.func.id if isinstance(node.func, ast.Name) else None)
        if name not in SQL_CALLS or not _built_string(node.args[0]):
            continue
        source = ast.unparse(node.args[0])
        allowed = any(relative == f and marker in source for f, marker in ALLOWED_BUILT_SQL)
        assert allowed, f"{relative}:{node.lineno} builds SQL from a string: {source}"
