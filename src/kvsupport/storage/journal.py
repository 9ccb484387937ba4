"""The journal of changes behind ``kvsupport undo``, the same on both backends.

Every unit of work that changes records keeps, for each record it touched, the
record as it was before (``None``: it did not exist) and a digest of the record
it left. ``undo`` takes back the consultant's last change not taken back yet:
each record must still be exactly as the change left it (else someone changed
it since, and the refusal names it), and a change that issued an invoice is
refused — an issued invoice is voided, never undone, its number is spent. The
taking back is itself a change of the ledger, journaled as such (and not taken
back by the next ``undo``, which goes on to the change before).

Records are kept in the shape of :mod:`kvsupport.storage.codec`; the backends
supply reading and writing them (:class:`RecordAccess`) and keep the entries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from kvsupport.errors import Refused
from kvsupport.i18n import N_, _
from kvsupport.storage.api import Change

KINDS = ("client", "order", "session", "invoice")
#: how many changes a ledger keeps in its journal
KEEP = 50
#: how many of a change's record keys its summary names (an import touches thousands)
SHOWN = 20

#: Why a record changed since cannot be taken back, one sentence a kind (the kind
#: decides the words in Russian: «сеанс 3 изменён», «заявка 3 изменена»).
_CHANGED_AFTER = {
    "client": N_("client {key} was changed after change {change}: taking it back would lose that"),
    "order": N_("order {key} was changed after change {change}: taking it back would lose that"),
    "session": N_("session {key} was changed after change {change}: taking it back would lose that"),
    "invoice": N_("invoice {key} was changed after change {change}: taking it back would lose that"),
    "": N_("{kind} {key} was changed after change {change}: taking it back would lose that"),
}

Key = tuple[str, str]  # (kind, key): ("session", "12")


def digest(record: Mapping[str, Any] | None) -> str | None:
    """A stable digest of a stored record (``None`` for no record)."""
    if record is None:
        return None
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    import hashlib  # OpenSSL's ~2 ms: only a change needs it

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Entry(NamedTuple):
    """One record a change touched: as it was, and the digest of what it left."""

    kind: str
    key: str
    before: dict[str, Any] | None
    after: str | None  # digest

    @property
    def op(self) -> str:
        """``add``, ``delete`` or ``change``."""
        if self.before is None:
            return "add"
        return "delete" if self.after is None else "change"


def entry_record(entry: Entry) -> dict[str, Any]:
    """An entry as kept."""
    return {"kind": entry.kind, "key": entry.key, "before": entry.before, "after": entry.after}


def entry_from(raw: Mapping[str, Any]) -> Entry:
    """An entry from what was kept."""
    return Entry(str(raw["kind"]), str(raw["key"]), raw.get("before"), raw.get("after"))


class RecordAccess(Protocol):
    """What a backend lets the journal read and write: stored records by kind and key."""

    def raw_record(self, kind: str, key: str) -> dict[str, Any] | None:
        """The stored record, or ``None``."""
        ...

    def put_raw_record(self, kind: str, key: str, record: dict[str, Any] | None) -> None:
        """Store ``record`` as it is (``None``: remove it)."""
        ...


class Recorder:
    """The before-images a unit of work collects as it writes."""

    def __init__(self) -> None:
        self.before: dict[Key, dict[str, Any] | None] = {}
        self.action: str | None = None
        self.undoes: int | None = None  # the change this unit takes back
        self.quiet = False  # a copy or a restore: not a change undo can take back
        self.settled: dict[Key, str | None] = {}  # digests of records written out early

    def saw(self, kind: str, key: object, before: Mapping[str, Any] | None) -> None:
        """``kind``/``key`` is about to change; ``before`` is how it is now (the first
        sight counts: later writes of the same unit do not move the before-image)."""
        slot = (kind, str(key))
        self.settled.pop(slot, None)
        if slot not in self.before:
            self.before[slot] = None if before is None else json.loads(json.dumps(before))

    def entries(self, access: RecordAccess) -> list[Entry]:
        """What the unit changed, with digests of what it left (a record written back
        unchanged is no change)."""
        out = []
        for (kind, key), before in self.before.items():
            if (kind, key) in self.settled:
                left = self.settled[kind, key]
            else:
                left = digest(access.raw_record(kind, key))
            if left != digest(before):
                out.append(Entry(kind, key, before, left))
        return out

    def settle(self, records: Iterable[tuple[str, str, Mapping[str, Any]]]) -> None:
        """The digests of these records as they are now: a backend that writes them out
        before the commit (and lets them go) says what they left; a later write of one
        (:meth:`saw`) makes it be read again."""
        for kind, key, record in records:
            if (kind, key) in self.before:
                self.settled[kind, key] = digest(record)


def summary(entries: Iterable[Entry]) -> tuple[list[list[str]], int]:
    """The first :data:`SHOWN` ``[op, kind, key]`` of a change, and how many in all."""
    listed = list(entries)
    return [[e.op, e.kind, e.key] for e in listed[:SHOWN]], len(listed)


def change_of(raw: Mapping[str, Any]) -> Change:
    """A journal summary (as kept beside the entries) as a value."""
    return Change(
        number=int(raw["number"]),
        at=datetime.fromisoformat(str(raw["at"])),
        consultant=raw.get("consultant"),
        action=raw.get("action"),
        ops=tuple(tuple(op) for op in raw.get("ops", ())),
        size=int(raw.get("count", 0)),
        undone_by=raw.get("undone_by"),
        undoes=raw.get("undoes"),
    )


def chosen_for_undo(changes: Iterable[Change], consultant: str | None, *, hint: str) -> Change:
    """The consultant's latest change not taken back yet (an ``undo`` itself is passed
    over: the next ``undo`` goes on to the change before), or a refusal with ``hint``
    (the backend's: a file ledger has backups, a database has none of its own)."""
    for change in sorted(changes, key=lambda c: c.number, reverse=True):
        if change.undoes is not None or change.undone_by is not None:
            continue
        if change.size == 0:
            continue
        if consultant is not None and change.consultant not in (consultant, None):
            continue
        return change
    raise Refused(_("there is no change of yours to take back"), hint=hint)


def restore_order(entries: Iterable[Entry]) -> list[Entry]:
    """Entries in the order to put them back: records that come back (clients first),
    then records that go (sessions and orders before the clients they name)."""
    rank = {kind: i for i, kind in enumerate(KINDS)}
    back = sorted((e for e in entries if e.before is not None), key=lambda e: rank.get(e.kind, 9))
    gone = sorted((e for e in entries if e.before is None), key=lambda e: -rank.get(e.kind, 9))
    return back + gone


def plan(change: Change, entries: list[Entry], access: RecordAccess) -> list[Entry]:
    """The records to put back to take ``change`` back, or a refusal saying why not."""
    for entry in entries:
        if entry.kind == "invoice" and entry.before is None:
            raise Refused(
                _("change {change} issued invoice {number}: an issued invoice is voided, not undone").format(
                    change=change.number, number=entry.key
                ),
                hint=_("void it: {command}").format(
                    command=f"kvsupport invoice void {entry.key} --reason TEXT"
                ),
            )
    for entry in entries:
        if digest(access.raw_record(entry.kind, entry.key)) != entry.after:
            raise Refused(
                _(_CHANGED_AFTER.get(entry.kind, _CHANGED_AFTER[""])).format(
                    kind=entry.kind, key=entry.key, change=change.number
                ),
                hint=_("take back the later changes first, or fix it by hand"),
            )
    return entries
