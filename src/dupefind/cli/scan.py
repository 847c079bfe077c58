"""``dupefind scan``: files, folders and JSONL to a report of the copies among them."""

from __future__ import annotations

from typing import Any

import click

from ..config import Config
from ..jit import compiling_note
from ..models import Report
from ..pipeline import scan as scan_paths
from ..spark.session import BUCKET_CAP
from .common import (
    DEFAULT,
    build_config,
    check_output,
    check_stdin,
    config_options,
    exit_with,
    progress_bars,
    report_format,
    show_progress,
)
from .output import need_output, show_report


@click.command()
@click.argument("paths", nargs=-1, required=True)
@config_options(scan=True)
@click.option("--include", multiple=True, metavar="GLOB",
              help="Read only files whose path (relative to the folder) or name matches; repeatable.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out matching files and folders; repeatable.")
@click.option("--follow-symlinks/--no-follow-symlinks", default=DEFAULT.follow_symlinks,
              help="Follow symbolic links that lead out of a scanned folder.")
@click.option("--id-field", default=DEFAULT.id_field, show_default=True, help="JSONL field (Parquet column) holding the id.")
@click.option("--text-field", default=DEFAULT.text_field, show_default=True, help="JSONL field (Parquet column) holding the text.")
@click.option("--max-document-mb", type=int, default=DEFAULT.max_document_mb, show_default=True,
              help="Skip, unread, a file, JSONL line or Parquet row's text larger than this many MB (0: no limit).")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="Run the scan in local processes, or on Spark (needs the spark extra and Java).")
@click.option("--spark-master", default="local[*]", show_default=True, help="Spark master URL (--engine spark).")
@click.option("--spark-conf", multiple=True, metavar="KEY=VALUE",
              help="A Spark setting (spark.*) for --engine spark; repeatable.")
@click.option("--spark-bucket-cap", type=click.IntRange(min=0), default=BUCKET_CAP, show_default=True,
              help="--engine spark: LSH buckets with more documents are left out (and counted in the report); 0: no cap.")
def scan(paths: tuple[str, ...], fmt: str, output: str | None, max_passages: int, max_chars: int,
         fail_on_duplicates: bool, top: int, quiet: bool, engine: str, spark_master: str,
         spark_conf: tuple[str, ...], spark_bucket_cap: int, **knobs: Any) -> None:
    """Scan files and folders (recursively) for copies; '-' reads JSONL from stdin.

    Reads .txt, .md, .rst, .html/.htm (visible article text), .jsonl (one document per line),
    .parquet (one per row) and files without extension that hold text. Other files found in a
    folder are ignored by type (listed, not an error); special files, link loops, dangling links
    and unreadable inputs are skipped with their reason (exit 3).
    """
    config = build_config(knobs)
    fmt = report_format(fmt, output)
    check_output(output, paths, report_on_stdout=fmt != "rich" or not quiet)
    check_stdin(paths)
    need_output(fmt, output)
    if (note := compiling_note()) is not None:
        click.echo(f"dupefind: {note}", err=True)
    if engine == "spark":
        report = _scan_on_spark(list(paths), config, master=spark_master, conf=_settings(spark_conf),
                                bucket_cap=spark_bucket_cap)
    else:
        with progress_bars(enabled=show_progress(fmt=fmt, output=output, quiet=quiet)) as progress:
            report = scan_paths(list(paths), config, progress=progress)
    show_report(report, fmt=fmt, output=output, max_passages=max_passages, max_chars=max_chars, top=top,
                quiet=quiet)
    exit_with(found=bool(report.pairs), skipped=bool(report.skipped), fail=fail_on_duplicates)


def _settings(pairs: tuple[str, ...]) -> dict[str, str]:
    settings = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key.startswith("spark."):
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE with a spark.* key", param_hint="'--spark-conf'")
        settings[key.strip()] = value.strip()
    return settings


def _scan_on_spark(paths: list[str], config: Config, *, master: str, conf: dict[str, str], bucket_cap: int) -> Report:
    from ..spark.engine import scan_paths as scan_on_spark  # pyspark is loaded only for this engine
    from ..spark.session import running_session

    with running_session(master=master, conf=conf, quiet=True) as spark:
        return scan_on_spark(spark, paths, config, bucket_cap=bucket_cap)
