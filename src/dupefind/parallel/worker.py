"""The worker processes' side: :func:`serve`, a worker's loop; a worker ending with the
process that started it; and the standard streams opened on the null device when the caller
closed them (:func:`open_standard_streams`), so that workers can start.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any

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
