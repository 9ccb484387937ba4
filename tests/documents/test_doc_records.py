"""The invoice's JSON (issue 13, items 3 and 9): the new keys of ``--format json``, and
records stored before them still read (a client without a kind, an invoice without VAT
per line)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from doc_sample import make_invoice, with_vat

from kvsupport.core.models import Client
from kvsupport.core.records import INVOICE_SCHEMA, invoice_record
from kvsupport.documents.layout import document
from kvsupport.storage.codec import ShapeError, decode_client, decode_invoice, encode_client, encode_invoice

INVOICE = make_invoice()


#: the keys of ``--format json`` before issue 13 (schema 1)
OLD_INVOICE_KEYS = {
    "number", "date", "period", "status", "client", "supplier", "lines", "total", "vat",
    "total_in_words", "void_reason", "paid_on", "due_on",
}  # fmt: skip
OLD_LINE_KEYS = {
    "kind", "session", "date", "title", "minutes", "billable_minutes", "quantity", "unit", "rate",
    "amount", "tariff", "vat", "service", "fee_key", "segments",
}  # fmt: skip


def _stored_before(record: dict[str, Any]) -> dict[str, Any]:
    """A stored invoice record as kvsupport kept it before issue 13: no act date, no
    replaced invoice, no VAT per line."""
    old = {k: v for k, v in record.items() if k not in ("act_date", "replaces")}
    old["lines"] = [{k: v for k, v in ln.items() if k != "vat_amount"} for ln in record["lines"]]
    return old


def test_the_invoice_gains_act_date_currency_and_schema() -> None:
    record = invoice_record(INVOICE._replace(replaces="2026-0000"))
    assert (record["act_date"], record["currency"], record["schema"]) == ("2026-11-30", "RUB", INVOICE_SCHEMA)
    assert record["replaces"] == "2026-0000"
    assert INVOICE_SCHEMA == 3


def test_each_line_carries_unit_price_and_vat() -> None:
    record = invoice_record(with_vat(INVOICE, "22"))
    for line in record["lines"]:
        assert (line["quantity"], line["unit"], line["unit_code"]) == (1, "усл. ед.", "876")
        assert Decimal(line["price"]) * line["quantity"] == Decimal(line["amount"])
        assert line["vat_rate"] == "22"
    assert [ln["vat_amount"] for ln in record["lines"]] == ["234.43", "238.33", "721.31"]
    assert record["vat"] == {"mode": "included", "amount": "1194.07"}
    plain = invoice_record(INVOICE)["lines"][0]
    assert (plain["vat_rate"], plain["vat_amount"]) == (None, "0.00")


def test_no_key_of_schema_1_is_renamed_or_dropped() -> None:
    record = invoice_record(INVOICE)
    issue_15 = {"balance", "payments", "drafted_at", "reminded_at"}
    assert set(record) - OLD_INVOICE_KEYS == {"act_date", "replaces", "currency", "schema", *issue_15}
    assert set(record["lines"][0]) - OLD_LINE_KEYS == {"unit_code", "price", "vat_rate", "vat_amount"}


def test_an_invoice_round_trips() -> None:
    invoice = with_vat(INVOICE, "20")._replace(replaces="2026-0000")
    back = decode_invoice(json.loads(json.dumps(encode_invoice(invoice))), "invoices[0]")
    assert back == invoice


def test_an_invoice_stored_before_still_reads() -> None:
    back = decode_invoice(_stored_before(encode_invoice(INVOICE)), "invoices[0]")
    assert (back.act_date, back.replaces) == (None, None)
    assert [line.vat_amount for line in back.lines] == [Decimal("0.00")] * 3
    assert document(back, act=True).title == "Акт об оказании услуг № 2026-0001 от 30 ноября 2026 г."


def test_an_old_invoice_with_vat_keeps_its_frozen_vat_and_the_lines_add_up_to_it() -> None:
    """Before issue 13 the VAT was computed per rate: three lines of 1 000,01 at 20 %
    gave 3 000,03 × 20 / 120 = 500,00, where the lines rounded one by one give 500,01.
    The stored 500,00 is what was sent to the client: it stays, shared out over the lines."""
    line = INVOICE.lines[0]._replace(amount=Decimal("1000.01"), vat="20")
    old = INVOICE._replace(
        lines=(line, line, line), total=Decimal("3000.03"), vat_mode="included", vat_amount=Decimal("500.00")
    )
    record = _stored_before(encode_invoice(old))
    record["vat"] = {"mode": "included", "amount": "500.00"}
    back = decode_invoice(record, "invoices[0]")
    assert back.vat_amount == Decimal("500.00")
    assert sorted(line.vat_amount or Decimal(0) for line in back.lines) == [
        Decimal("166.66"),
        Decimal("166.67"),
        Decimal("166.67"),
    ]
    doc = document(back, act=False)
    assert [r.vat_amount for r in doc.rows].count("166,66") == 1
    assert doc.totals[1].value == "500,00"


def test_a_client_without_the_new_keys_is_a_company() -> None:
    record = encode_client(Client(code="romashka", name="ООО «Ромашка»"))
    for key in ("kind", "signatory", "contract"):
        del record[key]
    client = decode_client(record, "clients[0]")
    assert (client.kind, client.signatory, client.contract) == ("company", None, None)


def test_a_client_round_trips_with_kind_signatory_and_contract() -> None:
    client = Client(
        code="petrov",
        name="ИП Петров Пётр Петрович",
        inn="772012345675",
        license_until=dt.date(2027, 1, 1),
        kind="entrepreneur",
        signatory="Петров П. П.",
        contract="№ 3 от 01.02.2020",
    )
    assert decode_client(encode_client(client), "clients[0]") == client


def test_an_unknown_kind_names_the_place() -> None:
    record = {**encode_client(Client(code="x", name="X")), "kind": "ngo"}
    with pytest.raises(ShapeError, match=r"clients\[3\]\.kind: unknown kind 'ngo'"):
        decode_client(record, "clients[3]")
