"""The vocabulary of deadlines: units, rules, results and errors.

:class:`Rule` is one line of the table of the law (:mod:`.table`), :class:`Computation` and
:class:`Step` are what the counting (:mod:`.counting`) returns, and the two errors are what
the counting and the rules-file loader (:mod:`.rules_file`) raise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal, get_args

Unit = Literal["days", "working_days", "hours"]
Confidence = Literal["C", "R", "U", "D"]
ReceiptConvention = Literal["submission_date", "next_working_day"]

UNITS: Final[tuple[str, ...]] = get_args(Unit)
CONFIDENCES: Final[tuple[str, ...]] = get_args(Confidence)
RECEIPT_CONVENTIONS: Final[tuple[str, ...]] = get_args(ReceiptConvention)


class DeadlineError(ValueError):
    """A deadline cannot be computed as asked. ``code`` is a key of :data:`ERROR_LABELS`."""

    def __init__(self, code: str, message: str, **params: str | int) -> None:
        super().__init__(message)
        self.code = code
        self.params: dict[str, str | int] = params


class RulesFileError(ValueError):
    """The deployment rules file is invalid; the message names the offending key."""


@dataclass(frozen=True)
class Rule:
    """One statutory time limit. ``*_length`` variants and extensions use the same unit.

    ``confidence`` is the weakest status in docs/legal-basis.md for the rule (length or unit);
    "D" marks a rule the department set for itself where the law sets no time limit.
    ``alternative_unit`` is set where the unit itself is uncertain: the app may show the
    date computed in that unit as a secondary marker (:func:`alternative_due_date`).
    """

    id: str
    title_vi: str
    title_en: str
    starts_vi: str
    starts_en: str
    length: int
    unit: Unit
    complex_length: int | None
    remote_length: int | None
    remote_complex_length: int | None
    multi_place_length: int | None
    extension_length: int | None
    max_extensions: int
    max_extensions_complex: int
    max_extensions_very_complex: int
    legal_basis: str
    confidence: Confidence
    alternative_unit: Unit | None
    note_vi: str
    note_en: str


@dataclass(frozen=True)
class Step:
    """One line of the explanation of a computation.

    ``day`` is a ``date`` (a ``datetime`` for hour-based rules). ``detail`` holds parameters
    such as ``length``, ``reason_code``, ``name_vi``/``name_en`` (absent when unknown).
    """

    code: str
    day: date | None
    detail: Mapping[str, str | int]


@dataclass(frozen=True)
class Computation:
    """The result of :func:`due_date`.

    ``length`` is the total number of units counted: the chosen variant plus extensions plus
    paused days. ``raw_end`` is the last day before any move to a working day.
    """

    rule_id: str
    start: date | datetime
    raw_end: date | datetime
    due: date | datetime
    length: int
    unit: Unit
    steps: tuple[Step, ...]
