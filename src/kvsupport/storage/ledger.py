"""The local JSON ledger: safe under crashes and concurrent commands, fast at 200k sessions.

Layout, for a ledger file ``DIR/ledger.json``::

    ledger.json           the manifest: format, version, generation, counters,
                          clients, orders, the running session, and an index of parts
    ledger.parts/         immutable part files, one per month and kind:
      sessions-2026-11.g42-9f3a1c.json   finished sessions that started in 2026-11
      invoices-2026-11.g40-07be55.json   invoices for the period 2026-11
      index-invoices.g40-07be55.json     one summary row per invoice (no lines):
                                         lists and reports read it, not every month
    ledger.backups/       earlier manifests (rotating), restorable
    ledger.lock           the lock file, never renamed or deleted

Why: one JSON document rewritten on every change costs ~1.2 s per start+stop
at 200k sessions (MEASURED.md). Here ``session start`` rewrites the manifest
only; ``stop`` adds one month's part. A change writes new part files under new
names, then replaces the manifest atomically: that rename is the single commit
point, so a crash at any instant leaves the old or the new ledger, whole.
Old part files are "retired" and deleted only once no kept backup refers to
them, which makes a backup as cheap as a copy of the manifest.

Every command holds ``flock`` on the lock file over its whole read-modify-write
(shared for reads). Only this package knows the layout (the parts and their commit:
:mod:`.parts`; invoices and their index: :mod:`.invoice_store`); commands use
:class:`Ledger`'s methods, so another backend can stand behind them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kvsupport.core.models import Client, Order, Session
from kvsupport.errors import LedgerError, NotFound
from kvsupport.i18n import _
from kvsupport.notices import warn_later
from kvsupport.storage import codec
from kvsupport.storage.invoice_store import InvoiceStore
from kvsupport.storage.ledger_files import (
    SHARED_LAYOUT,
    Backup,
    LedgerFiles,
    Lock,
    backups_hint,
    list_backups,
    load_json,
    resolved_ledger_path,
)
from kvsupport.storage.migrations import CURRENT_VERSION, migrate_manifest
from kvsupport.storage.parts import INVOICE_INDEX, KEEP_BACKUPS, PART_FORMAT

FORMAT = "kvsupport-ledger"
__all__ = ["FORMAT", "INVOICE_INDEX", "KEEP_BACKUPS", "PART_FORMAT", "Ledger", "open_ledger", "read_snapshot"]


def _session_key(session: Session) -> str:
    return f"sessions/{session.started_at.isoformat()[:7]}"


def _empty_manifest() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": CURRENT_VERSION,
        "generation": 0,
        "updated_at": None,
        "counters": {"session": 0, "order": 0, "invoice": {}},
        "running": None,
        "last_stopped": None,
        "clients": {},
        "orders": [],
        "parts": {},
        "retired": [],
    }


class Ledger(InvoiceStore):
    """One unit of work on the ledger, opened under its lock by :func:`open_ledger`."""

    # -- loading ---------------------------------------------------------------------

    @classmethod
    def load(cls, files: LedgerFiles) -> Ledger:
        """Read the manifest, or start empty if there is no ledger yet.

        The manifest's format decides where its companions are (``files.layout``).
        """
        try:
            raw = _read_capped(files.main)
        except FileNotFoundError:
            for place in (files, files._replace(layout=SHARED_LAYOUT)):
                if place.parts.is_dir() and any(place.parts.glob("*.json")):
                    raise LedgerError(
                        f"{files.main}: missing, but {place.parts} holds ledger data",
                        hint="bring the manifest back: 'kvsupport ledger backups', then "
                        "'kvsupport ledger restore NAME'",
                    ) from None
            return cls._new(files)
        except OSError as exc:
            raise LedgerError(f"{files.main}: cannot read: {exc.strerror or exc}") from None
        doc = load_json(files.main, raw, files)
        if isinstance(doc, dict) and doc.get("version") == SHARED_LAYOUT:
            files = files._replace(layout=SHARED_LAYOUT)
        manifest = cls._checked_manifest(doc, files)
        ledger = cls(files, manifest, raw)
        ledger.clients()  # validate clients and orders now: a bad record stops us early
        ledger.orders()
        return ledger

    @classmethod
    def _new(cls, files: LedgerFiles) -> Ledger:
        """An empty ledger. If backups of a ledger of this name are there (its manifest
        was deleted), its generations start after theirs, so no change of the new ledger
        is ever taken for one of theirs, and a restore can still bring them back."""
        ledger = cls(files, _empty_manifest(), None)
        try:
            backups = list_backups(files)
        except LedgerError:
            backups = []
        if backups:
            ledger._m["generation"] = backups[0].generation
            warn_later(
                _(
                    "there is no ledger at {path}, but there are backups of one: if it was lost, "
                    "see 'kvsupport ledger backups' and 'kvsupport ledger restore'"
                ).format(path=files.main)
            )
        return ledger

    @classmethod
    def for_recovery(cls, files: LedgerFiles, *, write: bool) -> Ledger:
        """The ledger as far as it can be read, for ``ledger backups`` and ``ledger
        restore`` — which are for exactly the case when its manifest is missing or
        unreadable: then an empty ledger at the newest backup's generation (so a restore
        is one more change), whose companions are wherever they are on disk. Before a
        restore (``write``) an unreadable manifest is kept beside the backups
        (``unreadable-….json``): nothing the user stored is thrown away."""
        try:
            return cls.load(files)
        except LedgerError:
            pass
        if not files.home.is_dir() and files._replace(layout=SHARED_LAYOUT).backups.is_dir():
            files = files._replace(layout=SHARED_LAYOUT)
        backups = list_backups(files)
        ledger = cls(files, _empty_manifest(), None)
        ledger._m["generation"] = backups[0].generation if backups else 0
        ledger.recovered = True
        try:
            raw = files.main.read_bytes()
        except OSError:
            raw = b""
        if raw and write:
            from kvsupport.storage.atomic import make_private_dir, write_atomic

            make_private_dir(files.backups)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            write_atomic(files.backups / f"unreadable-{stamp}.json", raw)
        return ledger

    def backups(self) -> list[Backup]:
        """This ledger's backups, newest first (the first is the current state's copy)."""
        return list_backups(self.files, upto=self.generation)

    @staticmethod
    def _checked_manifest(doc: Any, files: LedgerFiles) -> dict[str, Any]:
        path = files.main
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise LedgerError(
                f'{path}: not a kvsupport ledger (no "format": "{FORMAT}")', hint=backups_hint(files)
            )
        version = doc.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise LedgerError(f"{path}: version: must be a whole number from 1", hint=backups_hint(files))
        if version > CURRENT_VERSION:
            raise LedgerError(
                f"{path}: written by a newer kvsupport (format version {version}; "
                f"this one reads up to {CURRENT_VERSION})",
                hint="upgrade kvsupport; the ledger was left as it is",
            )
        doc = migrate_manifest(doc)
        assert isinstance(doc, dict)
        problems = []
        for key, kind in (
            ("generation", int),
            ("counters", dict),
            ("clients", dict),
            ("orders", list),
            ("parts", dict),
            ("retired", list),
        ):
            if not isinstance(doc.get(key), kind):
                problems.append(f"{key}: must be a {'list' if kind is list else kind.__name__}")
        if problems:
            raise LedgerError(f"{path}: {problems[0]}", hint=backups_hint(files))
        for key, entry in doc["parts"].items():
            if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
                raise LedgerError(f"{path}: parts.{key}: must name its file", hint=backups_hint(files))
        for i, item in enumerate(doc["retired"]):
            if not (
                isinstance(item, list)
                and len(item) == 2
                and isinstance(item[0], str)
                and isinstance(item[1], int)
            ):
                raise LedgerError(
                    f"{path}: retired[{i}]: must be [file, generation]", hint=backups_hint(files)
                )
        return doc

    # -- clients ---------------------------------------------------------------------

    def clients(self) -> dict[str, Client]:
        """All clients by code, in the order they were added."""
        if self._clients is None:
            self._clients = {}
            for code, row in self._m["clients"].items():
                where = f"{self.files.main}: clients.{code}"
                try:
                    self._clients[code] = codec.decode_client(row, where)
                except codec.ShapeError as exc:
                    raise LedgerError(str(exc), hint=backups_hint(self.files)) from None
        return self._clients

    def client(self, code: str) -> Client:
        """The client ``code``, or a refusal that lists the known codes."""
        found = self.clients().get(code)
        if found is None:
            known = ", ".join(self.clients()) or "none yet"
            raise NotFound(
                f"unknown client '{code}'",
                hint=f"known clients: {known}; add one with 'kvsupport client add'",
            )
        return found

    def put_client(self, client: Client) -> None:
        """Add or replace a client."""
        self.clients()[client.code] = client
        self._m["clients"][client.code] = codec.encode_client(client)
        self._dirty = True

    # -- orders ----------------------------------------------------------------------

    def orders(self) -> list[Order]:
        """All orders, oldest id first."""
        if self._orders is None:
            where = f"{self.files.main}: orders"
            try:
                self._orders = [
                    codec.decode_order(row, f"{where}[{i}]") for i, row in enumerate(self._m["orders"])
                ]
            except codec.ShapeError as exc:
                raise LedgerError(str(exc), hint=backups_hint(self.files)) from None
        return self._orders

    def new_order_id(self) -> int:
        """The next order number (never reused)."""
        self._m["counters"]["order"] += 1
        self._dirty = True
        value: int = self._m["counters"]["order"]
        return value

    def put_order(self, order: Order) -> None:
        """Add or replace an order."""
        orders = [o for o in self.orders() if o.id != order.id] + [order]
        orders.sort(key=lambda o: o.id)
        self._orders = orders
        self._m["orders"] = [codec.encode_order(o) for o in orders]
        self._dirty = True

    # -- sessions --------------------------------------------------------------------

    def new_session_id(self) -> int:
        """The next session id (never reused)."""
        self._m["counters"]["session"] += 1
        self._dirty = True
        value: int = self._m["counters"]["session"]
        return value

    def running(self) -> Session | None:
        """The running session, if any."""
        row = self._m.get("running")
        if row is None:
            return None
        try:
            return codec.decode_session(row, f"{self.files.main}: running")
        except codec.ShapeError as exc:  # it lives in the manifest, not in a part
            raise LedgerError(str(exc), hint=backups_hint(self.files)) from None

    def last_stopped_id(self) -> int | None:
        """The id of the session stopped most recently (what ``resume`` continues)."""
        value = self._m.get("last_stopped")
        return value if isinstance(value, int) else None

    def session(self, session_id: int) -> Session:
        """The session ``session_id``, running or stored."""
        running = self.running()
        if running is not None and running.id == session_id:
            return running
        for key in self._keys("sessions"):
            entry = self._m["parts"][key]
            if entry.get("min_id", 0) <= session_id <= entry.get("max_id", 1 << 62):
                records = self._part(key).records
                row = records.get(str(session_id))
                if row is not None:
                    where = f"{entry['file']}: records[{list(records).index(str(session_id))}]"
                    found: Session = self._decoded(codec.decode_session, row, where)
                    return found
        raise NotFound(f"no session {session_id}", hint="see 'kvsupport session list'")

    def sessions(self, months: Iterable[str] | None = None) -> list[Session]:
        """Stored sessions whose start (as stored) falls in ``months`` (all if None),
        plus the running one."""
        months = None if months is None else list(months)  # read twice below
        if months is None:
            keys = self._keys("sessions")
        else:
            keys = [f"sessions/{m}" for m in months if f"sessions/{m}" in self._m["parts"]]
        out: list[Session] = []
        for key in keys:
            out.extend(self._decode_sessions(key))
        running = self.running()
        if running is not None and (months is None or running.started_at.isoformat()[:7] in set(months)):
            out.append(running)
        out.sort(key=lambda s: (s.started_at, s.id))
        return out

    def _stored_between(self, start: datetime, end: datetime) -> Iterator[tuple[dict[str, Any], str]]:
        """Stored records whose first segment starts in ``start``..``end``, with where
        each lies. Only the months that can hold such a start are read, and of their
        records only those written within a day of the range are parsed: a record's
        own UTC offset moves its written date by less than a day."""
        lo = (start.astimezone(UTC) - timedelta(days=1)).date().isoformat()
        hi = (end.astimezone(UTC) + timedelta(days=1)).date().isoformat()
        for key in self._keys("sessions"):
            if not lo[:7] <= key.split("/", 1)[1] <= hi[:7]:
                continue
            file = self._m["parts"][key].get("file", key)
            for i, row in enumerate(self._part(key).records.values()):
                where = f"{file}: records[{i}]"
                try:
                    written = row["segments"][0]["start"]
                    if not lo <= written[:10] <= hi:
                        continue
                    started = datetime.fromisoformat(written)
                    inside = started.tzinfo is not None and start <= started < end
                except (KeyError, IndexError, TypeError, ValueError):
                    self._decoded(codec.decode_session, row, where)  # names what is wrong
                    raise
                if inside:
                    yield row, where

    def sessions_between(self, start: datetime, end: datetime) -> list[Session]:
        """Sessions (the running one too) whose first segment starts in ``start``..``end``
        (aware times, end excluded), oldest first."""
        out: list[Session] = [
            self._decoded(codec.decode_session, row, where) for row, where in self._stored_between(start, end)
        ]
        running = self.running()
        if running is not None and start <= running.started_at < end:
            out.append(running)
        out.sort(key=lambda s: (s.started_at, s.id))
        return out

    def session_records_between(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """The stored (finished) sessions that start in ``start``..``end``, as their JSON
        records, undecoded, oldest first: a month's export is a copy, not a computation."""
        keyed = [
            (datetime.fromisoformat(row["segments"][0]["start"]), row["id"], row)
            for row, _ in self._stored_between(start, end)
        ]
        keyed.sort(key=lambda item: (item[0], item[1]))
        return [row for _, _, row in keyed]

    def session_records(self, months: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Stored sessions of ``months`` (all if None) as their JSON records, undecoded
        (the documented shape of ``storage.codec.encode_session``), for bulk export."""
        keys = (
            self._keys("sessions")
            if months is None
            else [f"sessions/{m}" for m in months if f"sessions/{m}" in self._m["parts"]]
        )
        rows: list[dict[str, Any]] = []
        for key in keys:
            rows.extend(self._part(key).records.values())
        return rows

    def forget_month(self, month: str) -> None:
        """Drop an unchanged month's sessions from memory (bulk reads, one month at a time)."""
        self._forget(f"sessions/{month}")

    def session_months(self) -> list[str]:
        """Months (as stored) that hold sessions, oldest first."""
        return [k.split("/", 1)[1] for k in self._keys("sessions")]

    def sessions_touching(self, start: datetime, end: datetime | None) -> list[Session]:
        """The running session and every stored one in a month whose sessions may reach
        into ``start``..``end`` (``end`` None: open-ended): the parts' first start and
        last end rule the others out unread. The caller compares the segments."""
        running = self.running()
        found: list[Session] = [] if running is None else [running]
        for key in self._keys("sessions"):
            entry = self._m["parts"][key]
            first, last = entry.get("min_start"), entry.get("max_end")
            if last is not None and datetime.fromisoformat(last) <= start:
                continue
            if end is not None and first is not None and datetime.fromisoformat(first) >= end:
                continue
            found.extend(self._decode_sessions(key))
        return found

    def overlapping(self, start: datetime, end: datetime | None, exclude: int | None) -> Session | None:
        """A session, other than ``exclude``, whose time overlaps ``start``..``end``
        (``end`` None: open-ended, like a running session)."""
        for other in self.sessions_touching(start, end):
            if other.id == exclude or other.allow_overlap:
                continue
            for seg in other.segments:
                seg_end = seg.end
                if (end is None or seg.start < end) and (seg_end is None or seg_end > start):
                    return other
        return None

    def put_session(self, session: Session) -> None:
        """Store ``session``: a running one becomes the running session."""
        if session.is_running:
            current = self._m.get("running")
            if current is not None and current.get("id") != session.id:
                raise LedgerError(f"session {current.get('id')} is already running")
            self._drop_stored(session.id)
            self._m["running"] = codec.encode_session(session)
        else:
            current = self._m.get("running")
            if current is not None and current.get("id") == session.id:
                self._m["running"] = None
                self._m["last_stopped"] = session.id
            self._drop_stored(session.id)
            key = _session_key(session)
            part = self._part(key)
            part.records[str(session.id)] = codec.encode_session(session)
            part.dirty = True
        self._dirty = True

    def delete_session(self, session_id: int) -> None:
        """Remove a session (running or stored) for good."""
        current = self._m.get("running")
        if current is not None and current.get("id") == session_id:
            self._m["running"] = None
        self._drop_stored(session_id)
        if self._m.get("last_stopped") == session_id:
            self._m["last_stopped"] = None
        self._dirty = True

    def _drop_stored(self, session_id: int) -> None:
        """Remove the stored copy of a session about to be replaced or deleted. A session
        found in two parts (a damaged ledger) is refused: replacing it would silently drop
        the other copy."""
        holders = []
        for key in self._keys("sessions"):
            entry = self._m["parts"][key]
            if entry.get("min_id", 0) <= session_id <= entry.get("max_id", 1 << 62):
                part = self._part(key)
                if str(session_id) in part.records:
                    holders.append((key, part))
        if len(holders) > 1:
            names = ", ".join(self._m["parts"][key]["file"] for key, _ in holders)
            raise LedgerError(
                f"{self.files.parts}: session {session_id} is stored twice ({names}); "
                "changing it would drop a copy",
                hint="nothing was changed; see 'kvsupport ledger check'",
            )
        for _key, part in holders:
            del part.records[str(session_id)]
            part.dirty = True

    # -- whole-ledger operations -----------------------------------------------------

    def check(self) -> list[str]:
        """Read and decode every record and compare them with each other and with the
        manifest; every problem found, one line each (:mod:`.ledger_check`)."""
        from kvsupport.storage.ledger_check import check_ledger

        problems, self._checked_counts = check_ledger(self)
        return problems

    def counts(self) -> tuple[int, int, int]:
        """Clients, sessions (the running one too) and invoices: counted by :meth:`check`
        when it ran, else from the manifest's index."""
        counted = getattr(self, "_checked_counts", None)
        if counted is not None:
            return counted.clients, counted.sessions, counted.invoices
        parts = self._m["parts"]
        sessions = sum(int(parts[k].get("count", 0)) for k in self._keys("sessions"))
        invoices = sum(int(parts[k].get("count", 0)) for k in self._keys("invoices"))
        return len(self.clients()), sessions + (self._m.get("running") is not None), invoices

    def replace_with_backup(self, backup: Backup) -> None:
        """Make ``backup`` the current state (the current one stays in the backups: the
        restore is one more change, and can itself be taken back)."""
        try:
            raw = _read_capped(backup.path)
        except OSError as exc:
            raise LedgerError(
                f"{backup.path}: cannot read the backup: {exc.strerror or exc}",
                hint="nothing was changed; choose another backup from 'kvsupport ledger backups'",
            ) from None
        doc = self._checked_manifest(load_json(backup.path, raw, self.files), self.files)
        missing = [e["file"] for e in doc["parts"].values() if not (self.files.parts / e["file"]).exists()]
        if missing:
            raise LedgerError(
                f"{backup.path}: its part file {missing[0]} is gone; cannot restore it",
                hint="choose a more recent backup",
            )
        live_now = {e["file"] for e in self._m["parts"].values()}
        live_then = {e["file"] for e in doc["parts"].values()}
        generation = self.generation + 1
        retired = [r for r in self._m["retired"] if r[0] not in live_then]
        retired += [[name, generation] for name in sorted(live_now - live_then)]
        doc["retired"] = retired
        doc["generation"] = self.generation  # commit() adds one
        self._m = doc
        self._parts = {}
        self._clients = None
        self._orders = None
        self._dirty = True


def read_snapshot(path: Path) -> Ledger:
    """The ledger as it is now, for a long read that writes as it goes (an export, a
    listing piped into ``less``): the manifest is read under the lock, which is then let
    go, so no other command waits for the reader at the end of the pipe.

    Part files never change once written and are swept only after ``KEEP_BACKUPS``
    more changes, so reading them afterwards sees this one state. Nothing is written.
    """
    with open_ledger(path) as ledger:
        ledger.clients()
        ledger.orders()
    ledger.unlocked = True
    return ledger


class open_ledger:
    """Open the ledger under its lock; with ``write=True`` changes commit on success.

    An exception inside the block discards every change: nothing is written. The
    path is resolved once (a symlinked ledger is worked on as its real file). A
    format-1 ledger's old shared lock is taken too, so an older kvsupport and this
    one never change it at the same time. ``recover=True`` (``ledger restore``)
    opens a ledger whose manifest is missing or unreadable as an empty one.
    """

    def __init__(self, path: Path, *, write: bool = False, recover: bool = False) -> None:
        self.files = LedgerFiles(resolved_ledger_path(path))
        self.write = write
        self.recover = recover
        self._locks: list[Lock] = []

    def _lock(self, files: LedgerFiles) -> None:
        lock = Lock(files, exclusive=self.write)
        lock.__enter__()
        self._locks.append(lock)

    def __enter__(self) -> Ledger:
        try:
            self._lock(self.files)
            self.ledger = self._load()
            if self.ledger.files.layout == SHARED_LAYOUT:
                self._lock(self.ledger.files)  # an older kvsupport locks only this one
                self.ledger = self._load()  # read again under both locks
        except BaseException:
            self._unlock()
            raise
        return self.ledger

    def _load(self) -> Ledger:
        if self.recover:
            return Ledger.for_recovery(self.files, write=self.write)
        return Ledger.load(self.files)

    def _unlock(self) -> None:
        while self._locks:
            self._locks.pop().__exit__()

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            if exc_type is None and self.write:
                try:
                    self.ledger.commit()
                except OSError as exc:
                    raise LedgerError(
                        f"{self.files.main}: cannot write: {exc.strerror or exc}",
                        hint="nothing was changed; free some space or check permissions",
                    ) from None
        finally:
            self._unlock()


#: The largest manifest or part file read (a ledger of 2M sessions has parts of ~10 MB):
#: a path that names something endless (``/dev/zero``) is refused instead of read.
MAX_FILE_BYTES = 1 << 30


def _read_capped(path: Path) -> bytes:
    """The bytes of ``path``, refusing a file larger than :data:`MAX_FILE_BYTES`."""
    with path.open("rb") as fp:
        data = fp.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise LedgerError(f"{path}: larger than {MAX_FILE_BYTES >> 20} MiB: not a kvsupport ledger")
    return data
