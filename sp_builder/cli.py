"""The command line: parse options, call one library function, print, choose an exit code.

No domain logic lives here. Every command runs inside `_guard`, the one place that turns an
unexpected exception into a short Indonesian message (a traceback only with --debug).
"""

from __future__ import annotations

import functools
import sys
import traceback

import click

from sp_builder import __version__
from sp_builder.errors import ExitCode, InputError, UserError


def _guard(func):
    """Run a command body; map library exceptions to messages and exit codes."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            code = func(*args, **kwargs)
        except InputError as exc:
            for issue in exc.issues:
                click.echo(issue.format(), err=True)
            code = ExitCode.INPUT_ERROR
        except UserError as exc:
            click.echo(f"galat: {exc}", err=True)
            code = exc.code
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # the single place an unexpected error becomes a message
            if debug:
                traceback.print_exc()
            click.echo(
                f"galat internal: {type(exc).__name__}: {exc}\n"
                "Ini kesalahan sp-builder, bukan kesalahan Anda. Jalankan ulang dengan --debug "
                "dan laporkan keluarannya.",
                err=True,
            )
            code = ExitCode.INPUT_ERROR
        sys.exit(int(code or ExitCode.OK))

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Tampilkan traceback lengkap bila terjadi galat internal.")
@click.version_option(__version__, prog_name="sp-builder", message="%(prog)s %(version)s")
def main(debug: bool) -> None:
    """sp-builder: Standar Pelayanan dari YAML sampai dokumen, SKM, dan penilaian mandiri PEKPPP."""
