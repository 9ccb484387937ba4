"""The storage interface, in domain terms: what every ledger backend offers.

Commands never see files, manifests or tables: they open a unit of work on a
ledger location (:func:`kvsupport.storage.open_store`) and call the methods of
:class:`Store` on it. Two backends stand behind it — the local JSON ledger
(:mod:`kvsupport.storage.jsonfiles`) and the shared PostgreSQL ledger
(:mod:`kvsupport.storage.postgres`) — and the same command lines give the same
results on both.

A unit of work is one command: ``with open_store(location, write=True) as s:``
holds the file lock and commits with one atomic rename on one side, and is one
transaction on the other. An exception inside the block discards every change.

What only one backend can do is a capability of its own (:class:`Backups`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple, Protocol, runtime_checkable

from kvsupport.core.models import Client, Invoice, Order, Session


class InvoiceSummary(NamedTuple):
    """An invoice's figures without its lines and requisites: what a listing, a report
    or a reminder needs (read from an index, never from the whole invoices)."""

    number: str
    date: dt.date
    period: str
    status: str
    total: Decimal
    vat_mode: str
    vat_amount: Decimal
    client_code: str
    client_name: str
    paid_on: dt.date | None = None
    void_reason: str | None = None
    due_on: dt.date | None = None
    #: what is still to be paid (nothing once paid or void)
    balance: Decimal = Decimal("0.00")
    #: the day the latest payment came in
    last_payment_on: dt.date | None = None


class Counts(NamedTuple):
    """What a ledger holds."""

    clients: int
    sessions: int
    invoices: int
    orders: int


class Counters(NamedTuple):
    """Where a ledger's numbering stands: what a copy carries over so that no id or
    number is ever given out again."""

    session: int
    order: int
    invoices: Mapping[int, int]  # series (a year, or 0) -> the last number taken
    last_stopped: Mapping[str, int]  # consultant ("" for nobody's) -> session id


class Change(NamedTuple):
    """One change of the ledger, as its journal keeps it (``ledger backups``, ``undo``)."""

    number: int  # the file ledger's generation; the database's change number
    at: datetime
    consultant: str | None
    action: str | None  # what the command called it (``invoice``, ``import``…), if it said
    ops: tuple[tuple[str, ...], ...]  # the first ("add"|"change"|"delete", kind, key) it made
    size: int  # how many records it changed in all
    undone_by: int | None = None  # the change that took it back
    undoes: int | None = None  # the change it took back (an ``undo``)


class BackupInfo(NamedTuple):
    """One restorable earlier state of a file ledger."""

    name: str
    taken_at: datetime
    generation: int
    size: int
    path: str
    current: bool


@runtime_checkable
class Store(Protocol):
    """One unit of work on a ledger: reads see one state; writes commit together."""

    @property
    def location(self) -> str:
        """Where the ledger is, for messages: a file path or a server address (no password)."""
        ...

    # -- clients ------------------------------------------------------------------

    def clients(self) -> Mapping[str, Client]:
        """Every client by code, in the order they were added."""
        ...

    def client(self, code: str) -> Client:
        """The client ``code``, whatever its case (``Romashka`` is ``romashka``), or
        :class:`~kvsupport.errors.NotFound` naming the nearest codes."""
        ...

    def put_client(self, client: Client) -> None:
        """Add or replace a client."""
        ...

    def rename_client(self, old: str, client: Client) -> None:
        """Put ``client`` (a new code) in the place of the client ``old``, where it stood in
        the order clients were added; NotFound if there is none. Records that name
        ``old`` (sessions, orders) are the caller's to change in the same unit of work."""
        ...

    # -- orders -------------------------------------------------------------------

    def orders(self) -> list[Order]:
        """Every order, oldest number first."""
        ...

    def new_order_id(self) -> int:
        """The next order number (never reused)."""
        ...

    def put_order(self, order: Order) -> None:
        """Add or replace an order."""
        ...

    # -- sessions -----------------------------------------------------------------

    def new_session_id(self) -> int:
        """The next session id (never reused)."""
        ...

    def running(self, consultant: str | None) -> Session | None:
        """The session ``consultant`` has running (one recorded before consultants
        were: whoever asks), if any."""
        ...

    def last_stopped_id(self, consultant: str | None) -> int | None:
        """The id of the session ``consultant`` stopped most recently."""
        ...

    def session(self, session_id: int) -> Session:
        """The session ``session_id``, running or stored, or NotFound."""
        ...

    def sessions_between(self, start: datetime, end: datetime) -> list[Session]:
        """Sessions (running ones too) whose first segment starts in ``start``..``end``
        (``end`` excluded), oldest first."""
        ...

    def sessions_touching(self, start: datetime, end: datetime | None) -> list[Session]:
        """Every session that may have a segment inside ``start``..``end`` (``None``:
        open-ended), running ones included; the caller compares the segments. May hold
        more, never fewer."""
        ...

    def sessions_meeting(self, spans: Sequence[tuple[datetime, datetime]]) -> list[Session]:
        """Every session whose span (first start to last end, open while running) may
        meet one of ``spans`` (aware start and end pairs, any order), running ones
        included; the caller compares the segments. May hold more, never fewer: an
        import asks this for thousands of spans over years of sessions."""
        ...

    def session_batches(self) -> Iterator[list[Session]]:
        """Every session, a month at a time, oldest first: ten years in a month's memory."""
        ...

    def export_batches(self, client: str | None = None) -> Iterator[list[dict[str, Any]]]:
        """The rows of ``export`` (:func:`kvsupport.core.records.export_rows`) of every
        finished session (of ``client``, if given), a month at a time, oldest first."""
        ...

    def put_session(self, session: Session) -> None:
        """Store ``session``, new or changed (a running one is its consultant's running one)."""
        ...

    def delete_session(self, session_id: int) -> None:
        """Remove a session for good."""
        ...

    # -- invoices -----------------------------------------------------------------

    def invoice(self, number: str) -> Invoice:
        """The invoice ``number``, or NotFound."""
        ...

    def has_invoice(self, number: str) -> bool:
        """True when an invoice ``number`` is stored, whatever its status."""
        ...

    def invoices(
        self, periods: Iterable[str] | None = None, statuses: Iterable[str] | None = None
    ) -> list[Invoice]:
        """Whole invoices of ``periods`` (all if None) with one of ``statuses``, in order of issue."""
        ...

    def invoice_summaries(
        self, statuses: Iterable[str] | None = None, client: str | None = None
    ) -> list[InvoiceSummary]:
        """The figures of every invoice (of ``statuses``, of ``client``), in order of issue."""
        ...

    def invoice_batches(self, numbers: Iterable[str]) -> Iterator[list[Invoice]]:
        """Whole invoices ``numbers`` in that order, in batches (a period at a time)."""
        ...

    def add_invoice(self, invoice: Invoice) -> None:
        """Store a newly issued invoice; a number stored already is refused."""
        ...

    def put_invoice(self, invoice: Invoice) -> None:
        """Store a change of status of an issued invoice; its printed content is frozen."""
        ...

    def next_invoice_seq(self, series: int) -> int:
        """The next number of ``series`` (a year, or 0 for a numbering that never
        restarts), taken in this unit of work: gapless, never reused."""
        ...

    # -- the whole ledger ---------------------------------------------------------

    def check(self) -> list[str]:
        """Read every record and say what is wrong, one line each."""
        ...

    def counts(self) -> Counts:
        """How many clients, sessions, invoices and orders the ledger holds."""
        ...

    def is_empty(self) -> bool:
        """True when the ledger holds nothing at all (a copy may go into it)."""
        ...

    def counters(self) -> Counters:
        """Where the numbering stands."""
        ...

    def set_counters(self, counters: Counters) -> None:
        """Carry ``counters`` over (``ledger copy`` into an empty ledger)."""
        ...

    # -- the journal --------------------------------------------------------------

    def describe(self, action: str) -> None:
        """Name this unit's change in the journal (``invoice``, ``import``…)."""
        ...

    def changes(self) -> list[Change]:
        """The journal's recent changes, oldest first."""
        ...

    def undo(self, consultant: str | None) -> Change:
        """Take back ``consultant``'s last change not taken back yet (see
        :mod:`kvsupport.storage.journal`); the change taken back, or a refusal why not."""
        ...


@runtime_checkable
class Backups(Protocol):
    """A ledger that keeps earlier states of itself (the file ledger)."""

    def backups(self) -> list[BackupInfo]:
        """Earlier states, newest (the current one) first."""
        ...

    def restore(self, name: str) -> BackupInfo:
        """Make the backup ``name`` the current state (one more change); the backup."""
        ...
