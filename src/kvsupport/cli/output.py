"""One output helper for every listing: text (a rich table), JSON or CSV on stdout.

Messages go to stderr. Colour only on a terminal and never with ``NO_COLOR``
(rich honours both). ``rich`` is imported only for text tables.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kvsupport import notices
from kvsupport.cli._errors import to_stderr, warning_line
from kvsupport.core.spreadsheet import QUOTE, TRIGGERS, formula_safe
from kvsupport.core.text import printable
from kvsupport.i18n import _
from kvsupport.ops.env import Env

Column = tuple[str, str, str]  # key, header (an English msgid), justify ("left" | "right")
#: how a text table shows the values of one key (``1 ч 01 мин`` for minutes): JSON and CSV keep the record's
TextFormats = Mapping[str, Callable[[Any], str]]


def say(env: Env, message: str) -> None:
    """A confirmation on stderr (silenced by ``--quiet``). A stderr that cannot take it
    (``2>/dev/full``) loses the line, not the command: the change is stored already."""
    if not env.quiet:
        to_stderr(printable(message) + "\n")


def warn(message: str) -> None:
    """A warning on stderr (lost, like :func:`say`, when stderr cannot take it)."""
    to_stderr(warning_line(message))


def print_json(data: Any) -> None:
    """JSON on stdout, UTF-8: a record indented, a list one record per line.

    Inside a record, a list of records is one record per line too: a report's
    thousands of unpaid invoices keep the C encoder (``indent`` falls back to
    pure Python, 3-4x slower, MEASURED.md).
    """
    if isinstance(data, list):
        stream_rows(data, "json")
        return
    if not isinstance(data, dict) or not data:
        sys.stdout.write(json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")
        return
    fields = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            text = "[\n    " + ",\n    ".join(json.dumps(v, ensure_ascii=False) for v in value) + "\n  ]"
        else:  # JSON text has no raw newline inside a string: re-indenting is safe
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        fields.append(f"  {json.dumps(key, ensure_ascii=False)}: {text}")
    sys.stdout.write(json_text("{\n" + ",\n".join(fields) + "\n}\n"))


_C1 = re.compile("[\x7f-\x9f]")


def json_text(text: str) -> str:
    """JSON text with DEL and the C1 controls escaped (``json`` escapes only U+0000-U+001F;
    a terminal may obey a raw U+009B): the same JSON, nothing raw for a terminal to run."""
    if _C1.search(text) is None:
        return text
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def stream_rows(rows: Iterable[dict[str, Any]], fmt: str, fields: Sequence[str] | None = None) -> None:
    """Write rows as JSON (one record per line) or CSV as they come, a batch at a time.

    CSV's header is ``fields``, else the first row's keys; a key a row lacks is
    an empty cell.
    """
    stream_batches(_batches(rows), fmt, fields)


def stream_batches(
    batches: Iterable[list[dict[str, Any]]], fmt: str, fields: Sequence[str] | None = None
) -> None:
    """:func:`stream_rows` for rows that come in lists (a stored month at a time).

    Nothing is written before the first batch has come: a source that fails at
    once (an unknown client, an unreadable ledger) leaves stdout empty.
    """
    out = sys.stdout
    if fmt == "json":
        sep = "[\n  "
        for batch in batches:
            if batch:
                out.write(sep + json_text(_json_items(batch)))
                sep = ",\n  "
        out.write("[]\n" if sep.startswith("[") else "\n]\n")
        return
    header: list[str] | None = None
    careful = _CAREFUL  # locals: this loop runs for every cell of an export
    plain = _PLAIN_CELLS
    for batch in batches:
        if not batch:
            continue
        if header is None:
            header = list(fields or batch[0])
            out.write(_csv_text([header]))
        out.write(
            _csv_text(
                [
                    (formula_safe(v) if v and v[0] in careful else v)
                    if type(v) is str
                    else plain[v]
                    if v is None or type(v) is bool
                    else _csv_cell(v)
                    for v in map(row.get, header)
                ]
                for row in batch
            )
        )
    if header is None and fields:
        out.write(_csv_text([list(fields)]))  # nothing to list: the header alone


def _csv_text(rows: Iterable[list[Any]]) -> str:
    """CSV lines ending in ``\\n``. The writer quotes a cell holding a delimiter, a
    quote or ``\\n``, not one holding a lone ``\\r``, which readers take for a line
    end: a batch with one is written again with every cell quoted."""
    import csv

    rows = list(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    if "\r" in text:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
        text = buffer.getvalue()
    return printable(text)  # cells keep their newlines and tabs, lose other control characters


_BATCH = 1000


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _json_items(batch: list[dict[str, Any]]) -> str:
    """The records of ``batch`` as the items of a JSON array, one per line.

    One call of the C encoder for the whole batch is 1.3-1.5x faster than one per
    record, measured on export rows (``indent`` would fall back to pure Python,
    3-4x slower, MEASURED.md). A line break goes in wherever the text reads
    ``}, {"key": `` with the records' first key: that is never inside a string
    (a quote there is escaped, and no letter follows a string's closing quote),
    so the text stays the same JSON. For flat records it is exactly each record
    boundary; a nested record that starts with the same key also gets a break.
    """
    text = json.dumps(batch, ensure_ascii=False)[1:-1]
    first = next(iter(batch[0]), None)
    if first is None:
        return text
    key = json.dumps(first, ensure_ascii=False)
    return text.replace("}, {" + key + ": ", "},\n  {" + key + ": ")


@contextmanager
def destination(output: Path | None) -> Iterator[None]:
    """Standard output goes to ``output`` (a new file readable by its owner only) inside
    the block; ``None``: it stays standard output."""
    if output is None:
        yield
        return
    import os

    from kvsupport.errors import KvsupportError

    notices.changing()
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise KvsupportError(
            _("cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc)
        ) from None
    saved = sys.stdout
    with open(fd, "w", encoding="utf-8", newline="") as stream:
        sys.stdout = stream
        try:
            yield
        finally:
            sys.stdout = saved


def console(stderr: bool = False, piped_width: int = 200) -> Any:
    """A rich console that respects the terminal and ``NO_COLOR``."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # Piped, rich would assume 80 columns and cut cells; a file has no width.
    width = None if stream.isatty() else piped_width
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def print_rows(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    columns: Sequence[Column],
    *,
    title: str | None = None,
    empty: str | None = None,
    fields: Sequence[str] | None = None,
    drop: Sequence[str] = (),
    whole: Sequence[str] = (),
    output: Path | None = None,
    sheet: str = "list",
    text: TextFormats | None = None,
) -> None:
    """Print a listing in ``fmt``; in text, only ``columns``; JSON and CSV get every key.

    ``fields`` names the CSV header, so an empty listing has the same header. In text,
    the table fits the terminal (:mod:`kvsupport.cli.tables`): free text is cut with
    «…» (except the keys ``whole`` names), then the columns ``drop`` names are left out,
    the first first; ``text`` formats the values of its keys as a person reads them
    (:mod:`kvsupport.cli.figures`), and ``empty`` is said on stderr when there is no row
    (default: «nothing to list»). Headers, ``title`` and ``empty`` are English msgids, put
    into the interface's language here (a text already translated stays as it is).
    ``xlsx``: a workbook of one ``sheet`` (:mod:`kvsupport.cli.spreadsheet`). ``output``:
    to that file instead of standard output.
    """
    header = fields or (list(rows[0]) if rows else [c[0] for c in columns])
    if fmt == "xlsx":
        from kvsupport.cli.spreadsheet import Sheet, write_workbook

        write_workbook([Sheet(sheet, header, rows)], output)
        return
    with destination(output):
        if fmt in ("json", "csv"):
            stream_rows(rows, fmt, header)
            return
        if not rows:
            said = _("nothing to list") if empty is None else _(empty)
            sys.stderr.write(printable(said) + "\n")
            return
        _print_table(rows, columns, title, drop, whole, text or {})


def _print_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    title: str | None,
    drop: Sequence[str],
    whole: Sequence[str],
    text: TextFormats,
) -> None:
    from kvsupport.cli.tables import FREE_TEXT, table

    out = console()

    def cell(key: str, value: Any) -> str:
        shown = text.get(key)
        return _text_cell(value if shown is None or value is None else shown(value))

    cells = [[cell(key, row.get(key)) for key, _header, _justify in columns] for row in rows]
    shown = table(columns, cells, out.width, drop=drop, free=FREE_TEXT - set(whole), title=title)
    out.print(shown, crop=False)


def add_column(table: Any, header: str, justify: str, *, fold: bool = False) -> None:
    """A listing column that keeps its width (``fold``: free text, cut with «…» if need be)."""
    if fold:
        table.add_column(header, justify=justify, no_wrap=True, overflow="ellipsis")
    else:
        table.add_column(header, justify=justify, no_wrap=True, min_width=len(header))


def _csv_cell(value: Any) -> Any:
    """A CSV cell: text a spreadsheet will not run as a formula (OWASP, see
    :mod:`kvsupport.core.spreadsheet`), lists and records as JSON, yes/no."""
    if type(value) is str:
        return formula_safe(value) if value[:1] in _CAREFUL else value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def text_cell(value: Any) -> str:
    """A value as a text table shows it (escaped for rich): ``None`` is empty, ``True`` is
    yes (``да``)."""
    return _text_cell(value)


_CAREFUL = frozenset({*TRIGGERS, QUOTE})  # a cell that starts otherwise is safe as it is
_PLAIN_CELLS: dict[Any, str] = {None: "", True: "yes", False: "no"}  # what _csv_cell makes of them


def _text_cell(value: Any) -> str:
    from rich.markup import escape

    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else ""
    return escape(printable(str(value)))
