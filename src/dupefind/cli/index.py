"""``dupefind index``: keep an index file of documents; add to it, check new documents against it.

The options that shape fingerprints are fixed when the index is made; later commands take the
index's, and refuse a different one naming it. Every other option applies to the one command.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from ..errors import IndexConfigError
from ..index import BESIDE, FINGERPRINT_OPTIONS, Index
from ..jit import compiling_note
from ..report.terminal import counted, visible
from .common import (
    DEFAULT,
    EXIT_OK,
    EXIT_SKIPPED,
    build_config,
    check_output,
    check_stdin,
    config_options,
    exit_with,
    progress_bars,
    report_format,
    show_progress,
    writing_stdout,
)
from .config_option import config_file_option, set_in
from .output import need_output, show_report

F = TypeVar("F", bound=Callable[..., Any])


def input_options(func: F) -> F:
    """How inputs are read (as ``scan`` reads them)."""
    options = [
        click.option("--include", multiple=True, metavar="GLOB",
                     help="Read only files whose path (relative to the folder) or name matches; repeatable."),
        click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out matching files and folders; repeatable."),
        click.option("--follow-symlinks/--no-follow-symlinks", default=DEFAULT.follow_symlinks,
                     help="Follow symbolic links that lead out of a read folder."),
        click.option("--id-field", default=DEFAULT.id_field, show_default=True, help="JSONL field (Parquet column) holding the id."),
        click.option("--text-field", default=DEFAULT.text_field, show_default=True,
                     help="JSONL field (Parquet column) holding the text."),
        click.option("--max-document-mb", type=int, default=DEFAULT.max_document_mb, show_default=True,
                     help="Skip, unread, a file, JSONL line or Parquet row's text larger than this many MB (0: no limit)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group()
def index() -> None:
    """Keep an index of documents (one SQLite file): add to it, check new documents against it."""


def open_index(path: str, knobs: dict[str, Any], *, create: bool = False, keep_texts: bool | None = None) -> Index:
    """The index at ``path`` with the options given on the command line; the fingerprint
    options not given are the index's."""
    context = click.get_current_context()
    given = {name for name in knobs if context.get_parameter_source(name) != ParameterSource.DEFAULT}
    if os.path.isfile(path) and os.path.getsize(path) > 0:
        with Index(path, create=False) as existing:
            stored = existing.config.as_dict()
        knobs.update({name: stored[name] for name in FINGERPRINT_OPTIONS if name in knobs and name not in given})
    config = build_config(knobs)
    if (note := compiling_note()) is not None:
        click.echo(f"dupefind: {note}", err=True)
    try:
        return Index(path, config, create=create, keep_texts=keep_texts)
    except IndexConfigError as error:
        if error.field == "keep_texts":  # (the library's keep_texts is this option's opposite)
            raise click.BadParameter(f"the index {path} stores its documents' texts; whether it keeps only where "
                                     "they are is chosen when an index is made (make another index for that)",
                                     param_hint="'--locations-only'") from None
        raise click.BadParameter(error.problem + set_in(error.field),
                                 param_hint=f"'--{error.field.replace('_', '-')}'") from None


@index.command()
@click.argument("index_path", metavar="INDEX")
@click.argument("paths", nargs=-1, required=True)
@click.option("--replace/--no-replace", "replace_changed", default=False,
              help="Replace a document whose id is already indexed with another text (otherwise it is skipped).")
@click.option("--locations-only/--no-locations-only", default=False,
              help="When making the index: keep only where each text was read, not the text (re-read at check time).")
@click.option("--scheme", type=click.Choice(["stopwords", "words", "chars"]), default=DEFAULT.scheme,
              show_default=True, help="Shingles (fixed when the index is made).")
@click.option("--ngram", type=int, default=None, help="Shingle length (fixed when the index is made).")
@click.option("--num-perm", type=int, default=DEFAULT.num_perm, show_default=True,
              help="MinHash permutations (fixed when the index is made).")
@click.option("--seed", type=int, default=DEFAULT.seed, show_default=True, help="MinHash seed (fixed).")
@click.option("--lsh-threshold", type=float, default=DEFAULT.lsh_threshold, show_default=True,
              help="Jaccard level of the LSH bands (fixed when the index is made).")
@click.option("--min-words", type=int, default=DEFAULT.min_words, show_default=True,
              help="Texts with fewer words are short (fixed when the index is made).")
@click.option("--boilerplate-min-docs", type=int, default=DEFAULT.boilerplate_min_docs, show_default=True,
              help="A line or sentence in at least this many documents is boilerplate (fixed when the index is made).")
@click.option("--jobs", "-j", type=int, default=DEFAULT.jobs, show_default=True,
              help="Processes for reading and fingerprinting; 0 uses every core.")
@click.option("--quiet/--no-quiet", "-q", default=False,
              help="Print only the one-line summary (no progress, no line per skipped input); the exit code says the rest.")
@input_options
@config_file_option
def add(index_path: str, paths: tuple[str, ...], replace_changed: bool, locations_only: bool, quiet: bool,
        **knobs: Any) -> None:
    """Add the documents under PATH... to INDEX (made when missing); '-' reads JSONL from stdin."""
    check_stdin(paths)
    with open_index(index_path, knobs, create=True, keep_texts=False if locations_only else None) as store, \
            progress_bars(enabled=not quiet) as progress:
        done = store.add(list(paths), replace_changed=replace_changed, progress=progress)
    for skipped in done.skipped if not quiet else ():
        click.echo(f"skipped {visible(skipped.path)}: {visible(skipped.reason)}", err=True)
    with writing_stdout():  # (a reader gone early, `| head -0`: the exit code still says how the add went)
        click.echo(f"dupefind index: {done.added:,} added, {done.replaced:,} replaced, {done.unchanged:,} already "
                   f"there, {len(done.skipped):,} skipped{f', {len(done.ignored):,} ignored by type' if done.ignored else ''} "
                   f"in {done.seconds:.1f} s; {index_path} holds {counted(done.documents, 'document')}")
    sys.exit(EXIT_SKIPPED if done.skipped else EXIT_OK)


def _not_beside(output: str | None, index_path: str) -> None:
    """Refuse an ``output`` that is one of the files SQLite keeps beside the index, whether or
    not it exists yet: a report written there is lost the next time the index opens, or takes
    the index's last batches with it."""
    if output is None or output == "-":
        return
    written = os.path.realpath(output)
    for suffix in BESIDE:
        if written == os.path.realpath(index_path + suffix):
            raise click.BadParameter(f"{output} is the index's {suffix} file, part of it: a report is never written "
                                     "over the index", param_hint="'--output'")


@index.command()
@click.argument("index_path", metavar="INDEX")
@click.argument("paths", nargs=-1, required=True)
@config_options(scan=True)
@input_options
def check(index_path: str, paths: tuple[str, ...], fmt: str, output: str | None, max_passages: int,
          max_chars: int, fail_on_duplicates: bool, top: int, quiet: bool, **knobs: Any) -> None:
    """Report the copies between the documents under PATH... and those in INDEX, and among the
    new ones, as `scan` reports them; adds nothing. '-' reads JSONL from stdin."""
    fmt = report_format(fmt, output)
    check_output(output, (index_path, *paths), report_on_stdout=fmt != "rich" or not quiet)
    _not_beside(output, index_path)
    check_stdin(paths)
    need_output(fmt, output)
    with open_index(index_path, knobs) as store, progress_bars(enabled=show_progress(fmt=fmt, output=output, quiet=quiet)) as progress:
        report = store.check(list(paths), progress=progress)
    show_report(report, fmt=fmt, output=output, max_passages=max_passages, max_chars=max_chars, top=top, quiet=quiet,
                stored=FINGERPRINT_OPTIONS)
    exit_with(found=bool(report.pairs), skipped=bool(report.skipped), fail=fail_on_duplicates)


@index.command()
@click.argument("index_path", metavar="INDEX")
@config_options(scan=True)
def pairs(index_path: str, fmt: str, output: str | None, max_passages: int, max_chars: int,
          fail_on_duplicates: bool, top: int, quiet: bool, **knobs: Any) -> None:
    """Report every pair inside INDEX: the report of a scan of all its documents."""
    fmt = report_format(fmt, output)
    check_output(output, (index_path,), report_on_stdout=fmt != "rich" or not quiet)
    _not_beside(output, index_path)
    need_output(fmt, output)
    with open_index(index_path, knobs) as store, progress_bars(enabled=show_progress(fmt=fmt, output=output, quiet=quiet)) as progress:
        report = store.pairs(progress=progress)
    show_report(report, fmt=fmt, output=output, max_passages=max_passages, max_chars=max_chars, top=top, quiet=quiet,
                stored=FINGERPRINT_OPTIONS)
    exit_with(found=bool(report.pairs), skipped=bool(report.skipped), fail=fail_on_duplicates)


@index.command()
@click.argument("index_path", metavar="INDEX")
@click.argument("ids", nargs=-1, required=True)
def remove(index_path: str, ids: tuple[str, ...]) -> None:
    """Remove the documents with these ids from INDEX."""
    with Index(index_path, create=False) as store:
        done = store.remove(list(ids))
    for missing in done.missing:
        click.echo(f"not in the index: {visible(missing)}", err=True)
    with writing_stdout():
        click.echo(f"dupefind index: {len(done.removed):,} removed, {len(done.missing):,} not found")
    sys.exit(EXIT_SKIPPED if done.missing else EXIT_OK)


@index.command()
@click.argument("index_path", metavar="INDEX")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text (one fact a line) or json.")
def info(index_path: str, fmt: str) -> None:
    """Show what INDEX holds: documents, size, configuration, schema version."""
    with Index(index_path, create=False) as store:
        facts = store.info()
    data = {"path": facts.path, "documents": facts.documents, "short_documents": facts.short_documents,
            "batches": facts.batches, "segment_keys": facts.segment_keys, "bytes": facts.bytes,
            "schema_version": facts.schema_version, "texts": "stored" if facts.texts else "locations only",
            "created_by": facts.created_by, "config": facts.config}
    with writing_stdout():
        if fmt == "json":
            click.echo(json.dumps(data, indent=2))
            return
        for key, value in data.items():
            shown = " ".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else value
            click.echo(f"{key:16} {shown}")
