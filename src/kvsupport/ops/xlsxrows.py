"""The rows of an ``.xlsx`` for ``import``, read with openpyxl.

Read-only mode (a sheet streams row by row) and the values Excel last computed
(a formula's result, never its text). The first sheet, its first row naming the
columns, as in CSV. Each cell becomes the text the CSV import would have read —
a date and time as ``YYYY-MM-DD HH:MM``, a whole number without ``.0``, a
duration cell as ``H:MM`` — so both go through the same checks, all or nothing,
each problem naming its row.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from kvsupport.core.records import EXPORT_COLUMNS
from kvsupport.errors import InvalidValue
from kvsupport.i18n import _


def xlsx_records(blob: bytes, source: str) -> Iterator[tuple[str, dict[str, str] | None]]:
    """``(where, row)`` for each row of the workbook's first sheet under its header row;
    ``None`` for a row with more cells than the header names. An empty row is skipped."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(blob), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InvalidValue(
            _("{source}: not an .xlsx workbook ({reason})").format(source=source, reason=exc)
        ) from None
    except Exception as exc:  # a zip that is no workbook: zipfile.BadZipFile, and friends
        if type(exc).__name__ != "BadZipFile":
            raise
        raise InvalidValue(_("{source}: not an .xlsx workbook").format(source=source)) from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_text(value) for value in next(rows, ())]
        while header and not header[-1]:
            header.pop()
        if not header:
            raise InvalidValue(_("{source}: row 1 is empty (it names the columns)").format(source=source))
        unknown = [name for name in header if name not in (*EXPORT_COLUMNS, "duration")]
        if unknown:
            raise InvalidValue(
                _("{source}: row 1: unknown column {name!r}").format(source=source, name=unknown[0]),
                hint=_("columns: {names}, duration").format(names=", ".join(EXPORT_COLUMNS)),
            )
        for number, values in enumerate(rows, 2):
            cells = [_text(value) for value in values]
            if not any(cells):
                continue
            where = _("{source}: row {n}").format(source=source, n=number)
            if any(cells[len(header) :]):
                yield where, None
                continue
            yield where, dict(zip(header, cells, strict=False))
    finally:
        book.close()


def _text(value: object) -> str:
    """A cell as the CSV import would read it: dates and times as typed, whole numbers
    without ``.0``, a duration as ``H:MM``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}" if not value.second else f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return f"{value.hour}:{value.minute:02d}"
    if isinstance(value, timedelta):
        minutes = int(value.total_seconds()) // 60
        return f"{minutes // 60}:{minutes % 60:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
