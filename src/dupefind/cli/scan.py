"""``dupefind scan``: files, folders and JSONL to a report of the copies among them."""

from __future__ import annotations

from typing import Any

import click

from ..jit import compiling_note
from ..pipeline import scan as scan_paths
from ..report.html import report_html
from ..report.json_report import report_json_chunks, report_jsonl_chunks
from ..report.terminal import report_view
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
         fail_on_duplicates: bool, **knobs: Any) -> None:
    """Scan files and folders (recursively) for copies; '-' reads JSONL from stdin.

    Reads .txt, .md, .html/.htm (visible article text) and .jsonl (one document per line).
    """
    config = build_config(knobs)
    check_output(output)
    if (note := compiling_note()) is not None:
        click.echo(f"dupefind: {note}", err=True)
    with progress_bars(enabled=fmt == "rich") as progress:
        report = scan_paths(list(paths), config, progress=progress)
    if fmt == "json":
        emit(report_json_chunks(report), output)
    elif fmt == "jsonl":
        emit(report_jsonl_chunks(report), output)
    elif fmt == "html":
        emit(report_html(report), output)
    else:
        emit_rich(report_view(report, max_passages=max_passages, max_chars=max_chars), output)
    exit_with(found=bool(report.pairs), skipped=bool(report.skipped), fail=fail_on_duplicates)


