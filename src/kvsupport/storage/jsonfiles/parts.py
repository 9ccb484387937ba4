"""Part files: how the ledger keeps its records in immutable files, and commits a change.

A part holds one month's records of one kind (``sessions``, ``invoices``) or a
summary (``index``), kept as raw dicts and decoded only when asked for.
:meth:`PartStore.commit` writes every changed part under a new name, a backup
of the old manifest, then the new manifest with one atomic rename: the single
commit point. Old part files are "retired" and deleted only once no kept backup
refers to them. :mod:`kvsupport.storage.jsonfiles.store` has the layout and the records.
"""

from __future__ import annotations

import contextlib
import os
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kvsupport import notices
from kvsupport.core.models import Client, Order, Session
from kvsupport.errors import LedgerError
from kvsupport.i18n import N_, _
from kvsupport.notices import warn_later
from kvsupport.storage import codec
from kvsupport.storage import journal as journal_module
from kvsupport.storage.atomic import TMP_MARK, fsync_dir, make_private_dir, write_atomic
from kvsupport.storage.journal import Recorder, entry_record, summary
from kvsupport.storage.jsonfiles.files import (
    OWN_DIRECTORY,
    SHARED_LAYOUT,
    Backup,
    LedgerFiles,
    backup_name,
    backups_hint,
    dumps_document,
    list_backups,
    load_json,
)
from kvsupport.storage.jsonfiles.migrations import CURRENT_VERSION, migrate_part

PART_FORMAT = "kvsupport-ledger-part"
KEEP_BACKUPS = 30
SPILL_AFTER = 4  # months of sessions a unit changes that it holds before writing them out early
SWEEP_EVERY = 25  # generations between sweeps of a crash's leftover temp files
SWEEP_AGE_SECONDS = 3600
INVOICE_INDEX = "index/invoices"
#: a change whose journal entries take more than this is kept in a file of its own
INLINE_JOURNAL_BYTES = 4096
#: the shape of the invoice index's rows: an index of another shape is built again
INDEX_ROWS = 3


class _Part:
    """One month's records of one kind, kept as raw dicts until asked for."""

    def __init__(self, kind: str, month: str, records: dict[str, dict[str, Any]]) -> None:
        self.kind = kind
        self.month = month
        self.records = records
        self.dirty = False
        #: keys stored more than once in the file (a damaged part): a change to it would
        #: keep one copy and silently drop the others, so it is refused
        self.duplicates: list[str] = []


class PartStore:
    """The manifest, its parts read lazily, and the commit of their changes."""

    def __init__(self, files: LedgerFiles, manifest: dict[str, Any], raw: bytes | None) -> None:
        self.files = files
        self._m = manifest
        self._raw = raw
        self._parts: dict[str, _Part] = {}
        self._placed: dict[int, str] = {}  # session id -> the part this unit put it in
        self._spilled: dict[str, dict[str, Any] | None] = {}  # months written out early: entries
        self._spill_files: list[Path] = []
        self._token: str | None = None
        self.may_spill = False  # a unit that will commit (not a read, not a dry run)
        self._dirty = False
        self._clients: dict[str, Client] | None = None
        self._orders: list[Order] | None = None
        self.unlocked = False  # a snapshot (read_snapshot): read on after the lock was let go
        self.recovered = False  # opened for a restore although its manifest could not be read
        self.recorder = Recorder()  # what this unit changes, for the journal (``undo``)
        self.consultant: str | None = None  # who is changing it
        self._keys_of: object = None  # the parts index that _keys_cache describes
        self._keys_cache: dict[str, list[str]] = {}
        self._highest_of: object = None  # the parts index that _highest describes
        self._highest = 0

    def _part(self, key: str) -> _Part:
        part = self._parts.get(key)
        if part is not None:
            return part
        kind, month = key.split("/", 1)
        entry = self._spilled[key] if key in self._spilled else self._m["parts"].get(key)
        records: dict[str, dict[str, Any]] = {}
        if entry is not None:
            path = self.files.parts / entry["file"]
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                if self.unlocked:  # swept after many changes made while this one read on
                    raise LedgerError(
                        _("{path}: changed a great deal while it was being read").format(
                            path=self.files.main
                        ),
                        hint=_("run the command again"),
                    ) from None
                raise LedgerError(
                    _("{path}: cannot read part {part}: the file is missing").format(path=path, part=key),
                    hint=backups_hint(self.files),
                ) from None
            except OSError as exc:
                raise LedgerError(
                    _("{path}: cannot read part {part}: {reason}").format(
                        path=path, part=key, reason=exc.strerror
                    ),
                    hint=backups_hint(self.files),
                ) from None
            doc = load_json(path, raw, self.files)
            if not isinstance(doc, dict) or doc.get("format") != PART_FORMAT:
                raise LedgerError(
                    _("{path}: not a kvsupport ledger part").format(path=path), hint=backups_hint(self.files)
                )
            version = doc.get("version")
            if (
                not isinstance(version, int)
                or isinstance(version, bool)
                or not 1 <= version <= CURRENT_VERSION
            ):
                raise LedgerError(
                    _("{path}: {key}: unknown part format {value}").format(
                        path=path, key="version", value=repr(version)
                    ),
                    hint=backups_hint(self.files),
                )
            doc = migrate_part(doc)
            rows = doc.get("records")
            if not isinstance(rows, list):
                raise LedgerError(
                    _("{path}: {key}: must be a list").format(path=path, key="records"),
                    hint=backups_hint(self.files),
                )
            id_key = "id" if kind == "sessions" else "number"
            duplicates: list[str] = []
            for i, row in enumerate(rows):
                if not isinstance(row, dict) or id_key not in row:
                    raise LedgerError(
                        _("{path}: {where}: no {key}").format(path=path, where=f"records[{i}]", key=id_key),
                        hint=backups_hint(self.files),
                    )
                record_key = str(row[id_key])
                if record_key in records:
                    duplicates.append(record_key)
                    continue  # the first copy is the one read; check and writes see the others
                records[record_key] = row
        else:
            duplicates = []
        part = _Part(kind, month, records)
        part.duplicates = duplicates
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

    def _before_commit(self) -> None:
        """What a kind of part keeps in step before a change is written (none here)."""

    @property
    def generation(self) -> int:
        """How many changes this ledger has seen."""
        value: int = self._m["generation"]
        return value

    def commit(self) -> None:
        """Write every change: new part files and a backup of the new manifest, then the
        manifest itself with one atomic rename (the commit point).

        Before the commit point a failure removes what this change wrote (no part, no
        backup is left behind to rotate real backups out); after it, nothing undoes the
        change: a directory ``fsync`` that fails is reported as a warning (stored, but
        not confirmed durable), and the sweep of old files waits for the next change.
        """
        if not self._dirty:
            return
        if self.unlocked:
            raise LedgerError(f"{self.files.main}: a snapshot is read only")  # a bug, not the user's
        if self.files.layout == SHARED_LAYOUT:
            self._move_to_own_directory()
        self._before_commit()
        files = self.files
        generation = self.generation + 1
        token = self._unit_token()
        parts_index: dict[str, Any] = dict(self._m["parts"])
        retired: list[list[Any]] = list(self._m["retired"])
        written: list[Path] = []
        data = b""
        try:
            written += self._spill_files
            for key, entry in self._spilled.items():  # months written out early (a big import)
                if key in self._parts and self._parts[key].dirty:
                    continue  # changed again since: written below
                old = parts_index.get(key)
                if old is not None:
                    retired.append([old["file"], generation])
                if entry is None:
                    parts_index.pop(key, None)
                else:
                    parts_index[key] = entry
            for key, part in sorted(self._parts.items()):
                if not part.dirty:
                    continue
                old = parts_index.get(key)
                if old is not None:
                    retired.append([old["file"], generation])
                entry = self._write_part(key, part, generation, token, written)
                if entry is None:
                    parts_index.pop(key, None)
                else:
                    parts_index[key] = entry
            if INVOICE_INDEX in parts_index and INVOICE_INDEX in self._parts:  # kept in step here
                parts_index[INVOICE_INDEX] = {
                    **parts_index[INVOICE_INDEX],
                    "of": _invoices_digest(parts_index),
                    "rows": INDEX_ROWS,
                }
            journal = self._journal(generation, token, retired, written)
            if written:
                fsync_dir(files.parts)
            make_private_dir(files.main.parent)
            manifest = {
                **self._m,
                "generation": generation,
                "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "parts": dict(sorted(parts_index.items())),
                "retired": retired,
                "journal": journal,
            }
            data = dumps_document(manifest)
            written.append(self._backup(data, generation))  # the state about to be committed
            notices.changing()
            write_atomic(files.main, data, sync_dir=False)  # the commit point
        except BaseException:
            if not self._committed(data):
                for path in written:
                    with contextlib.suppress(OSError):
                        path.unlink(missing_ok=True)
            raise
        self._m = manifest
        self._raw = data
        self._dirty = False
        self._keys_of = None
        self._spilled, self._spill_files = {}, []  # the ledger's own files now
        for part in self._parts.values():
            part.dirty = False
        try:
            fsync_dir(files.main.parent)
        except OSError as exc:
            warn_later(
                _("the change is stored, but the disk did not confirm it is durable ({why}): {path}").format(
                    why=exc.strerror or exc, path=files.main
                )
            )
        with contextlib.suppress(
            OSError, LedgerError
        ):  # the change is stored; old files wait for the next sweep
            self._collect_garbage(generation)

    def _unit_token(self) -> str:
        """The random part of the names of the files this unit writes (one per unit: a
        month written out early and written again keeps its name)."""
        if self._token is None:
            self._token = os.urandom(3).hex()
        return self._token

    def _write_part(
        self, key: str, part: _Part, generation: int, token: str, written: list[Path]
    ) -> dict[str, Any] | None:
        """Write ``part`` to a new file of ``generation``; its entry in the parts index
        (``None``: no records left, no file)."""
        files = self.files
        if part.duplicates:
            where = self._m["parts"].get(key, {}).get("file", key)
            held_twice = (
                N_("{path}: holds sessions {keys} more than once; changing it would drop a copy")
                if part.kind == "sessions"
                else N_("{path}: holds invoices {keys} more than once; changing it would drop a copy")
            )
            raise LedgerError(
                _(held_twice).format(path=f"{files.parts}/{where}", keys=", ".join(part.duplicates)),
                hint=_("nothing was changed; see 'kvsupport ledger check'"),
            )
        if not part.records:
            return None
        try:
            summary = _summary(part)  # before writing: a malformed record stops the commit
        except (KeyError, IndexError, TypeError, ValueError):
            list(self._decode_sessions(key))  # names the record and field that is wrong
            where = self._m["parts"].get(key, {}).get("file", key)
            raise LedgerError(
                _("{path}: a session record is malformed").format(path=f"{files.parts}/{where}"),
                hint=backups_hint(files),
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
        path = files.parts / name
        write_atomic(path, dumps_document(doc), sync_dir=False)
        written.append(path)
        return {"file": name, "count": len(part.records), **summary}

    def _spill(self, keep: str) -> None:
        """Write out early the months of sessions this unit changed, but ``keep``, once
        more than :data:`SPILL_AFTER` of them are held: a bulk change (an import over
        years) holds a few months, not the history. The files are not the ledger's until
        the commit names them; a unit that fails removes them (:meth:`discard`)."""
        if not self.may_spill or self.files.layout == SHARED_LAYOUT:
            return
        if len(self._parts) <= SPILL_AFTER:
            return  # the usual case, decided without a look at each part
        dirty = [k for k, p in self._parts.items() if p.dirty and p.kind == "sessions" and k != keep]
        if len(dirty) < SPILL_AFTER:
            return
        generation, token = self.generation + 1, self._unit_token()
        for key in dirty:
            part = self._parts[key]
            if part.duplicates:
                continue  # refused by the commit, which names them
            self._spilled[key] = self._write_part(key, part, generation, token, self._spill_files)
            self.recorder.settle(
                ("session", record_key, record) for record_key, record in part.records.items()
            )
            del self._parts[key]

    def discard(self) -> None:
        """Remove what this unit wrote out early: it ends without committing."""
        for path in self._spill_files:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        self._spill_files = []
        self._spilled = {}

    def _journal(
        self, generation: int, token: str, retired: list[list[Any]], written: list[Path]
    ) -> list[Any]:
        """The journal with this change in it, the oldest beyond :data:`journal.KEEP`
        retired. A small change's entries (a start, a stop, an edit) are kept in the
        manifest itself: no file more to write on the hot path; a big one's (an import,
        a month's invoices) in a file of its own beside the parts, kept like one."""
        journal: list[Any] = [dict(raw) for raw in self._m.get("journal", [])]
        entries = [] if self.recorder.quiet else self.recorder.entries(self)  # type: ignore[arg-type]
        if not entries:
            return journal
        kept = [entry_record(e) for e in entries]
        ops, count = summary(entries)
        undoes = self.recorder.undoes
        for raw in journal:
            if raw.get("number") == undoes:
                raw["undone_by"] = generation
        summary_row: dict[str, Any] = {
            "number": generation,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "consultant": self.consultant,
            "action": self.recorder.action,
            "ops": ops,
            "count": count,
            "undone_by": None,
            "undoes": undoes,
        }
        if len(dumps_document({"entries": kept})) <= INLINE_JOURNAL_BYTES:
            summary_row["entries"] = kept
        else:
            make_private_dir(self.files.parts)
            name = f"journal-g{generation}-{token}.json"
            doc = {"format": PART_FORMAT, "version": CURRENT_VERSION, "kind": "journal", "entries": kept}
            path = self.files.parts / name
            write_atomic(path, dumps_document({**doc, "generation": generation}), sync_dir=False)
            written.append(path)
            summary_row["file"] = name
        journal.append(summary_row)
        while len(journal) > journal_keep():
            dropped = journal.pop(0)
            if "file" in dropped:
                retired.append([dropped["file"], generation])
        return journal

    def _committed(self, data: bytes) -> bool:
        """True when the manifest on disk is ``data``: the rename happened (an interrupt
        may land after it), so nothing this change wrote may be removed."""
        if not data:
            return False
        try:
            return self.files.main.read_bytes() == data
        except OSError:
            return False

    def _backup(self, data: bytes, generation: int) -> Path:
        """Keep a copy of the manifest of ``generation``; its path."""
        make_private_dir(self.files.backups)
        path = self.files.backups / backup_name(self.files, datetime.now(UTC), generation)
        write_atomic(path, data, sync_dir=False)
        return path

    def _move_to_own_directory(self) -> None:
        """Format 1 to 2: give this ledger its own directory of companions.

        Every part and backup file of the old shared places is hard-linked (copied where
        links are not allowed) into ``NAME.d/``; nothing in the old places is changed or
        removed, since another ledger of the same stem (a hand copy) may still use them.
        The manifest written next is format 2 and names only the new places.
        """
        old = self.files
        new = old._replace(layout=OWN_DIRECTORY)
        for source, target, prefix in (
            (old.parts, new.parts, ""),
            (old.backups, new.backups, old.backup_prefix),
        ):
            if not source.is_dir():
                continue
            make_private_dir(target)
            for path in source.iterdir():
                name = path.name
                if TMP_MARK in name or not name.endswith(".json") or not name.startswith(prefix):
                    continue
                copy = target / name[len(prefix) :]
                if copy.exists():
                    continue
                try:
                    os.link(path, copy)
                except OSError:
                    write_atomic(copy, path.read_bytes(), sync_dir=False)
            fsync_dir(target)
        self.files = new
        if self._raw is not None:  # format 1 kept the state before each change, not the current one
            self._backup(self._raw, self.generation)
        warn_later(
            _(
                "moved the ledger's own files into {home}; the old {parts}, {backups} and {lock} are left "
                "as they were for any other ledger of the same name: remove them once none uses them"
            ).format(home=new.home, parts=old.parts, backups=old.backups, lock=old.lock)
        )

    def _collect_garbage(self, generation: int) -> None:
        backups = list_backups(self.files)
        seen: set[int] = set()
        kept: list[Backup] = []
        for backup in backups:  # newest first
            if backup.generation > generation:
                continue  # not this ledger's history (generations only grow): left alone
            if backup.generation in seen:
                # an older copy of a generation that a later change wrote again: written
                # by a change that never committed (a crash, a kill -9)
                backup.path.unlink(missing_ok=True)
                continue
            seen.add(backup.generation)
            kept.append(backup)
        for old in kept[KEEP_BACKUPS:]:
            old.path.unlink(missing_ok=True)
        kept = kept[:KEEP_BACKUPS]
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
        live |= {e["file"] for e in self._m.get("journal", []) if "file" in e}
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


def journal_keep() -> int:
    """How many changes the journal keeps (looked up when used: tests lower it)."""
    return journal_module.KEEP
