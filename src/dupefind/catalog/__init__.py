"""The first pass: read every document once and keep only what later passes need.

- :mod:`.build`: the whole stage, as it was in ``catalog.py`` (cut into modules next).
"""

from __future__ import annotations

from .build import (
    BYTES_PER_WINDOW,
    SPOOL_PER_BYTE,
    TASK_BYTES,
    TASK_UNITS,
    Catalog,
    Fingerprints,
    Progress,
    build_catalog,
    fingerprint_records,
    fingerprint_task,
    plan_tasks,
)
from .build import _reorder_rows as _reorder_rows  # (private: the tests look at them)
from .build import _Sketches as _Sketches

__all__ = [
    "BYTES_PER_WINDOW",
    "SPOOL_PER_BYTE",
    "TASK_BYTES",
    "TASK_UNITS",
    "Catalog",
    "Fingerprints",
    "Progress",
    "build_catalog",
    "fingerprint_records",
    "fingerprint_task",
    "plan_tasks",
]
