"""The console entry point (``dupefind``, ``python -m dupefind``).

It loads nothing before it can answer a Ctrl-C: pressed while the modules load, during a scan
or while it cleans up, the command ends with one line and the shell's code for an interrupt,
never a traceback. Everything else is :func:`dupefind.cli.main`'s.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from typing import NoReturn

EXIT_INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for a command Ctrl-C ended


def main() -> None:
    try:
        from .cli import main as run_command

        run_command()
    except KeyboardInterrupt:
        interrupted()


def interrupted(*, line_begun: bool = True) -> NoReturn:
    """End a command Ctrl-C stopped: one line on stderr, exit code 130.

    A second Ctrl-C from here on ends the process at once, as the default action does; its
    workers end with it (:mod:`dupefind.parallel`). ``line_begun``: the terminal's cursor may
    be after its ``^C`` (click has ended that line itself when it says False).
    """
    with contextlib.suppress(ValueError):  # (not the main thread: an embedding program's call)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        sys.stderr.write("\nInterrupted.\n" if line_begun else "Interrupted.\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed or gone: the exit code still says it
        pass
    sys.exit(EXIT_INTERRUPTED)
