"""How long a citizen's or an official's text may be: one number per kind of text, shared by
the database columns, the web forms, the JSON API (and its OpenAPI document) and Open311.

Changing a value here changes what the forms accept and, where a model uses it, a column's
declared width: that needs a migration of its own.
"""

from __future__ import annotations

from typing import Final

# What a person may type. The models' columns are at least this wide.
SUBJECT_MAX: Final = 200
CONTENT_MAX: Final = 10_000
LOCATION_MAX: Final = 300
REQUESTED_OUTCOME_MAX: Final = 3_000
CONTESTED_DECISION_MAX: Final = 2_000
EVIDENCE_MAX: Final = 5_000
RESPONDENT_MAX: Final = 300
SOURCE_BODY_MAX: Final = 300
NAME_MAX: Final = 200
ADDRESS_MAX: Final = 300
COMMUNE_MAX: Final = 100
PROVINCE_MAX: Final = 100
REPRESENTATIVE_MAX: Final = 200
ORGANISATION_MAX: Final = 200
FIELD_MAX: Final = 80
PHONE_MAX: Final = 20  # as typed, before it is put in E.164 form
EMAIL_MAX: Final = 254  # RFC 5321's longest forward path
CITIZEN_ID_LENGTH: Final = 12
ACCESS_CODE_MAX: Final = 40
PEOPLE_MAX: Final = 10_000  # people signing one group letter

# A case's subject column is wider than what any form lets a person type (SUBJECT_MAX); it
# has been so since the first migration, and only a migration may change it.
SUBJECT_COLUMN: Final = 300
