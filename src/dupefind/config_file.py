"""Settings from a TOML file: ``[tool.dupefind]`` in a ``pyproject.toml``, or a ``dupefind.toml``.

Found by :func:`find_config_file`: starting in a folder and going up to the root, the first
folder holding a ``dupefind.toml`` (its top-level keys) or a ``pyproject.toml`` with a
``[tool.dupefind]`` table (a ``pyproject.toml`` without one is passed over). A file given by
name is read the same way: its ``[tool.dupefind]`` table if it has one, otherwise (unless it is
a ``pyproject.toml``) its top level.

Keys are the command-line options without their dashes, written ``passage-words`` or
``passage_words``; a key no command knows is an error that names it. The values are checked by
the command line itself (the same types and ranges as its options).
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from .errors import DupefindError
from .walk import open_regular

DEDICATED = "dupefind.toml"
PYPROJECT = "pyproject.toml"
TABLE = "tool.dupefind"


class ConfigFileError(DupefindError):
    """A config file cannot be read, is not TOML, or holds a key no command knows."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        """The config file."""
        self.problem = problem
        """What is wrong, without the file name."""


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """The settings read from one config file."""

    path: str
    """The file."""
    table: str
    """``[tool.dupefind]``, or empty for the file's top level."""
    values: Mapping[str, Any]
    """The settings, keys with underscores (``passage_words``)."""

    @property
    def label(self) -> str:
        """Where a value came from, as the report's ``config_sources`` says it."""
        return f"{self.path} {self.table}" if self.table else self.path


def find_config_file(start: Path) -> Path | None:
    """The nearest config file in ``start`` or a folder above it, or ``None``. A folder that
    cannot be looked into, or a ``pyproject.toml`` that cannot be read (whose table, if any,
    cannot be known), is passed over; a ``dupefind.toml`` that cannot be read is still ours
    (reading it says why it fails)."""
    for folder in (start, *start.parents):
        dedicated = folder / DEDICATED
        pyproject = folder / PYPROJECT
        try:
            if dedicated.is_file():
                return dedicated
            if pyproject.is_file() and _has_table(pyproject):
                return pyproject
        except OSError:
            continue
    return None


def load_config_file(path: Path | str, *, known: Collection[str]) -> ConfigFile:
    """The settings of ``path``; ``known`` holds every key a command accepts (underscores)."""
    data = _read(Path(path))
    table = data.get("tool", {}).get("dupefind") if isinstance(data.get("tool"), dict) else None
    if table is not None:
        if not isinstance(table, dict):
            raise ConfigFileError(path, f"[{TABLE}] must be a table")
        values, where = table, f"[{TABLE}]"
    elif Path(path).name == PYPROJECT:
        raise ConfigFileError(path, f"no [{TABLE}] table")
    else:
        values, where = data, ""
    settings: dict[str, Any] = {}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in known:
            near = get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean {near[0].replace('_', '-')!r}?)" if near else ""
            known_list = ", ".join(sorted(k.replace("_", "-") for k in known))
            raise ConfigFileError(path, f"unknown key {key!r}{' in ' + where if where else ''}{hint}; "
                                        f"known keys: {known_list}")
        if name in settings:
            raise ConfigFileError(path, f"{key!r} is set twice (with '-' and with '_')")
        settings[name] = value
    return ConfigFile(str(path), where, settings)


def _read(path: Path) -> dict[str, Any]:
    """The TOML of ``path``, a regular file: a named pipe (which would wait for a writer) or
    a device (``/dev/zero`` never ends) is refused, not read."""
    try:
        with open_regular(str(path)) as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigFileError(path, f"cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigFileError(path, f"not valid TOML: {error}") from None
    except UnicodeDecodeError as error:
        raise ConfigFileError(path, f"not UTF-8 ({error.reason})") from None


def _has_table(path: Path) -> bool:
    try:
        data = _read(path)
    except ConfigFileError:
        # Not ours to judge, unless it names our table (then reading it again says what is wrong).
        try:
            return b"[tool.dupefind" in path.read_bytes()
        except OSError:  # unreadable: its table, if any, cannot be known
            return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "dupefind" in tool
