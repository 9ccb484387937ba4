"""``kvsupport import`` and ``kvsupport export``: sessions as CSV or JSON, and from TeamViewer's log.

``import`` is a group of two: ``import file FILE|-`` (rows of CSV or JSON) and
``import teamviewer FILE`` (a connection log). ``import FILE`` is still the first:
:class:`ImportGroup` takes a first word that names no subcommand for a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kvsupport.cli.options import ClientOpt, ItemFormat, ItemFormatOpt, OutputOpt, env_of
from kvsupport.cli.output import destination, say, stream_batches
from kvsupport.cli.parse import month
from kvsupport.core.readable import quoted
from kvsupport.errors import InvalidValue
from kvsupport.i18n import _, ngettext
from kvsupport.ops import transfer


class ImportGroup(TyperGroup):
    """A group whose first word, when it is no subcommand's name, is the file of the
    default subcommand: ``import november.csv`` runs ``import file november.csv``, as
    ``import FILE`` always did. A file named like a subcommand: ``./teamviewer``."""

    default = "file"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Put the default subcommand's name before a first word that names none."""
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default, *args]
        return super().parse_args(ctx, args)


import_app = typer.Typer(
    cls=ImportGroup,
    add_completion=False,
    no_args_is_help=True,
    subcommand_metavar="FILE|- | teamviewer FILE",
)
export_app = typer.Typer(add_completion=False, help="Export sessions as CSV or JSON.")
commands = {"import": import_app, "export": export_app}


@import_app.callback()
def import_group() -> None:
    """Import sessions: CSV or JSON rows, or TeamViewer's connection log.

    'kvsupport import FILE|-' is 'kvsupport import file FILE|-' (rows of CSV or JSON);
    'kvsupport import teamviewer FILE' reads TeamViewer's connection log.
    """


FileFormat = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="csv, json or xlsx (default: from the file name, else csv).",
        show_default=False,
    ),
]


@import_app.command("file")
def import_sessions(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="A file, or - for stdin.")],
    fmt: FileFormat = None,
    allow_long: Annotated[
        bool, typer.Option("--allow-long", help="Accept segments longer than session.max_hours.")
    ] = False,
) -> None:
    """Import sessions from CSV, JSON or .xlsx rows ('import FILE' is the same), all or nothing.

    The columns are those export writes. Every row is checked first and nothing is
    stored if one is bad.

    Example: kvsupport import november.xlsx  (the same as: kvsupport import file november.xlsx)
    """
    env = env_of(ctx)
    chosen = fmt or next((kind for kind in ("json", "xlsx") if file.lower().endswith(f".{kind}")), "csv")
    if chosen not in ("csv", "json", "xlsx"):
        raise InvalidValue(_("--format {value}: use csv, json or xlsx").format(value=quoted(chosen)))
    if not file.strip():
        raise InvalidValue(_("FILE is empty"), hint=_("give a file, or - for standard input"))
    source = "stdin" if file == "-" else file

    def read() -> str | bytes:
        from kvsupport.storage.reading import (
            MAX_IMPORT_BYTES,
            NotUtf8,
            decode_utf8,
            read_capped,
            read_stdin_capped,
        )

        try:
            raw = (
                read_stdin_capped(MAX_IMPORT_BYTES)
                if file == "-"
                else read_capped(Path(file), MAX_IMPORT_BYTES)
            )
        except OSError as exc:
            raise InvalidValue(
                _("cannot read {file}: {reason}").format(file=source, reason=exc.strerror or exc)
            ) from None
        if chosen == "xlsx":
            return raw  # a workbook is a zip: bytes, read by openpyxl
        try:
            return decode_utf8(raw)  # a byte-order mark dropped, from a file and from stdin alike
        except NotUtf8 as exc:
            raise InvalidValue(f"{source}: {exc.message}", hint=exc.hint) from None

    stored = transfer.import_sessions(env, read, chosen, source, allow_long=allow_long)
    # the English has always said "session(s)", whatever the count; Russian has three forms
    text = ngettext("imported {n} session(s) from {file}", "imported {n} session(s) from {file}", stored)
    say(env, text.format(n=stored, file=source))


@import_app.command("teamviewer")
def import_teamviewer(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="Connections.txt (from the consultant's PC) or Connections_incoming.txt (the client's).",
        ),
    ],
    tz: Annotated[
        str,
        typer.Option("--tz", help="The zone of the log's stamps: UTC (TeamViewer's), a zone name, or local."),
    ] = "UTC",
    merge_gap: Annotated[
        str,
        typer.Option(
            "--merge-gap", help="Connections of one partner at most this far apart are one session."
        ),
    ] = "10m",
    service: Annotated[str, typer.Option("--service", help="The service of the sessions.")] = "remote",
    backup_confirmed: Annotated[
        bool,
        typer.Option("--backup-confirmed", help="The client made a backup before each of these sessions."),
    ] = False,
    min_length: Annotated[
        str, typer.Option("--min-length", help="Connections shorter than this are skipped as accidental.")
    ] = "1m",
    allow_long: Annotated[
        bool, typer.Option("--allow-long", help="Accept connections longer than session.max_hours.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the sessions it would create; store nothing.")
    ] = False,
    fmt: ItemFormatOpt = ItemFormat.text,
) -> None:
    """Import sessions from TeamViewer's connection log (Connections.txt).

    Reconnects within the merge gap are one session. Rows imported before, of
    partners that are no client's TeamViewer ID, or overlapping sessions in the
    ledger are left out and listed. --dry-run shows the sessions in local time.

    Example: kvsupport import teamviewer Connections.txt --tz Europe/Moscow --backup-confirmed --dry-run
    """
    from kvsupport.cli import tvimport

    env = env_of(ctx)
    options = tvimport.options(
        env,
        tz=tz,
        merge_gap=merge_gap,
        min_length=min_length,
        service=service,
        backup_confirmed=backup_confirmed,
        allow_long=allow_long,
        dry_run=dry_run,
    )
    tvimport.run(env, file, options, fmt.value)


@export_app.command("export")
def export_sessions(
    ctx: typer.Context,
    month_: Annotated[
        str | None, typer.Option("--month", "-m", help="Only this month: YYYY-MM, MM.YYYY or by name.")
    ] = None,
    client: ClientOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, json or xlsx.")] = "csv",
    output: OutputOpt = None,
) -> None:
    """Export sessions, one row per segment (the columns 'import' reads).

    Example: kvsupport export --month 2026-11 --format xlsx -o november.xlsx
    """
    env = env_of(ctx)
    if fmt not in ("csv", "json", "xlsx"):
        raise InvalidValue(_("--format {value}: use csv, json or xlsx").format(value=quoted(fmt)))
    chosen = None if month_ is None else month(env, month_)
    if fmt == "xlsx":
        from kvsupport.cli.workbooks import export_workbook

        export_workbook(env, transfer.export(env, month=chosen, client=client), output)
        return
    with destination(output, env):
        stream_batches(transfer.export(env, month=chosen, client=client), fmt, transfer.COLUMNS)
