"""Walking folders as ripgrep does: every regular file, and for anything else a reason.

Nothing found in a folder can block or end the walk. Each entry is looked at with ``lstat``
before anything is opened: named pipes, sockets and devices are listed as skipped with their
kind and never opened (opening a FIFO blocks until a writer comes); symbolic links are resolved
without following them blindly (a loop, a dangling link or a link out of the scanned folder is a
skip with its reason); a folder that cannot be listed is a skip; a folder already walked (a loop
through a followed link or a bind mount) is not walked twice. :func:`open_regular` opens a file
without blocking and checks that it is still a regular file, in case one was swapped in after
the walk looked.

Names are reported by :func:`shown_name`: valid UTF-8 whatever bytes the file system holds.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import BinaryIO

from .models import Skipped


@dataclass(frozen=True, slots=True)
class Found:
    """A regular file found by the walk."""

    path: str
    """The path to open (as the file system spells it)."""
    shown: str
    """The name it is reported under (see :func:`shown_name`)."""
    size: int
    """Its size in bytes when the walk saw it."""


class NotRegularFile(OSError):
    """A path that is not (or is no longer) a regular file: it is not read."""


def shown_name(path: str) -> str:
    """``path`` as the reports write it: unchanged when it is valid UTF-8; otherwise each byte
    that is not UTF-8 written as ``\\xHH`` (as ripgrep and Python's ``backslashreplace`` do).

    Python reads such a byte of a file name as a lone surrogate (U+DC80 to U+DCFF, PEP 383),
    which no UTF-8 output can hold; the escape keeps the report valid and the name readable.
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that no file system byte gives (from a caller's str)
        return path.encode("utf-8", "backslashreplace").decode("utf-8")


def plain_spelling(path: str) -> str:
    """``path`` without the parts that do not change the file it names: ``.`` components and
    repeated or trailing separators (``./arts/`` is ``arts``, ``arts//x`` is ``arts/x``), so
    that one file gets one id however its folder is typed. Nothing is resolved: ``..`` stays
    (behind a symbolic link it leads elsewhere than the text says), and so do symbolic links
    and an absolute path."""
    if os.altsep:
        path = path.replace(os.altsep, os.sep)
    drive, rest = os.path.splitdrive(path)
    parts = [part for part in rest.split(os.sep) if part not in ("", ".")]
    root = os.sep if rest.startswith(os.sep) else ""
    return drive + root + os.sep.join(parts) if parts or root or drive else "."


def file_kind(mode: int) -> str:
    """What a file that is not a regular file or a folder is, in words."""
    kinds = ((stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
             (stat.S_ISBLK, "block device"), (stat.S_ISDIR, "folder"), (stat.S_ISLNK, "symbolic link"))
    return next((name for test, name in kinds if test(mode)), "special file")


def not_regular(mode: int) -> str:
    """The reason a file that is not a regular file is skipped."""
    return f"{file_kind(mode)}: not a regular file, not read"


def open_regular(path: str) -> BinaryIO:
    """``path`` opened for reading if it is a regular file; :class:`NotRegularFile` otherwise.

    The open never blocks (``O_NONBLOCK``: a FIFO put in place of the file after the walk looked
    opens at once, and is then refused) and never makes a terminal the controlling one.
    """
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs to fear
    fd = os.open(path, os.O_RDONLY | nonblocking | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, f"{file_kind(mode)}, not a regular file", path)
        if nonblocking:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def why(error: OSError) -> str:
    """An OS error in words, without the path (the report names it)."""
    return error.strerror or str(error)


def walk(root: str, *, include: Sequence[str] = (), exclude: Sequence[str] = (),
         follow_symlinks: bool = False) -> Iterator[Found | Skipped]:
    """Every regular file under the folder ``root`` (depth first, in name order) that the
    ``include``/``exclude`` globs let through, or why an entry is skipped.

    Hidden entries (names starting with ``.``, and what Hadoop and Spark hide: see
    :func:`_hadoop_hidden`) and excluded ones are passed over without a word, and so are files
    (links to files, dangling links) that ``include`` leaves out.
    """
    real_root = os.path.realpath(root)
    try:
        top = os.stat(root)
    except OSError as error:
        yield Skipped(shown_name(root), f"cannot read: {why(error)}")
        return
    walked = {(top.st_dev, top.st_ino)}
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            yield Skipped(shown_name(folder), f"cannot list folder: {why(error)}")
            continue
        subfolders: list[tuple[str, str]] = []
        for entry in entries:
            if entry.name.startswith(".") or _hadoop_hidden(entry):
                continue  # hidden files and folders (.git, .cache), Spark's markers, are not content
            relative = prefix + entry.name
            path = entry.name if folder == os.curdir else entry.path  # (``x.txt`` under ``.``, not ``./x.txt``)
            if _matches(relative, entry.name, exclude):
                continue
            shown = shown_name(path)
            try:
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    target = _link_target(path, real_root, follow_symlinks)
                    if target is None:
                        continue  # a link inside the folder: its target is read under its own name
                    if isinstance(target, str):
                        # A link not followed is skipped with its reason; but a file link the
                        # include globs leave out is passed over as its file would be.
                        if not (include and not _matches(relative, entry.name, include)
                                and not os.path.isdir(path)):
                            yield Skipped(shown, target)
                        continue
                    info = target
            except OSError as error:
                yield Skipped(shown, f"cannot read: {why(error)}")
                continue
            if stat.S_ISDIR(info.st_mode):
                if (info.st_dev, info.st_ino) in walked:
                    yield Skipped(shown, "folder already scanned under another name (a loop), not scanned again")
                else:
                    walked.add((info.st_dev, info.st_ino))
                    subfolders.append((path, relative + "/"))
            elif include and not _matches(relative, entry.name, include):
                continue
            elif stat.S_ISREG(info.st_mode):
                yield Found(path, shown, info.st_size)
            else:
                yield Skipped(shown, not_regular(info.st_mode))
        stack.extend(reversed(subfolders))  # visit subfolders in name order, depth first


#: Folders Spark, Hadoop and Delta Lake keep beside their output: unfinished tasks' files, the
#: table's log (JSON, checksums and checkpoints in Parquet), a streaming sink's metadata.
_SPARK_FOLDERS = frozenset({"_temporary", "_delta_log", "_spark_metadata"})


def _hadoop_hidden(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is one of the files Hadoop and Spark write beside their output and
    hide: a file whose name starts with ``_`` and has no extension (``_SUCCESS``,
    ``_committed_…``, ``_started_…``, ``_metadata``), a ``.crc`` checksum, or a folder of
    :data:`_SPARK_FOLDERS`. Other names starting with ``_`` are read (Jekyll's ``_posts``
    folder, Hugo's ``_index.md``)."""
    name = entry.name
    try:
        folder = entry.is_dir(follow_symlinks=False)
    except OSError:
        return False
    if folder:
        return name in _SPARK_FOLDERS
    return (name.startswith("_") and not os.path.splitext(name)[1]) or name.lower().endswith(".crc")


def _link_target(path: str, real_root: str, follow: bool) -> os.stat_result | str | None:
    """What a symbolic link found in the walk leads to: ``None`` when it stays inside the
    scanned folder, the reason it is skipped, or (with ``follow``) its target's status."""
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop (following it never ends), not followed"
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            try:
                return f"dangling link to {shown_name(os.readlink(path))} (the target does not exist)"
            except OSError:
                return "dangling link (the target does not exist)"
        return f"cannot follow link: {why(error)}"
    if os.path.commonpath([real_root, target]) == real_root:
        return None
    if not follow:
        return (f"symbolic link out of the scanned folder (to {shown_name(target)}; "
                "use --follow-symlinks to read it)")
    return os.stat(target)


def _matches(relative: str, name: str, patterns: Sequence[str]) -> bool:
    """Whether a glob matches the path relative to the scanned folder, or the name alone."""
    return any(fnmatch(relative, p) or fnmatch(name, p) for p in patterns)
