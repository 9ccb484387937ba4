"""Ordered upgrade steps of the ledger's on-disk format, one per version.

Each step is a pure ``dict -> dict`` function from version N to N+1, kept for
ever, so a ledger written by any older kvsupport still opens. A step must not
lose information. Each format has a fixture ledger in ``tests/storage/fixtures/``.

- 1 → 2: the records are unchanged; what changed is where a ledger's companion
  files live (``ledger.json.d/`` of its own instead of ``ledger.parts/`` and
  ``ledger.backups/`` shared by every file of the same stem). Moving the files is
  storage's part (``PartStore._move_to_own_directory``, at the first change); the
  documents only carry the new number.
- 2 → 3: a team's consultants: ``running`` and ``last_stopped`` become maps by
  consultant (``""`` for sessions recorded before, which are whoever's asks);
  sessions gain an optional ``consultant`` (absent: recorded before).
- 3 → 4: the journal of changes (``undo``): the manifest lists recent changes, each
  with a file of its entries beside the parts; a ledger before it has none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CURRENT_VERSION = 4

Step = Callable[[dict[str, Any]], dict[str, Any]]


def _same_records(doc: dict[str, Any]) -> dict[str, Any]:
    """A step that changes no record (the format number changes with the layout)."""
    return doc


def _running_by_consultant(doc: dict[str, Any]) -> dict[str, Any]:
    """Format 3's manifest: the running session and the last stopped one per consultant."""
    running, stopped = doc.get("running"), doc.get("last_stopped")
    return {
        **doc,
        "running": {} if running is None else {"": running},
        "last_stopped": {} if stopped is None else {"": stopped},
    }


def _empty_journal(doc: dict[str, Any]) -> dict[str, Any]:
    """Format 4's manifest: a journal of changes, empty for the changes made before."""
    return {**doc, "journal": []}


#: version N -> the step that turns a version-N document into version N+1
MANIFEST_STEPS: dict[int, Step] = {1: _same_records, 2: _running_by_consultant, 3: _empty_journal}
PART_STEPS: dict[int, Step] = {1: _same_records, 2: _same_records, 3: _same_records}


def _run(doc: dict[str, Any], steps: dict[int, Step], current: int) -> dict[str, Any]:
    version = doc.get("version")
    if not isinstance(version, int) or version < 1:
        raise ValueError(f"unknown format version {version!r}")
    while version < current:
        doc = steps[version](dict(doc))
        version += 1
        doc["version"] = version
    return doc


def migrate_manifest(doc: dict[str, Any], current: int = CURRENT_VERSION) -> dict[str, Any]:
    """Upgrade a manifest document to ``current``."""
    return _run(doc, MANIFEST_STEPS, current)


def migrate_part(doc: dict[str, Any], current: int = CURRENT_VERSION) -> dict[str, Any]:
    """Upgrade a part document to ``current``."""
    return _run(doc, PART_STEPS, current)
