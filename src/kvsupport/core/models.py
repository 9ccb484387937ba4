"""The domain's values: frozen, compared by value, changed by building new ones.

These are ``typing.NamedTuple`` classes, not pydantic models nor dataclasses:
``session start``, ``stop`` and ``status`` have a 50-60 ms budget; importing
pydantic with a few models costs ~96 ms on the target machine (MEASURED.md),
and ``dataclasses`` (with ``inspect``) plus generating their methods ~13 ms. Validation of what comes from
outside (tariff files, the ledger, import rows) lives where the data enters and
collects every problem; inside, these values are trusted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, NamedTuple

Rounding = Literal["up", "nearest", "down"]
ROUNDINGS: tuple[Rounding, ...] = ("up", "nearest", "down")

#: What a service may require to be on record before a session (SPEC §6).
REQUIREMENTS: tuple[str, ...] = ("problem", "phone", "consent", "backup_confirmed")

InvoiceStatus = Literal["issued", "partly_paid", "paid", "void"]
INVOICE_STATUSES: tuple[InvoiceStatus, ...] = ("issued", "partly_paid", "paid", "void")
#: the statuses of an invoice with something left to pay
OPEN_STATUSES: tuple[InvoiceStatus, ...] = ("issued", "partly_paid")
#: who a party is in law: a company (ООО, ТСЖ…) or an individual entrepreneur (ИП), SPEC §8.1
PartyKind = Literal["company", "entrepreneur"]
PARTY_KINDS: tuple[PartyKind, ...] = ("company", "entrepreneur")
OrderStatus = Literal["open", "done", "cancelled"]


class OneTimeFee(NamedTuple):
    """A fee charged once per client, ever, for all services carrying its ``key``."""

    key: str
    title: str
    amount: Decimal


class Service(NamedTuple):
    """One priced service of one tariff version."""

    key: str
    title: str
    hourly_rate: Decimal
    minimum_minutes: int = 0
    step_minutes: int = 1
    rounding: Rounding = "up"
    requires: tuple[str, ...] = ()
    one_time_fee: OneTimeFee | None = None

    @property
    def is_free(self) -> bool:
        """Free services (the phone line) are logged and reported, never invoiced."""
        return self.hourly_rate == 0 and self.one_time_fee is None


class TariffVersion(NamedTuple):
    """One price list, in force from ``effective`` until the next version."""

    effective: date
    title: str
    vat: str  # "none" or a percentage such as "20": prices include VAT at that rate
    services: Mapping[str, Service]

    @property
    def label(self) -> str:
        """How a charge names its version: ``2017-01-01``."""
        return self.effective.isoformat()

    @property
    def vat_rate(self) -> Decimal | None:
        """The VAT percentage included in prices, or ``None`` for «Без НДС»."""
        return None if self.vat == "none" else Decimal(self.vat)


class Segment(NamedTuple):
    """One stretch of work; ``end`` is ``None`` while it runs."""

    start: datetime
    end: datetime | None = None
    #: where the segment came from outside kvsupport: the ``{GUID}`` of the TeamViewer
    #: connection it was imported from, so that a second import knows it (SPEC §11)
    ref: str | None = None


class LetterEvidence(NamedTuple):
    """The client's letter a session or order was taken from: enough to find and prove
    it later (its SHA-256), not its bytes, which stay where the consultant keeps mail."""

    sender: str  # the address, ``tsj@example.ru``
    sender_name: str  # the display name, ``""`` when the letter gives none
    date: datetime  # the letter's Date header, in its own offset
    subject: str
    message_id: str
    sha256: str  # of the whole .eml file
    file_name: str  # the file's name when it was read (no directory)


class AttachmentEvidence(NamedTuple):
    """A file attached to the letter (the backup the client sent): name, size, hash."""

    name: str
    size: int  # bytes
    sha256: str
    content_type: str = "application/octet-stream"


class Evidence(NamedTuple):
    """What a session or order was taken from (SPEC §11): the letter and its attachments."""

    letter: LetterEvidence
    attachments: tuple[AttachmentEvidence, ...] = ()


class Session(NamedTuple):
    """One support job for one client and one service, in one or more segments."""

    id: int
    client: str
    service: str
    segments: tuple[Segment, ...]
    problem: str | None = None
    phone: str | None = None
    consent: str | None = None
    backup_confirmed: bool = False
    order: int | None = None
    note: str | None = None
    invoice: str | None = None
    allow_overlap: bool = False
    #: who did the work (``consultant.name``, else the login name); ``None`` on sessions
    #: recorded before a ledger knew its consultants
    consultant: str | None = None
    #: the client's letter (and the backup attached to it) the session was taken from
    evidence: Evidence | None = None
    #: where the session was imported from: ``"teamviewer"`` (its connection log), else ``None``
    source: str | None = None

    @property
    def started_at(self) -> datetime:
        """The start of the first segment: it decides the tariff and the month."""
        return self.segments[0].start

    @property
    def ended_at(self) -> datetime | None:
        """The end of the last segment, or ``None`` while the session runs."""
        return self.segments[-1].end

    @property
    def is_running(self) -> bool:
        """True while the last segment is open."""
        return self.segments[-1].end is None

    def worked_seconds(self, now: datetime | None = None) -> int:
        """Sum of segment durations in whole seconds; an open segment runs to ``now``."""
        total = dt.timedelta(0)
        for seg in self.segments:
            end = seg.end if seg.end is not None else now
            if end is None:
                raise ValueError(f"session {self.id} is running: pass now")
            total += end.astimezone(dt.UTC) - seg.start.astimezone(dt.UTC)  # real time, not the wall clock
        return int(total.total_seconds())


class Client(NamedTuple):
    """An organisation the consultant supports."""

    code: str
    name: str
    inn: str | None = None
    kpp: str | None = None
    ogrn: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    #: the client's TeamViewer IDs (digits), by which connection logs find the client
    teamviewer_ids: tuple[str, ...] = ()
    license_until: date | None = None
    fee_paid: bool = False
    #: one-time fee key -> number of the invoice that charged it
    fees_charged: Mapping[str, str] = {}  # never mutated: changes build a new dict
    kind: PartyKind = "company"
    #: who signs the act for the client, title and name: «Председатель правления Петров П. П.»
    signatory: str | None = None
    #: the contract the work is done under: «№ 15 от 01.02.2017» (printed «Основание: договор …»)
    contract: str | None = None
    #: hidden from lists and completion; its history is kept (``client archive``)
    archived: bool = False
    #: the codes it had before ``client edit --code``: issued invoices keep the code they froze
    former_codes: tuple[str, ...] = ()

    @property
    def teamviewer_id(self) -> str | None:
        """The first TeamViewer ID, or ``None``: what a client had before it could have several."""
        return self.teamviewer_ids[0] if self.teamviewer_ids else None

    def owes_fee(self, key: str) -> bool:
        """True when the one-time fee ``key`` has been neither paid before nor invoiced."""
        return not self.fee_paid and key not in self.fees_charged


class InvoiceLine(NamedTuple):
    """One printed line: quantity 1 «усл.» × amount = amount, so it adds up (SPEC §3.9)."""

    kind: Literal["session", "fee"]
    session: int | None
    date: dt.date
    title: str
    minutes: int
    billable_minutes: int
    rate: Decimal
    amount: Decimal
    tariff: str
    vat: str
    service: str | None = None
    fee_key: str | None = None
    segments: tuple[Segment, ...] = ()
    #: the VAT included in ``amount``, half-up to the kopeck; ``None`` in records stored before
    #: VAT was kept per line (``billing.line_vat`` then computes it)
    vat_amount: Decimal | None = None
    #: the session's letter, named in the document's appendix (frozen with the invoice)
    evidence: Evidence | None = None


class InvoicePayment(NamedTuple):
    """Money received for an invoice: from a bank statement (``key`` is the payment's
    identity, :attr:`kvsupport.core.payments.Payment.key`) or typed in (cash, a
    correction: ``key`` is ``None``). One bank payment that pays two invoices is one
    of these on each, with the same key."""

    date: dt.date  # when it came in
    amount: Decimal  # the part of the payment that went to this invoice
    document: str = ""  # the payer's document number (п/п № 17); "" for cash
    payer_inn: str = ""
    key: str | None = None


class Invoice(NamedTuple):
    """An issued bill, frozen with everything it printed (SPEC §7)."""

    number: str
    date: dt.date
    period: str  # "YYYY-MM"
    status: InvoiceStatus
    client: Mapping[str, object]
    supplier: Mapping[str, object]
    lines: tuple[InvoiceLine, ...]
    total: Decimal
    vat_mode: str  # "none" or "included"
    vat_amount: Decimal
    total_in_words: str
    void_reason: str | None = None
    paid_on: dt.date | None = None
    due_on: dt.date | None = None  # «Оплатить не позднее»: fixed when issued
    #: the act's own date (SPEC §8.1); ``None`` on invoices issued before it had one: the invoice's date
    act_date: dt.date | None = None
    #: the number of the voided invoice this one replaces (same client, same sessions)
    replaces: str | None = None
    #: money received, oldest first (SPEC §12); not frozen: what was paid is not what was printed
    payments: tuple[InvoicePayment, ...] = ()
    #: when its e-mail draft was written (``invoice send``), and the last reminder's
    drafted_at: datetime | None = None
    reminded_at: datetime | None = None

    @property
    def client_code(self) -> str:
        """The code of the client billed."""
        return str(self.client["code"])


class Order(NamedTuple):
    """A scheduled request for a session (source §3.1: remote help is ordered ahead)."""

    id: int
    client: str
    service: str
    at: datetime
    problem: str | None = None
    phone: str | None = None
    status: OrderStatus = "open"
    session: int | None = None
    #: the consent to pay the order's letter gives, passed to the session started from it
    consent: str | None = None
    #: the client's letter the order was taken from, passed to the session started from it
    evidence: Evidence | None = None
