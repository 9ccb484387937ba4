"""A fixed invoice for the document tests: two sessions and the connection fee.

A plain module, not a ``conftest.py``: a second ``conftest`` module would clash
with ``tests/conftest.py`` under mypy, and importing from a conftest is fragile.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from kvsupport.core.models import Invoice, InvoiceLine, Segment
from kvsupport.core.words import amount_in_words

MSK = timezone(timedelta(hours=3))

SUPPLIER: dict[str, object] = {
    "name": "ООО «Бонус»",
    "inn": "7707083893",
    "kpp": "773601001",
    "ogrn": "1027700132195",
    "address": "117997, г. Москва, ул. Вавилова, д. 19, офис 7",
    "bank": "ПАО Сбербанк, г. Москва",
    "bik": "044525225",
    "correspondent_account": "30101810400000000225",
    "account": "40702810938000012345",
    "director": "Петров П. П.",
    "kind": "company",
    "director_title": None,
    "accountant": "Сидорова Анна Викторовна",
    "stamp": None,
    "consultant": "Иванов И. И.",
}

CLIENT: dict[str, object] = {
    "code": "berezka",
    "name": "ТСЖ «Берёзка»",
    "inn": "5024012340",
    "kpp": "502401001",
    "ogrn": "1025000001234",
    "address": "143401, Московская обл., г. Красногорск, ул. Ленина, д. 5",
    "phone": "+7 495 123-45-67",
    "email": "tsj-berezka@example.ru",
    "teamviewer_id": "123 456 789",
    "license_until": "2027-03-31",
    "kind": "company",
    "signatory": "Председатель правления Смирнов Олег Петрович",
    "contract": "№ 15 от 01.02.2017",
}


def at(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    """A moment of November 2026 in Moscow time (+03:00)."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=MSK)


def make_invoice() -> Invoice:
    """Invoice 2026-0001, total 6 621,67, no VAT.

    A backup session of 44 min 30 s (billed 1 h), a remote one of 20 + 41 min
    (billed 61 min, 1 321,67) and the one-time connection fee (4 000,00). The
    client's contract and signatory, the supplier's chief accountant are on record.
    """
    lines = (
        InvoiceLine(
            kind="session",
            session=3,
            date=date(2026, 11, 5),
            title="Дистанционная техподдержка: передача резервной копии по эл. почте",
            minutes=44,
            billable_minutes=60,
            rate=Decimal("1300.00"),
            amount=Decimal("1300.00"),
            tariff="2017-01-01",
            vat="none",
            service="backup",
            segments=(Segment(at(5, 10, 0), at(5, 10, 44, 30)),),
        ),
        InvoiceLine(
            kind="session",
            session=7,
            date=date(2026, 11, 25),
            title="Дистанционная техподдержка: прямое подключение к компьютеру",
            minutes=61,
            billable_minutes=61,
            rate=Decimal("1300.00"),
            amount=Decimal("1321.67"),
            tariff="2017-01-01",
            vat="none",
            service="remote",
            segments=(Segment(at(25, 14, 0), at(25, 14, 20)), Segment(at(25, 14, 25), at(25, 15, 6))),
        ),
        InvoiceLine(
            kind="fee",
            session=7,
            date=date(2026, 11, 25),
            title="Подключение к системе дистанционного обслуживания",
            minutes=0,
            billable_minutes=0,
            rate=Decimal("4000.00"),
            amount=Decimal("4000.00"),
            tariff="2017-01-01",
            vat="none",
            fee_key="remote-connection",
        ),
    )
    total = sum((line.amount for line in lines), Decimal("0.00"))
    return Invoice(
        number="2026-0001",
        date=date(2026, 11, 30),
        period="2026-11",
        status="issued",
        client=dict(CLIENT),
        supplier=dict(SUPPLIER),
        lines=lines,
        total=total,
        vat_mode="none",
        vat_amount=Decimal("0.00"),
        total_in_words=amount_in_words(total, "ru"),
        due_on=date(2026, 12, 5),
        act_date=date(2026, 11, 30),
    )


def with_vat(invoice: Invoice, rate: str = "22") -> Invoice:
    """``invoice`` with every line's price including VAT at ``rate``, the VAT per line
    and in total computed as issuing does."""
    from kvsupport.core.billing import vat_in, vat_included

    lines = tuple(line._replace(vat=rate, vat_amount=vat_in(line.amount, rate)) for line in invoice.lines)
    mode, vat = vat_included(lines)
    return invoice._replace(lines=lines, vat_mode=mode, vat_amount=vat)


def line_with(line: InvoiceLine, **changes: object) -> InvoiceLine:
    """A copy of ``line`` with some fields changed."""
    return line._replace(**changes)  # type: ignore[arg-type]
