"""Writing what ``scan`` found in the formats beyond JSON: rows of pairs (CSV, Parquet), the
HTML page a piece at a time, and the rich report part by part with a progress display when it
is long."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import click
from rich.console import Console, RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from ..config import Config
from ..errors import DupefindError
from ..files import ordinary_mode, special_file, written_path
from ..models import Report
from ..report.csv_report import report_csv_chunks, write_pairs_parquet
from ..report.html import report_html_chunks
from ..report.json_report import report_json_chunks, report_jsonl_chunks
from ..report.terminal import report_parts, summary_view, visible
from ..report.terminal_escape import visible_name
from ..walk import why
from .common import (
    _tolerant_stdout,
    emit,
    export_text,
    file_console,
    is_terminal,
    live_progress,
    stderr_console,
    stdout_console,
    write_report,
    writing_stdout,
)
from .config_option import config_sources

#: A rich report with at least this many pair views shows a progress display while it is drawn.
LONG_REPORT = 50


def need_output(fmt: str, output: str | None) -> None:
    """Parquet is binary: refuse it on stdout before scanning, not after."""
    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet writes a file: give it with --output FILE")


def write_parquet(report: Report, output: str) -> None:
    """The pairs as Parquet, written atomically (a temporary file beside it, renamed), or into
    a device or a pipe (copied from a temporary file: the Parquet writer seeks, and deletes the
    path it was given when it fails; a device or a pipe is never replaced or removed)."""
    special = special_file(output)
    written = written_path(output)
    folder = tempfile.gettempdir() if special else os.path.dirname(os.path.abspath(written))
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".dupefind-", suffix=".parquet")
    os.close(fd)
    try:
        write_pairs_parquet(report, temporary)
        if special:
            with open(temporary, "rb") as source, open(output, "wb") as target:
                shutil.copyfileobj(source, target)
        else:
            ordinary_mode(temporary, written)
            os.replace(temporary, written)
    except OSError as error:
        raise click.FileError(output, hint=why(error)) from None
    except DupefindError as error:
        raise click.ClickException(str(error)) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def emit_rich_parts(parts: Iterable[RenderableType], *, count: int, output: str | None) -> None:
    """The rich report, part after part; while a long one (``count`` pair views or more) is
    drawn, a progress display runs where it cannot draw over the report: on the terminal the
    report goes to, or on stderr for a file (:func:`live_progress`); never into a pipe."""
    shown = is_terminal(sys.stdout) if output is None else live_progress(output)
    drawing = count if shown else 0
    if output is not None:
        console = file_console()
        with _progress(stderr_console(), drawing) as advance:
            for part in parts:
                console.print(part)
                advance()
        write_report(output, export_text(console))
        return
    console = stdout_console()
    _tolerant_stdout()
    with writing_stdout(), _progress(console, drawing) as advance:
        for part in parts:
            console.print(part)
            advance()


@contextmanager
def _progress(console: Console, count: int) -> Iterator[Callable[[], None]]:
    """A transient "drawing the report" bar on ``console`` for a long report (otherwise nothing);
    gives the function that counts one part drawn."""
    if count < LONG_REPORT or not console.is_terminal:
        yield lambda: None
        return
    with Progress(SpinnerColumn(), TextColumn("drawing the report"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bars:
        task = bars.add_task("draw", total=count + 3)
        yield lambda: bars.advance(task)


def show_report(report: Report, *, fmt: str, output: str | None, max_passages: int, max_chars: int, top: int,
                quiet: bool, stored: Iterable[str] = ()) -> None:
    """The report in ``fmt`` on stdout or in ``output``, as every command that reports pairs
    writes it (``scan``, ``index check``, ``index pairs``). ``quiet`` leaves out the rich report
    on the terminal (a file named by ``output`` is still written) and prints the one-line
    summary instead, on stdout, or on stderr when stdout carries a machine report: a report
    in JSON, JSONL or CSV goes where it was asked to, quiet or not (a pipeline's ``-q``).
    ``stored``: the options an index keeps (``index check`` and ``pairs``), whose source, unless
    given on the command line or in a config file or left at their defaults, is the index."""
    sources = config_sources(click.get_current_context(), report.config)
    defaults = Config().as_dict()
    for field in stored:  # (an index's fingerprint options, not given again and not the defaults: the index's)
        if sources.get(field) == "default" and report.config.get(field) != defaults[field]:
            sources[field] = "index"
    if top and fmt != "rich":
        click.echo(f"dupefind: note: --top applies to the rich report only; the {fmt} report lists every pair",
                   err=True)
    if fmt == "parquet" and output is not None:
        write_parquet(report, output)
    elif fmt != "rich":
        emit(report_chunks(report, fmt, sources), output)
    elif output is not None or not quiet:
        shown = min(top or len(report.pairs), len(report.pairs)) if max_passages else 0
        emit_rich_parts(report_parts(report, max_passages=max_passages, max_chars=max_chars, top=top),
                        count=shown, output=output)
    if quiet:  # the summary alone: on stdout, unless a machine report is there
        say_summary(report, err=fmt != "rich" and output is None)
    elif output is not None:  # the report in a file: what it found, and what it could not read, said here
        say_summary(report, err=True)
        _say_skipped(report)
    elif fmt in PAIRS_ONLY:
        _say_skipped(report)


def say_summary(report: Report, *, err: bool) -> None:
    """The one-line summary on stderr (``err``) or stdout: one line however long, unless on a
    terminal (a log read by ``grep 'pairs in'`` gets it whole)."""
    view = summary_view(report)
    if err:
        console = stderr_console()
        console.print(view, soft_wrap=not is_terminal(sys.stderr))
        return
    console = stdout_console()
    _tolerant_stdout()
    with writing_stdout():
        console.print(view, soft_wrap=not is_terminal(sys.stdout))


#: Formats that hold the pairs alone: what was skipped, and why, is said on stderr instead.
PAIRS_ONLY = ("csv", "parquet")
#: Skipped inputs named on stderr beside a pairs-only report (then how many more).
SKIPS_SAID = 20


def _say_skipped(report: Report) -> None:
    """The skipped inputs on stderr, for a report that holds only pairs or goes to a file (the
    exit code 3 said that some were skipped, and nothing here said which)."""
    for skipped in report.skipped[:SKIPS_SAID]:
        click.echo(f"skipped {visible_name(skipped.path)}: {visible(skipped.reason)}", err=True)
    if len(report.skipped) > SKIPS_SAID:
        click.echo(f"... and {len(report.skipped) - SKIPS_SAID:,} more skipped (the JSON report lists them all)",
                   err=True)


def report_chunks(report: Report, fmt: str, sources: dict[str, str]) -> Iterator[str]:
    """The report in a text format, a piece at a time."""
    if fmt == "json":
        return report_json_chunks(report, config_sources=sources)
    if fmt == "jsonl":
        return report_jsonl_chunks(report, config_sources=sources)
    return report_html_chunks(report) if fmt == "html" else report_csv_chunks(report)
