"""The command line: parse options, build a Config, call the library, pick an exit code.

One module per command (:mod:`.scan`, :mod:`.compare`); what they share is in :mod:`.common`.
Library errors are turned into messages and exit codes here, in one place (:func:`main`).
"""

from __future__ import annotations

import os
import sys

import click

from .. import __version__
from ..console import interrupted
from ..errors import DupefindError
from ..parallel import open_standard_streams
from ..report.terminal import visible
from .common import EXIT_DUPLICATES, EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, reset_color
from .compare import compare
from .dedup import dedup
from .index import index
from .scan import scan

__all__ = ["EXIT_DUPLICATES", "EXIT_OK", "EXIT_SKIPPED", "EXIT_USAGE", "cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dupefind")
def cli() -> None:
    """Find near-duplicate articles, including spun, reordered and partial copies.

    Exit codes: 0 finished, 1 duplicates found with --fail-on-duplicates,
    2 usage error, nothing to scan (the message says why) or the report could
    not be written, 3 finished but some inputs could not be read (files a
    folder holds of a type dupefind does not read are ignored, not skipped),
    130 interrupted (Ctrl-C; 143 SIGTERM, 129 SIGHUP).
    """
    reset_color()  # (a program may run several commands in one process, as the tests do)


cli.add_command(scan)
cli.add_command(compare)
cli.add_command(dedup)
cli.add_command(index)


def main() -> None:
    """Console entry point: the one place library errors become messages and exit codes."""
    open_standard_streams()
    try:
        code = cli.main(standalone_mode=False)  # --help and --version return their code
        sys.exit(code if isinstance(code, int) else EXIT_OK)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.message = visible(error.message)  # a path may hold control characters
        error.show()
        sys.exit(EXIT_USAGE)
    except click.Abort:  # Ctrl-C while a command ran (click turns it into Abort)
        interrupted(line_begun=False)
    except DupefindError as error:
        click.echo(f"Error: {visible(str(error))}", err=True)
        sys.exit(EXIT_USAGE)
    except BrokenPipeError:
        # The reader stopped early (`dupefind scan . | head`): not an error of the scan.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)


