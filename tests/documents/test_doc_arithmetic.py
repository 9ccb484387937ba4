"""SPEC §3.9: every printed row is 1 × price = sum, and the rows add up to the total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from doc_sample import line_with, make_invoice

from kvsupport.core.models import Invoice
from kvsupport.core.words import amount_in_words
from kvsupport.documents.layout import document


def _parse(text: str, language: str) -> Decimal:
    """A printed amount back to a Decimal: ``1 321,67`` (ru) or ``1,321.67`` (en)."""
    if language == "ru":
        return Decimal(text.replace("\u00a0", "").replace(",", "."))
    return Decimal(text.replace(",", ""))


def _many_lines() -> Invoice:
    """Thirty sessions of odd lengths: amounts with kopecks that must still add up."""
    base = make_invoice()
    template = base.lines[1]
    lines = []
    for minutes in range(61, 91):
        amount = (Decimal("1300.00") * minutes / 60).quantize(Decimal("0.01"))
        lines.append(line_with(template, minutes=minutes, billable_minutes=minutes, amount=amount))
    total = sum((line.amount for line in lines), Decimal("0.00"))
    return base._replace(lines=tuple(lines), total=total, total_in_words=amount_in_words(total))


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("act", [False, True])
@pytest.mark.parametrize("invoice", [make_invoice(), _many_lines()], ids=["fixture", "thirty-lines"])
def test_rows_are_exact_and_add_up(invoice: Invoice, act: bool, language: str) -> None:
    doc = document(invoice, act=act, language=language)
    assert len(doc.rows) == len(invoice.lines)
    for row in doc.rows:
        assert row.quantity == "1"
        assert row.price == row.amount
        assert _parse(row.quantity, language) * _parse(row.price, language) == _parse(row.amount, language)
    printed_total = _parse(doc.totals[0].value, language)
    assert sum((_parse(row.amount, language) for row in doc.rows), Decimal(0)) == printed_total
    assert printed_total == invoice.total
    assert [row.number for row in doc.rows] == [str(i) for i in range(1, len(doc.rows) + 1)]
