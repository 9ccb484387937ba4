"""A bank statement in: its incoming payments matched to open invoices and recorded (SPEC §12).

The statement is read whole before the ledger is opened (a malformed file names
its line and nothing is stored); then, in one unit of work, the payments already
recorded are set aside (a payment's identity is on every invoice it paid, so an
overlapping later statement changes nothing), the rest are matched against the
open invoices -- issued or partly paid, with their open balance and their
client's INN -- and what matched is recorded on the invoices, dated the day the
money came in. Probable matches are recorded only when accepted by number.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from kvsupport.core.bankstatement import Statement, read_statement
from kvsupport.core.models import OPEN_STATUSES, Invoice, InvoicePayment
from kvsupport.core.payments import OpenInvoice, Payment, incoming_payments
from kvsupport.core.settlement import Settled, balance_of, known_keys, settle, with_payment
from kvsupport.errors import InvalidValue
from kvsupport.i18n import _
from kvsupport.ops.env import Env
from kvsupport.storage.api import InvoiceSummary, Store


@dataclass
class Imported:
    """What ``bank import`` found in a statement and did (or, dry, would do)."""

    source: str
    statement: Statement
    account: str | None  # the supplier's, from the config
    payments: tuple[Payment, ...]  # the incoming ones, numbered from 1 in this order
    ignored: int  # documents that are not payments into the supplier's account
    #: incoming documents of 0.00: nothing to record, listed as ignored with that reason
    zero: tuple[Payment, ...] = ()
    settled: tuple[Settled, ...] = ()
    repeated: tuple[int, ...] = ()
    dry_run: bool = False
    #: each invoice a payment went to, as it stands afterwards
    invoices: dict[str, Invoice] = field(default_factory=dict)

    @property
    def recorded(self) -> list[Settled]:
        """The payments recorded (matched, partial, accepted)."""
        return [item for item in self.settled if item.applied]

    @property
    def recorded_amount(self) -> Decimal:
        """What the recorded payments put on invoices."""
        return sum((app.amount for item in self.recorded for app in item.match.applications), Decimal("0.00"))


def read(data: bytes, source: str) -> Statement:
    """The statement in ``data``; a malformed one is refused naming ``source`` and the line."""
    try:
        return read_statement(data)
    except InvalidValue as exc:
        raise InvalidValue(
            _("{file}: {problem}").format(file=source, problem=exc.message),
            hint=exc.hint or _("nothing was stored"),
        ) from None


def import_statement(
    env: Env, data: bytes, source: str, *, dry_run: bool = False, accept: Collection[int] = ()
) -> Imported:
    """Read a statement and record what its new incoming payments pay (``dry_run``: only
    say so). ``accept`` names probable matches to record too, by their number."""
    statement = read(data, source)
    account = env.config.text("supplier.account")
    incoming = incoming_payments(statement, account)
    paying = tuple(p for p in incoming.payments if p.amount != 0)
    zero = tuple(p for p in incoming.payments if p.amount == 0)
    result = Imported(source, statement, account, paying, incoming.ignored, zero=zero, dry_run=dry_run)
    with env.store(write=not dry_run) as store:
        summaries = store.invoice_summaries()
        known = known_keys(_may_hold(store, summaries, paying))
        settlement = settle(paying, known, _open_invoices(store, summaries), accept)
        result.settled, result.repeated = settlement.settled, settlement.repeated
        for item in result.recorded:
            for application in item.match.applications:
                invoice = result.invoices.get(application.invoice) or store.invoice(application.invoice)
                invoice = with_payment(invoice, _received(item.match.payment, application.amount))
                if not dry_run:
                    store.put_invoice(invoice)
                result.invoices[invoice.number] = invoice
    return result


def _received(payment: Payment, amount: Decimal) -> InvoicePayment:
    return InvoicePayment(
        date=payment.date,
        amount=amount,
        document=payment.number,
        payer_inn=payment.payer_inn,
        key=payment.key,
    )


def _may_hold(store: Store, rows: list[InvoiceSummary], payments: tuple[Payment, ...]) -> list[Invoice]:
    """The invoices that may hold one of ``payments`` already: a payment recorded on an
    invoice came in no later than the invoice's latest payment, so only invoices paid on
    or after the statement's earliest day are read, not ten years of them."""
    if not payments:
        return []
    since = min(min(p.date, p.document_date) for p in payments)
    numbers = [r.number for r in rows if r.last_payment_on is not None and r.last_payment_on >= since]
    return [invoice for batch in store.invoice_batches(numbers) for invoice in batch]


def _open_invoices(store: Store, rows: list[InvoiceSummary]) -> list[OpenInvoice]:
    """Issued and partly paid invoices with something left, with their client's INN and
    the payments typed in by hand on them (only partly paid invoices are read whole)."""
    clients = store.clients()
    open_rows = [row for row in rows if row.status in OPEN_STATUSES and row.balance > 0]
    partly = [row.number for row in open_rows if row.status == "partly_paid"]
    by_hand = {
        invoice.number: tuple((p.date, p.amount) for p in invoice.payments if p.key is None)
        for batch in store.invoice_batches(partly)
        for invoice in batch
    }
    found = []
    for row in open_rows:
        client = clients.get(row.client_code)
        inn = client.inn if client is not None and client.inn else ""
        hand = by_hand.get(row.number, ())
        found.append(OpenInvoice(row.number, row.date, row.client_code, inn, row.balance, hand))
    return found


def balance_after(result: Imported, number: str) -> Decimal:
    """What is left to pay on invoice ``number`` after the import."""
    return balance_of(result.invoices[number])
