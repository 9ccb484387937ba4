"""What an invoice has been paid, what is left, and a statement's payments settled against them.

An invoice's status follows its payments (SPEC §12): none, ``issued``; some,
``partly_paid``; its total, ``paid``; ``void`` stays void. The open balance is
the total less the payments. An invoice marked paid before payments were kept
(``paid_on`` and no payments) counts as paid in full on that day:
:func:`received` gives that payment, so balances and reconciliation acts add up
on old ledgers too.

:func:`settle` runs :func:`~kvsupport.core.payments.match_payments` one payment
at a time, so that a probable match the user accepts (``--accept N``) lowers the
balances the next payments are weighed against, exactly as a match does.

Pure: invoices and payments in, values out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from kvsupport.core.models import Invoice, InvoicePayment
from kvsupport.core.payments import Match, OpenInvoice, Payment, match_payments
from kvsupport.errors import InvalidValue, Refused
from kvsupport.i18n import _, ngettext

__all__ = [
    "Settled",
    "Settlement",
    "balance_of",
    "known_keys",
    "last_payment_on",
    "paid_amount",
    "received",
    "settle",
    "with_payment",
]

ZERO = Decimal("0.00")


def received(invoice: Invoice) -> tuple[InvoicePayment, ...]:
    """The money received for ``invoice``, oldest first; an invoice marked paid before
    payments were kept has one payment of its total on ``paid_on``."""
    if invoice.payments or invoice.status != "paid":
        return invoice.payments
    return (InvoicePayment(invoice.paid_on or invoice.date, invoice.total),)


def paid_amount(invoice: Invoice) -> Decimal:
    """What has been received for ``invoice``."""
    return sum((payment.amount for payment in received(invoice)), ZERO)


def balance_of(invoice: Invoice) -> Decimal:
    """What is still to be paid: the total less the payments; nothing on a void invoice."""
    if invoice.status == "void":
        return ZERO
    return max(invoice.total - paid_amount(invoice), ZERO)


def last_payment_on(invoice: Invoice) -> dt.date | None:
    """The day the latest payment came in, if any."""
    return max((payment.date for payment in received(invoice)), default=None)


def known_keys(invoices: Iterable[Invoice]) -> set[str]:
    """The identities of the bank payments recorded on ``invoices``."""
    return {payment.key for invoice in invoices for payment in invoice.payments if payment.key}


def with_payment(invoice: Invoice, payment: InvoicePayment) -> Invoice:
    """``invoice`` with ``payment`` received: ``partly_paid`` or ``paid`` (then ``paid_on``
    is the payment's date). Refused for a void or paid invoice, a payment of nothing, or
    more than the balance."""
    balance = balance_of(invoice)
    if invoice.status == "void":
        raise Refused(
            _("invoice {number} is void ({reason})").format(number=invoice.number, reason=invoice.void_reason)
        )
    if balance <= 0:
        raise Refused(
            _("invoice {number} was paid on {date} already").format(
                number=invoice.number, date=invoice.paid_on or last_payment_on(invoice)
            )
        )
    if payment.amount <= 0:
        raise InvalidValue(_("a payment of {amount} is no payment").format(amount=payment.amount))
    if payment.amount > balance:
        raise Refused(
            _("invoice {number} has {balance} RUB left to pay, less than {amount}").format(
                number=invoice.number, balance=balance, amount=payment.amount
            ),
            hint=_("record what this invoice is owed; the rest is not an invoice's money"),
        )
    payments = (*invoice.payments, payment)
    if payment.amount == balance:
        return invoice._replace(payments=payments, status="paid", paid_on=payment.date)
    return invoice._replace(payments=payments, status="partly_paid")


class Settled(NamedTuple):
    """One payment of a statement: its number as listed (1 = the statement's first
    incoming payment), how it matched, and whether what it pays is to be recorded
    (matched, partial, or probable and accepted)."""

    number: int
    match: Match
    applied: bool


class Settlement(NamedTuple):
    """A statement's incoming payments weighed against the open invoices."""

    settled: tuple[Settled, ...]  # the new payments, in the statement's order
    repeated: tuple[int, ...]  # numbers of payments imported before (or twice in the file)


def settle(
    payments: Sequence[Payment],
    known: Collection[str],
    invoices: Iterable[OpenInvoice],
    accept: Collection[int] = (),
) -> Settlement:
    """Match each payment not in ``known`` (keys already recorded) in turn; a match, a
    partial payment and an accepted probable match each lower the balances the next
    payments meet. ``accept`` holds numbers of probable matches to apply; a number that
    is not one is refused (:class:`InvalidValue`) and nothing is settled."""
    pool = {invoice.number: invoice for invoice in invoices if invoice.balance > 0}
    seen = set(known)
    settled: list[Settled] = []
    repeated: list[int] = []
    for number, payment in enumerate(payments, start=1):
        if payment.key in seen:
            repeated.append(number)
            continue
        seen.add(payment.key)
        (match,) = match_payments([payment], pool.values())
        applied = match.kind in ("matched", "partial") or (match.kind == "probable" and number in accept)
        if applied:
            for application in match.applications:
                left = pool[application.invoice].balance - application.amount
                if left > 0:
                    pool[application.invoice] = pool[application.invoice]._replace(balance=left)
                else:
                    del pool[application.invoice]
        settled.append(Settled(number, match, applied))
    _check_accepted(accept, settled, repeated, len(payments))
    return Settlement(tuple(settled), tuple(repeated))


def _check_accepted(
    accept: Collection[int], settled: Sequence[Settled], repeated: Sequence[int], count: int
) -> None:
    kinds = {item.number: item.match.kind for item in settled}
    matches = {item.number: item.match for item in settled}
    probable = ", ".join(str(n) for n, kind in kinds.items() if kind == "probable") or _("none")
    for number in sorted(set(accept)):
        if number in repeated:
            problem = _("payment {n} was imported before").format(n=number)
        elif number not in kinds:
            problem = ngettext(
                "the statement has {count} incoming payment, no payment {n}",
                "the statement has {count} incoming payments, no payment {n}",
                count,
            ).format(count=count, n=number)
        elif kinds[number] != "probable":
            problem = _("payment {n} is {kind}, not a probable match").format(n=number, kind=kinds[number])
        elif (match := matches[number]).surplus > 0:
            raise InvalidValue(
                _(
                    "--accept {n}: payment {n} of {amount} is {surplus} more than {invoices} is owed: "
                    "accepting it would record {owed} and lose the rest"
                ).format(
                    n=number,
                    amount=match.payment.amount,
                    surplus=match.surplus,
                    invoices=", ".join(a.invoice for a in match.applications),
                    owed=match.payment.amount - match.surplus,
                ),
                hint=_(
                    "record what the invoice is owed with 'kvsupport invoice pay', and settle the "
                    "overpayment with the client (a refund or an advance); nothing was stored"
                ),
            )
        else:
            continue
        raise InvalidValue(
            _("--accept {n}: {problem}").format(n=number, problem=problem),
            hint=_("probable matches: {numbers}; nothing was stored").format(numbers=probable),
        )
