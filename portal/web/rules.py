"""The deadline rules in force for this deployment, read once at start-up."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from portal.domain.deadlines import Rule
from portal.services.deadlines import rules_from_file


def init_rules(app: Flask) -> None:
    """Load instance/deadline_rules.toml (if any); a file that does not validate stops the app."""
    path = Path(app.config["DEADLINE_RULES_FILE"])
    if not path.is_absolute():
        path = Path(app.instance_path) / path
    app.extensions["deadline_rules"] = rules_from_file(
        path, petition_answer_days=app.config["PETITION_ANSWER_WORKING_DAYS"]
    )


def current_rules() -> dict[str, Rule]:
    return current_app.extensions["deadline_rules"]
