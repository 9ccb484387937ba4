"""Incoming bank payments matched to open invoices -- never on the amount alone.

A payment is weighed against the open invoices on three counts (SPEC §12):

- **number**: the purpose of payment names the invoice -- «Оплата по счету N
  2026-0001 от 30.11.26г», «сч. 2026-1», «счет №1 от 01.12.2026» (the year
  then comes from the date, else from the payment's year) -- with ``№``,
  ``N``, ``No``, ``#`` or none, with or without dashes and leading zeros;
- **inn**: the payer's INN is the client's;
- **amount**: the amount is the invoice's open balance (or, when the purpose
  names several invoices, their balances together).

All three: ``matched`` -- the invoice is paid. Number and INN with less than
the balance: ``partial`` -- that much is applied. Any other two of three:
``probable`` -- listed, nothing applied unless the user accepts it. Fewer:
``unmatched``. Payments are matched in order against balances that earlier
payments of the same run have already reduced.

Pure: statements, payments and invoices in, matches out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import Literal, NamedTuple

from kvsupport.core import readable
from kvsupport.core.bankstatement import Document, Statement
from kvsupport.core.invoicerefs import Reference, invoice_references, named_numbers
from kvsupport.i18n import _

__all__ = [
    "Application",
    "Incoming",
    "Match",
    "MatchKind",
    "OpenInvoice",
    "Payment",
    "Reference",
    "incoming_payments",
    "invoice_references",
    "match_payments",
    "new_payments",
    "payment_from",
]

MatchKind = Literal["matched", "partial", "probable", "unmatched"]
ZERO = Decimal("0.00")


class Payment(NamedTuple):
    """An incoming payment, as a bank statement gives it."""

    line: int  # of its document in the statement
    date: dt.date  # when it came in: ДатаПоступило, else the document's Дата
    number: str  # the payer's document number
    document_date: dt.date
    amount: Decimal
    payer_inn: str
    payer_name: str
    payer_account: str
    payer_bik: str
    purpose: str
    kind: str  # Платежное поручение, Банковский ордер, …

    @property
    def key(self) -> str:
        """The payment's identity across statements: document date, number, amount,
        payer's account and BIK (numbers repeat across payers). Stable text, for storing:
        ``2026-12-03|17|5300.00|40702810000000000002|044525225``."""
        return "|".join(
            (
                self.document_date.isoformat(),
                self.number,
                f"{self.amount:f}",
                self.payer_account,
                self.payer_bik,
            )
        )


class OpenInvoice(NamedTuple):
    """An invoice with something left to pay."""

    number: str
    date: dt.date
    client: str  # the client's code
    client_inn: str  # "" when the client has none on record
    balance: Decimal  # what is still to be paid
    #: payments typed in by hand (``invoice pay``: no bank identity), as (date, amount):
    #: a statement's payment like one of them may be that very money, already recorded
    by_hand: tuple[tuple[dt.date, Decimal], ...] = ()


class Application(NamedTuple):
    """An amount of a payment applied to an invoice."""

    invoice: str
    amount: Decimal


class Match(NamedTuple):
    """What one payment pays, how sure that is, and why.

    ``applications`` is what is applied for ``matched`` and ``partial``, and what
    accepting a ``probable`` match would apply; empty for ``unmatched``.
    ``found`` names the counts that held (``number``, ``inn``, ``amount``);
    ``reasons`` says it in words, one line each.
    """

    payment: Payment
    kind: MatchKind
    applications: tuple[Application, ...]
    found: frozenset[str]
    reasons: tuple[str, ...]

    @property
    def surplus(self) -> Decimal:
        """What the payment brings beyond what its applications would record (an
        overpayment): nothing for a match or a partial payment."""
        if not self.applications:
            return ZERO
        return max(self.payment.amount - sum((a.amount for a in self.applications), ZERO), ZERO)


class Incoming(NamedTuple):
    """The payments into the supplier's account, and how many documents were not."""

    payments: tuple[Payment, ...]
    ignored: int


# ------------------------------------------------------------------ statement → payments

_INN_IN_NAME = re.compile(r"ИНН\s*(\d{12}|\d{10})(?!\d)")


def payment_from(document: Document) -> Payment:
    """The payment a statement's document records."""
    inn = document.get("ПлательщикИНН")
    name = document.get("Плательщик1") or document.get("Плательщик")
    if not inn and (found := _INN_IN_NAME.search(name)):
        inn = found.group(1)  # «ИНН 7707083893 ООО Ромашка»: some banks put it in the name
    return Payment(
        line=document.line,
        date=document.received or document.date,
        number=document.number,
        document_date=document.date,
        amount=document.amount,
        payer_inn=inn,
        payer_name=" ".join(name.split()),
        payer_account=document.get("ПлательщикСчет") or document.get("ПлательщикРасчСчет"),
        payer_bik=document.get("ПлательщикБИК"),
        purpose=document.purpose,
        kind=document.kind,
    )


def incoming_payments(statement: Statement, account: str | None) -> Incoming:
    """The documents paying into ``account`` (the supplier's), as payments.

    Incoming: ``ПолучательСчет`` is ``account``, or the document was credited
    (``ДатаПоступило``) and is not from ``account``. The rest -- payments out,
    documents of other accounts -- are counted in ``ignored``.
    """
    payments: list[Payment] = []
    ignored = 0
    for document in statement.documents:
        payee = document.get("ПолучательСчет") or document.get("ПолучательРасчСчет")
        payer = document.get("ПлательщикСчет") or document.get("ПлательщикРасчСчет")
        if (account and payee == account) or (
            document.received is not None and not (account and payer == account)
        ):
            payments.append(payment_from(document))
        else:
            ignored += 1
    return Incoming(tuple(payments), ignored)


def new_payments(payments: Iterable[Payment], known: Collection[str]) -> tuple[tuple[Payment, ...], int]:
    """The payments whose :attr:`Payment.key` is not in ``known`` (already imported), each once;
    and how many were left out as repeats."""
    seen = set(known)
    fresh: list[Payment] = []
    repeated = 0
    for payment in payments:
        if payment.key in seen:
            repeated += 1
            continue
        seen.add(payment.key)
        fresh.append(payment)
    return tuple(fresh), repeated


# ------------------------------------------------------------------ matching


def match_payments(payments: Iterable[Payment], invoices: Iterable[OpenInvoice]) -> tuple[Match, ...]:
    """Match each payment in turn; what ``matched`` and ``partial`` apply lowers the
    balances the next payments are weighed against (a paid invoice is no longer open)."""
    pool = {invoice.number: invoice for invoice in invoices if invoice.balance > 0}
    matches: list[Match] = []
    for payment in payments:
        match = _match_one(payment, list(pool.values()))
        if match.kind in ("matched", "partial"):
            for application in match.applications:
                left = pool[application.invoice].balance - application.amount
                if left > 0:
                    pool[application.invoice] = pool[application.invoice]._replace(balance=left)
                else:
                    del pool[application.invoice]
        matches.append(match)
    return tuple(matches)


def _match_one(payment: Payment, invoices: Sequence[OpenInvoice]) -> Match:
    match = _weighed(payment, invoices)
    pays = {application.invoice for application in match.applications}
    days = (payment.date, payment.document_date)
    for invoice in invoices:
        if invoice.number in pays and any(
            amount == payment.amount and day in days for day, amount in invoice.by_hand
        ):
            reason = _(
                "invoice {number} has {amount} recorded by hand on {date}: this may be that payment"
            ).format(number=invoice.number, amount=payment.amount, date=readable.day(payment.date))
            return match._replace(kind="probable", reasons=(*match.reasons, reason))
    return match


def _weighed(payment: Payment, invoices: Sequence[OpenInvoice]) -> Match:
    references = invoice_references(payment.purpose, payment.date)
    by_number = {invoice.number: invoice for invoice in invoices}
    named = [by_number[number] for number in named_numbers(references, by_number)]
    if not named:
        return _without_number(payment, references, invoices)
    own = [invoice for invoice in named if invoice.client_inn and invoice.client_inn == payment.payer_inn]
    inn_ok = bool(own)
    chosen = own or named
    numbers = ", ".join(invoice.number for invoice in chosen)
    total = sum((invoice.balance for invoice in chosen), ZERO)
    reasons = [_("the purpose names invoice {numbers}").format(numbers=numbers), _inn_reason(payment, chosen)]
    found = {"number", "inn"} if inn_ok else {"number"}
    full = tuple(Application(invoice.number, invoice.balance) for invoice in chosen)
    if payment.amount == total:
        found.add("amount")
        reasons.append(_("the amount {amount} is the open balance").format(amount=payment.amount))
        kind: MatchKind = "matched" if inn_ok else "probable"
        return Match(payment, kind, full, frozenset(found), tuple(reasons))
    exact = [invoice for invoice in chosen if invoice.balance == payment.amount]
    if inn_ok and len(exact) == 1:
        (invoice,) = exact
        reasons.append(
            _("the amount {amount} is the open balance of invoice {number}").format(
                amount=payment.amount, number=invoice.number
            )
        )
        applied = (Application(invoice.number, invoice.balance),)
        return Match(payment, "matched", applied, frozenset({"number", "inn", "amount"}), tuple(reasons))
    if inn_ok and payment.amount < total:
        reasons.append(
            _("the amount {amount} is less than the open balance {balance}: a partial payment").format(
                amount=payment.amount, balance=total
            )
        )
        return Match(payment, "partial", _fill(payment.amount, chosen), frozenset(found), tuple(reasons))
    if payment.amount > total:
        reasons.append(
            _("the amount {amount} is more than the open balance {balance}").format(
                amount=payment.amount, balance=total
            )
        )
    else:
        reasons.append(
            _("the amount {amount} is not the open balance {balance}").format(
                amount=payment.amount, balance=total
            )
        )
    if inn_ok:
        return Match(payment, "probable", full, frozenset(found), tuple(reasons))
    return Match(payment, "unmatched", (), frozenset(found), tuple(reasons))


def _without_number(
    payment: Payment, references: Sequence[Reference], invoices: Sequence[OpenInvoice]
) -> Match:
    if references:
        named = ", ".join(reference.text for reference in references)
        reasons = [_("the purpose names {numbers}: no open invoice has that number").format(numbers=named)]
    else:
        reasons = [_("the purpose names no invoice")]
    clients = [
        invoice for invoice in invoices if invoice.client_inn and invoice.client_inn == payment.payer_inn
    ]
    if not clients:
        reasons.append(_("no open invoice is the payer's (INN {inn})").format(inn=payment.payer_inn or "—"))
        return Match(payment, "unmatched", (), frozenset(), tuple(reasons))
    same = [invoice for invoice in clients if invoice.balance == payment.amount]
    reasons.append(_("payer INN {inn} is the client's").format(inn=payment.payer_inn))
    if len(same) == 1:
        (invoice,) = same
        reasons.append(
            _("the amount {amount} is the open balance of invoice {number}").format(
                amount=payment.amount, number=invoice.number
            )
        )
        applied = (Application(invoice.number, invoice.balance),)
        return Match(payment, "probable", applied, frozenset({"inn", "amount"}), tuple(reasons))
    if same:
        numbers = ", ".join(invoice.number for invoice in same)
        reasons.append(
            _("the amount {amount} is the open balance of several invoices: {numbers}").format(
                amount=payment.amount, numbers=numbers
            )
        )
    else:
        reasons.append(_("the amount {amount} is no open invoice's balance").format(amount=payment.amount))
    return Match(payment, "unmatched", (), frozenset({"inn"}), tuple(reasons))


def _inn_reason(payment: Payment, invoices: Sequence[OpenInvoice]) -> str:
    inns = sorted({invoice.client_inn for invoice in invoices if invoice.client_inn})
    if not inns:
        return _("the client has no INN on record: the payer (INN {inn}) cannot be checked").format(
            inn=payment.payer_inn or "—"
        )
    if payment.payer_inn in inns:
        return _("payer INN {inn} is the client's").format(inn=payment.payer_inn)
    return _("payer INN {inn} is not the client's ({client_inn})").format(
        inn=payment.payer_inn or "—", client_inn=", ".join(inns)
    )


def _fill(amount: Decimal, invoices: Sequence[OpenInvoice]) -> tuple[Application, ...]:
    """``amount`` spread over ``invoices`` in order, each up to its balance."""
    applied: list[Application] = []
    left = amount
    for invoice in invoices:
        if left <= 0:
            break
        part = min(left, invoice.balance)
        applied.append(Application(invoice.number, part))
        left -= part
    return tuple(applied)
