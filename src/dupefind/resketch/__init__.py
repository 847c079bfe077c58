"""Views without boilerplate: the documents holding a long common segment sketched again.

A view may set boilerplate aside (:attr:`~dupefind.views.View.without_boilerplate`): its
signatures are then made without the long common segments (:data:`~dupefind.boilerplate.
LONG_SEGMENT` words or more) that verification sets aside, the quotes and ledes that run in
many documents. Which segments are common is known only once every document has been read, so
the first pass sketches every view on all the words, and this stage then reads again the
documents that hold a long common segment (few, in a collection without them) and replaces
their rows in those views. Every runner calls these functions, so a scan, an index and the
Spark engine propose the same candidates.

- :mod:`.clean`: which documents hold boilerplate, and their rows sketched without it;
- :mod:`.tasks`: those documents sketched again in tasks, and a catalog's rows replaced;
- :mod:`.merge`: their new rows merged among the first pass's, the old ones held (compiled
  with numba).
"""

from __future__ import annotations

from .clean import clean_sketches, holding, losing_rows, losing_rows_of, needed
from .merge import with_held_rows
from .tasks import TASK_DOCUMENTS, TextLoader, losing_task, resketch_task, resketched, spooled_losing_task

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
