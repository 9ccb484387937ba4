"""Listings as an Excel workbook (``--format xlsx``), written with XlsxWriter.

What a Russian accountant opens with a double click: a header row (the same keys
as CSV, which ``kvsupport import`` reads back), money and hours as numbers with
number formats (``1 300,00`` in a Russian Excel), dates and times as dates,
codes, INNs, phones and invoice numbers as text. Every text cell is written with
``write_string``: a note that starts with ``=`` is never read as a formula.
Money is ``Decimal`` up to here; an Excel cell holds a binary double, so it is
converted at this one point (two decimals survive exactly as shown). A time is
written as the wall time its ISO text shows (Excel has no zones; the listings
show local time). The workbook is built in a
temporary file in constant memory (row by row, as an export of ten years
comes), then copied to ``-o FILE`` or a pipe; a terminal is refused, as for PDF.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from kvsupport import notices
from kvsupport.errors import KvsupportError
from kvsupport.i18n import _

#: keys holding money (a string with two decimals in JSON): numbers, ``#,##0.00``
MONEY = frozenset(
    {
        "amount",
        "rate",
        "total",
        "vat_amount",
        "fees",
        "unbilled_amount",
        "invoiced_amount",
        "unpaid_total",
        "balance",
        "debit",
        "credit",
    }
)
#: keys holding hours to two decimals: numbers, ``0.00``
HOURS = frozenset({"worked_hours", "billable_hours"})
#: keys holding a date (``YYYY-MM-DD``): dates, ``dd.mm.yyyy``
DATES = frozenset({"date", "day", "paid_on", "due_on", "license_until", "effective", "oldest"})
#: keys holding a moment (ISO 8601 with its offset): local dates and times, ``dd.mm.yyyy hh:mm``
MOMENTS = frozenset({"start", "end", "at", "taken_at"})
WIDEST = 60


class Sheet(NamedTuple):
    """One worksheet: its name, the header (keys, in order) and the rows (dicts)."""

    name: str
    fields: Sequence[str]
    rows: Iterable[dict[str, Any]]


def refuse_terminal(output: Path | None) -> None:
    """A workbook is bytes: refuse to write it to a terminal (before any work is done)."""
    if output is None and sys.stdout.isatty():
        raise KvsupportError(
            _("a spreadsheet is not for the terminal"), hint=_("add -o FILE.xlsx or pipe it")
        )


def write_workbook(sheets: Iterable[Sheet], output: Path | None) -> None:
    """Write ``sheets`` as one ``.xlsx`` to ``output`` (a new file readable by its owner
    only: listings hold clients' phones), else to standard output."""
    refuse_terminal(output)
    import xlsxwriter

    with tempfile.TemporaryDirectory(prefix="kvsupport-xlsx-") as tmp:
        built = Path(tmp) / "listing.xlsx"
        book = xlsxwriter.Workbook(
            str(built),
            {
                "constant_memory": True,
                "tmpdir": tmp,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        styles = {
            "header": book.add_format({"bold": True}),
            "money": book.add_format({"num_format": "#,##0.00"}),
            "hours": book.add_format({"num_format": "0.00"}),
            "date": book.add_format({"num_format": "dd.mm.yyyy"}),
            "moment": book.add_format({"num_format": "dd.mm.yyyy hh:mm"}),
        }
        for sheet in sheets:
            _write_sheet(book.add_worksheet(sheet.name[:31]), sheet, styles)
        book.close()
        _deliver(built, output)


def _write_sheet(ws: Any, sheet: Sheet, styles: dict[str, Any]) -> None:
    fields = list(sheet.fields)
    for col, key in enumerate(fields):
        ws.set_column(col, col, min(max(len(key), 10) + 2, WIDEST))
    for col, key in enumerate(fields):
        ws.write_string(0, col, key, styles["header"])
    ws.freeze_panes(1, 0)
    row_number = 0
    for row_number, row in enumerate(sheet.rows, 1):
        for col, key in enumerate(fields):
            _write_cell(ws, row_number, col, key, row.get(key), styles)
    if fields:
        ws.autofilter(0, 0, max(row_number, 1), len(fields) - 1)


def _write_cell(ws: Any, r: int, c: int, key: str, value: Any, styles: dict[str, Any]) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        ws.write_string(r, c, "yes" if value else "no")
    elif isinstance(value, int):
        ws.write_number(r, c, value)
    elif isinstance(value, list | dict):
        ws.write_string(r, c, json.dumps(value, ensure_ascii=False))
    elif key in MONEY or key in HOURS:
        number = _number(value)
        if number is None:
            ws.write_string(r, c, str(value))
        else:
            ws.write_number(r, c, number, styles["money" if key in MONEY else "hours"])
    elif key in DATES and isinstance(value, str) and _is_date(value):
        ws.write_datetime(r, c, date.fromisoformat(value), styles["date"])
    elif key in MOMENTS and isinstance(value, str) and (moment := _moment(value)) is not None:
        ws.write_datetime(r, c, moment, styles["moment"])
    else:
        ws.write_string(r, c, str(value))


def _number(value: Any) -> float | None:
    try:
        return float(Decimal(str(value)))  # the one place money becomes a binary double: Excel's
    except ArithmeticError:
        return None


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)  # the wall time the text shows
    except ValueError:
        return None


def _deliver(built: Path, output: Path | None) -> None:
    if output is None:
        sys.stdout.flush()
        with built.open("rb") as source:
            shutil.copyfileobj(source, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    notices.changing()
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "wb") as target, built.open("rb") as source:
            shutil.copyfileobj(source, target)
    except OSError as exc:
        raise KvsupportError(
            _("cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc)
        ) from None
