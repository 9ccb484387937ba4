"""Payments on invoices in storage (SPEC §12): records from before them still read, both
backends keep them and the balance their listings read, a PostgreSQL ledger of schema 1
is upgraded on first use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from ledger_testkit import msk

import pgkit
from kvsupport.core.billing import build_invoice
from kvsupport.core.models import Client, Invoice, InvoiceLine, InvoicePayment, Segment
from kvsupport.core.settlement import with_payment
from kvsupport.errors import LedgerError
from kvsupport.storage import codec, open_store
from kvsupport.storage.postgres import store as pg

#: An invoice record exactly as kvsupport stored it before issue 15: no payments, no
#: drafted_at; a paid one carried only its day.
OLD_RECORD: dict[str, Any] = {
    "number": "2025-0001",
    "date": "2025-03-31",
    "period": "2025-03",
    "status": "paid",
    "client": {"code": "romashka", "name": "ООО «Ромашка»", "inn": "7707083893"},
    "supplier": {"name": "ООО «Бонус»"},
    "lines": [
        {
            "kind": "session", "session": 1, "date": "2025-03-03", "title": "Техподдержка", "minutes": 61,
            "billable_minutes": 61, "quantity": 1, "unit": "усл.", "rate": "1300.00", "amount": "1321.67",
            "tariff": "2017-01-01", "vat": "none", "vat_amount": "0.00", "service": "backup",
            "fee_key": None, "segments": [],
        }
    ],
    "total": "1321.67",
    "vat": {"mode": "none", "amount": "0.00"},
    "total_in_words": "Одна тысяча триста двадцать один рубль 67 копеек",
    "void_reason": None,
    "paid_on": "2025-04-02",
    "due_on": "2025-04-05",
    "act_date": None,
    "replaces": None,
}  # fmt: skip


def test_an_old_invoice_record_without_payments_still_decodes() -> None:
    invoice = codec.decode_invoice(json.loads(json.dumps(OLD_RECORD)), "invoices-2025-03.json: records[0]")
    assert (invoice.status, invoice.payments, invoice.drafted_at, invoice.reminded_at) == (
        "paid",
        (),
        None,
        None,
    )
    assert invoice.paid_on == date(2025, 4, 2)
    assert codec.encode_invoice(invoice) == OLD_RECORD | {
        "payments": [],
        "drafted_at": None,
        "reminded_at": None,
    }
    row = codec.index_row(OLD_RECORD)
    assert (row["balance"], row["last_payment_on"]) == ("0.00", "2025-04-02")  # paid by hand, before
    summary = codec.decode_summary({k: v for k, v in row.items() if k != "balance"}, "index")
    assert summary.balance == Decimal("0.00")
    issued = codec.decode_summary(
        codec.index_row(OLD_RECORD | {"status": "issued", "paid_on": None}), "index"
    )
    assert (issued.balance, issued.last_payment_on) == (Decimal("1321.67"), None)


@pytest.mark.parametrize(
    ("payments", "where"),
    [
        ("cash", "payments: must be a list of payments"),
        ([{"date": "2025-04-02", "amount": "-1.00"}], "payments[0].amount: must be more than nothing"),
        ([{"date": "2.4.2025", "amount": "1.00"}], "payments[0].date: not a date"),
        ([{"amount": "1.00"}], "payments[0].date: missing"),
    ],
)
def test_a_malformed_payment_names_its_place(payments: object, where: str) -> None:
    with pytest.raises(codec.ShapeError) as caught:
        codec.decode_invoice(OLD_RECORD | {"payments": payments}, "invoices[3]")
    assert str(caught.value).startswith(f"invoices[3].{where}")


@pytest.fixture(params=["file", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty ledger of each backend."""
    if request.param == "file":
        yield str(tmp_path / "payments" / "ledger.json")
        return
    with pgkit.fresh_ledger() as url:
        yield url


def _invoice(number: str = "2025-0001") -> Invoice:
    line = InvoiceLine(
        kind="session", session=None, date=date(2025, 3, 3), title="Техподдержка", minutes=61,
        billable_minutes=61, rate=Decimal("1300.00"), amount=Decimal("1321.67"), tariff="2017-01-01",
        vat="none", segments=(Segment(msk(2025, 3, 3, 10), msk(2025, 3, 3, 11, 1)),),
    )  # fmt: skip
    return build_invoice(
        number=number,
        issued_on=date(2025, 3, 31),
        period="2025-03",
        client={"code": "romashka", "name": "ООО «Ромашка»"},
        supplier={"name": "ООО «Бонус»"},
        lines=(line,),
        words="Одна тысяча триста двадцать один рубль 67 копеек",
    )


def test_both_backends_keep_payments_and_list_balances(location: str) -> None:
    bank = InvoicePayment(
        date(2025, 4, 2), Decimal("1000.00"), "17", "7707083893", "2025-04-02|17|1000.00|a|b"
    )
    with open_store(location, write=True) as s:
        s.put_client(Client(code="romashka", name="ООО «Ромашка»"))
        s.add_invoice(_invoice())
        s.put_invoice(with_payment(s.invoice("2025-0001"), bank))
    with open_store(location) as s:
        stored = s.invoice("2025-0001")
        assert (stored.status, stored.payments) == ("partly_paid", (bank,))
        (summary,) = s.invoice_summaries(statuses=["partly_paid"])
        assert (summary.balance, summary.last_payment_on) == (Decimal("321.67"), date(2025, 4, 2))
        assert s.invoice_summaries(statuses=["issued"]) == []
        assert s.check() == []
    drafted = msk(2025, 4, 3, 9, 30)
    with open_store(location, write=True) as s:
        cash = InvoicePayment(date(2025, 4, 5), Decimal("321.67"))
        s.put_invoice(with_payment(s.invoice("2025-0001"), cash)._replace(drafted_at=drafted))
    with open_store(location) as s:
        paid = s.invoice("2025-0001")
        assert (paid.status, paid.paid_on, paid.drafted_at, len(paid.payments)) == (
            "paid",
            date(2025, 4, 5),
            drafted,
            2,
        )
        assert s.invoice_summaries()[0].balance == Decimal("0.00")
    # what was printed stays frozen, payments or not
    with pytest.raises(LedgerError, match="total cannot change"), open_store(location, write=True) as s:
        s.put_invoice(s.invoice("2025-0001")._replace(total=Decimal("1.00")))


def test_a_postgresql_ledger_of_schema_1_gains_payments_on_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    with pgkit.fresh_ledger(init=False) as location:
        first = pg.migrations()[:1]
        with monkeypatch.context() as old:  # kvsupport as it was: schema 1
            old.setattr(pg, "migrations", lambda: first)
            old.setattr(pg, "CURRENT_SCHEMA", 1)
            old.setattr(pg.DatabaseStore, "write_journal", lambda self: None)  # schema 1 had none
            with pg.initialised(location) as applied:
                assert applied == ["0001_ledger.sql"]
            with open_store(location, write=True) as s:
                s.put_client(Client(code="romashka", name="ООО «Ромашка»"))
                s.add_invoice(_invoice("2025-0001"))
                s.add_invoice(_invoice("2025-0002")._replace(status="paid", paid_on=date(2025, 4, 2)))
        with psycopg.connect(location, autocommit=True) as conn:  # the summaries schema 1 wrote
            conn.execute("UPDATE invoices SET summary = summary - 'balance' - 'last_payment_on'")
            with pytest.raises(psycopg.errors.CheckViolation):
                conn.execute("UPDATE invoices SET status = 'partly_paid' WHERE number = '2025-0001'")

        with open_store(location) as s:  # upgraded on the way in
            balances = {row.number: (row.balance, row.last_payment_on) for row in s.invoice_summaries()}
        assert balances == {
            "2025-0001": (Decimal("1321.67"), None),
            "2025-0002": (Decimal("0.00"), date(2025, 4, 2)),
        }
        with psycopg.connect(location, autocommit=True) as conn:
            versions = conn.execute("SELECT version, name FROM kvsupport_schema ORDER BY version").fetchall()
            summary = conn.execute("SELECT summary FROM invoices WHERE number = '2025-0001'").fetchone()
        assert versions == [(1, "0001_ledger.sql"), (2, "0002_journal.sql"), (3, "0003_payments.sql")]
        assert summary is not None
        assert summary[0]["balance"] == "1321.67"
        with open_store(location, write=True) as s:
            s.put_invoice(
                with_payment(s.invoice("2025-0001"), InvoicePayment(date(2025, 4, 3), Decimal("1.00")))
            )
        with open_store(location) as s:
            assert s.invoice("2025-0001").status == "partly_paid"


def test_check_sees_payments_that_disagree_with_the_status_or_the_total(location: str) -> None:
    cash = InvoicePayment(date(2025, 4, 2), Decimal("2000.00"))
    with open_store(location, write=True) as s:
        s.put_client(Client(code="romashka", name="ООО «Ромашка»"))
        s.add_invoice(_invoice("2025-0001"))
        s.add_invoice(_invoice("2025-0002"))
        # written by hand or by a broken writer: storage keeps what it is given
        s.put_invoice(s.invoice("2025-0001")._replace(payments=(cash,)))
        s.put_invoice(s.invoice("2025-0002")._replace(status="partly_paid"))
    with open_store(location) as s:
        problems = s.check()
    assert any("2025-0001: payments of 2000.00 exceed its total 1321.67" in p for p in problems), problems
    assert any("2025-0001 is issued but its payments of 2000.00 make it paid" in p for p in problems), (
        problems
    )
    assert any("2025-0002 is partly paid but has no payments" in p for p in problems), problems
    assert len(problems) == 3
