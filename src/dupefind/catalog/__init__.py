"""The first pass: read every document once and keep only what later passes need.

- :mod:`.build`: every piece of input read, in tasks, into the :class:`Catalog`;
- :mod:`.tasks`: the tasks, and one task read and fingerprinted (:class:`Fingerprints`);
- :mod:`.rows`: each view's signature rows, grown and reordered in place (compiled with numba).
"""

from __future__ import annotations

from .build import SPOOL_PER_BYTE, Catalog, Progress, build_catalog
from .rows import BYTES_PER_WINDOW
from .rows import _reorder_rows as _reorder_rows  # (private: the tests look at them)
from .rows import _Sketches as _Sketches
from .tasks import TASK_BYTES, TASK_UNITS, Fingerprints, fingerprint_records, fingerprint_task, plan_tasks

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
