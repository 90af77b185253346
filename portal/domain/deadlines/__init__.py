"""Statutory time limits and how their due dates are computed.

The package keeps apart what changes for different reasons:

* :mod:`.table`: the table of the law, one :class:`Rule` per time limit (:data:`RULES`);
* :mod:`.counting`: the computation (:func:`due_date`, extensions, pauses, explanation steps,
  :func:`receipt_date`, :func:`deadline_state`), per Civil Code 2015 Arts. 147-148;
* :mod:`.rules_file`: the deployment rules file that restates the table (:func:`load_rules`);
* :mod:`.model` and :mod:`.labels`: the types shared by all three and their bilingual wording.

Every name is re-exported here; import from ``portal.domain.deadlines``.
"""

from portal.domain.calendar import VIETNAM_TZ
from portal.domain.deadlines.counting import (
    DeadlineState,
    alternative_due_date,
    deadline_state,
    due_date,
    receipt_date,
)
from portal.domain.deadlines.labels import (
    CONFIDENCE_LABELS,
    ERROR_LABELS,
    STEP_LABELS,
    UNIT_LABELS,
    VARIANT_LABELS,
)
from portal.domain.deadlines.model import (
    CONFIDENCES,
    RECEIPT_CONVENTIONS,
    UNITS,
    Computation,
    Confidence,
    DeadlineError,
    ReceiptConvention,
    Rule,
    RulesFileError,
    Step,
    Unit,
)
from portal.domain.deadlines.rules_file import RULE_FILE_FIELDS, load_rules
from portal.domain.deadlines.table import RULES

__all__ = [
    "CONFIDENCES",
    "CONFIDENCE_LABELS",
    "ERROR_LABELS",
    "RECEIPT_CONVENTIONS",
    "RULES",
    "RULE_FILE_FIELDS",
    "STEP_LABELS",
    "UNITS",
    "UNIT_LABELS",
    "VARIANT_LABELS",
    "VIETNAM_TZ",
    "Computation",
    "Confidence",
    "DeadlineError",
    "DeadlineState",
    "ReceiptConvention",
    "Rule",
    "RulesFileError",
    "Step",
    "Unit",
    "alternative_due_date",
    "deadline_state",
    "due_date",
    "load_rules",
    "receipt_date",
]
