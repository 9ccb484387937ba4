"""Balances, payments recorded on invoices, a statement settled in turn, and the figures of a
reconciliation act: pure tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from kvsupport.core.billing import build_invoice
from kvsupport.core.models import Invoice, InvoiceLine, InvoicePayment
from kvsupport.core.payments import OpenInvoice, Payment
from kvsupport.core.reconciliation import reconcile
from kvsupport.core.settlement import balance_of, known_keys, received, settle, with_payment
from kvsupport.errors import InvalidValue, Refused

D = Decimal


def invoice(number: str, total: str, day: dt.date = dt.date(2026, 11, 30), **changes: Any) -> Invoice:
    line = InvoiceLine(
        kind="session",
        session=1,
        date=day,
        title="Дистанционная техподдержка",
        minutes=60,
        billable_minutes=60,
        rate=D("1300.00"),
        amount=D(total),
        tariff="2017-01-01",
        vat="none",
    )
    built = build_invoice(
        number=number,
        issued_on=day,
        period=f"{day:%Y-%m}",
        client={"code": "romashka", "name": "ТСЖ «Ромашка»", "inn": "7707083893"},
        supplier={"name": "ООО «Бонус»"},
        lines=(line,),
        words="…",
    )
    return built._replace(**changes)


def cash(day: int, amount: str, key: str | None = None) -> InvoicePayment:
    return InvoicePayment(dt.date(2026, 12, day), D(amount), "17" if key else "", "7707083893", key)


def test_payments_make_an_invoice_partly_paid_then_paid() -> None:
    issued = invoice("2026-0001", "5300.00")
    assert (issued.status, balance_of(issued)) == ("issued", D("5300.00"))
    part = with_payment(issued, cash(3, "2000.00"))
    assert (part.status, balance_of(part), part.paid_on) == ("partly_paid", D("3300.00"), None)
    paid = with_payment(part, cash(5, "3300.00"))
    assert (paid.status, balance_of(paid), paid.paid_on) == ("paid", D("0.00"), dt.date(2026, 12, 5))
    assert [p.amount for p in paid.payments] == [D("2000.00"), D("3300.00")]
    assert issued.payments == ()  # values: the issued one is untouched


@pytest.mark.parametrize(
    ("state", "amount", "error", "words"),
    [
        ({"status": "void", "void_reason": "дубль"}, "1.00", Refused, "void"),
        ({"status": "paid", "paid_on": dt.date(2026, 12, 1)}, "1.00", Refused, "paid on 2026-12-01"),
        ({}, "5300.01", Refused, "5300.00 RUB left to pay"),
        ({}, "0.00", InvalidValue, "no payment"),
    ],
)
def test_what_is_not_recorded(state: dict[str, Any], amount: str, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        with_payment(invoice("2026-0001", "5300.00", **state), cash(3, amount))


def test_an_invoice_marked_paid_before_payments_were_kept_paid_its_total_that_day() -> None:
    old = invoice("2025-0001", "1300.00", status="paid", paid_on=dt.date(2025, 12, 20))
    assert received(old) == (InvoicePayment(dt.date(2025, 12, 20), D("1300.00")),)
    assert balance_of(old) == D("0.00")
    assert balance_of(invoice("2025-0002", "1300.00", status="void")) == D("0.00")


def payment(number: str, amount: str, purpose: str, inn: str = "7707083893") -> Payment:
    return Payment(1, dt.date(2026, 12, 3), number, dt.date(2026, 12, 3), D(amount), inn, "ТСЖ",
                   "40702810938000099999", "044525225", purpose, "Платежное поручение")  # fmt: skip


OPEN = (
    OpenInvoice("2026-0001", dt.date(2026, 11, 30), "romashka", "7707083893", D("1300.00")),
    OpenInvoice("2026-0002", dt.date(2026, 11, 30), "lesnaya", "5024012340", D("2600.00")),
)


def test_settle_numbers_payments_skips_known_ones_and_applies_accepted_in_turn() -> None:
    payments = [
        payment("1", "1300.00", "Оплата по счету 2026-0001"),
        payment("2", "2600.00", "Оплата по счету 2026-0002"),  # the payer is not lesnaya: probable
        payment("3", "2600.00", "Оплата по счету 2026-0002", inn="5024012340"),  # lesnaya itself
    ]
    known = {payments[0].key}
    plain = settle(payments, known, OPEN)
    assert plain.repeated == (1,)
    assert [(s.number, s.match.kind, s.applied) for s in plain.settled] == [
        (2, "probable", False),
        (3, "matched", True),
    ]
    # accepting 2 pays 2026-0002 first: then lesnaya's own payment finds nothing left to pay
    accepted = settle(payments, known, OPEN, accept={2})
    assert [(s.number, s.match.kind, s.applied) for s in accepted.settled] == [
        (2, "probable", True),
        (3, "unmatched", False),
    ]
    with pytest.raises(InvalidValue, match="--accept 3: payment 3 is matched"):
        settle(payments, known, OPEN, accept={3})
    with pytest.raises(InvalidValue, match="--accept 1: payment 1 was imported before"):
        settle(payments, known, OPEN, accept={1})
    twice = settle([payments[1], payments[1]], set(), OPEN)
    assert twice.repeated == (2,)  # the same payment twice in one file is one payment


def test_known_keys_are_the_bank_payments_on_invoices() -> None:
    paid = with_payment(invoice("2026-0001", "1300.00"), cash(3, "1300.00", key="k1"))
    by_hand = with_payment(invoice("2026-0002", "1300.00"), cash(3, "1300.00"))
    assert known_keys([paid, by_hand]) == {"k1"}


def test_the_reconciliation_of_a_period() -> None:
    october = with_payment(
        invoice("2026-0001", "1300.00", dt.date(2026, 10, 31)), cash(3, "1300.00", key="k41")
    )
    november = invoice("2026-0003", "2621.67", act_date=dt.date(2026, 11, 30))
    november = with_payment(november, cash(3, "2000.00", key="k41"))  # one payment, two invoices
    november = with_payment(november, cash(10, "21.67"))  # cash
    void = invoice("2026-0002", "999.00", dt.date(2026, 11, 15), status="void")
    figures = reconcile([october, november, void], dt.date(2026, 11, 1), dt.date(2026, 12, 31))
    assert figures.opening_balance == D("1300.00")
    assert [(e.date.day, e.kind, e.document, e.invoices, e.debit, e.credit) for e in figures.lines] == [
        (30, "invoice", "2026-0003", ("2026-0003",), D("2621.67"), D("0.00")),
        (3, "payment", "17", ("2026-0001", "2026-0003"), D("0.00"), D("3300.00")),
        (10, "payment", "", ("2026-0003",), D("0.00"), D("21.67")),
    ]
    assert (figures.debit_total, figures.credit_total, figures.closing_balance) == (
        D("2621.67"),
        D("3321.67"),
        D("600.00"),
    )
    later = reconcile([october, november], dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    assert (later.opening_balance, later.lines, later.closing_balance) == (D("600.00"), (), D("600.00"))
    with pytest.raises(ValueError, match="ends"):
        reconcile([], dt.date(2026, 2, 1), dt.date(2026, 1, 1))
