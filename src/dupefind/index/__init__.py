"""A persistent index: add documents as they come, check new ones against all kept so far.

The index is one SQLite file (:mod:`.store`, tables and migrations in :mod:`.schema`); it runs
the scan's own stages (:mod:`.runner`), so its answers are a scan's answers.
"""

from __future__ import annotations

from .records import Added, IndexInfo, Removed
from .runner import FINGERPRINT_OPTIONS, Index
from .store import BESIDE

__all__ = ["BESIDE", "FINGERPRINT_OPTIONS", "Added", "Index", "IndexInfo", "Removed"]
