"""What the commands share: the options that make a Config, progress bars, writing a report
(to stdout or atomically to a file) and the exit codes."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

import click
from click.core import ParameterSource
from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as ProgressBars

from ..catalog import Progress
from ..config import SCHEMES, Config
from ..errors import ConfigError
from ..files import inside, ordinary_mode, special_file, written_path
from ..parallel import CLOSED_STREAMS
from ..sources import STDIN, Record, read_kind, read_records
from ..walk import shown_name, why
from .config_option import config_file_option, set_in

#: Exit codes (also in the README).
EXIT_OK = 0
EXIT_DUPLICATES = 1
EXIT_USAGE = 2
EXIT_SKIPPED = 3

F = TypeVar("F", bound=Callable[..., Any])
#: Formats only ``scan`` writes (rows of pairs).
SCAN_FORMATS = ("csv", "parquet")
DEFAULT = Config()


def config_options(*, scan: bool) -> Callable[[F], F]:
    """The options that map onto :class:`Config` fields and pick the output, for ``scan`` or
    (``scan=False``) for ``compare``, which has no collection to index, count or share out."""
    options = [
        click.option("--threshold", type=float, default=DEFAULT.threshold, show_default=True,
                     help="Least containment (share of the smaller text's shingles found in the other) "
                          "for two texts to be copies; above 0, at most 1."),
        click.option("--passage-words", type=int, default=DEFAULT.passage_words, show_default=True,
                     help="Also report a pair when one passage holds at least this many identical words; 0: off."),
        click.option("--scheme", type=click.Choice(SCHEMES), default=DEFAULT.scheme, show_default=True,
                     help="Shingles: stopwords (function-word n-grams, spin-robust), words or chars."),
        click.option("--ngram", type=int, default=None,
                     help="Shingle length (default: 8 for stopwords, 5 for words, 7 for chars); 1 to 32."),
    ]
    if scan:  # compare works on the exact shingle sets: no MinHash, no LSH
        options += [
            click.option("--num-perm", type=int, default=DEFAULT.num_perm, show_default=True,
                         help="MinHash permutations; 16 to 1024."),
            click.option("--seed", type=int, default=DEFAULT.seed, show_default=True, help="MinHash seed."),
            click.option("--lsh-threshold", type=float, default=DEFAULT.lsh_threshold, show_default=True,
                         help="Jaccard level the LSH bands are tuned for (lower: more candidates, slower)."),
        ]
    options.append(click.option(
        "--min-words", type=int, default=DEFAULT.min_words, show_default=True,
        help="Texts with fewer words are short: a copy when identical, or by a passage holding half their words."))
    if scan:
        options.append(click.option(
            "--boilerplate-min-docs", type=int, default=DEFAULT.boilerplate_min_docs, show_default=True,
            help="A line or sentence in at least this many documents is boilerplate; 2 or more."))
    options += [
        click.option("--min-passage-words", type=int, default=DEFAULT.min_passage_words, show_default=True,
                     help="Least identical words in a passage shown as evidence."),
        click.option("--format", "fmt", type=click.Choice(["rich", "json", "jsonl", "html", *SCAN_FORMATS] if scan
                                                          else ["rich", "json", "jsonl", "html"]),
                     default="rich", show_default=True,
                     help="Report format: rich (terminal), json, jsonl, html (a self-contained page)"
                          + ("; csv or parquet (one row per pair; parquet needs --output)" if scan else "")
                          + ". Not given, the extension of --output picks it (.txt: rich)."),
        click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, allow_dash=True), default=None,
                     callback=_output_path,
                     help="Write the report to this file (atomically) instead of stdout ('-': stdout). "
                          "Its extension (.html/.htm, .json, .jsonl, .txt" + (", .csv, .parquet" if scan else "")
                          + ") picks the format when --format is not given; a --format that contradicts it is "
                          "refused (any format may go into a .txt file, with a note)."),
        click.option("--max-passages", type=click.IntRange(min=0), default=3 if scan else 0, show_default=True,
                     help="Passages shown per pair in the rich report; 0 shows all."),
        click.option("--max-chars", type=click.IntRange(min=0), default=1000, show_default=True,
                     help="Characters shown per passage side in the rich report; 0 shows all."),
    ]
    if scan:
        options.append(click.option(
            "--jobs", "-j", type=int, default=DEFAULT.jobs, show_default=True,
            help="Processes for reading, fingerprinting and verifying; 0 uses every core."))
    options.append(COLOR_OPTION)
    options.append(click.option(
        "--fail-on-duplicates/--no-fail-on-duplicates", default=False,
        help="Exit 1 when duplicates are found (for CI); otherwise a finished scan exits 0." if scan
        else "Exit 1 when the two files are copies (for scripts); otherwise 0."))

    if scan:
        options += [
            click.option("--top", type=click.IntRange(min=0), default=0, show_default=True,
                         help="Pairs shown in the rich report (most similar first); 0 shows all."),
            click.option("--quiet/--no-quiet", "-q", default=False,
                         help="Print only the one-line summary (the report still goes to --output); "
                              "the exit code says the rest. Without it, a report written to --output is "
                              "followed by the summary and the skipped inputs on stderr."),
        ]

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return config_file_option(func)

    return decorate


def live_progress(output: str | None) -> bool:
    """Whether live progress may be drawn on stderr without drawing over the report: stderr is
    a terminal, and the report goes to that terminal too (``output`` None and stdout a
    terminal) or to a file. Piped (``dupefind scan . | less -R``), stderr is the terminal the
    pager has taken over: nothing is drawn. A device or a pipe named by ``output`` counts as
    a pipe (``-o /dev/stdout``)."""
    if not is_terminal(sys.stderr):
        return False
    return is_terminal(sys.stdout) if output is None else not special_file(output)


def is_terminal(stream: Any) -> bool:
    """Whether ``stream`` is a terminal itself (not a pipe, a file or a closed stream), whatever
    ``FORCE_COLOR`` or ``--color`` make rich believe."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # (closed, or not a real file)
        return False


def show_progress(*, fmt: str, output: str | None, quiet: bool) -> bool:
    """Whether a command that writes a report shows live progress: not ``quiet``, the report
    on the terminal (the rich one) or in a file, and :func:`live_progress`."""
    return not quiet and (fmt == "rich" or output is not None) and live_progress(output)


@contextmanager
def progress_bars(*, enabled: bool) -> Iterator[Progress | None]:
    """Live progress bars on stderr (documents read with docs/s and time left, then pairs
    verified), when ``enabled`` (see :func:`show_progress`) and stderr is a terminal."""
    console = stderr_console()
    if not enabled or not console.is_terminal:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.fields[count]}"), TimeRemainingColumn(elapsed_when_finished=True))
    with ProgressBars(*columns, console=console, transient=True) as bars:
        tasks: dict[str, TaskID] = {}
        started = time.perf_counter()

        def update(stage: str, items: int, done: int, total: int) -> None:
            if stage not in tasks:
                label = "reading and fingerprinting" if stage == "read" else "verifying and aligning"
                tasks[stage] = bars.add_task(label, total=total or None, count="")
            if stage == "read":
                rate = items / max(time.perf_counter() - started, 1e-9)
                count = f"{items:,} documents, {rate:,.0f} docs/s"
            else:
                count = f"{items:,} of {total:,} candidate pairs"
            bars.update(tasks[stage], completed=done, total=total or None, count=count)

        yield update


#: The report format a known extension of ``--output`` names (``.txt``: the rich report, as text).
FORMAT_OF_EXTENSION = {".html": "html", ".htm": "html", ".json": "json", ".jsonl": "jsonl", ".csv": "csv",
                       ".parquet": "parquet", ".txt": "rich"}
_FORMAT_NAMES = {"rich": "text", "html": "HTML", "json": "JSON", "jsonl": "JSONL", "csv": "CSV",
                 "parquet": "Parquet"}


def report_format(fmt: str, output: str | None) -> str:
    """The format the report is written in. ``--format`` given on the command line is kept;
    otherwise a known extension of ``output`` picks it (``-o report.html`` writes HTML, not
    terminal text), over a config file's ``format`` and the default. A ``--format`` given that
    contradicts the extension is refused (``--format rich -o report.html`` would write a page
    no browser reads, with exit 0); one written into a ``.txt`` file is a note on stderr."""
    named = FORMAT_OF_EXTENSION.get(os.path.splitext(output or "")[1].lower())
    if named is None or named == fmt:
        return fmt
    ctx = click.get_current_context()
    shown = shown_name(output or "")
    choices = _format_choices(ctx)
    if named not in choices:
        others = ", ".join(ext for ext, known in FORMAT_OF_EXTENSION.items() if known in choices and ext != ".htm")
        raise click.BadParameter(f"{shown} names a {_FORMAT_NAMES[named]} report, which {ctx.info_name} does not "
                                 f"write: name the file otherwise ({others})", param_hint="'--output'")
    if ctx.get_parameter_source("fmt") is not ParameterSource.COMMANDLINE:
        return named
    if named == "rich":
        click.echo(f"dupefind: note: {shown} will hold the {_FORMAT_NAMES[fmt]} report (--format {fmt})", err=True)
        return fmt
    raise click.BadParameter(f"--format {fmt} writes a {_FORMAT_NAMES[fmt]} report, but {shown} names a "
                             f"{_FORMAT_NAMES[named]} one: give --format {named}, or leave --format out (the "
                             "extension picks it), or name the file otherwise", param_hint="'--format'")


def _format_choices(ctx: click.Context) -> Sequence[str]:
    for param in ctx.command.params:
        if param.name == "fmt" and isinstance(param.type, click.Choice):
            return [str(choice) for choice in param.type.choices]
    return ()


def build_config(knobs: dict[str, Any]) -> Config:
    for name in ("include", "exclude"):
        if name in knobs:
            knobs[name] = tuple(knobs[name])
    try:
        return Config(**knobs)
    except ConfigError as error:
        option = "--" + error.field.replace("_", "-")
        raise click.BadParameter(error.problem + set_in(error.field), param_hint=f"'{option}'") from None


#: What :func:`~dupefind.sources.read_records` adds to the reason a pipe named as a path is skipped.
_PIPE_HINT = " (read JSONL from a pipe with '-')"


def read_one(path: str, *, max_bytes: int = 0, param_hint: str | None = None) -> str:
    """The one document a file holds (``compare``'s inputs): a JSONL or Parquet file of several
    records is refused, not read for its first one alone. ``param_hint`` names the argument
    in the messages (``'FILE_A'``), as click's own checks of it do."""
    found: str | None = None
    for item in read_records([path], max_bytes=max_bytes):
        if not isinstance(item, Record):
            reason = item.reason.removesuffix(_PIPE_HINT)  # (scan's hint: compare reads no '-')
            if reason.startswith("named pipe") or path == STDIN:
                reason += " (compare reads files, not pipes or standard input: save the text to a file)"
            raise click.BadParameter(f"{item.path}: {reason}", param_hint=param_hint)
        if found is not None:
            raise click.BadParameter(f"{shown_name(path)} holds more than one document (records of a JSONL or Parquet "
                                     "file): compare takes one document per file; scan the file to compare its records",
                                     param_hint=param_hint)
        found = item.text
    if found is None:
        raise click.BadParameter(f"{path}: no text", param_hint=param_hint)
    return found


def emit(text: str | Iterable[str], output: str | None) -> None:
    """Write the report (a string, or its pieces one after the other) to stdout or ``output``."""
    chunks = [text] if isinstance(text, str) else text
    if output is None:
        with writing_stdout():
            for chunk in chunks:
                click.echo(chunk, nl=False)
    else:
        write_report(output, chunks)


class _StdoutConsole(Console):
    """A console on stdout whose closed pipe is left to :func:`writing_stdout` (rich's own
    handling exits with code 1, whatever the scan found)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def stdout_console() -> Console:
    """The console the rich report goes to on stdout: the terminal's width, or 120 columns when
    piped (no terminal to fit) unless ``COLUMNS`` says otherwise; never narrower than
    :data:`NARROWEST` nor wider than :data:`WIDEST` (``COLUMNS=0`` drew nothing at all, and
    ``COLUMNS=100000`` padded a 70-document report to 425 MB). Coloured as ``--color`` says."""
    colours = _colours()
    console = _StdoutConsole(highlight=False, **colours)
    if not stdout_is_terminal() and "COLUMNS" not in os.environ:
        console = _StdoutConsole(highlight=False, width=120, **colours)
    elif not NARROWEST <= console.width <= WIDEST:
        console = _StdoutConsole(highlight=False, width=min(max(console.width, NARROWEST), WIDEST), **colours)
    return console


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal itself (``--color always`` makes a console act as one)."""
    return Console(force_terminal=None).is_terminal if _COLOR[0] == "auto" else sys.stdout.isatty()


#: ``--color``'s choice for this command (one process runs one command).
_COLOR = ["auto"]


def reset_color() -> None:
    _COLOR[0] = "auto"


def _chosen_color(ctx: click.Context, param: click.Parameter, value: str) -> str:
    _COLOR[0] = value
    return value


def _colours() -> dict[str, Any]:
    """The rich console options for ``--color``: ``always`` colours a pipe or a file too (for
    ``less -R``), ``never`` writes no escape code at all (no colour, bold or dim); ``auto`` leaves it to rich (a terminal, unless
    ``NO_COLOR``; ``FORCE_COLOR`` forces)."""
    if _COLOR[0] == "always":
        return {"force_terminal": True, "no_color": False}
    if _COLOR[0] == "never":
        return {"color_system": None, "no_color": True}  # no escape code at all: no bold, no dim either
    return {}


COLOR_OPTION = click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
    expose_value=False, callback=_chosen_color, is_eager=True,
    help="Colour the rich report: on a terminal (auto), always (also into a pipe or --output file, "
         "e.g. for less -R), or never (no escape code in the report, not even bold). Without colour the words that differ "
         "are marked [-old-] and {+new+}.")


def stderr_console() -> Console:
    """A console on stderr for what a command says beside its report (the summary, progress):
    coloured only on a terminal, and never under ``--color never`` (progress still moves the
    cursor: it is drawn only on a terminal)."""
    if _COLOR[0] == "never":
        return Console(stderr=True, highlight=False, color_system=None)
    return Console(stderr=True, highlight=False)


#: The narrowest and widest the terminal report is drawn.
NARROWEST, WIDEST = 40, 500


def emit_rich(view: RenderableType, output: str | None) -> None:
    if output is None:
        console = stdout_console()
        _tolerant_stdout()
        with writing_stdout():
            console.print(view)
        return
    console = file_console()
    console.print(view)
    write_report(output, export_text(console))


def file_console() -> Console:
    """A console that records the rich report for an ``--output`` file: 120 columns, coloured
    only under ``--color always`` (see :func:`export_text`)."""
    return Console(record=True, width=120, file=io.StringIO(), highlight=False, **_colours())


def export_text(console: Console) -> str:
    """What a recording console printed, for an ``--output`` file: plain text, or with its
    colours' escape codes under ``--color always``."""
    return console.export_text(styles=_COLOR[0] == "always")


def _tolerant_stdout() -> None:
    """On a terminal whose encoding is not UTF-8 (``LANG=C``, ``PYTHONIOENCODING=ascii``), a
    character it cannot show is written as an escape (``\\u2194``) instead of ending the run."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if encoding != "utf8" and reconfigure is not None:
        reconfigure(errors="backslashreplace")


@contextmanager
def writing_stdout() -> Iterator[None]:
    """Writing the report to stdout. A reader that stops early (``dupefind scan . | head``) ends
    the writing quietly: the scan is done and the exit code still says what it found. A write
    that fails (a full disk) is a clear error instead of a traceback."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
    except OSError as error:
        _drop_stdout()
        raise click.ClickException(f"cannot write the report to standard output: {why(error)}") from None


def _drop_stdout() -> None:
    """Point stdout at the null device, so that what is left in its buffer is not written (and
    does not fail again, with an "Exception ignored" message) when the interpreter exits."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return  # not a real file (a test runner's capture): nothing is flushed at exit
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


def _output_path(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--output``: ``-`` is standard output (as for the inputs), an empty name no file."""
    if value == "":
        raise click.BadParameter("an empty file name", ctx=ctx, param=param)
    return None if value == "-" else value


def check_stdin(paths: Sequence[str]) -> None:
    """Refuse, before the scan, ``-`` when the caller closed standard input (``<&-``, a daemon's):
    it would be read as an empty stream, and its records lost while the exit code said all went
    well (as a report for a closed stdout is refused)."""
    if STDIN in paths and "stdin" in CLOSED_STREAMS:
        raise click.ClickException("standard input is closed: '-' has nothing to read (give it the JSONL, "
                                   "or leave '-' out)")


def check_output(output: str | None, inputs: Sequence[str] = (), *, option: str = "'--output'",
                 report_on_stdout: bool = True) -> None:
    """Fail before scanning, not after, when the report could not be written, or would be
    written over one of the ``inputs`` (the files and folders given, an index). A report that
    goes to stdout (``report_on_stdout``, without ``output``) needs a stdout the caller did not
    close (``>&-``): what went there would be lost, and the exit code would not say so."""
    if output is None:
        if report_on_stdout and "stdout" in CLOSED_STREAMS:
            raise click.ClickException("standard output is closed: the report has nowhere to go (give --output FILE, "
                                   "or --quiet for the exit code alone)")
        return
    folder = os.path.dirname(os.path.abspath(written_path(output)))
    if not os.path.isdir(folder):
        raise click.BadParameter(f"folder {shown_name(folder)} does not exist", param_hint=option)
    if (given := _input_at(output, inputs)) is not None:
        raise click.BadParameter(f"{shown_name(output)} is one of the inputs ({shown_name(given)}): a report is never "
                                 "written over an input", param_hint=option)
    if special_file(output):
        return  # a device or a pipe (/dev/null): written straight into
    if (folder_read := _read_later(output, inputs)) is not None:
        click.echo(f"dupefind: note: {shown_name(output)} is inside {shown_name(folder_read)}, of a type a scan reads: "
                   f"a later scan of {shown_name(folder_read)} will read the report as a document (write it "
                   "elsewhere, or as .json, to keep it out)", err=True)
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".dupefind-", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        raise click.BadParameter(f"cannot write in {shown_name(folder)}: {why(error)}", param_hint=option) from None


def _input_at(output: str, inputs: Sequence[str]) -> str | None:
    """The input given that ``output`` is or holds: an existing file named among ``inputs``, or
    one of a type that is read inside a folder among them (a new file, a device, or a file
    a folder's scan ignores by its type, such as last run's ``report.json``, is no input)."""
    if not os.path.isfile(output):
        return None
    real = os.path.realpath(output)
    read = read_kind(real) is not None
    for given in inputs:
        if given == STDIN:
            continue
        target = os.path.realpath(given)
        if real == target:
            return given
        if read and os.path.isdir(target) and inside(real, target):
            return given
    return None


def _read_later(output: str, inputs: Sequence[str]) -> str | None:
    """The folder among ``inputs`` that holds ``output``, a new file of a type a folder's scan
    reads (``report.txt``), if any: the next scan of that folder reads it."""
    if os.path.exists(output) or read_kind(output) is None:
        return None
    real = os.path.realpath(output)
    for given in inputs:
        target = os.path.realpath(given) if given != STDIN else ""
        if target and os.path.isdir(target) and inside(real, target):
            return given
    return None


def write_report(path: str, text: str | Iterable[str]) -> None:
    """Write the report to ``path``: atomically for a file (no partial report is ever left,
    even on a full disk), straight into a device or a named pipe (``-o /dev/null``; a reader
    of the pipe that stops early ends the report quietly, as ``scan | head`` does)."""
    chunks = [text] if isinstance(text, str) else text
    if not special_file(path):
        write_atomically(path, chunks)
        return
    handle = None
    try:
        handle = open(path, "w", encoding="utf-8")  # noqa: SIM115  # closed below, also when its reader is gone
        handle.writelines(chunks)
        handle.close()
    except BrokenPipeError:
        with contextlib.suppress(OSError):
            handle.close()  # type: ignore[union-attr]  # (opened: opening a pipe breaks nothing)
    except OSError as error:
        raise click.ClickException(f"cannot write the report to {shown_name(path)}: {why(error)}") from None


def write_atomically(path: str, text: str | Iterable[str]) -> None:
    """Write a temporary file next to ``path`` and rename it over ``path``; on any failure the
    temporary file is removed and ``path`` is left as it was."""
    target = written_path(path)
    folder = os.path.dirname(os.path.abspath(target))
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".dupefind-", suffix=".tmp")
    except OSError as error:
        raise click.ClickException(f"cannot write the report to {shown_name(path)}: {why(error)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            ordinary_mode(temporary, target)  # mkstemp makes 0600
            handle.writelines([text] if isinstance(text, str) else text)
        os.replace(temporary, target)
    except OSError as error:
        _remove(temporary)
        raise click.ClickException(f"cannot write the report to {shown_name(path)}: {why(error)}") from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(path)


def exit_with(*, found: bool, skipped: bool, fail: bool) -> None:
    if found and fail:
        sys.exit(EXIT_DUPLICATES)
    sys.exit(EXIT_SKIPPED if skipped else EXIT_OK)


