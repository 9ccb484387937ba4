"""Incoming payments matched to open invoices: a table of purposes and what they pay."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from statement_samples import (
    LESNAYA_ACCOUNT,
    LESNAYA_INN,
    ROMASHKA_ACCOUNT,
    ROMASHKA_INN,
    SBERBANK_BIK,
    SUPPLIER_ACCOUNT,
    incoming,
    outgoing,
    statement_text,
)

from kvsupport.core.bankstatement import parse_statement, read_statement
from kvsupport.core.payments import (
    Application,
    OpenInvoice,
    Payment,
    incoming_payments,
    invoice_references,
    match_payments,
    new_payments,
)

INVOICES = (
    OpenInvoice("2026-0001", dt.date(2026, 11, 30), "romashka", ROMASHKA_INN, Decimal("5300.00")),
    OpenInvoice("2026-0002", dt.date(2026, 11, 30), "romashka", ROMASHKA_INN, Decimal("2600.00")),
    OpenInvoice("2026-0003", dt.date(2026, 11, 30), "lesnaya", LESNAYA_INN, Decimal("3900.00")),
    OpenInvoice("2025-0042", dt.date(2025, 12, 31), "romashka", ROMASHKA_INN, Decimal("1300.00")),
    OpenInvoice("2026-0004", dt.date(2026, 11, 30), "noinn", "", Decimal("1300.00")),
)


def payment(
    purpose: str, amount: str, inn: str = ROMASHKA_INN, day: dt.date = dt.date(2026, 12, 3)
) -> Payment:
    account = LESNAYA_ACCOUNT if inn == LESNAYA_INN else ROMASHKA_ACCOUNT
    return Payment(
        line=1,
        date=day,
        number="17",
        document_date=day,
        amount=Decimal(amount),
        payer_inn=inn,
        payer_name="ТСЖ",
        payer_account=account,
        payer_bik=SBERBANK_BIK,
        purpose=purpose,
        kind="Платежное поручение",
    )


M, P, PR, U = "matched", "partial", "probable", "unmatched"


@pytest.mark.parametrize(
    ("purpose", "amount", "inn", "kind", "applied"),
    [
        # number + INN + amount: paid
        (
            "Оплата по счету N 2026-0001 от 30.11.26г. Без НДС",
            "5300.00",
            ROMASHKA_INN,
            M,
            {"2026-0001": "5300.00"},
        ),
        ("Оплата по счёту № 2026-0001 от 30.11.2026", "5300.00", ROMASHKA_INN, M, {"2026-0001": "5300.00"}),
        ("Оплата по сч. 2026-1", "5300.00", ROMASHKA_INN, M, {"2026-0001": "5300.00"}),
        ("Оплата по счету №1 от 30.11.2026", "5300.00", ROMASHKA_INN, M, {"2026-0001": "5300.00"}),
        ("Оплата по счету 1 за ноябрь", "5300.00", ROMASHKA_INN, M, {"2026-0001": "5300.00"}),
        ("Оплата по счёту #20260001", "5300.00", ROMASHKA_INN, M, {"2026-0001": "5300.00"}),
        ("Оплата по сч No 2026 - 0001", "5300.00", ROMASHKA_INN, M, {"2026-0001": "5300.00"}),
        ("Оплата 2026-0001 за техподдержку", "5300.00", ROMASHKA_INN, M, {"2026-0001": "5300.00"}),
        ("Оплата по счету № 42", "1300.00", ROMASHKA_INN, M, {"2025-0042": "1300.00"}),  # last year's
        ("Оплата по счету N 42 от 31.12.25", "1300.00", ROMASHKA_INN, M, {"2025-0042": "1300.00"}),
        # two invoices in one payment
        (
            "Оплата по счетам № 2026-0001 и 2026-0002",
            "7900.00",
            ROMASHKA_INN,
            M,
            {"2026-0001": "5300.00", "2026-0002": "2600.00"},
        ),
        ("Оплата по счетам 2026-0001, 2026-0002", "2600.00", ROMASHKA_INN, M, {"2026-0002": "2600.00"}),
        (
            "Оплата по счетам №№ 2026-1, 2026-2",
            "6000.00",
            ROMASHKA_INN,
            P,
            {"2026-0001": "5300.00", "2026-0002": "700.00"},
        ),
        # number + INN, less: a partial payment
        ("Частичная оплата по счету N 2026-0001", "3000.00", ROMASHKA_INN, P, {"2026-0001": "3000.00"}),
        # two of three: probable, nothing applied yet
        ("Оплата по счету N 2026-0001", "5300.00", LESNAYA_INN, PR, {"2026-0001": "5300.00"}),  # wrong INN
        ("Оплата по счету N 2026-0001", "6000.00", ROMASHKA_INN, PR, {"2026-0001": "5300.00"}),  # too much
        (
            "Оплата за техподдержку, без НДС",
            "2600.00",
            ROMASHKA_INN,
            PR,
            {"2026-0002": "2600.00"},
        ),  # no number
        (
            "Оплата по счету № 2026-0004",
            "1300.00",
            ROMASHKA_INN,
            PR,
            {"2026-0004": "1300.00"},
        ),  # no INN on record
        # one of three, or none: unmatched
        ("Оплата по счету N 2026-0001", "100.00", LESNAYA_INN, U, {}),  # the number alone
        ("Оплата за техподдержку", "5300.00", LESNAYA_INN, U, {}),  # the amount alone: never
        ("Оплата за техподдержку", "1000.00", ROMASHKA_INN, U, {}),  # the INN alone
        ("Оплата по договору N 3 за услуги", "3900.00", ROMASHKA_INN, U, {}),  # N 3 is the contract's
        (
            "Оплата по счету N 2026-0099",
            "5300.00",
            ROMASHKA_INN,
            PR,
            {"2026-0001": "5300.00"},
        ),  # no such invoice
        ("Оплата по счету N 2026-0099", "999.00", ROMASHKA_INN, U, {}),
    ],
)
def test_purposes_and_what_they_pay(
    purpose: str, amount: str, inn: str, kind: str, applied: dict[str, str]
) -> None:
    (match,) = match_payments([payment(purpose, amount, inn)], INVOICES)
    assert match.kind == kind, match.reasons
    assert {a.invoice: str(a.amount) for a in match.applications} == applied


def test_the_reasons_say_which_counts_held() -> None:
    (exact,) = match_payments([payment("Оплата по счету N 2026-0001", "5300.00")], INVOICES)
    assert exact.found == {"number", "inn", "amount"}
    assert exact.reasons == (
        "the purpose names invoice 2026-0001",
        f"payer INN {ROMASHKA_INN} is the client's",
        "the amount 5300.00 is the open balance",
    )
    (wrong_inn,) = match_payments([payment("Оплата по счету N 2026-0001", "5300.00", LESNAYA_INN)], INVOICES)
    assert wrong_inn.found == {"number", "amount"}
    assert f"payer INN {LESNAYA_INN} is not the client's ({ROMASHKA_INN})" in wrong_inn.reasons
    (partial,) = match_payments([payment("Оплата по счету N 2026-0001", "3000.00")], INVOICES)
    assert "the amount 3000.00 is less than the open balance 5300.00: a partial payment" in partial.reasons


def test_ambiguous_amount_without_a_number_is_not_guessed() -> None:
    twins = (*INVOICES, INVOICES[1]._replace(number="2026-0005"))
    (match,) = match_payments([payment("Оплата за техподдержку", "2600.00")], twins)
    assert match.kind == "unmatched"
    assert "the amount 2600.00 is the open balance of several invoices: 2026-0002, 2026-0005" in match.reasons


def test_payments_of_one_run_see_the_balances_earlier_ones_left() -> None:
    first = payment("Оплата по счету N 2026-0001, часть 1", "3000.00")
    second = payment("Оплата по счету N 2026-0001, остаток", "2300.00")
    again = payment("Оплата по счету N 2026-0001", "5300.00")
    matches = match_payments([first, second, again], INVOICES)
    assert [m.kind for m in matches] == ["partial", "matched", "unmatched"]
    assert matches[1].applications == (Application("2026-0001", Decimal("2300.00")),)
    assert "the purpose names 2026-0001: no open invoice has that number" in matches[2].reasons


def test_a_paid_or_void_invoice_is_not_open() -> None:
    paid = (INVOICES[0]._replace(balance=Decimal("0.00")),)
    (match,) = match_payments([payment("Оплата по счету N 2026-0001", "5300.00")], paid)
    assert match.kind == "unmatched"


@pytest.mark.parametrize(
    ("purpose", "texts"),
    [
        ("Оплата по счету N 2026-0001 от 30.11.26г 18026,52", ["2026-0001"]),
        ("Оплата по договору N 15 от 01.01.2026, сч.№ 7", ["7"]),
        ("Оплата на р/сч 40702810938000012345", []),
        ("Перевод за техподдержку от 2026-12-03", []),
        ("по счетам №№ 2026-0003 и 2026-0004; 2026-0005", ["2026-0003", "2026-0004", "2026-0005"]),
        ("Оплата по счету-оферте № 9", ["9"]),
        ("Оплата по акту № 12 и счету № 13", ["13"]),
    ],
)
def test_invoice_references(purpose: str, texts: list[str]) -> None:
    found = invoice_references(purpose, dt.date(2026, 12, 3))
    assert [r.text for r in found] == texts


def test_a_year_comes_from_the_date_written_after_the_number() -> None:
    (ref,) = invoice_references("Оплата по счету №1 от 30.12.2025", dt.date(2026, 1, 12))
    assert ref.keys == ((1,), (2025, 1))
    (ref,) = invoice_references("Оплата по счету №1", dt.date(2026, 1, 12))
    assert ref.keys == ((1,), (2026, 1), (2025, 1))


# ------------------------------------------------------------------ from a statement


@pytest.mark.parametrize("codec", ["cp1251", "cp866", "utf-8-sig"])
def test_from_a_statement_in_every_encoding(codec: str) -> None:
    label = "DOS" if codec != "cp1251" else "Windows"  # the UTF-8 one lies, as real files do
    text = statement_text(
        incoming("17", "5300.00", "Оплата по счету N 2026-0001 от 30.11.26г"),  # exact
        incoming("18", "1000,00", "Частичная оплата по сч. 2026-2"),  # partial
        incoming(
            "5", "9200.00", "Оплата по счетам № 2026-0001, 2026-0003", payer_inn=LESNAYA_INN
        ),  # too much
        incoming("6", "3900.00", "Оплата по счету 2026-0003", payer_inn="7728168971"),  # wrong INN
        outgoing("201", "1500.00"),  # ours, going out
        label=label,
    )
    statement = read_statement(text.encode(codec))
    found = incoming_payments(statement, SUPPLIER_ACCOUNT)
    assert found.ignored == 1
    assert [p.number for p in found.payments] == ["17", "18", "5", "6"]
    matches = match_payments(found.payments, INVOICES)
    assert [m.kind for m in matches] == ["matched", "partial", "probable", "probable"]
    assert matches[1].applications == (Application("2026-0002", Decimal("1000.00")),)


def test_incoming_is_to_our_account_or_credited_and_not_from_it() -> None:
    credited_elsewhere = [
        line.replace(f"ПолучательСчет={SUPPLIER_ACCOUNT}", "ПолучательСчет=40702810000000000999")
        for line in incoming("7", "10.00", "x")
    ]
    not_ours = [line for line in credited_elsewhere if not line.startswith("ДатаПоступило")]
    statement = parse_statement(
        statement_text(incoming("1", "10.00", "x"), credited_elsewhere, not_ours, outgoing("2", "5"))
    )
    assert [p.number for p in incoming_payments(statement, SUPPLIER_ACCOUNT).payments] == ["1", "7"]
    assert incoming_payments(statement, SUPPLIER_ACCOUNT).ignored == 2
    # with no account configured, what the bank credited counts
    assert [p.number for p in incoming_payments(statement, None).payments] == ["1", "7"]


def test_a_payment_takes_its_values_from_the_document() -> None:
    statement = parse_statement(
        statement_text(incoming("17", "5300.00", "Оплата по сч. 2026-1", day="02.12.2026"))
    )
    (paid,) = incoming_payments(statement, SUPPLIER_ACCOUNT).payments
    assert paid.date == dt.date(2026, 12, 2)
    assert (paid.payer_inn, paid.payer_account, paid.payer_bik) == (
        ROMASHKA_INN,
        ROMASHKA_ACCOUNT,
        SBERBANK_BIK,
    )
    assert paid.payer_name == 'ТСЖ "Ромашка"'
    assert paid.key == f"2026-12-02|17|5300.00|{ROMASHKA_ACCOUNT}|{SBERBANK_BIK}"


def test_an_inn_only_in_the_payers_name_is_found() -> None:
    lines = [
        "ПлательщикИНН=" if line.startswith("ПлательщикИНН=") else line
        for line in incoming("1", "1.00", "x", payer=f"ИНН {ROMASHKA_INN} ТСЖ Ромашка")
    ]
    (paid,) = incoming_payments(parse_statement(statement_text(lines)), SUPPLIER_ACCOUNT).payments
    assert paid.payer_inn == ROMASHKA_INN


def test_a_re_import_finds_nothing_new() -> None:
    text = statement_text(incoming("17", "5300.00", "x"), incoming("1", "10.00", "y"))
    first = incoming_payments(parse_statement(text), SUPPLIER_ACCOUNT).payments
    fresh, repeated = new_payments(first, known=())
    assert (len(fresh), repeated) == (2, 0)
    known = {p.key for p in fresh}
    # a later statement overlapping the first: one old payment, one new
    later = statement_text(incoming("1", "10.00", "y"), incoming("18", "10.00", "z"))
    again, repeated = new_payments(
        incoming_payments(parse_statement(later), SUPPLIER_ACCOUNT).payments, known
    )
    assert ([p.number for p in again], repeated) == (["18"], 1)


def test_the_same_number_from_another_payer_is_another_payment() -> None:
    text = statement_text(
        incoming("1", "10.00", "x"),
        incoming("1", "10.00", "x", payer_inn=LESNAYA_INN, payer_account=LESNAYA_ACCOUNT),
    )
    payments = incoming_payments(parse_statement(text), SUPPLIER_ACCOUNT).payments
    fresh, repeated = new_payments(payments, known=())
    assert (len(fresh), repeated) == (2, 0)
    doubled, repeated = new_payments([*payments, payments[0]], known=())
    assert (len(doubled), repeated) == (2, 1)
