"""Views without boilerplate: the documents holding a long common segment sketched again.

- :mod:`.merge`: the whole stage, as it was in ``resketch.py`` (cut into modules next).
"""

from __future__ import annotations

from .merge import (
    TASK_DOCUMENTS,
    TextLoader,
    clean_sketches,
    holding,
    losing_rows,
    losing_rows_of,
    losing_task,
    needed,
    resketch_task,
    resketched,
    spooled_losing_task,
    with_held_rows,
)

__all__ = [
    "TASK_DOCUMENTS",
    "TextLoader",
    "clean_sketches",
    "holding",
    "losing_rows",
    "losing_rows_of",
    "losing_task",
    "needed",
    "resketch_task",
    "resketched",
    "spooled_losing_task",
    "with_held_rows",
]
