"""Tax wording (issue 13, item 8): «Без налога (НДС)», or the rate and the VAT included,
per line and in total, adding up exactly as printed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from doc_sample import make_invoice, with_vat

from kvsupport.core.billing import line_vat, vat_included
from kvsupport.documents.layout import NBSP, Field, document

INVOICE = make_invoice()


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(NBSP, "").replace(",", "."))


def test_no_vat_prints_the_tax_codes_wording_and_no_vat_columns() -> None:
    doc = document(INVOICE, act=False)
    assert Field("Без налога (НДС)", "") in doc.totals
    assert not doc.vat_columns
    assert doc.headers[-1] == "Сумма"
    assert len(doc.headers) == 6


def test_vat_prints_the_rate_per_line_and_in_total() -> None:
    doc = document(with_vat(INVOICE, "22"), act=False)
    assert doc.vat_columns
    assert doc.headers[5:] == ("Ставка НДС", "Сумма НДС", "Сумма")
    assert [(r.vat_rate, r.vat_amount) for r in doc.rows] == [
        (f"22{NBSP}%", "234,43"),
        (f"22{NBSP}%", "238,33"),
        (f"22{NBSP}%", "721,31"),
    ]
    assert doc.totals[1] == Field(f"В том числе НДС 22{NBSP}%:", f"1{NBSP}194,07")


@pytest.mark.parametrize("rate", ["22", "20", "10", "7", "5"])
@pytest.mark.parametrize("act", [False, True])
def test_the_lines_vat_adds_up_to_the_vat_printed(rate: str, act: bool) -> None:
    invoice = with_vat(INVOICE, rate)
    doc = document(invoice, act=act)
    printed_lines = sum((_amount(r.vat_amount) for r in doc.rows), Decimal(0))
    (vat_total,) = [f for f in doc.totals if f.label.startswith("В том числе НДС")]
    assert printed_lines == _amount(vat_total.value) == invoice.vat_amount
    for row, line in zip(doc.rows, invoice.lines, strict=True):
        exact = line.amount * Decimal(rate) / (100 + Decimal(rate))
        assert abs(_amount(row.vat_amount) - exact) <= Decimal("0.005")  # each line to the kopeck


def test_two_rates_print_two_vat_lines_and_a_line_without_vat_says_so() -> None:
    base = with_vat(INVOICE, "20")
    lines = (
        base.lines[0],
        base.lines[1]._replace(vat="22", vat_amount=Decimal("238.33")),
        INVOICE.lines[2],  # no VAT
    )
    mode, vat = vat_included(lines)
    invoice = base._replace(lines=lines, vat_mode=mode, vat_amount=vat)
    doc = document(invoice, act=False)
    assert [f.label for f in doc.totals] == [
        "Итого:",
        f"В том числе НДС 20{NBSP}%:",
        f"В том числе НДС 22{NBSP}%:",
        "Всего к оплате:",
    ]
    assert (doc.totals[1].value, doc.totals[2].value) == ("216,67", "238,33")
    assert (doc.rows[2].vat_rate, doc.rows[2].vat_amount) == ("без НДС", "—")
    assert vat == Decimal("455.00")


def test_english_vat_wording() -> None:
    doc = document(with_vat(INVOICE, "22"), act=False, language="en")
    assert doc.totals[1].label == f"Including VAT 22{NBSP}%:"
    assert document(INVOICE, act=False, language="en").totals[1].label == "VAT not applicable"


def test_vat_is_per_line_not_per_subtotal() -> None:
    """Three lines of 1 000,01 at 20 %: 166,67 each, 500,01 in all, where the subtotal
    3 000,03 × 20 / 120 would give 500,00 and the lines would not add up to it."""
    line = INVOICE.lines[0]._replace(amount=Decimal("1000.01"), vat="20", vat_amount=None)
    lines = (line, line, line)
    assert [line_vat(x) for x in lines] == [Decimal("166.67")] * 3
    assert vat_included(lines) == ("included", Decimal("500.01"))
