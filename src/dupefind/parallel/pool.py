"""The pool: :func:`ordered_map` and the :class:`Workers` that run it, each worker a process
fed tasks through its stdin by a thread of its own (:class:`_Channel`), its answers filed by
task number by another.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import IO, Any, TypeVar

from .worker import _WITH_PARENT

T = TypeVar("T")
R = TypeVar("R")

#: Tasks in flight per worker: one computed, one waiting in its pipe.
IN_FLIGHT = 2

#: A worker's start: the parent's ``sys.path``, then :func:`serve`. A parent that ended before
#: it sent the path (a Ctrl-C just after the worker started) leaves nothing to do: end quietly.
_BOOT = """import pickle, sys
try:
    sys.path[:] = pickle.load(sys.stdin.buffer)
except EOFError:
    sys.exit(0)
from dupefind.parallel import serve
serve()
"""


class WorkerError(RuntimeError):
    """A worker process ended without answering (killed, out of memory, crashed)."""


def ordered_map(func: Callable[[T], R], tasks: Iterable[T], *, jobs: int,
                workers: Workers | None = None) -> Iterator[R]:
    """``func`` over the tasks, results in the tasks' order, in ``jobs`` processes (those of
    ``workers`` if given, else started for this map), with at most two tasks per process in
    flight (so memory holds a few tasks, never all of them)."""
    if workers is not None:
        yield from workers.map(func, tasks)
        return
    with Workers(jobs) as own:
        yield from own.map(func, tasks)


class Workers:
    """``jobs`` worker processes, started when a map first needs them and kept for the next
    maps until :meth:`close` (or the end of a ``with`` block)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._processes: list[_Worker] = []
        self._lock = threading.Condition()
        self._results: dict[int, tuple[bool, Any]] = {}
        self._next = 0  # sequence number of the next task, across maps

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(kill=exc[0] is not None)

    def map(self, func: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """``func`` over ``tasks``, results in order (in this process when there is one worker or
        fewer than two tasks: not worth starting processes for)."""
        queue = iter(tasks)
        first = next(queue, None)
        second = next(queue, None) if first is not None else None
        if self.jobs <= 1 or first is None or second is None:
            for task in (first, second):
                if task is not None:
                    yield func(task)
            yield from map(func, queue)
            return
        self._start()
        pending: deque[int] = deque()
        finished = False
        try:
            for task in chain((first, second), queue):
                pending.append(self._submit(func, task))
                if len(pending) >= IN_FLIGHT * self.jobs:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
            finished = True
        finally:
            if not finished:  # abandoned or failed: results still on their way belong to no one
                self.close(kill=True)

    def close(self, *, kill: bool = False) -> None:
        """Stop the workers (at once with ``kill``, else once they finish their tasks)."""
        processes, self._processes = self._processes, []
        for worker in processes:
            worker.stop(kill=kill)
        with self._lock:
            self._results.clear()

    def _start(self) -> None:
        if not self._processes:
            self._processes = [_Worker(self._lock, self._results) for _ in range(self.jobs)]

    def _submit(self, func: Callable[[T], R], task: T) -> int:
        number = self._next
        self._next += 1
        with self._lock:  # the least busy worker (the first of them on a tie)
            worker = min(self._processes, key=lambda w: len(w.sent))
            worker.sent.append(number)
        worker.send(func, task)
        return number

    def _result(self, number: int) -> Any:
        with self._lock:
            while number not in self._results:
                dead = [w for w in self._processes if w.dead is not None and number in w.sent]
                if dead:
                    raise WorkerError(f"a worker process ended without answering (exit code {dead[0].dead}; "
                                      "its own error, if any, is on stderr above)")
                self._lock.wait(0.5)
            ok, value = self._results.pop(number)
        if not ok:
            raise value
        return value


class _Worker:
    """One worker process, fed through its stdin; a thread files its answers by task number."""

    def __init__(self, lock: threading.Condition, results: dict[int, tuple[bool, Any]]) -> None:
        # A worker started by the main thread ends with the process (PR_SET_PDEATHSIG fires when
        # the starting *thread* ends: a worker started by another thread must outlive it).
        # A worker is in a process group of its own (POSIX): a Ctrl-C at the terminal signals
        # the foreground group, the parent's, and only the parent answers it. (Ignoring SIGINT
        # in the worker left its start-up, before it could, to print a KeyboardInterrupt.)
        main = threading.current_thread() is threading.main_thread()
        own_group: dict[str, Any] = {"process_group": 0} if os.name == "posix" else {}
        self.process = subprocess.Popen([sys.executable, "-c", _BOOT], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env={**os.environ, _WITH_PARENT: "1" if main else ""},
                                        **own_group)
        self.sent: deque[int] = deque()
        """Numbers of the tasks sent and not answered yet, in order."""
        self.dead: int | None = None
        """The exit code, once the process has ended."""
        self._func: object = None
        self._lock, self._results = lock, results
        self._writer = _Channel(self.process.stdin)
        self._writer.put(sys.path)
        self._reader = threading.Thread(target=self._read, daemon=True, name="dupefind-worker-reader")
        self._reader.start()

    def send(self, func: Callable[[Any], Any], task: Any) -> None:
        if func is not self._func:  # the function (and what it carries) once per map, not per task
            self._func = func
            self._writer.put(("func", func))
        self._writer.put(("task", task))

    def _read(self) -> None:
        out = self.process.stdout
        assert out is not None
        while True:
            try:
                answer = pickle.load(out)
            except Exception:  # end of file (or a torn message): the process is gone
                self.dead = self.process.wait()
                with self._lock:
                    self._lock.notify_all()
                return
            with self._lock:
                self._results[self.sent.popleft()] = answer
                self._lock.notify_all()

    def stop(self, *, kill: bool) -> None:
        self._writer.close()
        if kill:
            self.process.kill()
        try:
            self.process.wait(timeout=None if not kill else 5)
        finally:
            if self.process.stdout is not None:
                self.process.stdout.close()


class _Channel:
    """Pickles written to a pipe by a thread of their own: writing never blocks the caller on a
    worker busy with its previous task (whose answer the caller may be waiting to read)."""

    def __init__(self, pipe: IO[bytes] | None) -> None:
        assert pipe is not None
        self._pipe = pipe
        self._queue: deque[bytes | None] = deque()
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._write, daemon=True, name="dupefind-worker-writer")
        self._thread.start()

    def put(self, item: object) -> None:
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        with self._ready:
            self._queue.append(data)
            self._ready.notify()

    def close(self) -> None:
        with self._ready:
            self._queue.append(None)
            self._ready.notify()
        self._thread.join()

    def _write(self) -> None:
        while True:
            with self._ready:
                while not self._queue:
                    self._ready.wait()
                data = self._queue.popleft()
            try:
                if data is None:
                    self._pipe.close()
                    return
                self._pipe.write(data)
                self._pipe.flush()
            except OSError:  # the worker is gone; its reader reports it
                if data is None:
                    return
