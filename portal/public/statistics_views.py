"""Placeholder: filled in by the work on this module."""

from portal.public import bp  # noqa: F401
