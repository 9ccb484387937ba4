"""An independent check of a file ledger: the files read with nothing but ``json``.

``kvsupport ledger check`` is the ledger's own word on itself; this is a second
one, written apart from kvsupport's code, for the fault-injection tests: after a
crash or a full disk the files must still make one whole ledger.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def audit(main: Path) -> list[str]:
    """What is wrong with the file ledger whose manifest is ``main`` (empty: nothing)."""
    problems: list[str] = []
    if not main.exists():
        return []  # no ledger yet: nothing to be wrong
    try:
        manifest = json.loads(main.read_bytes())
    except ValueError as exc:
        return [f"{main}: not JSON: {exc}"]
    parts_dir = main.with_name(main.name + ".d") / "parts"
    sessions: dict[int, str] = {}
    invoices: dict[str, dict[str, Any]] = {}
    for key, entry in manifest.get("parts", {}).items():
        path = parts_dir / entry["file"]
        try:
            doc = json.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            problems.append(f"{key}: {path.name}: {exc}")
            continue
        records = doc.get("records", [])
        if len(records) != entry.get("count"):
            problems.append(f"{key}: the manifest counts {entry.get('count')}, the file holds {len(records)}")
        for record in records:
            if key.startswith("sessions/"):
                if record["id"] in sessions:
                    problems.append(f"session {record['id']} twice")
                sessions[record["id"]] = record.get("invoice") or ""
            elif key.startswith("invoices/"):
                if record["number"] in invoices:
                    problems.append(f"invoice {record['number']} twice")
                invoices[record["number"]] = record
    for row in (manifest.get("running") or {}).values():
        if row["id"] in sessions:
            problems.append(f"running session {row['id']} is stored too")
        sessions[row["id"]] = row.get("invoice") or ""
    for raw in manifest.get("journal", []):
        if "file" in raw and not (parts_dir / raw["file"]).exists():
            problems.append(f"journal file of change {raw['number']} is missing")
    counters = manifest.get("counters", {})
    if sessions and counters.get("session", 0) < max(sessions):
        problems.append("the session counter is behind the ids")
    billed = {
        line["session"]: number
        for number, inv in invoices.items()
        if inv["status"] != "void"
        for line in inv["lines"]
        if line["kind"] == "session"
    }
    for sid, number in billed.items():
        if sessions.get(sid) != number:
            problems.append(f"invoice {number} bills session {sid}, which says {sessions.get(sid)!r}")
    for sid, number in sessions.items():
        if number and billed.get(sid) != number:
            problems.append(f"session {sid} says invoice {number}, which does not bill it")
    return problems


def counts(main: Path) -> tuple[int, int]:
    """Sessions and invoices the file ledger holds (read from the files)."""
    manifest = json.loads(main.read_bytes())
    sessions = sum(e["count"] for k, e in manifest["parts"].items() if k.startswith("sessions/"))
    invoices = sum(e["count"] for k, e in manifest["parts"].items() if k.startswith("invoices/"))
    return sessions + len(manifest.get("running") or {}), invoices
