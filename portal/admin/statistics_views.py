"""Placeholder: filled in by the work on this module."""

from portal.admin import bp  # noqa: F401
