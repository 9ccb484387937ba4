"""Ordered upgrade steps of the ledger's on-disk format, one per version.

Each step is a pure ``dict -> dict`` function from version N to N+1, kept for
ever, so a ledger written by any older kvsupport still opens. A step must not
lose information. Format 1 is the first: there is nothing to upgrade yet; the
registry and its runner are here so the next format change is one function
and one fixture (``tests/storage/fixtures/``) away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CURRENT_VERSION = 1

Step = Callable[[dict[str, Any]], dict[str, Any]]

#: version N -> the step that turns a version-N document into version N+1
MANIFEST_STEPS: dict[int, Step] = {}
PART_STEPS: dict[int, Step] = {}


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
