"""The least a CSV export can do: the bytes of ``kvsupport export --format csv``, stdlib only.

Usage: ``python benchmarks/minimal_export.py LEDGER.json`` (to stdout).

What ``export`` is compared with (issue 16: export within 1.2x of this). It
takes the ledger's shared lock, reads the manifest, and for each stored month
of sessions, oldest first, reads the part, sorts its records by start and id
and writes one CSV row per segment. It knows only what the benchmark's
ledgers hold: finished sessions in kvsupport's plain record shape, no cell
that needs formula-escaping or control characters replaced (kvsupport
checks and handles those; this does not). ``run.py`` checks its output is
byte for byte kvsupport's before timing either. Its column list is
written out here, not imported from ``kvsupport.core.records``: importing
kvsupport would time kvsupport's own imports, which is what it is the floor of.
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import sys
from datetime import datetime
from pathlib import Path

COLUMNS = (
    "id",
    "client",
    "service",
    "start",
    "end",
    "problem",
    "phone",
    "consent",
    "backup_confirmed",
    "note",
    "allow_overlap",
    "consultant",
)
CELL = {None: "", True: "yes", False: "no"}


def main(ledger: Path) -> None:
    home = ledger.with_name(ledger.name + ".d")
    fd = os.open(home / "lock", os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_SH)
    manifest = json.loads(ledger.read_bytes())
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(COLUMNS)
    for key in sorted(k for k in manifest["parts"] if k.startswith("sessions/")):
        records = json.loads((home / "parts" / manifest["parts"][key]["file"]).read_bytes())["records"]
        records.sort(key=lambda r: (datetime.fromisoformat(r["segments"][0]["start"]).timestamp(), r["id"]))
        out.writerows(
            [
                r["id"],
                r["client"],
                r["service"],
                seg["start"],
                seg["end"],
                r["problem"] or "",
                CELL.get(r["phone"], r["phone"]),
                r["consent"] or "",
                CELL[r["backup_confirmed"]],
                CELL.get(r["note"], r["note"]),
                CELL[r["allow_overlap"]],
                CELL.get(r["consultant"], r["consultant"]),
            ]
            for r in records
            for seg in r["segments"]
        )
    os.close(fd)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
