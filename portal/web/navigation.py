"""Template helpers for menus: only links that exist and that the user may follow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from portal.domain.permissions import Permission, Role
from portal.web.security import has_permission

# The officials' menu: five groups, each a list of pages in order. An entry shows once its
# endpoint exists and the user has its permission; a group with no entry left is not shown.
ADMIN_MENU_GROUPS: tuple[tuple[LazyString, tuple[tuple[str, LazyString, Permission], ...]], ...] = (
    (
        _l("Cases"),
        (
            ("admin.cases", _l("List of cases"), Permission.VIEW_CASES),
            ("admin.register_case", _l("Register a letter or visit"), Permission.REGISTER_CASES),
            ("admin.data_requests_list", _l("Personal-data requests"), Permission.REGISTER_CASES),
            (
                "admin.deadline_calculator",
                _l("Deadline calculator"),
                Permission.USE_DEADLINE_CALCULATOR,
            ),
        ),
    ),
    (
        _l("Citizen reception"),
        (
            (
                "admin.reception_register",
                _l("Citizen-reception register"),
                Permission.REGISTER_CASES,
            ),
            ("admin.dialogues", _l("Reception and dialogue sessions"), Permission.MANAGE_DIALOGUES),
            (
                "admin.dialogue_compliance",
                _l("Monthly reception by the Director"),
                Permission.MANAGE_DIALOGUES,
            ),
        ),
    ),
    (_l("News"), (("admin.articles", _l("Articles"), Permission.WRITE_ARTICLES),)),
    (
        _l("Reports"),
        (
            ("admin.statistics", _l("Statistics"), Permission.VIEW_STATISTICS),
            ("admin.reporting_rounds", _l("Yearly report"), Permission.WRITE_DIVISION_REPORT),
        ),
    ),
    (
        _l("Administration"),
        (
            ("admin.calendar", _l("Working-day calendar"), Permission.MANAGE_CALENDAR),
            ("admin.api_tokens", _l("API tokens"), Permission.MANAGE_API_TOKENS),
            ("admin.embed_snippets", _l("Embedding in the portal"), Permission.MANAGE_SETTINGS),
            ("admin.security", _l("Two-step sign-in"), Permission.VIEW_DASHBOARD),
        ),
    ),
)
ADMIN_MENU = tuple(entry for _group, entries in ADMIN_MENU_GROUPS for entry in entries)


@dataclass(frozen=True)
class MenuGroup:
    label: str
    entries: list[tuple[str, str]]  # endpoint, label

    @property
    def endpoints(self) -> frozenset[str]:
        return frozenset(endpoint for endpoint, _label in self.entries)


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.CLERK: _l("Reception clerk"),
    Role.HANDLER: _l("Case handler"),
    Role.LEADER: _l("Leader"),
    Role.EDITOR: _l("Editor"),
}


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def admin_menu() -> list[tuple[str, str, Permission]]:
    if not current_user.is_authenticated:
        return []
    return [
        (endpoint, str(label), permission)
        for endpoint, label, permission in ADMIN_MENU
        if has_endpoint(endpoint) and has_permission(permission)
    ]


def admin_menu_groups() -> list[MenuGroup]:
    """The groups of the officials' menu with the entries this user may follow."""
    if not current_user.is_authenticated:
        return []
    groups = [
        MenuGroup(
            str(group),
            [
                (endpoint, str(label))
                for endpoint, label, permission in entries
                if has_endpoint(endpoint) and has_permission(permission)
            ],
        )
        for group, entries in ADMIN_MENU_GROUPS
    ]
    return [group for group in groups if group.entries]


def role_label(role: str) -> str:
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return role


def editor_scripts() -> Markup:
    """The vendored rich-text editor's tags (see docs/editor.md); none if it is absent."""
    from flask import url_for

    scripts = current_app.config.get("EDITOR_SCRIPTS", ())
    tags = [f'<script src="{url_for("static", filename=path)}" defer></script>' for path in scripts]
    return Markup("\n".join(tags))  # noqa: S704  # nosec B704


def init_navigation(app: Flask) -> None:
    app.add_template_global(editor_scripts)
    app.add_template_global(has_endpoint)
    app.add_template_global(admin_menu)
    app.add_template_global(admin_menu_groups)
    app.add_template_global(role_label)
    from portal.web import labels

    for name in (
        "action_label",
        "article_status_label",
        "revision_label",
        "channel_label",
        "deadline_state_label",
        "ground_label",
        "kind_labels",
        "notice_label",
        "outcome_label",
        "status_labels",
    ):
        app.add_template_global(getattr(labels, name), name)
    init_deadline_labels(app)


def _pick(labels: dict[str, str]) -> str:
    from portal.web.i18n import current_language

    return labels.get(current_language(), labels["vi"])


def init_deadline_labels(app: Flask) -> None:
    """Labels that the pure domain modules carry in both languages."""
    from portal.domain.calendar import OVERRIDE_KIND_LABELS, REASON_LABELS, WEEKDAY_LABELS
    from portal.domain.deadlines import CONFIDENCE_LABELS, UNIT_LABELS

    def day_name(info: Any) -> str:
        from portal.web.i18n import current_language

        name = info.name_vi if current_language() == "vi" else (info.name_en or info.name_vi)
        return name or _pick(REASON_LABELS.get(info.reason_code or "", {"vi": ""}))

    app.add_template_global(lambda code: _pick(CONFIDENCE_LABELS[code]), "confidence_label")
    app.add_template_global(lambda unit: _pick(UNIT_LABELS[unit]), "unit_label")
    app.add_template_global(lambda kind: _pick(OVERRIDE_KIND_LABELS[kind]), "override_kind_label")
    app.add_template_global(lambda day: _pick(WEEKDAY_LABELS[day.weekday()]), "weekday_label")
    app.add_template_global(day_name, "day_name")


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths are followed after a form, never another host."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
