"""Where the compiled kernels are cached: decided once, before numba is imported.

numba compiles the hot loops on their first call (~30 s for all of them) and keeps the machine
code next to the sources (``__pycache__``) or in the user's cache folder. Installed read-only
and run with no writable home (a container run as a non-root user), numba finds neither and
refuses to compile a function declared ``cache=True``. Here the cache goes, in order, where
``NUMBA_CACHE_DIR`` says; next to the sources when that folder is writable; in the user cache
folder (``$XDG_CACHE_HOME`` or ``~/.cache``, ``dupefind/numba``); in a folder of this user's
own in the temporary folder; and, when nothing is writable, nowhere: the kernels are compiled
again in each process. The choice is written to ``NUMBA_CACHE_DIR`` so that worker processes
make the same one.

Every kernel of dupefind is declared with :func:`kernel`, which also lets :func:`is_warm` tell
whether a run will compile (so the command line can say so).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Callable
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


#: The package's folders that hold kernels (each caches them in its own ``__pycache__``).
_KERNEL_FOLDERS = ("", "align", "candidates", "catalog", "pipeline", "resketch", "screen", "shingles", "text", "verify")


def _choose() -> str | None:
    """The cache folder numba is to use ("" for next to the sources), or ``None``: no cache."""
    if os.environ.get(_ENV):
        return os.environ[_ENV]
    if all(_writable(_PACKAGE / sub / "__pycache__") for sub in _KERNEL_FOLDERS):
        return ""
    user = _user_cache()
    if user is not None and _writable(user):
        return str(user)
    owner = os.getuid() if hasattr(os, "getuid") else 0
    temporary = Path(tempfile.gettempdir()) / f"dupefind-numba-{owner}"
    return str(temporary) if _private(temporary) else None


CACHE_DIR = _choose()
"""Where the kernels are cached: a folder, ``""`` (next to the sources) or ``None`` (nowhere)."""
if CACHE_DIR:
    os.environ[_ENV] = CACHE_DIR
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
        return ("compiling the fast paths (~30 s; no writable cache folder, so on every run: "
                "set NUMBA_CACHE_DIR to a writable folder to keep them)...")
    return None if is_warm() else "compiling the fast paths (once, ~30 s)..."


#: Cache lines :func:`prefetch_row` asks for (a signature row of 128 16-bit values is four).
_PREFETCH_LINES = 4


@intrinsic
def _prefetch_row(typingctx: Any, array: Any, row: Any) -> Any:  # pragma: no cover - compiled
    """In a kernel: ask the processor to bring the first :data:`_PREFETCH_LINES` cache lines of
    row ``row`` of a 2-D ``array`` into its caches, and go on at once (LLVM's
    ``llvm.prefetch``, a hint: nothing is read, no result changes). A loop over rows scattered
    through a large array (the rows of LSH buckets) waits on memory for most of its time; asked
    for a few rows ahead, they are there when it reaches them. ``row`` must be a row of the array."""
    if not (isinstance(array, types.Array) and array.ndim == 2 and isinstance(row, types.Integer)):
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        array_type = signature.args[0]
        made = context.make_array(array_type)(context, builder, args[0])
        first = _cgutils.get_item_pointer(context, builder, array_type, made,
                                         [args[1], context.get_constant(types.intp, 0)])
        byte = ir.IntType(8).as_pointer()
        word = ir.IntType(32)
        start = builder.bitcast(first, byte)
        hint = builder.module.declare_intrinsic("llvm.prefetch", [byte],
                                                ir.FunctionType(ir.VoidType(), [byte, word, word, word]))
        for line in range(_PREFETCH_LINES):  # read (0), keep in every cache level (3), data (1)
            builder.call(hint, [builder.gep(start, [ir.Constant(ir.IntType(64), 64 * line)]),
                                word(0), word(3), word(1)])
        return context.get_dummy_value()

    return types.void(array, row), codegen


prefetch_row = cast("Callable[[Any, int], None]", _prefetch_row)  # called in kernels with an array and a row
