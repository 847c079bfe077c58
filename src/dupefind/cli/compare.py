"""``dupefind compare``: one pair of files, with its full alignment."""

from __future__ import annotations

import json
from typing import Any

import click

from ..jit import compiling_note
from ..pipeline import compare as compare_texts
from ..report import pair_dict
from ..report.html import pair_html
from ..report.terminal import pair_view
from ..walk import shown_name
from .common import (
    DEFAULT,
    build_config,
    check_output,
    config_options,
    emit,
    emit_rich,
    exit_with,
    read_one,
    report_format,
)


@click.command(short_help="Compare two files and show their full alignment.")
@click.argument("file_a", type=click.Path(dir_okay=False))
@click.argument("file_b", type=click.Path(dir_okay=False))
@config_options(scan=False)
@click.option("--max-document-mb", type=int, default=DEFAULT.max_document_mb, show_default=True,
              help="Refuse, unread, a file larger than this many MB (0: no limit).")
def compare(file_a: str, file_b: str, fmt: str, output: str | None, max_passages: int,
            max_chars: int, fail_on_duplicates: bool, **knobs: Any) -> None:
    """Compare two files (.txt, .md, .rst, .html, .htm, a file without extension that holds
    text, or a JSONL or Parquet file of one record) and show their full alignment.

    Exit codes: 0 compared (copies or not, unless --fail-on-duplicates), 1 the two files are
    copies and --fail-on-duplicates was given, 2 usage error or a file that cannot be read.
    """
    config = build_config(knobs)
    fmt = report_format(fmt, output)
    check_output(output, (file_a, file_b))
    if (note := compiling_note()) is not None:
        click.echo(f"dupefind: {note}", err=True)
    texts = [read_one(path, max_bytes=config.max_document_bytes, param_hint=hint)
             for path, hint in ((file_a, "'FILE_A'"), (file_b, "'FILE_B'"))]
    pair = compare_texts(texts[0], texts[1], config, id_a=shown_name(file_a),
                        id_b=shown_name(file_b))
    if fmt in ("json", "jsonl"):
        indent = 2 if fmt == "json" else None
        emit(json.dumps(pair_dict(pair), ensure_ascii=False, indent=indent) + "\n", output)
    elif fmt == "html":
        emit(pair_html(pair, config=config.report_dict()), output)
    else:
        emit_rich(pair_view(pair, max_passages=max_passages, max_chars=max_chars), output)
    exit_with(found=pair.duplicate, skipped=False, fail=fail_on_duplicates)


