"""The console entry point (``dupefind``, ``python -m dupefind``).

It loads nothing before it can answer a Ctrl-C: pressed while the modules load, during a scan
or while it cleans up, the command ends with one line and the shell's code for an interrupt,
never a traceback. A SIGTERM (``timeout``, a CI job cancelled, ``systemctl stop``) or a SIGHUP
(the terminal closed) ends it the same way, its temporary files removed, with the code of that
signal. Everything else is :func:`dupefind.cli.main`'s.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from types import FrameType
from typing import NoReturn

EXIT_INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for a command Ctrl-C ended


class Ended(BaseException):
    """A SIGTERM or SIGHUP, raised where the command is, so that its cleanup runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def main() -> None:
    _answer_signals()
    try:
        from .cli import main as run_command

        run_command()
    except KeyboardInterrupt:
        interrupted()
    except Ended as ended:
        _ended(ended.signum)


def _answer_signals() -> None:
    """A first Ctrl-C raises :class:`KeyboardInterrupt`, a first SIGTERM or SIGHUP
    :class:`Ended`, where the command is, so that its cleanup runs (temporary files, workers).
    The same stop arriving again within :data:`SAME_STOP` seconds is passed over: ``timeout``
    and other wrappers pass on the signal the process group already had, and a second one
    raised inside the cleanup cut it short (spooled input left in TMPDIR, a traceback from a
    generator being closed). Asked again later, the process ends at once."""
    first: list[float] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        now = time.monotonic()
        if not first:
            first.append(now)
            raise KeyboardInterrupt if signum == signal.SIGINT else Ended(signum)
        if now - first[0] >= SAME_STOP:
            os._exit(128 + signum)  # asked again: its workers end with it (dupefind.parallel)

    for number in (signal.SIGINT, *_ENDING):
        signal.signal(number, on_signal)


#: Seconds within which a second stop signal is the first one delivered twice.
SAME_STOP = 1.0


#: The signals that end a command as a Ctrl-C does (POSIX; Windows has neither).
_ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def interrupted(*, line_begun: bool = True) -> NoReturn:
    """End a command Ctrl-C stopped: one line on stderr, exit code 130.

    ``line_begun``: the terminal's cursor may be after its ``^C`` (click has ended that line
    itself when it says False).
    """
    _say("\nInterrupted.\n" if line_begun else "Interrupted.\n")
    _exiting()
    sys.exit(EXIT_INTERRUPTED)


def _ended(signum: int) -> NoReturn:
    """End a command a SIGTERM or SIGHUP stopped: one line (for SIGTERM), 128 + the signal."""
    if signum != getattr(signal, "SIGHUP", None):  # (after a hang-up no terminal reads it)
        _say(f"Stopped by {signal.Signals(signum).name}.\n")
    _exiting()
    sys.exit(128 + signum)


def _exiting() -> None:
    """Stop signals passed over from here on: the cleanup is done, and the interpreter, as it
    ends, puts back the default action, which a stop passed on again would take."""
    for number in (signal.SIGINT, *_ENDING):
        with contextlib.suppress(ValueError, OSError):  # (not the main thread: an embedding program's call)
            signal.signal(number, signal.SIG_IGN)


def _say(line: str) -> None:
    try:
        sys.stderr.write(line)
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed or gone: the exit code still says it
        pass
