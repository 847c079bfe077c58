"""Where the compiled kernels are cached: decided once, before numba is imported.

numba compiles the hot loops on their first call (~40 s for all of them on this 2-core machine) and keeps the machine
code next to the sources (``__pycache__``) or in the user's cache folder. Installed read-only
and run with no writable home (a container run as a non-root user), numba finds neither and
refuses to compile a function declared ``cache=True``. Here the cache goes, in order, where
``NUMBA_CACHE_DIR`` says; next to the sources when that folder is writable; in the user cache
folder (``$XDG_CACHE_HOME`` or ``~/.cache``, ``dupefind/numba``); in a folder of this user's
own in the temporary folder; and, when nothing is writable, nowhere: the kernels are compiled
again in each process. The choice is written to ``NUMBA_CACHE_DIR`` so that worker processes
make the same one.

Wherever it goes, the cache is a folder named after a digest of the package's sources
(:func:`sources_digest`). numba checks a cached kernel against the one file that defines it,
but a kernel holds the code of the kernels it calls, from other files too: after an edit or an
upgrade that changed only those, numba would load the kernel as it was compiled before and run
the old code. Other sources, another folder: nothing compiled from them is ever loaded.
(Folders of other sources are removed once a day old.)

Every kernel of dupefind is declared with :func:`kernel`, which also lets :func:`is_warm` tell
whether a run will compile (so the command line can say so).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

_ENV = "NUMBA_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent


def _writable(folder: Path) -> bool:
    """``folder`` exists or can be made, and a file can be written in it (numba's own test)."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        return False
    return True


def _private(folder: Path) -> bool:
    """``folder`` (in a shared temporary folder) belongs to this user and only this user can
    write in it: cached code is loaded and run, so no one else may plant it."""
    if not hasattr(os, "getuid"):  # Windows: the temporary folder is the user's own
        return _writable(folder)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and _writable(folder))


def _user_cache() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or (os.path.join(os.path.expanduser("~"), ".cache")
                                                 if os.path.expanduser("~") != "~" else "")
    return Path(base) / "dupefind" / "numba" if base else None


#: Where the cache of one version of the sources is, in the folder chosen: this, then the digest.
_VERSION_PREFIX = "dupefind-kernels-"
#: Set to the folder chosen, for the worker processes: they take it without choosing again.
_CHOSEN = "DUPEFIND_KERNEL_CACHE"
#: A folder of other sources' kernels older than this is removed (not at once: two versions of
#: dupefind may run side by side, each loading its own).
_STALE_SECONDS = 24 * 3600


def sources_digest(package: Path = _PACKAGE) -> str:
    """A digest of every Python source of ``package`` (names and contents): the same sources,
    the same digest, wherever and whenever they were installed."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" not in path.relative_to(package).parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def _choose() -> str | None:
    """The folder numba is to cache the kernels in, or ``None``: no cache."""
    if os.environ.get(_CHOSEN) and os.environ.get(_CHOSEN) == os.environ.get(_ENV):
        return os.environ[_CHOSEN]  # a worker of a process that chose
    given = os.environ.get(_ENV)
    if given:
        base: Path | None = Path(given)
    elif _writable(_PACKAGE / "__pycache__"):
        base = _PACKAGE / "__pycache__"
    elif (user := _user_cache()) is not None and _writable(user):
        base = user
    else:
        owner = os.getuid() if hasattr(os, "getuid") else 0
        temporary = Path(tempfile.gettempdir()) / f"dupefind-numba-{owner}"
        base = temporary if _private(temporary) else None
    if base is None:
        return None
    chosen = base / f"{_VERSION_PREFIX}{sources_digest()}"
    with contextlib.suppress(OSError):  # not made yet (numba makes it), or not ours to touch
        os.utime(chosen)  # in use: not stale
    _remove_stale(base, keep=chosen)
    return str(chosen)


def _remove_stale(base: Path, *, keep: Path) -> None:
    """Remove the folders of kernels compiled from other sources in ``base``, once unused for a
    day (best effort: a folder in use elsewhere or not ours to remove is left)."""
    try:
        folders = [p for p in base.iterdir() if p.name.startswith(_VERSION_PREFIX) and p != keep]
    except OSError:
        return
    for folder in folders:
        try:
            info = folder.lstat()
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and time.time() - info.st_mtime > _STALE_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)


CACHE_DIR = _choose()
"""Where the kernels are cached: a folder, or ``None`` (nowhere)."""
if CACHE_DIR:
    os.environ[_ENV] = os.environ[_CHOSEN] = CACHE_DIR
    if "numba" in sys.modules:  # imported before dupefind: its configuration is already read
        import numba.core.config

        setattr(numba.core.config, "CACHE_DIR", CACHE_DIR)  # noqa: B010 - numba declares its settings dynamically

# numba colours its error messages with colorama, whose exit hook then writes ESC[0m to a terminal
# on stdout at the end of every run (under --color never too); no numba message is ever shown.
os.environ.setdefault("NUMBA_DISABLE_ERROR_MESSAGE_HIGHLIGHTING", "1")

from llvmlite import ir  # noqa: E402
from numba import njit  # noqa: E402 - numba reads NUMBA_CACHE_DIR as it is imported
from numba.core import cgutils, types  # noqa: E402

_cgutils: Any = cgutils  # (numba's helpers are untyped)
from numba.extending import intrinsic  # noqa: E402

_KERNELS: list[Any] = []


def kernel(*, always: bool = False, **options: Any) -> Callable[[F], F]:
    """``numba.njit(cache=..., **options)``, cached where :data:`CACHE_DIR` says; ``always``:
    a kernel every scan calls (those :func:`is_warm` looks at)."""

    def declare(func: F) -> F:
        compiled = njit(cache=CACHE_DIR is not None, **options)(func)
        if always:
            _KERNELS.append(compiled)
        return compiled  # type: ignore[no-any-return]  # numba's dispatcher is untyped

    return declare


@kernel()
def _first(value: int) -> int:  # pragma: no cover - compiled
    """The kernel that starts numba in a process (:func:`started_meanwhile`)."""
    return value + 1


def _start_numba() -> None:
    with contextlib.suppress(Exception):  # (a kernel that cannot be had fails where it is called)
        _first(1)


@contextlib.contextmanager
def started_meanwhile() -> Iterator[None]:
    """numba started in a thread of its own while the block runs (and done by its end). The
    first kernel a process runs costs about half a second of numba's own start (its compiler
    made ready), cached or not; a scan's process spends its first seconds waiting for its
    workers to start and read, and reached its first kernel only after them."""
    thread = threading.Thread(target=_start_numba, daemon=True, name="dupefind-numba-start")
    thread.start()
    try:
        yield
    finally:
        thread.join()


def is_warm() -> bool:
    """Whether the kernels every scan calls are already compiled and cached (a cheap look for
    their cache index files; a run that will compile for a while says so)."""
    if CACHE_DIR is None:
        return False
    for compiled in _KERNELS:
        try:
            index = compiled._cache._cache_file._index_path  # numba's cache, not public
        except AttributeError:  # another numba: do not guess
            return True
        if not os.path.exists(index):
            return False
    return True


def compiling_note() -> str | None:
    """What to tell the user before a run that will compile the kernels first; ``None`` when
    they are cached."""
    if CACHE_DIR is None:
        return ("compiling the fast paths (~40 s; no writable cache folder, so on every run: "
                "set NUMBA_CACHE_DIR to a writable folder to keep them)...")
    return None if is_warm() else "compiling the fast paths (once, ~40 s)..."


#: Most cache lines :func:`prefetch_row` asks for (a signature row of 192 16-bit values is six).
_PREFETCH_LINES = 6


def _item_pointer(context: Any, builder: Any, signature: Any, args: Any, indices: list[Any]) -> Any:
    """In an intrinsic's code: the address, as bytes, of the item at ``indices`` of the array
    that is its first argument."""
    array_type = signature.args[0]
    made = context.make_array(array_type)(context, builder, args[0])
    return builder.bitcast(_cgutils.get_item_pointer(context, builder, array_type, made, indices),
                           ir.IntType(8).as_pointer())


def _prefetch(builder: Any, at: Any) -> None:
    """In an intrinsic's code: one ``llvm.prefetch`` of the cache line holding byte ``at``, to
    read (0), kept in every cache level (3), data (1)."""
    byte, word = ir.IntType(8).as_pointer(), ir.IntType(32)
    hint = builder.module.declare_intrinsic("llvm.prefetch", [byte],
                                            ir.FunctionType(ir.VoidType(), [byte, word, word, word]))
    builder.call(hint, [at, word(0), word(3), word(1)])


@intrinsic
def _prefetch_row(typingctx: Any, array: Any, row: Any) -> Any:  # pragma: no cover - compiled
    """In a kernel: ask the processor to bring the cache lines of row ``row`` of a 2-D ``array``
    (the first :data:`_PREFETCH_LINES` of a longer row) into its caches, and go on at once (LLVM's
    ``llvm.prefetch``, a hint: nothing is read, no result changes). A loop over rows scattered
    through a large array (the rows of LSH buckets) waits on memory for most of its time; asked
    for a few rows ahead, they are there when it reaches them. ``row`` must be a row of the array."""
    if not (isinstance(array, types.Array) and array.ndim == 2 and isinstance(row, types.Integer)):
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        start = _item_pointer(context, builder, signature, args, [args[1], context.get_constant(types.intp, 0)])
        made = context.make_array(signature.args[0])(context, builder, args[0])
        row_bytes = _cgutils.unpack_tuple(builder, made.strides, 2)[0]
        for line in range(_PREFETCH_LINES):
            inside = builder.icmp_signed("<", ir.Constant(row_bytes.type, 64 * line), row_bytes)
            with builder.if_then(inside, likely=True):
                _prefetch(builder, builder.gep(start, [ir.Constant(ir.IntType(64), 64 * line)]))
        return context.get_dummy_value()

    return types.void(array, row), codegen


prefetch_row = cast("Callable[[Any, int], None]", _prefetch_row)  # called in kernels with an array and a row


def _prefetch_at(context: Any, builder: Any, signature: Any, args: Any) -> Any:
    """The code of :func:`prefetch_value` and :func:`prefetch_item`: the line of the item their
    indices name."""
    _prefetch(builder, _item_pointer(context, builder, signature, args,
                                     [context.cast(builder, value, kind, types.intp)
                                      for value, kind in zip(args[1:], signature.args[1:], strict=True)]))
    return context.get_dummy_value()


@intrinsic
def _prefetch_value(typingctx: Any, array: Any, row: Any, column: Any) -> Any:  # pragma: no cover - compiled
    """In a kernel: ask the processor to bring the cache line holding ``array[row, column]`` of
    a 2-D ``array`` into its caches, and go on at once (as :func:`prefetch_row`, for a pass that
    reads a few values of each row: the band of each signature row the bucketing keys). The
    indices must be inside the array."""
    if not (isinstance(array, types.Array) and array.ndim == 2 and isinstance(row, types.Integer)
            and isinstance(column, types.Integer)):
        return None
    return types.void(array, row, column), _prefetch_at


@intrinsic
def _prefetch_item(typingctx: Any, array: Any, index: Any) -> Any:  # pragma: no cover - compiled
    """In a kernel: :func:`prefetch_value` of ``array[index]`` of a 1-D ``array`` (one value of
    each of scattered rows: the set size of each row a bucket weighs)."""
    if not (isinstance(array, types.Array) and array.ndim == 1 and isinstance(index, types.Integer)):
        return None
    return types.void(array, index), _prefetch_at


prefetch_value = cast("Callable[[Any, int, int], None]", _prefetch_value)  # called in kernels
prefetch_item = cast("Callable[[Any, int], None]", _prefetch_item)  # called in kernels


@intrinsic
def _popcount(typingctx: Any, value: Any) -> Any:  # pragma: no cover - compiled
    """In a kernel: the number of bits set in a 64-bit unsigned ``value`` (LLVM's
    ``llvm.ctpop``, one instruction where the processor has one)."""
    if value != types.uint64:
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        count = builder.module.declare_intrinsic("llvm.ctpop", [ir.IntType(64)])
        return builder.call(count, [args[0]])

    return types.uint64(value), codegen


popcount = cast("Callable[[Any], int]", _popcount)  # called in kernels with a 64-bit unsigned value
