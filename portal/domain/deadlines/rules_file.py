"""The deployment rules file: a TOML file that restates fields of the built-in rules.

See docs/deadline_rules.example.toml. :func:`load_rules` validates every key and value and
raises :class:`RulesFileError` with a message naming the file and the offending key.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any, Final

from portal.domain.deadlines.model import CONFIDENCES, UNITS, Rule, RulesFileError
from portal.domain.deadlines.table import RULES

_TEXT_FIELDS: Final = frozenset(
    {"title_vi", "title_en", "starts_vi", "starts_en", "legal_basis", "note_vi", "note_en"}
)
_REQUIRED_TEXT: Final = frozenset({"title_vi", "title_en", "legal_basis"})
_OPTIONAL_LENGTHS: Final = frozenset(
    {
        "complex_length",
        "remote_length",
        "remote_complex_length",
        "multi_place_length",
        "extension_length",
    }
)
_MAX_LENGTH: Final = 10_000
RULE_FILE_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in fields(Rule) if f.name != "id")
"""Keys allowed in a ``[rules."<id>"]`` table of the rules file."""


def _parse_field(key: str, name: str, value: object) -> object:
    """Validate one TOML value; ``key`` is the dotted path used in messages."""
    if name in _TEXT_FIELDS:
        if not isinstance(value, str):
            raise RulesFileError(f"{key}: expected a string, got {value!r}")
        text = unicodedata.normalize("NFC", value.strip())
        if name in _REQUIRED_TEXT and not text:
            raise RulesFileError(f"{key}: must not be empty")
        return text
    if name == "unit":
        if value not in UNITS:
            raise RulesFileError(f"{key}: expected one of {', '.join(UNITS)}, got {value!r}")
        return value
    if name == "alternative_unit":
        if value == "":
            return None
        if value not in UNITS:
            raise RulesFileError(
                f'{key}: expected one of {", ".join(UNITS)} or "" (none), got {value!r}'
            )
        return value
    if name == "confidence":
        if value not in CONFIDENCES:
            raise RulesFileError(f"{key}: expected one of {', '.join(CONFIDENCES)}, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesFileError(f"{key}: expected an integer, got {value!r}")
    if value < 0:
        raise RulesFileError(f"{key}: must not be negative, got {value}")
    if value > _MAX_LENGTH:
        raise RulesFileError(f"{key}: must be at most {_MAX_LENGTH}, got {value}")
    if name == "length" and value == 0:
        raise RulesFileError(f"{key}: must be at least 1")
    if name in _OPTIONAL_LENGTHS:
        return value or None  # 0 removes the variant
    return value


def _check_rule(prefix: str, rule: Rule) -> None:
    counts = (rule.max_extensions, rule.max_extensions_complex, rule.max_extensions_very_complex)
    if any(counts) and rule.extension_length is None:
        raise RulesFileError(f"{prefix}: max_extensions* is set but extension_length is not")
    if not counts[0] <= counts[1] <= counts[2]:
        raise RulesFileError(
            f"{prefix}: expected max_extensions <= max_extensions_complex"
            " <= max_extensions_very_complex"
        )
    if rule.alternative_unit == rule.unit:
        raise RulesFileError(f"{prefix}.alternative_unit: must differ from unit")


def load_rules(
    text: str | None,
    base: Mapping[str, Rule] = RULES,
    *,
    source: str = "deadline_rules.toml",
) -> dict[str, Rule]:
    """Apply a deployment rules file (TOML) on top of ``base``; ``None`` returns a copy.

    Format: one table per rule, with only the fields to change, e.g.::

        [rules."complaint.accept"]
        unit = "working_days"
        legal_basis = "Luật Khiếu nại 2011, Điều 27 (theo TTHC)"

    Optional lengths (``complex_length`` …, ``extension_length``) are removed with ``0``;
    ``alternative_unit`` with ``""``. Unknown ids or keys, wrong types and negative numbers
    raise :class:`RulesFileError` whose message starts with ``source`` and the key.
    """
    result = dict(base)
    if text is None:
        return result
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesFileError(f"{source}: not valid TOML: {exc}") from exc
    unknown_top = sorted(set(data) - {"rules"})
    if unknown_top:
        raise RulesFileError(f'{source}: unknown key {unknown_top[0]!r}; only [rules."…"]')
    tables = data.get("rules", {})
    if not isinstance(tables, dict):
        raise RulesFileError(f'{source}: rules: expected tables [rules."<id>"]')
    for rule_id, table in tables.items():
        prefix = f'{source}: rules."{rule_id}"'
        if rule_id not in base:
            raise RulesFileError(f"{prefix}: unknown rule id; known ids: {', '.join(base)}")
        if not isinstance(table, dict):
            raise RulesFileError(f"{prefix}: expected a table of fields, got {table!r}")
        changes: dict[str, Any] = {}
        for name, value in table.items():
            key = f"{prefix}.{name}"
            if name not in RULE_FILE_FIELDS:
                raise RulesFileError(f"{key}: unknown key; allowed: {', '.join(RULE_FILE_FIELDS)}")
            changes[name] = _parse_field(key, name, value)
        rule = replace(base[rule_id], **changes)
        _check_rule(prefix, rule)
        result[rule_id] = rule
    return result
