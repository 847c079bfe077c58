"""The exceptions dupefind raises. The library raises; only the CLI turns them into exit codes."""

from __future__ import annotations


class DupefindError(Exception):
    """Base class of every error dupefind raises on purpose."""


class ConfigError(DupefindError, ValueError):
    """A configuration value is out of range; the message names the field and what is allowed."""


class InputError(DupefindError):
    """No usable input: every path was missing, unreadable or skipped."""
