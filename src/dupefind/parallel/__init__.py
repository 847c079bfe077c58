"""One map over tasks, in order, in worker processes: how every stage uses more than one core.

A stage cuts its work into tasks and hands a plain, picklable function over them to
:func:`ordered_map`; no stage keeps state in a worker between tasks, so the same functions
can run anywhere a task can be sent (a process pool here, a Spark task later).

The workers are fresh interpreters (``python -c``, the parent's ``sys.path``) that import
dupefind and nothing else: unlike :mod:`multiprocessing`'s ``spawn`` and ``forkserver``
start methods, they never re-import the caller's ``__main__``, so a script that calls
:func:`dupefind.scan` at its top level, without an ``if __name__ == "__main__":`` guard, runs
as written, on every platform; and unlike ``fork`` they never inherit (and slowly copy) the
parent's memory. One :class:`Workers` serves every stage of a scan.

- :mod:`.pool`: :func:`ordered_map` and the :class:`Workers` pool, the parent's side;
- :mod:`.worker`: the worker processes' side (:func:`serve`, which a worker starts as
  ``from dupefind.parallel import serve``), ending with the parent, and the standard streams;
- :mod:`.memory`: freed memory handed back to the system between passes.
"""

from __future__ import annotations

from .memory import release_freed_memory
from .pool import IN_FLIGHT, WorkerError, Workers, ordered_map
from .worker import CLOSED_STREAMS, open_standard_streams, serve

__all__ = ["CLOSED_STREAMS", "IN_FLIGHT", "WorkerError", "Workers", "open_standard_streams", "ordered_map",
           "release_freed_memory", "serve"]
