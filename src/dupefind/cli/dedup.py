"""``dupefind dedup``: keep one record per group of copies, write the kept (and the removed) as JSONL."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import click

from ..config import Config
from ..dedup_output import OUTPUT_FORMATS
from ..dedup_output import dedup as run_dedup
from ..dedup_plan import KEEP_RULES, Removal
from ..files import same_file
from ..report.json_report import report_json_chunks
from ..report.terminal import counted
from ..report.terminal_escape import visible_name
from .common import (
    EXIT_OK,
    EXIT_SKIPPED,
    build_config,
    check_output,
    check_stdin,
    emit,
    live_progress,
    progress_bars,
)
from .config_option import config_file_option, config_sources
from .scan import scan as scan_command

_FIELDS = {field.name for field in dataclasses.fields(Config)}


def _scan_settings() -> list[click.Parameter]:
    """The scan's options that make its :class:`Config` (the same declarations, shared)."""
    return [p for p in scan_command.params if isinstance(p, click.Option) and p.name in _FIELDS]


def _dedup(paths: tuple[str, ...], output: str, removed: str | None, keep: str, report: str | None, quiet: bool,
           output_format: str | None, **knobs: Any) -> None:
    """Keep one record of each group of copies: a record is removed only when it is mostly
    inside a kept one (two articles that share a quote are both kept). The kept records go to
    -o FILE, the removed ones (each with duplicate_of, the kept id, and the pair that ties it
    to its group) to --removed FILE, as JSONL, or as Parquet with the input's schema (a file
    named *.parquet, or --output-format parquet); records are passed through as they came."""
    config = build_config(knobs)
    check_stdin(paths)
    if [output, removed, report].count("-") > 1:
        raise click.UsageError("only one of --output, --removed and --report can go to stdout ('-')")
    if "-" in (output, removed, report):
        check_output(None, paths)  # (a closed stdout refused before the scan)
    if report not in (None, "-"):  # checked before scanning, as scan's --output is
        check_output(report, paths, option="'--report'")
        if same_file(report, output) or (removed is not None and same_file(report, removed)):
            raise click.BadParameter("the report cannot go to the kept or removed records' file",
                                     param_hint="'--report'")
    with progress_bars(enabled=not quiet and live_progress(None if "-" in (output, removed, report) else output)) as progress:
        result = run_dedup(list(paths), output=output, removed=removed, keep=keep,  # type: ignore[arg-type]  # a click.Choice of KEEP_RULES
                           config=config, progress=progress, output_format=output_format)  # type: ignore[arg-type]  # a click.Choice of OUTPUT_FORMATS
    if report is not None:
        sources = config_sources(click.get_current_context(), result.report.config)
        emit(report_json_chunks(result.report, dedup=result.plan, config_sources=sources),
             None if report == "-" else report)
    if not quiet:
        plan, scanned = result.plan, result.report
        click.echo(f"dupefind dedup: {counted(len(scanned.documents), 'document')}, kept {len(plan.kept)}, removed "
                   f"{len(plan.removed)} (copies in {counted(len(scanned.clusters), 'cluster')}, rule {plan.rule}), "
                   f"{len(scanned.skipped)} skipped", err=True)
        for line in removal_lines(plan.removed):
            click.echo(line, err=True)
    raise SystemExit(EXIT_SKIPPED if result.report.skipped else EXIT_OK)


#: Removed records named on stderr, for people (``--removed`` lists them all, with the figures).
SHOWN_REMOVALS = 20


def removal_lines(removed: Sequence[Removal]) -> list[str]:
    """What was removed and why, a line each (the first :data:`SHOWN_REMOVALS`)."""
    lines = [f"  removed {visible_name(r.id)}: a copy of {visible_name(r.duplicate_of)}"
             + (f" (through {visible_name(r.matched)})" if r.matched != r.duplicate_of else "")
             + f", {' + '.join(r.kinds) or 'copy'}, {r.containment:.0%} contained" for r in removed[:SHOWN_REMOVALS]]
    if len(removed) > SHOWN_REMOVALS:
        lines.append(f"  … {len(removed) - SHOWN_REMOVALS} more: --removed FILE lists every one")
    return lines


dedup = click.Command(
    "dedup", callback=_dedup, help=_dedup.__doc__,
    short_help="Keep one record per group of copies (JSONL or Parquet out).",
    params=[
        click.Argument(["paths"], nargs=-1, required=True),
        click.Option(["--output", "-o"], type=click.Path(dir_okay=False, allow_dash=True), required=True,
                     help="Write the kept records (JSONL, or Parquet for a *.parquet name) to this file "
                          "(atomically; '-': stdout)."),
        click.Option(["--removed"], type=click.Path(dir_okay=False, allow_dash=True), default=None,
                     help="Write the removed records (with duplicate_of) to this file ('-': stdout)."),
        click.Option(["--output-format"], type=click.Choice(OUTPUT_FORMATS), default=None,
                     help="Write both files as jsonl or parquet (Parquet inputs only: their schema is kept) "
                          "[default: by each file's extension, .parquet or else jsonl]."),
        click.Option(["--keep"], type=click.Choice(KEEP_RULES), default="first", show_default=True,
                     help="Which record of a group is kept: first (input order), longest, shortest, or "
                          "oldest-id (the id that sorts first, numbers as numbers)."),
        click.Option(["--report"], type=click.Path(dir_okay=False, allow_dash=True), default=None,
                     help="Also write the JSON report, with the keep/drop listing, to this file ('-': stdout)."),
        click.Option(["--quiet/--no-quiet", "-q"], default=False,
                     help="Print nothing but errors (the exit code still says how it went)."),
        *_scan_settings(),
    ],
)
config_file_option(dedup)
