"""Dedup's output files: each written to a temporary file beside it and renamed into place
once all are written (none is left on failure), a device, a pipe or stdout written into, never
over an input."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from typing import IO

from .errors import DupefindError
from .files import inside, ordinary_mode, same_file, special_file, written_path
from .sources import STDIN


class OutputError(DupefindError):
    """An output file could not be written (or would overwrite an input)."""


#: An output named ``-``: standard output.
STDOUT = "-"


def refuse_overwriting(targets: Sequence[str], inputs: Sequence[str]) -> None:
    """:class:`OutputError` when ``targets`` name one file twice, an input, a file inside an
    input folder, a folder, or a file in a folder that does not exist."""
    if len({os.path.abspath(t) for t in targets}) < len(targets) or (
            len(targets) == 2 and STDOUT not in targets and not special_file(targets[0]) and same_file(*targets)):
        raise OutputError("the kept and removed records cannot go to the same file")
    real_inputs = [os.path.realpath(p) for p in inputs if p != STDIN]
    for target in targets:
        if target == STDOUT:
            continue
        real = os.path.realpath(target)
        for given in real_inputs:
            held = inside(real, given)
            if real == given or (held and os.path.exists(real)):
                raise OutputError(f"{target} is among the inputs; dedup never overwrites an input")
            if held:
                raise OutputError(f"{target} is inside the input folder {given}; dedup writes no file among its "
                                  "inputs (a later run would read it)")
        if os.path.isdir(real):
            raise OutputError(f"{target} is a folder")
        if not os.path.isdir(os.path.dirname(real)):
            raise OutputError(f"cannot write {target}: folder {os.path.dirname(real)} does not exist")


class Pipe:
    """Stdout, a pipe or a device written into: a reader that stops early (``| head -1``) has
    what it wanted, so the records after are dropped, the other file is still written and the
    dedup ends as it would have (as ``scan | head`` does), instead of failing."""

    def __init__(self, handle: IO[bytes], *, stdout: bool) -> None:
        self.handle, self.stdout, self.gone = handle, stdout, False

    def write(self, data: bytes) -> None:
        if not self.gone:
            try:
                self.handle.write(data)
            except BrokenPipeError:
                self._gone()

    def close(self) -> None:
        try:
            self.handle.close()
        except BrokenPipeError:
            self._gone()

    def _gone(self) -> None:
        self.gone = True
        with suppress(OSError):
            self.handle.close()  # (dropping what it held: its reader is gone)
        if self.stdout:  # nothing more reaches the pipe, nor fails at the interpreter's exit
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)


@contextmanager
def atomic_files(targets: Sequence[str]) -> Iterator[list[IO[bytes] | Pipe]]:
    """Temporary files beside ``targets``, renamed onto them when all went well; a device or a
    pipe among them (``-o /dev/null``), or stdout (``-``), is written straight into, never
    replaced by a file (:class:`Pipe`)."""
    with ExitStack() as stack:
        files: list[tuple[str, IO[bytes] | Pipe]] = []
        try:
            for target in targets:
                if target == STDOUT:
                    sys.stdout.flush()
                    files.append(("", Pipe(open(sys.stdout.fileno(), "wb", closefd=False), stdout=True)))  # noqa: SIM115  # closed below
                    continue
                if special_file(target):
                    files.append(("", Pipe(open(target, "wb"), stdout=False)))  # noqa: SIM115  # closed below
                    continue
                fd, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(written_path(target))),
                                                 prefix=".dupefind-", suffix=".tmp")
                files.append((temporary, stack.enter_context(os.fdopen(fd, "wb"))))
        except OSError as error:
            _clean(files)
            raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
        try:
            yield [handle for _, handle in files]
            for (_, handle), target in zip(files, targets):  # every file written out before any is renamed
                try:
                    handle.close()
                except OSError as error:
                    raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
            for (temporary, _), target in zip(files, targets):
                if temporary:
                    ordinary_mode(temporary, written_path(target))
                    os.replace(temporary, written_path(target))
        except OSError as error:
            _clean(files)
            raise OutputError(f"cannot write the dedup output: {error.strerror or error}") from None
        except BaseException:
            _clean(files)
            raise


def _clean(files: Sequence[tuple[str, IO[bytes] | Pipe]]) -> None:
    """Close every file (what a full device still held to write is dropped: closing it fails
    again) and remove the temporary ones."""
    for temporary, handle in files:
        with suppress(OSError):
            handle.close()
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
