"""The local JSON ledger: safe under crashes and concurrent commands, fast at 200k sessions.

Layout, for a ledger file ``DIR/ledger.json``::

    ledger.json           the manifest: format, version, generation, counters,
                          clients, orders, the running sessions (one per consultant)
                          and an index of parts
    ledger.json.d/        everything else, this ledger's alone:
      parts/              immutable part files, one per month and kind:
        sessions-2026-11.g42-9f3a1c.json   finished sessions that started in 2026-11
        invoices-2026-11.g40-07be55.json   invoices for the period 2026-11
        index-invoices.g40-07be55.json     one summary row per invoice (no lines):
                                           lists and reports read it, not every month
      backups/            copies of the last states of the manifest, restorable
      lock                the lock file, never renamed or deleted

Why: one JSON document rewritten on every change costs ~1.2 s per start+stop
at 200k sessions (MEASURED.md). Here ``session start`` rewrites the manifest
only; ``stop`` adds one month's part. A change writes new part files under new
names, then replaces the manifest atomically: that rename is the single commit
point, so a crash at any instant leaves the old or the new ledger, whole.
Old part files are "retired" and deleted only once no kept backup refers to
them, which makes a backup as cheap as a copy of the manifest.

Every command holds ``flock`` on the lock file over its whole read-modify-write
(shared for reads). Only this package knows the layout (the parts and their
commit: :mod:`.parts`; invoices and their index: :mod:`.invoices`); commands use
the :class:`~kvsupport.storage.api.Store` methods of :class:`FileStore`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kvsupport.core.models import Client, Order, Session
from kvsupport.core.rules import Spans
from kvsupport.errors import LedgerError, NotFound
from kvsupport.i18n import _
from kvsupport.notices import warn_later
from kvsupport.storage import codec
from kvsupport.storage.api import BackupInfo, Change, Counters, Counts
from kvsupport.storage.journal import change_of, chosen_for_undo, entry_from, plan, restore_order
from kvsupport.storage.jsonfiles.files import (
    SHARED_LAYOUT,
    Backup,
    LedgerFiles,
    Lock,
    backups_hint,
    list_backups,
    load_json,
    resolved_ledger_path,
)
from kvsupport.storage.jsonfiles.invoices import InvoiceStore
from kvsupport.storage.jsonfiles.migrations import CURRENT_VERSION, migrate_manifest
from kvsupport.storage.jsonfiles.parts import INVOICE_INDEX, KEEP_BACKUPS, PART_FORMAT, _Part
from kvsupport.storage.lookup import find_client

FORMAT = "kvsupport-ledger"
__all__ = [
    "FORMAT",
    "INVOICE_INDEX",
    "KEEP_BACKUPS",
    "PART_FORMAT",
    "FileStore",
    "open_ledger",
    "read_snapshot",
]


def _session_key(session: Session) -> str:
    return f"sessions/{session.started_at.isoformat()[:7]}"


def _empty_manifest() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": CURRENT_VERSION,
        "generation": 0,
        "updated_at": None,
        "counters": {"session": 0, "order": 0, "invoice": {}},
        "running": {},
        "last_stopped": {},
        "clients": {},
        "orders": [],
        "parts": {},
        "retired": [],
        "journal": [],
    }


def _worker(consultant: str | None) -> str:
    """The manifest's key for a consultant's running session (``""``: a session recorded
    before the ledger knew consultants, which is whoever's asks)."""
    return consultant or ""


class FileStore(InvoiceStore):
    """One unit of work on a file ledger, opened under its lock by :func:`open_ledger`."""

    # -- loading ---------------------------------------------------------------------

    @classmethod
    def load(cls, files: LedgerFiles) -> FileStore:
        """Read the manifest, or start empty if there is no ledger yet.

        The manifest's format decides where its companions are (``files.layout``).
        """
        try:
            raw = _read_capped(files.main)
        except FileNotFoundError:
            for place in (files, files._replace(layout=SHARED_LAYOUT)):
                if place.parts.is_dir() and any(place.parts.glob("*.json")):
                    raise LedgerError(
                        _("{path}: missing, but {parts} holds ledger data").format(
                            path=files.main, parts=place.parts
                        ),
                        hint=_(
                            "bring the manifest back: 'kvsupport ledger backups', then "
                            "'kvsupport ledger restore NAME'"
                        ),
                    ) from None
            return cls._new(files)
        except OSError as exc:
            raise LedgerError(
                _("{path}: cannot read: {reason}").format(path=files.main, reason=exc.strerror or exc)
            ) from None
        doc = load_json(files.main, raw, files)
        if isinstance(doc, dict) and doc.get("version") == SHARED_LAYOUT:
            files = files._replace(layout=SHARED_LAYOUT)
        manifest = cls._checked_manifest(doc, files)
        ledger = cls(files, manifest, raw)
        ledger.clients()  # validate clients and orders now: a bad record stops us early
        ledger.orders()
        return ledger

    @classmethod
    def _new(cls, files: LedgerFiles) -> FileStore:
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
    def for_recovery(cls, files: LedgerFiles, *, write: bool) -> FileStore:
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

    @property
    def location(self) -> str:
        """The ledger's file."""
        return str(self.files.main)

    def backups(self) -> list[BackupInfo]:
        """This ledger's backups, newest first: the first is the current state's copy
        (none is current when the manifest could not be read)."""
        current = None if self.recovered else self.generation
        return [
            BackupInfo(b.name, b.taken_at, b.generation, b.size, str(b.path), b.generation == current)
            for b in list_backups(self.files, upto=self.generation)
        ]

    def restore(self, name: str) -> BackupInfo:
        """Make the backup ``name`` (a file name from :meth:`backups`) the current state."""
        wanted = name.rsplit("/", 1)[-1]
        found = next((b for b in list_backups(self.files, upto=self.generation) if b.name == wanted), None)
        if found is None:
            raise NotFound(
                _("no backup {name}").format(name=repr(wanted)), hint=_("see 'kvsupport ledger backups'")
            )
        self.replace_with_backup(found)
        return BackupInfo(found.name, found.taken_at, found.generation, found.size, str(found.path), False)

    @staticmethod
    def _checked_manifest(doc: Any, files: LedgerFiles) -> dict[str, Any]:
        path = files.main
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise LedgerError(
                _("{path}: not a kvsupport ledger (no {field})").format(
                    path=path, field=f'"format": "{FORMAT}"'
                ),
                hint=backups_hint(files),
            )
        version = doc.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise LedgerError(
                _("{path}: {key}: must be a whole number from 1").format(path=path, key="version"),
                hint=backups_hint(files),
            )
        if version > CURRENT_VERSION:
            raise LedgerError(
                _(
                    "{path}: written by a newer kvsupport (format version {version}; "
                    "this one reads up to {known})"
                ).format(path=path, version=version, known=CURRENT_VERSION),
                hint=_("upgrade kvsupport; the ledger was left as it is"),
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
            ("running", dict),
            ("last_stopped", dict),
        ):
            if not isinstance(doc.get(key), kind):
                problems.append(_("{key}: must be {kind}").format(key=key, kind=codec.kind_name(kind)))
        if problems:
            raise LedgerError(f"{path}: {problems[0]}", hint=backups_hint(files))
        for key, entry in doc["parts"].items():
            if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
                raise LedgerError(
                    _("{path}: {where}: must name its file").format(path=path, where=f"parts.{key}"),
                    hint=backups_hint(files),
                )
        for key, row in doc["running"].items():
            if not isinstance(row, dict):
                raise LedgerError(
                    _("{path}: {where}: must be a session").format(path=path, where=f"running.{key}"),
                    hint=backups_hint(files),
                )
        for key, value in doc["last_stopped"].items():
            if not isinstance(value, int) or isinstance(value, bool):
                raise LedgerError(
                    _("{path}: {where}: must be a session id").format(path=path, where=f"last_stopped.{key}"),
                    hint=backups_hint(files),
                )
        for i, item in enumerate(doc["retired"]):
            if not (
                isinstance(item, list)
                and len(item) == 2
                and isinstance(item[0], str)
                and isinstance(item[1], int)
            ):
                raise LedgerError(
                    _("{path}: {where}: must be {shape}").format(
                        path=path, where=f"retired[{i}]", shape="[file, generation]"
                    ),
                    hint=backups_hint(files),
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
        """The client ``code`` (whatever its case), or NotFound naming the nearest codes."""
        return find_client(self.clients(), code)

    def put_client(self, client: Client) -> None:
        """Add or replace a client."""
        self.recorder.saw("client", client.code, self._m["clients"].get(client.code))
        self.clients()[client.code] = client
        self._m["clients"][client.code] = codec.encode_client(client)
        self._dirty = True

    def rename_client(self, old: str, client: Client) -> None:
        """Put ``client`` in the place of the client ``old`` (its code changed)."""
        clients = self.clients()
        if old not in clients:
            raise NotFound(_("unknown client '{code}'").format(code=old))
        self.recorder.saw("client", old, self._m["clients"].get(old))  # undo: the old back, the new gone
        self.recorder.saw("client", client.code, self._m["clients"].get(client.code))
        self._clients = {
            client.code if code == old else code: client if code == old else c for code, c in clients.items()
        }
        self._m["clients"] = {
            client.code if code == old else code: codec.encode_client(client) if code == old else row
            for code, row in self._m["clients"].items()
        }
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
        self.recorder.saw("order", order.id, self._raw_order(order.id))
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

    def _running_rows(self) -> dict[str, Any]:
        rows: dict[str, Any] = self._m["running"]
        return rows

    def _decode_running(self, key: str, row: Any) -> Session:
        try:
            return codec.decode_session(row, f"{self.files.main}: running.{key or '(anyone)'}")
        except codec.ShapeError as exc:  # it lives in the manifest, not in a part
            raise LedgerError(str(exc), hint=backups_hint(self.files)) from None

    def running_sessions(self) -> list[Session]:
        """Every running session, of every consultant."""
        return [self._decode_running(key, row) for key, row in self._running_rows().items()]

    def running(self, consultant: str | None) -> Session | None:
        """The session ``consultant`` has running (or one of nobody's: whoever asks)."""
        rows = self._running_rows()
        for key in (_worker(consultant), ""):
            if key in rows:
                return self._decode_running(key, rows[key])
        return None

    def last_stopped_id(self, consultant: str | None) -> int | None:
        """The id of the session ``consultant`` stopped most recently (what ``resume``
        continues)."""
        stopped: dict[str, Any] = self._m["last_stopped"]
        for key in (_worker(consultant), ""):
            value = stopped.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        return None

    def session(self, session_id: int) -> Session:
        """The session ``session_id``, running or stored."""
        for running in self.running_sessions():
            if running.id == session_id:
                return running
        for key, part in self._holders(session_id):
            row = part.records[str(session_id)]
            file = self._m["parts"].get(key, {}).get("file", key)
            where = f"{file}: records[{list(part.records).index(str(session_id))}]"
            found: Session = self._decoded(codec.decode_session, row, where)
            return found
        raise NotFound(_("no session {id}").format(id=session_id), hint=_("see 'kvsupport session list'"))

    def session_batches(self) -> Iterator[list[Session]]:
        """Every session, a stored month at a time (running ones with their month), oldest
        first; each month is let go once given out."""
        running: dict[str, list[Session]] = {}
        for s in self.running_sessions():
            running.setdefault(s.started_at.isoformat()[:7], []).append(s)
        months = sorted({k.split("/", 1)[1] for k in self._keys("sessions")} | set(running))
        for month in months:
            key = f"sessions/{month}"
            batch = list(self._decode_sessions(key)) if key in self._m["parts"] else []
            batch += running.get(month, [])
            batch.sort(key=lambda s: (s.started_at, s.id))
            self._forget(key)
            yield batch

    def export_batches(self, client: str | None = None) -> Iterator[list[dict[str, Any]]]:
        """The rows of ``export`` a stored month at a time, oldest first, taken from the
        records (:func:`codec.session_export_rows`): a running session is not exported, so
        the manifest's are not read. Each month is let go once given out."""
        for key in self._keys("sessions"):
            file = self._m["parts"][key].get("file", key)
            try:
                ordered = sorted(
                    codec.session_export_rows(row, f"{file}: records[{i}]")
                    for i, row in enumerate(self._part(key).records.values())
                    if client is None or (type(row) is dict and row.get("client") == client)
                )
            except codec.ShapeError as exc:
                raise LedgerError(f"{self.files.parts}/{exc}", hint=backups_hint(self.files)) from None
            self._forget(key)
            yield [row for _start, _id, rows in ordered for row in rows]

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

    def session_months(self) -> list[str]:
        """The months (as stored) that have a part of sessions, oldest first."""
        return [k.split("/", 1)[1] for k in self._keys("sessions")]

    def sessions_between(self, start: datetime, end: datetime) -> list[Session]:
        """Sessions (running ones too) whose first segment starts in ``start``..``end``
        (aware times, end excluded), oldest first."""
        out: list[Session] = [
            self._decoded(codec.decode_session, row, where) for row, where in self._stored_between(start, end)
        ]
        out += [s for s in self.running_sessions() if start <= s.started_at < end]
        out.sort(key=lambda s: (s.started_at, s.id))
        return out

    def sessions_touching(self, start: datetime, end: datetime | None) -> list[Session]:
        """The running sessions and every stored one in a month whose sessions may reach
        into ``start``..``end`` (``end`` None: open-ended): the parts' first start and
        last end rule the others out unread. The caller compares the segments."""
        found = self.running_sessions()
        for key in self._keys("sessions"):
            entry = self._m["parts"][key]
            first, last = entry.get("min_start"), entry.get("max_end")
            if last is not None and datetime.fromisoformat(last) <= start:
                continue
            if end is not None and first is not None and datetime.fromisoformat(first) >= end:
                continue
            found.extend(self._decode_sessions(key))
        return found

    def sessions_meeting(self, spans: Sequence[tuple[datetime, datetime]]) -> list[Session]:
        """The running sessions and the stored ones whose span meets one of ``spans``.

        Of each month that can hold one, only the first start and the last end of each
        record are parsed; the rest of a record is decoded only when they meet a span.
        A month read only for this is let go at once: an import of thousands of rows
        over years holds one month of the history at a time, not all of it.
        """
        found = self.running_sessions()
        wanted = Spans(spans)
        if wanted.first is None or wanted.last is None:
            return found
        first, last = wanted.first, wanted.last
        for key in self._keys("sessions"):
            entry = self._m["parts"][key]
            low, high = entry.get("min_start"), entry.get("max_end")
            if high is not None and datetime.fromisoformat(high) <= first:
                continue
            if low is not None and datetime.fromisoformat(low) >= last:
                continue
            held = key in self._parts
            file = entry.get("file", key)
            for i, row in enumerate(self._part(key).records.values()):
                try:
                    start = datetime.fromisoformat(row["segments"][0]["start"])
                    end = datetime.fromisoformat(row["segments"][-1]["end"])
                    if not wanted.meets(start, end):
                        continue
                except (KeyError, IndexError, TypeError, ValueError):
                    pass  # decoded below: the decoder names what is wrong
                found.append(self._decoded(codec.decode_session, row, f"{file}: records[{i}]"))
            if not held:
                self._forget(key)
        return found

    def put_session(self, session: Session) -> None:
        """Store ``session``: a running one becomes its consultant's running session."""
        self.recorder.saw("session", session.id, self._raw_session(session.id))
        rows = self._running_rows()
        held_as = next((k for k, row in rows.items() if row.get("id") == session.id), None)
        if session.is_running:
            key = _worker(session.consultant) if held_as is None else held_as
            current = rows.get(key)
            if current is not None and current.get("id") != session.id:
                raise LedgerError(_("session {id} is already running").format(id=current.get("id")))
            self._drop_stored(session.id)
            rows[key] = codec.encode_session(session)
        else:
            if held_as is not None:
                del rows[held_as]
                self._m["last_stopped"][_worker(session.consultant)] = session.id
            self._drop_stored(session.id)
            key = _session_key(session)
            part = self._part(key)
            part.records[str(session.id)] = codec.encode_session(session)
            part.dirty = True
            self._placed[session.id] = key
            self._spill(keep=key)
        self._dirty = True

    def delete_session(self, session_id: int) -> None:
        """Remove a session (running or stored) for good."""
        self.recorder.saw("session", session_id, self._raw_session(session_id))
        rows = self._running_rows()
        for key in [k for k, row in rows.items() if row.get("id") == session_id]:
            del rows[key]
        self._drop_stored(session_id)
        stopped: dict[str, Any] = self._m["last_stopped"]
        for key in [k for k, value in stopped.items() if value == session_id]:
            del stopped[key]
        self._dirty = True

    # -- the journal (``undo``) --------------------------------------------------------

    def _raw_order(self, order_id: int) -> dict[str, Any] | None:
        found: dict[str, Any] | None = next((o for o in self._m["orders"] if o.get("id") == order_id), None)
        return found

    def _raw_session(self, session_id: int) -> dict[str, Any] | None:
        for row in self._running_rows().values():
            if row.get("id") == session_id:
                found: dict[str, Any] = row
                return found
        for _key, part in self._holders(session_id):
            record: dict[str, Any] = part.records[str(session_id)]
            return record
        return None

    def _highest_stored_id(self) -> int:
        """The highest id the parts' ranges hold (as last committed): a higher one is new."""
        parts = self._m["parts"]
        if self._highest_of is not parts:
            ids = [parts[k].get("max_id", 1 << 62) for k in self._keys("sessions")]
            self._highest_of, self._highest = parts, max(ids, default=0)
        return self._highest

    def _holders(self, session_id: int) -> list[tuple[str, _Part]]:
        """The parts that store session ``session_id``: those whose id range (as last
        committed) holds it, and the one this unit put it in. A new id is in no range:
        no part is read, whatever this unit has loaded (an import puts thousands)."""
        holders = []
        for key in self._keys("sessions") if session_id <= self._highest_stored_id() else ():
            entry = self._m["parts"][key]
            if entry.get("min_id", 0) <= session_id <= entry.get("max_id", 1 << 62):
                part = self._part(key)
                if str(session_id) in part.records:
                    holders.append((key, part))
        placed = self._placed.get(session_id)
        if placed is not None and all(key != placed for key, _part in holders):
            own = self._parts.get(placed)
            if own is None and placed in self._spilled:  # written out early: read it back
                own = self._part(placed)
            if own is not None and str(session_id) in own.records:
                holders.append((placed, own))
        return holders

    def raw_record(self, kind: str, key: str) -> dict[str, Any] | None:
        """The stored record of ``kind`` (client, order, session, invoice) and ``key``."""
        if kind == "client":
            found: dict[str, Any] | None = self._m["clients"].get(key)
            return found
        if kind == "order":
            return self._raw_order(int(key))
        if kind == "session":
            return self._raw_session(int(key))
        return self._raw_invoice(key)

    def put_raw_record(self, kind: str, key: str, record: dict[str, Any] | None) -> None:
        """Store a record as it was kept (``None``: remove it), for ``undo``."""
        where = f"{self.files.main}: journal"
        if kind == "client":
            if record is None:
                self.recorder.saw("client", key, self._m["clients"].get(key))
                del self._m["clients"][key]
                self._clients = None
                self._dirty = True
            else:
                self.put_client(self._decoded(codec.decode_client, record, where))
        elif kind == "order":
            if record is None:
                self.recorder.saw("order", key, self._raw_order(int(key)))
                self._m["orders"] = [o for o in self._m["orders"] if o.get("id") != int(key)]
                self._orders = None
                self._dirty = True
            else:
                self.put_order(self._decoded(codec.decode_order, record, where))
        elif kind == "session":
            if record is None:
                self.delete_session(int(key))
            else:
                self.put_session(self._decoded(codec.decode_session, record, where))
        elif record is not None:
            self._store_invoice(self._decoded(codec.decode_invoice, record, where))

    def describe(self, action: str) -> None:
        """Name this unit's change in the journal."""
        self.recorder.action = action

    def changes(self) -> list[Change]:
        """The journal's recent changes, oldest first."""
        return [change_of(raw) for raw in self._m.get("journal", [])]

    def undo(self, consultant: str | None) -> Change:
        """Take back ``consultant``'s last change not taken back yet."""
        change = chosen_for_undo(self.changes(), consultant, hint=_("see 'kvsupport ledger backups'"))
        raw = next(r for r in self._m["journal"] if r["number"] == change.number)
        try:
            if "entries" in raw:
                kept = raw["entries"]
            else:
                path = self.files.parts / raw["file"]
                kept = load_json(path, _read_capped(path), self.files)["entries"]
            entries = [entry_from(e) for e in kept]
        except (OSError, KeyError, TypeError) as exc:
            raise LedgerError(
                _("{path}: cannot read the journal of change {change}: {reason}").format(
                    path=self.files.main, change=change.number, reason=exc
                )
            ) from None
        for entry in restore_order(plan(change, entries, self)):
            self.put_raw_record(entry.kind, entry.key, entry.before)
        self.recorder.undoes = change.number
        self.recorder.action = "undo"
        return change

    def _drop_stored(self, session_id: int) -> None:
        """Remove the stored copy of a session about to be replaced or deleted. A session
        found in two parts (a damaged ledger) is refused: replacing it would silently drop
        the other copy."""
        holders = self._holders(session_id)
        if len(holders) > 1:
            names = ", ".join(self._m["parts"][key]["file"] for key, _ in holders)
            raise LedgerError(
                _("{path}: session {id} is stored twice ({files}); changing it would drop a copy").format(
                    path=self.files.parts, id=session_id, files=names
                ),
                hint=_("nothing was changed; see 'kvsupport ledger check'"),
            )
        for _key, part in holders:
            del part.records[str(session_id)]
            part.dirty = True
        self._placed.pop(session_id, None)

    # -- whole-ledger operations -----------------------------------------------------

    def check(self) -> list[str]:
        """Read and decode every record and compare them with each other and with the
        manifest; every problem found, one line each (:mod:`.ledger_check`)."""
        from kvsupport.storage.jsonfiles.check import check_ledger

        problems, self._checked_counts = check_ledger(self)
        return problems

    def counts(self) -> Counts:
        """Clients, sessions (running ones too), invoices and orders: counted by
        :meth:`check` when it ran, else from the manifest's index."""
        counted: Counts | None = getattr(self, "_checked_counts", None)
        if counted is not None:
            return counted
        parts = self._m["parts"]
        sessions = sum(int(parts[k].get("count", 0)) for k in self._keys("sessions"))
        invoices = sum(int(parts[k].get("count", 0)) for k in self._keys("invoices"))
        return Counts(len(self.clients()), sessions + len(self._running_rows()), invoices, len(self.orders()))

    def is_empty(self) -> bool:
        """True when nothing at all is stored (no record, no counter moved)."""
        counters = self._m["counters"]
        return not (
            self._m["clients"]
            or self._m["orders"]
            or self._m["parts"]
            or self._running_rows()
            or counters.get("session")
            or counters.get("order")
            or any(counters.get("invoice", {}).values())
        )

    def counters(self) -> Counters:
        """Where the numbering stands."""
        counters = self._m["counters"]
        invoices = {int(year): int(last) for year, last in counters.get("invoice", {}).items()}
        stopped = {k: int(v) for k, v in self._m["last_stopped"].items()}
        return Counters(int(counters.get("session", 0)), int(counters.get("order", 0)), invoices, stopped)

    def set_counters(self, counters: Counters) -> None:
        """Carry ``counters`` over (a copy into an empty ledger: not a change to undo)."""
        self.recorder.quiet = True
        self._m["counters"] = {
            "session": counters.session,
            "order": counters.order,
            "invoice": {str(year): last for year, last in sorted(counters.invoices.items())},
        }
        self._m["last_stopped"] = dict(counters.last_stopped)
        self._dirty = True

    def replace_with_backup(self, backup: Backup) -> None:
        """Make ``backup`` the current state (the current one stays in the backups: the
        restore is one more change, and can itself be taken back)."""
        try:
            raw = _read_capped(backup.path)
        except OSError as exc:
            raise LedgerError(
                _("{path}: cannot read the backup: {reason}").format(
                    path=backup.path, reason=exc.strerror or exc
                ),
                hint=_("nothing was changed; choose another backup from 'kvsupport ledger backups'"),
            ) from None
        doc = self._checked_manifest(load_json(backup.path, raw, self.files), self.files)
        missing = [e["file"] for e in doc["parts"].values() if not (self.files.parts / e["file"]).exists()]
        if missing:
            raise LedgerError(
                _("{path}: its part file {file} is gone; cannot restore it").format(
                    path=backup.path, file=missing[0]
                ),
                hint=_("choose a more recent backup"),
            )
        live_now = {e["file"] for e in self._m["parts"].values()}
        live_then = {e["file"] for e in doc["parts"].values()}
        generation = self.generation + 1
        retired = [r for r in self._m["retired"] if r[0] not in live_then]
        retired += [[name, generation] for name in sorted(live_now - live_then)]
        doc["retired"] = retired
        doc["generation"] = self.generation  # commit() adds one
        doc["journal"] = self._m.get("journal", [])  # the changes up to now, restore included
        self.recorder.quiet = True
        self._m = doc
        self._parts = {}
        self._placed = {}
        self._clients = None
        self._orders = None
        self._dirty = True


def read_snapshot(path: Path) -> FileStore:
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

    def __enter__(self) -> FileStore:
        try:
            self._lock(self.files)
            self.ledger = self._load()
            if self.ledger.files.layout == SHARED_LAYOUT:
                self._lock(self.ledger.files)  # an older kvsupport locks only this one
                self.ledger = self._load()  # read again under both locks
            self.ledger.may_spill = self.write
        except BaseException:
            locks = list(self._locks)
            self._unlock()
            for lock in locks:
                lock.remove_created()
            raise
        return self.ledger

    def _load(self) -> FileStore:
        if self.recover:
            return FileStore.for_recovery(self.files, write=self.write)
        return FileStore.load(self.files)

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
                        _("{path}: cannot write: {reason}").format(
                            path=self.files.main, reason=exc.strerror or exc
                        ),
                        hint=_("nothing was changed; free some space or check permissions"),
                    ) from None
        finally:
            try:
                self.ledger.discard()  # after a commit nothing is left to discard
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
        raise LedgerError(
            _("{path}: larger than {size} MiB: not a kvsupport ledger").format(
                path=path, size=MAX_FILE_BYTES >> 20
            )
        )
    return data
