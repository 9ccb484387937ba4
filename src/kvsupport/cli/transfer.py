"""``kvsupport import`` and ``kvsupport export``: sessions as CSV or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kvsupport.cli.options import ClientOpt, OutputOpt, env_of
from kvsupport.cli.output import destination, say, stream_batches
from kvsupport.cli.parse import month
from kvsupport.errors import InvalidValue
from kvsupport.ops import transfer

import_app = typer.Typer(add_completion=False, help="Import sessions from CSV or JSON, all or nothing.")
export_app = typer.Typer(add_completion=False, help="Export sessions as CSV or JSON.")
commands = {"import": import_app, "export": export_app}

FileFormat = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="csv, json or xlsx (default: from the file name, else csv).",
        show_default=False,
    ),
]


@import_app.command("import")
def import_sessions(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="A file, or - for stdin.")],
    fmt: FileFormat = None,
    allow_long: Annotated[
        bool, typer.Option("--allow-long", help="Accept segments longer than session.max_hours.")
    ] = False,
) -> None:
    """Import sessions from CSV, JSON or an .xlsx (the columns export writes); every row is
    checked first and nothing is stored if one is bad.

    Example: kvsupport import november.xlsx
    """
    env = env_of(ctx)
    chosen = fmt or next((kind for kind in ("json", "xlsx") if file.lower().endswith(f".{kind}")), "csv")
    if chosen not in ("csv", "json", "xlsx"):
        raise InvalidValue(f"--format {chosen!r}: use csv, json or xlsx")
    if not file.strip():
        raise InvalidValue("FILE is empty", hint="give a file, or - for standard input")
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
            raise InvalidValue(f"cannot read {source}: {exc.strerror or exc}") from None
        if chosen == "xlsx":
            return raw  # a workbook is a zip: bytes, read by openpyxl
        try:
            return decode_utf8(raw)  # a byte-order mark dropped, from a file and from stdin alike
        except NotUtf8 as exc:
            raise InvalidValue(f"{source}: {exc.message}", hint=exc.hint) from None

    stored = transfer.import_sessions(env, read, chosen, source, allow_long=allow_long)
    say(env, f"imported {stored} session(s) from {source}")


@export_app.command("export")
def export_sessions(
    ctx: typer.Context,
    month_: Annotated[
        str | None, typer.Option("--month", "-m", help="Only this month YYYY-MM or MM.YYYY.")
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
        raise InvalidValue(f"--format {fmt!r}: use csv, json or xlsx")
    chosen = None if month_ is None else month(env, month_)
    if fmt == "xlsx":
        from kvsupport.cli.workbooks import export_workbook

        export_workbook(env, transfer.export(env, month=chosen, client=client), output)
        return
    with destination(output):
        stream_batches(transfer.export(env, month=chosen, client=client), fmt, transfer.COLUMNS)
