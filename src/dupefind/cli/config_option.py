"""``--config FILE`` and the config file found on its own: its settings become the defaults of
the command's options (click's ``default_map``), so options given on the command line win, and
each value's origin is known (:func:`config_sources`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from ..config_file import ConfigFile, ConfigFileError, find_config_file, load_config_file

F = TypeVar("F", bound=Callable[..., Any])
_META = "dupefind.config_file"
#: Options that cannot come from a config file.
_NOT_SETTABLE = {"config", "help", "version"}


def config_file_option(func: F) -> F:
    """Adds ``--config FILE`` (read before every other option)."""
    option = click.option(
        "--config", "config_file", type=click.Path(dir_okay=False), default=None, is_eager=True, expose_value=False,
        callback=_load, metavar="FILE",
        help="Read settings from this TOML file ([tool.dupefind] table, or top-level keys) instead of the "
             "nearest dupefind.toml or pyproject.toml [tool.dupefind]; command-line options win.")
    return option(func)


def option_key(option: click.Option) -> str:
    """The key that sets ``option`` in a config file: its long name, underscores for dashes."""
    longs = [o for o in option.opts if o.startswith("--")]
    return (longs[0] if longs else option.opts[0]).lstrip("-").replace("-", "_")


def settable(command: click.Command) -> dict[str, click.Option]:
    """The options of ``command`` a config file can set, by key."""
    return {option_key(p): p for p in command.params
            if isinstance(p, click.Option) and option_key(p) not in _NOT_SETTABLE}


def _all_keys(ctx: click.Context) -> set[str]:
    """Every key some command of the program accepts (groups of commands searched through)."""
    keys = set(settable(ctx.command))
    stack: list[click.Command] = [ctx.find_root().command]
    while stack:
        command = stack.pop()
        keys.update(settable(command))
        if isinstance(command, click.Group):
            stack.extend(command.commands.values())
    return keys


def _nearest_config_file() -> Path | None:
    """The config file that applies in the working folder (none when that folder is gone)."""
    try:
        here = Path.cwd()
    except OSError:
        return None
    return find_config_file(here)


def _load(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    path = Path(value) if value else _nearest_config_file()
    if path is None:
        return
    try:
        found = load_config_file(path, known=_all_keys(ctx))
    except ConfigFileError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None
    own = settable(ctx.command)
    defaults: dict[str, Any] = {}
    for key, raw in found.values.items():
        option = own.get(key)
        if option is None or option.name is None:
            continue  # another command's option
        defaults[option.name] = _checked(ctx, option, key, raw, found)
    ctx.default_map = {**(ctx.default_map or {}), **defaults}
    ctx.meta[_META] = found


def _checked(ctx: click.Context, option: click.Option, key: str, raw: Any, found: ConfigFile) -> Any:
    """``raw`` converted by the option's own type, or an error naming the key and the file."""
    if option.multiple and isinstance(raw, str):
        raw = [raw]
    if option.multiple and not isinstance(raw, list):
        raise click.BadParameter(f"{key!r} in {found.label} must be a list of strings; got {raw!r}")
    if option.is_flag != isinstance(raw, bool):
        wanted = "true or false" if option.is_flag else "a value of the option's type, not true or false"
        raise click.BadParameter(f"{key!r} in {found.label} must be {wanted}; got {raw!r}")
    if isinstance(raw, (dict, list)) and not option.multiple:
        raise click.BadParameter(f"{key!r} in {found.label} must be a single value; got {raw!r}")
    wanted, fits = _toml_type(option.type)
    for value in raw if option.multiple else [raw]:
        if not fits(value):
            raise click.BadParameter(f"{key!r} in {found.label} must be {wanted}; got {value!r}")
    try:
        return option.type_cast_value(ctx, raw)
    except click.BadParameter as error:
        raise click.BadParameter(f"{key!r} in {found.label}: {error.message}") from None


def _toml_type(kind: click.ParamType[Any]) -> tuple[str, Callable[[Any], bool]]:
    """What a TOML value of an option of type ``kind`` must be, and the test of it (TOML has
    its own types: a string is not a number, a float not a whole number, a date nothing a
    command takes; a boolean is no number)."""
    if isinstance(kind, click.types.BoolParamType):
        return "true or false", lambda value: isinstance(value, bool)
    if isinstance(kind, click.types.IntParamType):
        return "a whole number", lambda value: isinstance(value, int) and not isinstance(value, bool)
    if isinstance(kind, click.types.FloatParamType):
        return "a finite number", lambda value: (isinstance(value, (int, float)) and not isinstance(value, bool)
                                                 and math.isfinite(value))
    return "a string", lambda value: isinstance(value, str)


def config_file_used(ctx: click.Context) -> ConfigFile | None:
    """The config file the command read, if any."""
    found: ConfigFile | None = ctx.meta.get(_META)
    return found


def config_sources(ctx: click.Context, fields: Iterable[str]) -> dict[str, str]:
    """Where each of ``fields`` (Config fields, named as its options are) came from: ``command
    line``, the config file (``path [tool.dupefind]``) or ``default``."""
    found = config_file_used(ctx)
    by_key = settable(ctx.command)
    sources: dict[str, str] = {}
    for field in fields:
        option = by_key.get(field)
        origin = ctx.get_parameter_source(option.name) if option is not None and option.name else None
        if origin is ParameterSource.COMMANDLINE:
            sources[field] = "command line"
        elif origin is ParameterSource.DEFAULT_MAP and found is not None:
            sources[field] = found.label
        elif origin is ParameterSource.ENVIRONMENT:
            sources[field] = "environment"
        else:
            sources[field] = "default"
    return sources


def set_in(field: str) -> str:
    """`` (set in FILE)`` when the option ``field`` took its value from the config file, else empty."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return ""
    found = config_file_used(ctx)
    option = settable(ctx.command).get(field)
    if found is None or option is None or option.name is None:
        return ""
    return f" (set in {found.label})" if ctx.get_parameter_source(option.name) is ParameterSource.DEFAULT_MAP else ""
