"""The billing rules behind the documents of SPEC §8.1: the act's date, VAT per line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kvsupport.core.billing import default_act_date, last_day, line_vat, vat_in, with_line_vat
from kvsupport.core.models import InvoiceLine


@pytest.mark.parametrize(
    ("period", "day"),
    [("2026-11", date(2026, 11, 30)), ("2026-12", date(2026, 12, 31)), ("2028-02", date(2028, 2, 29))],
)
def test_last_day(period: str, day: date) -> None:
    assert last_day(period) == day


@pytest.mark.parametrize(
    ("issued_on", "last_service", "act"),
    [
        (date(2026, 12, 2), date(2026, 11, 28), date(2026, 11, 30)),  # issued after the month: its last day
        (date(2026, 12, 2), date(2026, 12, 1), date(2026, 12, 1)),  # the last session ended on the 1st
        (date(2026, 11, 15), date(2026, 11, 10), date(2026, 11, 15)),  # issued within the month: not ahead
        (date(2026, 11, 30), date(2026, 11, 30), date(2026, 11, 30)),
    ],
)
def test_default_act_date(issued_on: date, last_service: date, act: date) -> None:
    assert default_act_date("2026-11", issued_on, last_service) == act


def line(amount: str, vat: str, vat_amount: str | None = None) -> InvoiceLine:
    return InvoiceLine(
        kind="session",
        session=1,
        date=date(2026, 11, 10),
        title="Услуга",
        minutes=60,
        billable_minutes=60,
        rate=Decimal(amount),
        amount=Decimal(amount),
        tariff="2026-01-01",
        vat=vat,
        vat_amount=None if vat_amount is None else Decimal(vat_amount),
    )


@pytest.mark.parametrize(
    ("amount", "vat", "included"),
    [
        ("1525.00", "20", "254.17"),
        ("1300.00", "22", "234.43"),
        ("1300.00", "none", "0.00"),
        ("0.05", "5", "0.00"),
    ],
)
def test_vat_in(amount: str, vat: str, included: str) -> None:
    assert vat_in(Decimal(amount), vat) == Decimal(included)


def test_line_vat_prefers_what_is_stored() -> None:
    assert line_vat(line("1300.00", "20", "216.66")) == Decimal("216.66")
    assert line_vat(line("1300.00", "20")) == Decimal("216.67")


def test_with_line_vat_shares_a_frozen_total_by_the_largest_remainder() -> None:
    lines = [line("1000.01", "20"), line("1000.02", "20"), line("1300.00", "none")]
    # exact 166.668333… and 166.67; rounded down 166.66 and 166.67; one kopeck left of 333.34
    shared = with_line_vat(lines, Decimal("333.34"))
    assert [x.vat_amount for x in shared] == [Decimal("166.67"), Decimal("166.67"), Decimal("0.00")]
    assert sum((x.vat_amount or Decimal(0) for x in shared), Decimal(0)) == Decimal("333.34")


def test_with_line_vat_leaves_stored_lines_alone_and_rounds_when_the_total_cannot_be_made() -> None:
    stored = [line("1000.01", "20", "166.60")]
    assert with_line_vat(stored, Decimal("999.00")) == tuple(stored)
    odd = with_line_vat([line("1000.01", "20")], Decimal("999.00"))  # not a total of this line
    assert odd[0].vat_amount == Decimal("166.67")
