"""Part files: how the ledger keeps its records in immutable files, and commits a change.

A part holds one month's records of one kind (``sessions``, ``invoices``) or a
summary (``index``), kept as raw dicts and decoded only when asked for.
:meth:`PartStore.commit` writes every changed part under a new name, a backup
of the old manifest, then the new manifest with one atomic rename: the single
commit point. Old part files are "retired" and deleted only once no kept backup
refers to them. :mod:`kvsupport.storage.ledger` has the layout and the records.
"""

from __future__ import annotations

import contextlib
import os
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from kvsupport.core.models import Client, Order, Session
from kvsupport.errors import LedgerError
from kvsupport.storage import codec
from kvsupport.storage.atomic import TMP_MARK, fsync_dir, make_private_dir, write_atomic
from kvsupport.storage.ledger_files import LedgerFiles, backups_hint, dumps_document, list_backups, load_json
from kvsupport.storage.migrations import CURRENT_VERSION, migrate_part

PART_FORMAT = "kvsupport-ledger-part"
KEEP_BACKUPS = 30
SWEEP_EVERY = 25  # generations between sweeps of a crash's leftover temp files
SWEEP_AGE_SECONDS = 3600
INVOICE_INDEX = "index/invoices"


class _Part:
    """One month's records of one kind, kept as raw dicts until asked for."""

    def __init__(self, kind: str, month: str, records: dict[str, dict[str, Any]]) -> None:
        self.kind = kind
        self.month = month
        self.records = records
        self.dirty = False


class PartStore:
    """The manifest, its parts read lazily, and the commit of their changes."""

    def __init__(self, files: LedgerFiles, manifest: dict[str, Any], raw: bytes | None) -> None:
        self.files = files
        self._m = manifest
        self._raw = raw
        self._parts: dict[str, _Part] = {}
        self._dirty = False
        self._clients: dict[str, Client] | None = None
        self._orders: list[Order] | None = None
        self.unlocked = False  # a snapshot (read_snapshot): read on after the lock was let go
        self._keys_of: object = None  # the parts index that _keys_cache describes
        self._keys_cache: dict[str, list[str]] = {}

    def _part(self, key: str) -> _Part:
        part = self._parts.get(key)
        if part is not None:
            return part
        kind, month = key.split("/", 1)
        entry = self._m["parts"].get(key)
        records: dict[str, dict[str, Any]] = {}
        if entry is not None:
            path = self.files.parts / entry["file"]
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                if self.unlocked:  # swept after many changes made while this one read on
                    raise LedgerError(
                        f"{self.files.main}: changed a great deal while it was being read",
                        hint="run the command again",
                    ) from None
                raise LedgerError(
                    f"{path}: cannot read part {key}: the file is missing", hint=backups_hint(self.files)
                ) from None
            except OSError as exc:
                raise LedgerError(
                    f"{path}: cannot read part {key}: {exc.strerror}", hint=backups_hint(self.files)
                ) from None
            doc = load_json(path, raw, self.files)
            if not isinstance(doc, dict) or doc.get("format") != PART_FORMAT:
                raise LedgerError(f"{path}: not a kvsupport ledger part", hint=backups_hint(self.files))
            version = doc.get("version")
            if (
                not isinstance(version, int)
                or isinstance(version, bool)
                or not 1 <= version <= CURRENT_VERSION
            ):
                raise LedgerError(
                    f"{path}: version: unknown part format {version!r}", hint=backups_hint(self.files)
                )
            doc = migrate_part(doc)
            rows = doc.get("records")
            if not isinstance(rows, list):
                raise LedgerError(f"{path}: records: must be a list", hint=backups_hint(self.files))
            id_key = "id" if kind == "sessions" else "number"
            for i, row in enumerate(rows):
                if not isinstance(row, dict) or id_key not in row:
                    raise LedgerError(f"{path}: records[{i}]: no {id_key}", hint=backups_hint(self.files))
                records[str(row[id_key])] = row
        part = _Part(kind, month, records)
        self._parts[key] = part
        return part

    def _decode_sessions(self, key: str) -> Iterator[Session]:
        part = self._part(key)
        entry = self._m["parts"].get(key, {})
        for i, row in enumerate(part.records.values()):
            yield self._decoded(codec.decode_session, row, f"{entry.get('file', key)}: records[{i}]")

    def _decoded(self, decode: Any, row: Any, where: str) -> Any:
        try:
            return decode(row, where)
        except codec.ShapeError as exc:
            raise LedgerError(f"{self.files.parts}/{exc}", hint=backups_hint(self.files)) from None

    def _keys(self, kind: str) -> list[str]:
        """The parts of ``kind`` in the manifest, sorted (by month); looked up once per
        state of the manifest's index, since issuing a month's invoices asks per session."""
        parts = self._m["parts"]
        if self._keys_of is not parts:
            self._keys_of, self._keys_cache = parts, {}
        keys = self._keys_cache.get(kind)
        if keys is None:
            keys = self._keys_cache[kind] = sorted(k for k in parts if k.startswith(kind + "/"))
        return keys

    def _forget(self, key: str) -> None:
        """Drop an unchanged part from memory (bulk reads, one part at a time)."""
        part = self._parts.get(key)
        if part is not None and not part.dirty:
            del self._parts[key]

    # -- committing ------------------------------------------------------------------

    @property
    def generation(self) -> int:
        """How many changes this ledger has seen."""
        value: int = self._m["generation"]
        return value

    def commit(self) -> None:
        """Write every change: new part files, a backup, then the manifest (commit point)."""
        if not self._dirty:
            return
        if self.unlocked:
            raise LedgerError(f"{self.files.main}: a snapshot is read only")  # a bug, not the user's
        files = self.files
        old_generation = self.generation
        generation = old_generation + 1
        token = os.urandom(3).hex()
        parts_index: dict[str, Any] = self._m["parts"]
        retired: list[list[Any]] = self._m["retired"]
        wrote_parts = False
        for key, part in sorted(self._parts.items()):
            if not part.dirty:
                continue
            old = parts_index.get(key)
            if old is not None:
                retired.append([old["file"], generation])
            if not part.records:
                parts_index.pop(key, None)
                self._keys_of = None
                continue
            try:
                summary = _summary(part)  # before writing: a malformed record stops the commit
            except (KeyError, IndexError, TypeError, ValueError):
                list(self._decode_sessions(key))  # names the record and field that is wrong
                where = parts_index.get(key, {}).get("file", key)
                raise LedgerError(
                    f"{files.parts}/{where}: a session record is malformed", hint=backups_hint(files)
                ) from None
            make_private_dir(files.parts)
            name = f"{part.kind}-{part.month}.g{generation}-{token}.json"
            doc = {
                "format": PART_FORMAT,
                "version": CURRENT_VERSION,
                "kind": part.kind,
                "month": part.month,
                "generation": generation,
                "records": list(part.records.values()),
            }
            write_atomic(files.parts / name, dumps_document(doc), sync_dir=False)
            wrote_parts = True
            parts_index[key] = {"file": name, "count": len(part.records), **summary}
            part.dirty = False
            self._keys_of = None
        if INVOICE_INDEX in parts_index and INVOICE_INDEX in self._parts:  # kept in step here
            parts_index[INVOICE_INDEX]["of"] = _invoices_digest(parts_index)
        if wrote_parts:
            fsync_dir(files.parts)
        make_private_dir(files.main.parent)
        if self._raw is not None:
            self._backup(old_generation)
        self._m["generation"] = generation
        self._m["updated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        self._m["parts"] = dict(sorted(parts_index.items()))
        data = dumps_document(self._m)
        write_atomic(files.main, data)
        self._raw = data
        self._dirty = False
        with contextlib.suppress(OSError):  # the change is stored; old files wait for the next sweep
            self._collect_garbage(generation)

    def _backup(self, generation: int) -> None:
        assert self._raw is not None
        make_private_dir(self.files.backups)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        name = f"{self.files.main.stem}-{stamp}-g{generation}.json"
        write_atomic(self.files.backups / name, self._raw, sync_dir=False)

    def _collect_garbage(self, generation: int) -> None:
        backups = list_backups(self.files)
        for old in backups[KEEP_BACKUPS:]:
            old.path.unlink(missing_ok=True)
        kept = backups[:KEEP_BACKUPS]
        oldest = min((b.generation for b in kept), default=generation)
        retired: list[list[Any]] = self._m["retired"]
        keep: list[list[Any]] = []
        for name, retired_at in retired:
            if retired_at <= oldest:
                (self.files.parts / name).unlink(missing_ok=True)
            else:
                keep.append([name, retired_at])
        if len(keep) != len(retired):
            self._m["retired"] = keep  # written with the next change; a stale entry is harmless
        if generation % SWEEP_EVERY == 0:
            self._sweep_leftovers()

    def _sweep_leftovers(self) -> None:
        """Remove temp files and never-committed parts that a crash left behind."""
        live = {e["file"] for e in self._m["parts"].values()} | {n for n, _ in self._m["retired"]}
        cutoff = time.time() - SWEEP_AGE_SECONDS
        for directory in (self.files.main.parent, self.files.parts, self.files.backups):
            if not directory.is_dir():
                continue
            for path in directory.iterdir():
                stray_tmp = TMP_MARK in path.name and path.name.startswith(".")
                stray_part = directory == self.files.parts and path.name not in live
                if (stray_tmp or stray_part) and path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)


def _invoices_digest(parts: dict[str, Any]) -> str:
    """A checksum of which invoice part files the ledger holds (the index's ``of``)."""
    text = "\n".join(f"{k}={parts[k].get('file')}" for k in sorted(parts) if k.startswith("invoices/"))
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


def _summary(part: _Part) -> dict[str, Any]:
    if part.kind != "sessions":
        return {}
    ids = [int(r["id"]) for r in part.records.values()]
    starts = [r["segments"][0]["start"] for r in part.records.values()]
    ends = [r["segments"][-1]["end"] for r in part.records.values()]
    return {
        "min_id": min(ids),
        "max_id": max(ids),
        "min_start": min(starts, key=datetime.fromisoformat),
        "max_end": max(ends, key=datetime.fromisoformat),
    }
