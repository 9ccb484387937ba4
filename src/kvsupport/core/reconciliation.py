"""The figures of a reconciliation act («акт сверки взаимных расчётов») with one client.

Each invoice is a debit on the day of its act (the service is delivered then,
and the debt with it: an invoice alone is an offer to pay); each payment
received is a credit on the day the money came in; one bank payment that paid
several invoices is one credit. The opening balance is everything before the
period, debits less credits; the closing balance is the opening one plus the
period's debits less its credits. Void invoices are in none of it. A positive
balance is the client's debt to the supplier, a negative one an overpayment.

Exact: every amount is a ``Decimal`` already in kopecks, only added up.
Pure: invoices in, figures out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal, NamedTuple

from kvsupport.core.models import Invoice
from kvsupport.core.settlement import received

__all__ = ["Entry", "Reconciliation", "entries", "reconcile"]

ZERO = Decimal("0.00")


class Entry(NamedTuple):
    """One line of the act: an invoice (debit) or a payment (credit)."""

    date: dt.date
    kind: Literal["invoice", "payment"]
    document: str  # the invoice's (and act's) number, or the payment's document number ("": cash)
    invoices: tuple[str, ...]  # the invoice itself, or those the payment paid
    debit: Decimal
    credit: Decimal
    invoice_date: dt.date | None = None  # an invoice line: the invoice's own date


class Reconciliation(NamedTuple):
    """The act's figures for ``start``..``end`` (both days included)."""

    start: dt.date
    end: dt.date
    opening_balance: Decimal
    lines: tuple[Entry, ...]
    debit_total: Decimal
    credit_total: Decimal
    closing_balance: Decimal


def entries(invoices: Iterable[Invoice]) -> list[Entry]:
    """Every debit and credit of ``invoices`` (void ones left out), by date, debits first on a day."""
    found: list[Entry] = []
    by_key: dict[tuple[str, dt.date], int] = {}  # a bank payment's identity -> its entry
    for invoice in invoices:
        if invoice.status == "void":
            continue
        found.append(
            Entry(
                invoice.act_date or invoice.date,
                "invoice",
                invoice.number,
                (invoice.number,),
                invoice.total,
                ZERO,
                invoice.date,
            )
        )
        for payment in received(invoice):
            place = by_key.get((payment.key, payment.date)) if payment.key else None
            if place is not None:
                entry = found[place]
                found[place] = entry._replace(
                    invoices=(*entry.invoices, invoice.number), credit=entry.credit + payment.amount
                )
                continue
            if payment.key:
                by_key[(payment.key, payment.date)] = len(found)
            found.append(
                Entry(payment.date, "payment", payment.document, (invoice.number,), ZERO, payment.amount)
            )
    found.sort(key=lambda e: (e.date, e.kind != "invoice", e.document))
    return found


def reconcile(invoices: Iterable[Invoice], start: dt.date, end: dt.date) -> Reconciliation:
    """The act for ``start``..``end`` from one client's ``invoices`` (all of them: those
    before the period make the opening balance; those after it are left out)."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    every = entries(invoices)
    before = [e for e in every if e.date < start]
    lines = tuple(e for e in every if start <= e.date <= end)
    opening = sum((e.debit - e.credit for e in before), ZERO)
    debit = sum((e.debit for e in lines), ZERO)
    credit = sum((e.credit for e in lines), ZERO)
    return Reconciliation(start, end, opening, lines, debit, credit, opening + debit - credit)
