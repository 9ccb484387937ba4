"""One output helper for every listing: text (a rich table), JSON or CSV on stdout.

Messages go to stderr. Colour only on a terminal and never with ``NO_COLOR``
(rich honours both). ``rich`` is imported only for text tables.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from kvsupport.ops.env import Env

Column = tuple[str, str, str]  # key, header, justify ("left" | "right")


def say(env: Env, message: str) -> None:
    """A confirmation on stderr (silenced by ``--quiet``)."""
    if not env.quiet:
        sys.stderr.write(message + "\n")


def warn(message: str) -> None:
    """A warning on stderr."""
    sys.stderr.write(f"warning: {message}\n")


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
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    fields = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            text = "[\n    " + ",\n    ".join(json.dumps(v, ensure_ascii=False) for v in value) + "\n  ]"
        else:  # JSON text has no raw newline inside a string: re-indenting is safe
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        fields.append(f"  {json.dumps(key, ensure_ascii=False)}: {text}")
    sys.stdout.write("{\n" + ",\n".join(fields) + "\n}\n")


def stream_rows(rows: Iterable[dict[str, Any]], fmt: str, fields: Sequence[str] | None = None) -> None:
    """Write rows as JSON (one record per line) or CSV as they come, without holding them.

    JSON keeps the C encoder per record (``indent`` would fall back to pure
    Python, 3-4x slower, MEASURED.md). CSV's header is ``fields``, else the
    first row's keys.
    """
    out = sys.stdout
    if fmt == "json":
        encode = json.JSONEncoder(ensure_ascii=False).encode
        sep = "[\n  "
        for row in rows:
            out.write(sep + encode(row))
            sep = ",\n  "
        out.write("[]\n" if sep.startswith("[") else "\n]\n")
        return
    import csv

    writer: Any = None
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(
                out, fieldnames=list(fields or row), extrasaction="ignore", lineterminator="\n"
            )
            writer.writeheader()
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    if writer is None and fields:
        csv.writer(out, lineterminator="\n").writerow(fields)


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
    empty: str = "nothing to list",
    fields: Sequence[str] | None = None,
) -> None:
    """Print a listing in ``fmt``; in text, only ``columns``; JSON and CSV get every key.

    ``fields`` names the CSV header, so an empty listing has the same header.
    """
    if fmt in ("json", "csv"):
        stream_rows(rows, fmt, fields or (list(rows[0]) if rows else [c[0] for c in columns]))
        return
    if not rows:
        sys.stderr.write(empty + "\n")
        return
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for _, header, justify in columns:
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(_text_cell(row.get(key)) for key, _, _ in columns))
    console().print(table)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def _text_cell(value: Any) -> str:
    from rich.markup import escape

    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    return escape(str(value))
