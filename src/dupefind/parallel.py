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
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import pickle
import signal
import subprocess
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import IO, Any, TypeVar

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


#: The standard streams :func:`open_standard_streams` found closed ("stdin", "stdout", "stderr").
CLOSED_STREAMS: set[str] = set()


def open_standard_streams() -> None:
    """Standard input, output and error opened on the null device when the caller closed them
    (``dupefind scan . >&-``): Python then has no ``sys.stdout`` at all, and a worker process
    started without a standard error died on its first look at it. What goes to a closed
    stream is lost, as it would have been; the run goes on and its exit code still says how
    it went. The names of those found closed are kept in :data:`CLOSED_STREAMS` (a report
    that was to go to a closed stdout is refused, not lost)."""
    for fd, name, mode in ((0, "stdin", os.O_RDONLY), (1, "stdout", os.O_WRONLY), (2, "stderr", os.O_WRONLY)):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, mode)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            os.set_inheritable(fd, True)  # (os.open's are not: worker processes get it too)
            CLOSED_STREAMS.add(name)
        if getattr(sys, name) is None:
            setattr(sys, name, open(fd, "r" if fd == 0 else "w", encoding="utf-8", closefd=False))  # noqa: SIM115


#: Set (to "1") in a worker's environment when it is to end with the process that started it.
_WITH_PARENT = "DUPEFIND_WORKER_ENDS_WITH_PARENT"


def _end_with_the_parent() -> None:  # pragma: no cover - runs in the worker processes
    """Have this worker killed when the process that started it ends (Linux, a worker the main
    thread started; elsewhere a worker sees its input end and stops after its task): a parent
    stopped by a second Ctrl-C while it was ending its workers left them running for a minute."""
    if not sys.platform.startswith("linux") or os.environ.pop(_WITH_PARENT, "") != "1":
        return
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(0)


def serve() -> None:  # pragma: no cover - runs in the worker processes
    """A worker's loop: read a function or a task from stdin, answer each task on stdout with
    ``(True, result)`` or ``(False, exception)``, until stdin ends; then the process ends at
    once (every answer is written and flushed, and a worker holds nothing else to save): the
    interpreter's own teardown (its modules, numba's) took a third of a second, which the
    parent waited for at the end of every scan."""
    tasks = sys.stdin.buffer
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print cannot garble the answers
    sys.stdout = sys.stderr
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _end_with_the_parent()
    func: Callable[[Any], Any] | None = None
    while True:
        try:
            kind, item = pickle.load(tasks)
        except EOFError:
            answers.close()
            sys.stderr.flush()
            os._exit(0)
        if kind == "func":
            func = item
            continue
        assert func is not None
        try:
            answer: tuple[bool, Any] = (True, func(item))
        except BaseException as error:  # every failure goes back to the caller
            error.add_note(f"in a dupefind worker process:\n{traceback.format_exc()}")
            answer = (False, error)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that cannot be pickled is sent as text
            data = pickle.dumps((False, RuntimeError(traceback.format_exc())), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            answers.write(data)
            answers.flush()
        except BrokenPipeError:  # the parent is gone: no one to answer
            os._exit(0)


def release_freed_memory() -> None:
    """Hand the pages of freed memory back to the system (glibc only; elsewhere nothing).

    Results arrive as pickles a few hundred kilobytes long; once glibc has seen such a block
    freed it serves the next ones from its heap, where they (and the first pass's segment
    counts) leave holes between the small objects that stay (documents, pairs). Measured after
    the first pass of 100k documents: 0.9 KB per document held but unused, about a gigabyte
    at a million documents, until trimmed. Called when the first pass ends, and once the rows
    sketched again are gathered (their tasks' rows, let go, ~0.4 GB at a million documents:
    not held beside the rows that replace them).
    """
    if _LIBC is not None:
        gc.collect()  # results still held in reference cycles (futures) are let go first
        _LIBC.malloc_trim(0)


def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _glibc()
