"""``export --format xlsx``: sessions as a workbook that ``import`` reads back
(:mod:`kvsupport.ops.xlsxrows`): the columns of CSV, a row per segment, start and
end as local dates and times."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from kvsupport.core.records import EXPORT_COLUMNS, iso
from kvsupport.ops.env import Env


def export_workbook(env: Env, batches: Iterable[list[dict[str, Any]]], output: Path | None) -> None:
    """The rows of ``export`` as a workbook, start and end in local time."""
    from kvsupport.cli.spreadsheet import Sheet, refuse_terminal, write_workbook

    refuse_terminal(output)

    def local(rows: Iterable[list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
        for batch in rows:
            for row in batch:
                for key in ("start", "end"):
                    if row.get(key):
                        row[key] = iso(datetime.fromisoformat(row[key]), env.tz)
                yield row

    write_workbook([Sheet("sessions", EXPORT_COLUMNS, local(batches))], output, env)
