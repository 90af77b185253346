"""All models, imported here so Alembic and the app see one metadata."""

from portal.models.accounts import Division, User, UserRole, UserSession
from portal.models.api import ApiToken
from portal.models.audit import AuditLog, OutboxMessage
from portal.models.calendar import CalendarOverride
from portal.models.cases import (
    Attachment,
    Case,
    CaseEvent,
    CaseTally,
    DataRequest,
    Deadline,
    OpenCaseTally,
    ReceptionVisit,
)
from portal.models.dialogues import Dialogue, FollowUp, Registration
from portal.models.files import StoredFile, StoredFileChunk
from portal.models.jobs import JobRun
from portal.models.news import (
    Article,
    ArticleImage,
    ArticleRevision,
    Category,
    article_categories,
)
from portal.models.reports import DivisionReport, ReportingRound

__all__ = [
    "ApiToken",
    "Article",
    "ArticleImage",
    "ArticleRevision",
    "Attachment",
    "AuditLog",
    "CalendarOverride",
    "Case",
    "CaseEvent",
    "CaseTally",
    "Category",
    "DataRequest",
    "Deadline",
    "Dialogue",
    "Division",
    "DivisionReport",
    "FollowUp",
    "JobRun",
    "OpenCaseTally",
    "OutboxMessage",
    "ReceptionVisit",
    "Registration",
    "ReportingRound",
    "StoredFile",
    "StoredFileChunk",
    "User",
    "UserRole",
    "UserSession",
    "article_categories",
]
