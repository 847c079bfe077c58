"""``dupefind compare``: one pair of files, with its full alignment."""

from __future__ import annotations

import json
from typing import Any

import click

from ..jit import compiling_note
from ..models import Report
from ..pipeline import compare as compare_texts
from ..report import pair_dict
from ..report.html import report_html
from ..report.terminal import pair_view
from .common import (
    build_config,
    check_output,
    config_options,
    emit,
    emit_rich,
    exit_with,
    read_one,
)


@click.command()
@click.argument("file_a", type=click.Path(dir_okay=False))
@click.argument("file_b", type=click.Path(dir_okay=False))
@config_options
def compare(file_a: str, file_b: str, fmt: str, output: str | None, max_passages: int | None,
            max_chars: int, fail_on_duplicates: bool, **knobs: Any) -> None:
    """Compare two files (.txt, .md, .html) and show their full alignment."""
    config = build_config(knobs)
    check_output(output)
    if (note := compiling_note()) is not None:
        click.echo(f"dupefind: {note}", err=True)
    texts = [read_one(path) for path in (file_a, file_b)]
    pair = compare_texts(texts[0], texts[1], config, id_a=file_a, id_b=file_b)
    if fmt in ("json", "jsonl"):
        indent = 2 if fmt == "json" else None
        emit(json.dumps(pair_dict(pair), ensure_ascii=False, indent=indent) + "\n", output)
    elif fmt == "html":
        single = Report(config=config.as_dict(), documents=(), pairs=(pair,),
                        clusters=((pair.a, pair.b),) if pair.duplicate else (), skipped=())
        emit(report_html(single), output)
    else:
        emit_rich(pair_view(pair, max_passages=max_passages or 0, max_chars=max_chars), output)
    exit_with(found=pair.duplicate, skipped=False, fail=fail_on_duplicates)


