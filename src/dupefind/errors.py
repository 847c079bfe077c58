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


class IndexFileError(DupefindError):
    """An index file that cannot be used: missing, not a dupefind index, damaged, or made by a
    newer version of dupefind; the message names the file and says what to do."""


class IndexConfigError(ConfigError):
    """An option that would change the fingerprints differs from the one the index was built
    with (``.field`` names it): signatures made two ways cannot be compared."""


class SourceMovedError(DupefindError):
    """An index that keeps only where its texts are found cannot re-read one: the file has
    moved or changed since it was added. Raised by the index's text loader; ``check`` and
    ``pairs`` turn it into a skipped document (its pairs left out) and go on."""


#: What re-reading a document's text may raise when the text is gone or no longer the one first
#: read (a file removed or unreadable, a JSONL line that is no longer the record, an index's
#: source moved): the document is then left out as changed, never the run stopped.
REREAD_FAILURES = (OSError, ValueError, KeyError, TypeError, SourceMovedError)
