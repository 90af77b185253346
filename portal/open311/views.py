"""Placeholder: filled in by the work on this module."""

from portal.open311 import bp  # noqa: F401
