"""``dupefind scan``: files, folders and JSONL to a report of the copies among them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

from ..jit import compiling_note
from ..models import Report
from ..pipeline import scan as scan_paths
from ..report.csv_report import report_csv_chunks
from ..report.html import report_html_chunks
from ..report.json_report import report_json_chunks, report_jsonl_chunks
from ..report.terminal import report_parts, summary_view
from .common import (
    DEFAULT,
    build_config,
    check_output,
    config_options,
    emit,
    emit_rich,
    exit_with,
    progress_bars,
)
from .config_option import config_sources
from .output import emit_rich_parts, need_output, write_parquet


@click.command()
@click.argument("paths", nargs=-1, required=True)
@config_options(scan=True)
@click.option("--include", multiple=True, metavar="GLOB",
              help="Read only files whose path (relative to the folder) or name matches; repeatable.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out matching files and folders; repeatable.")
@click.option("--follow-symlinks", is_flag=True, default=DEFAULT.follow_symlinks,
              help="Follow symbolic links that lead out of a scanned folder.")
@click.option("--id-field", default=DEFAULT.id_field, show_default=True, help="JSONL field holding the id.")
@click.option("--text-field", default=DEFAULT.text_field, show_default=True, help="JSONL field holding the text.")
def scan(paths: tuple[str, ...], fmt: str, output: str | None, max_passages: int, max_chars: int,
         fail_on_duplicates: bool, top: int, quiet: bool, **knobs: Any) -> None:
    """Scan files and folders (recursively) for copies; '-' reads JSONL from stdin.

    Reads .txt, .md, .rst, .html/.htm (visible article text), .jsonl (one document per line),
    .parquet (one per row) and files without extension that hold text. Other files found in a
    folder are ignored by type (listed, not an error); special files, link loops, dangling links
    and unreadable inputs are skipped with their reason (exit 3).
    """
    config = build_config(knobs)
    check_output(output)
    need_output(fmt, output)
    if (note := compiling_note()) is not None:
        click.echo(f"dupefind: {note}", err=True)
    with progress_bars(enabled=fmt == "rich" and not quiet) as progress:
        report = scan_paths(list(paths), config, progress=progress)
    sources = config_sources(click.get_current_context(), report.config)
    if fmt == "parquet" and output is not None:
        write_parquet(report, output)
    elif fmt != "rich":
        if output is not None or not quiet:
            emit(_chunks(report, fmt, sources), output)
    elif output is not None or not quiet:
        shown = min(top or len(report.pairs), len(report.pairs)) if max_passages else 0
        emit_rich_parts(report_parts(report, max_passages=max_passages, max_chars=max_chars, top=top),
                        count=shown, output=output)
    if quiet:
        emit_rich(summary_view(report), None)
    exit_with(found=bool(report.pairs), skipped=bool(report.skipped), fail=fail_on_duplicates)




def _chunks(report: Report, fmt: str, sources: dict[str, str]) -> Iterator[str]:
    """The report in a text format, a piece at a time."""
    if fmt == "json":
        return report_json_chunks(report, config_sources=sources)
    if fmt == "jsonl":
        return report_jsonl_chunks(report, config_sources=sources)
    return report_html_chunks(report) if fmt == "html" else report_csv_chunks(report)
