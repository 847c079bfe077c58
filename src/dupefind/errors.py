"""The exceptions dupefind raises. The library raises; only the CLI turns them into exit codes."""

from __future__ import annotations


class DupefindError(Exception):
    """Base class of every error dupefind raises on purpose."""


class ConfigError(DupefindError, ValueError):
    """A configuration value is out of range; the message names the field and what is allowed."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field} {problem}")
        self.field = field
        """The name of the offending :class:`~dupefind.Config` field."""
        self.problem = problem
        """What is wrong and what is allowed, without the field name."""


class InputError(DupefindError):
    """No usable input: every path was missing, unreadable or skipped."""
