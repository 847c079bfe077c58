"""Which file a path names, for outputs: a device or a pipe is written into, never replaced;
two paths may name one file; a file may lie in an input folder."""

from __future__ import annotations

import os
import stat


def special_file(path: str) -> bool:
    """Whether ``path`` exists and is not a regular file (a device, a pipe): a file that must be
    written into, never replaced."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def written_path(path: str) -> str:
    """The file an output named ``path`` is written to: the target of a symbolic link (written
    through, as the shell's ``>`` does; a new file renamed onto the link would replace the link
    and leave its target as it was), otherwise ``path``."""
    return os.path.realpath(path) if os.path.islink(path) else path


def same_file(one: str, other: str) -> bool:
    """Whether two paths name one file (the same path, a link to it, or a hard link)."""
    if os.path.realpath(one) == os.path.realpath(other):
        return True
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def inside(real: str, folder: str) -> bool:
    """Whether the resolved path ``real`` lies under the resolved folder ``folder``."""
    return real.startswith(folder.rstrip(os.sep) + os.sep)


def ordinary_mode(path: str, replacing: str | None = None) -> None:
    """Give a file made by ``mkstemp`` (mode 0600) the permissions of the regular file it is to
    replace, ``replacing``, as the shell's ``>`` keeps them (a report kept readable by a group
    stays so); else those any new file gets here."""
    try:
        info = os.stat(replacing) if replacing is not None else None
    except OSError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        os.chmod(path, stat.S_IMODE(info.st_mode))
        return
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)
