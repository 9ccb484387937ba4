"""Money in by bank statement (SPEC §12): ``bank import`` on statements the tests write in
cp1251, cp866 and UTF-8 with a BOM; payments matched, partly paid, probable, unmatched,
ignored; imported twice; refused whole. On a file ledger and on PostgreSQL alike."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bank_statements import (
    ENCODINGS,
    LESNAYA_INN,
    ROMASHKA_ACCOUNT,
    ROMASHKA_INN,
    SBERBANK_BIK,
    STRANGER_INN,
    incoming,
    outgoing,
    statement_text,
    write_statement,
)
from cli_testkit import Runner, assert_refused, snapshot
from money_testkit import TOTALS, invoices, ok, states

# The statement of 03.12.2026 (payments numbered as the statement lists the incoming ones):
STATEMENT = (
    # 1: two invoices in one payment, number + INN + the two balances together
    incoming("41", "3921.67", "Оплата по счетам № 2026-0001 и 2026-0003 за техподдержку. Без НДС"),
    outgoing("201", "1500.00"),  # the supplier's own payment out: ignored
    # 2: part of an invoice (its number, its client, less than the balance)
    incoming("7", "1000.00", "Оплата по сч. 2026-2 частично", payer="lesnaya", kind="Банковский ордер"),
    # 3: exactly one invoice: «N», a two-digit year, leading zeros dropped
    incoming("8", "1300.00", "Оплата по счету N 2026-4 от 30.11.26г", payer="lesnaya", received="04.12.2026"),
    # 4: the number and the amount, from a payer that is not the client: probable
    incoming("12", "1300.00", "Оплата по счету № 2026-0005 от 30.11.2026", payer="stranger"),
    # 5: nothing to go on
    incoming("13", "999.00", "Пожертвование", payer="stranger"),
)


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_a_statement_pays_what_it_names_in_any_encoding(
    run: Runner, month_end: Path, tmp_path: Path, encoding: str
) -> None:
    path = write_statement(tmp_path / "kl_to_1c.txt", *STATEMENT, encoding=encoding)
    before = states(run)
    assert before == {number: ("issued", f"{total:.2f}") for number, total in TOTALS.items()}

    result = ok(run("bank", "import", str(path), "--format", "json"))
    report = result.json()
    assert (report["encoding"], report["incoming"], report["ignored"]) == (
        ENCODINGS[encoding][0].removesuffix("-sig"),
        5,
        1,
    )
    matches = {p["number"]: (p["match"], p["found"], p["applied"]) for p in report["payments"]}
    assert matches == {
        1: ("matched", ["amount", "inn", "number"], True),
        2: ("partial", ["inn", "number"], True),
        3: ("matched", ["amount", "inn", "number"], True),
        4: ("probable", ["amount", "number"], False),
        5: ("unmatched", [], False),
    }
    assert (report["recorded"], report["recorded_amount"]) == (3, "6221.67")  # 3921.67 + 1000 + 1300
    assert result.stderr.splitlines() == ["recorded 3 payment(s), 6221.67 RUB; 1 probable, 1 not matched"]

    after = invoices(run)
    assert {n: (r["status"], r["balance"]) for n, r in after.items()} == {
        "2026-0001": ("paid", "0.00"),
        "2026-0002": ("partly_paid", "321.67"),
        "2026-0003": ("paid", "0.00"),
        "2026-0004": ("paid", "0.00"),
        "2026-0005": ("issued", "1300.00"),  # probable: not recorded without --accept
    }
    # one payment on two invoices: each its balance, the same bank document, the receipt date
    assert after["2026-0001"]["payments"] == [
        {"date": "2026-12-03", "amount": "1300.00", "document": "41", "payer_inn": ROMASHKA_INN}
    ]
    assert after["2026-0003"]["payments"] == [
        {"date": "2026-12-03", "amount": "2621.67", "document": "41", "payer_inn": ROMASHKA_INN}
    ]
    assert (after["2026-0004"]["paid_on"], after["2026-0004"]["payments"][0]["date"]) == (
        "2026-12-04",  # the day the money came in (ДатаПоступило), not the order's date
        "2026-12-04",
    )
    assert after["2026-0002"]["payments"] == [
        {"date": "2026-12-03", "amount": "1000.00", "document": "7", "payer_inn": LESNAYA_INN}
    ]
    assert after["2026-0002"]["paid_on"] is None


def test_the_text_summary_lists_every_payment_and_why(run: Runner, month_end: Path, tmp_path: Path) -> None:
    path = write_statement(tmp_path / "kl_to_1c.txt", *STATEMENT)
    result = ok(run("bank", "import", str(path)))
    out = result.stdout
    assert "5 incoming payment(s); 1 other document(s) ignored" in out
    paid = out.index("Paid (number, payer INN and amount agree):")
    partial = out.index("Paid in part")
    probable = out.index("Probable (two of three agree)")
    unmatched = out.index("Not matched")
    assert paid < partial < probable < unmatched
    assert "→ 2026-0001: 1300.00 RUB, paid" in out[paid:partial]
    assert "→ 2026-0003: 2621.67 RUB, paid" in out[paid:partial]
    assert "→ 2026-0002: 1000.00 RUB, partly paid, 321.67 RUB left" in out[partial:probable]
    assert f"payer INN {STRANGER_INN} is not the client's" in out[probable:unmatched]
    assert "to record it for 2026-0005: --accept 4" in out[probable:unmatched]
    assert "#5 03.12.2026 № 13 999.00 RUB" in out[unmatched:]
    assert "the purpose names no invoice" in out[unmatched:]


def test_a_probable_match_is_recorded_only_when_accepted(
    run: Runner, month_end: Path, tmp_path: Path, ledger_dir: Path
) -> None:
    path = write_statement(tmp_path / "kl_to_1c.txt", *STATEMENT)
    ok(run("bank", "import", str(path)))
    before = snapshot(ledger_dir)
    # only a probable match can be accepted; a refusal stores nothing, not even the rest
    assert_refused(run("bank", "import", str(path), "--accept", "5"), 2, "--accept 5", "unmatched")
    assert_refused(run("bank", "import", str(path), "--accept", "1"), 2, "--accept 1", "imported before")
    assert_refused(run("bank", "import", str(path), "--accept", "9"), 2, "--accept 9", "no payment 9")
    assert snapshot(ledger_dir) == before

    accepted = ok(run("bank", "import", str(path), "--accept", "4", "--format", "json")).json()
    assert accepted["repeated"] == [1, 2, 3]
    assert [(p["number"], p["applied"]) for p in accepted["payments"]] == [(4, True), (5, False)]
    record = invoices(run)["2026-0005"]
    assert (record["status"], record["balance"]) == ("paid", "0.00")
    assert record["payments"] == [
        {"date": "2026-12-03", "amount": "1300.00", "document": "12", "payer_inn": STRANGER_INN}
    ]


def test_importing_again_changes_nothing_and_says_so(
    run: Runner, month_end: Path, tmp_path: Path, ledger_dir: Path
) -> None:
    path = write_statement(tmp_path / "kl_to_1c.txt", *STATEMENT)
    ok(run("bank", "import", str(path)))
    before = snapshot(ledger_dir)
    again = ok(run("bank", "import", str(path)))
    assert "3 payments were imported before: left as they are (#1, #2, #3)" in again.stdout
    assert again.stderr.splitlines() == ["nothing to record: 1 probable, 1 not matched"]
    assert snapshot(ledger_dir) == before

    # a later statement overlapping this one: only what is new is recorded
    later = write_statement(
        tmp_path / "kl_to_1c-2.txt",
        STATEMENT[0],  # payment 41 again, the same in every identifying field
        incoming("9", "321.67", "Доплата по счету 2026-0002", payer="lesnaya", day="05.12.2026"),
        # the same number from another payer is another payment (numbers repeat across payers)
        incoming("41", "1300.00", "Оплата по счету 2026-0005", payer="stranger"),
    )
    report = ok(run("bank", "import", str(later), "--format", "json")).json()
    assert report["repeated"] == [1]
    assert [(p["number"], p["match"]) for p in report["payments"]] == [(2, "matched"), (3, "probable")]
    assert states(run)["2026-0002"] == ("paid", "0.00")

    only_old = write_statement(tmp_path / "kl_to_1c-3.txt", STATEMENT[0], STATEMENT[2])
    before = snapshot(ledger_dir)
    result = ok(run("bank", "import", str(only_old)))
    assert result.stderr.splitlines() == ["the statement was imported before: nothing changed"]
    assert snapshot(ledger_dir) == before


def test_a_dry_run_shows_and_stores_nothing(
    run: Runner, month_end: Path, tmp_path: Path, ledger_dir: Path
) -> None:
    path = write_statement(tmp_path / "kl_to_1c.txt", *STATEMENT)
    before = snapshot(ledger_dir)
    result = ok(run("bank", "import", str(path), "--dry-run", "--format", "json"))
    assert result.json()["dry_run"] is True
    assert result.json()["recorded"] == 3
    assert result.stderr.splitlines()[-1] == "dry run: nothing was stored"
    assert snapshot(ledger_dir) == before
    assert states(run)["2026-0001"] == ("issued", "1300.00")


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("Сумма=3921.67", "Сумма=3921,67 руб", "Сумма '3921,67 руб' is not an amount"),
        ("Дата=03.12.2026\r\nСумма=1000.00", "Дата=32.12.2026\r\nСумма=1000.00", "is not a date"),
        ("ВидОплаты=01", "ВидОплаты 01", "expected Key=Value"),
        ("КонецДокумента\r\nКонецФайла", "КонецФайла", "is not closed with КонецДокумента"),
        ("КонецФайла\r\n", "", "cut off"),
        ("1CClientBankExchange", "Выписка", "not a 1CClientBankExchange file"),
    ],
    ids=["amount", "date", "not key=value", "open document", "no end", "not a statement"],
)
def test_a_malformed_statement_names_its_line_and_stores_nothing(
    run: Runner, month_end: Path, tmp_path: Path, ledger_dir: Path, old: str, new: str, words: str
) -> None:
    text = statement_text(*STATEMENT)
    assert old in text
    broken = text.replace(old, new, 1)
    lines = broken.split("\r\n")
    first = new.split("\r\n")[0]
    line = lines.index(first) + 1 if first else len(lines) - 1  # «cut off»: the last line read
    path = tmp_path / "kl_to_1c.txt"
    path.write_bytes(broken.encode("cp1251"))
    before = snapshot(ledger_dir)
    assert_refused(run("bank", "import", str(path)), 2, str(path), f"line {line}:", words)
    assert snapshot(ledger_dir) == before


def test_a_missing_file_is_refused(run: Runner, month_end: Path, tmp_path: Path) -> None:
    assert_refused(run("bank", "import", str(tmp_path / "нет.txt")), 2, "нет.txt")


def test_a_statement_of_another_account_is_said(run: Runner, month_end: Path, tmp_path: Path) -> None:
    text = statement_text(*STATEMENT).replace(
        "РасчСчет=40702810938000012345", "РасчСчет=40702810938000054321"
    )
    path = tmp_path / "other.txt"
    path.write_bytes(text.encode("cp1251"))
    result = ok(run("bank", "import", str(path), "--dry-run"))
    assert "warning: the statement is of account 40702810938000054321" in result.stderr


def test_partial_payments_show_in_the_unpaid_listing_and_by_hand(
    run: Runner, month_end: Path, tmp_path: Path, ledger_dir: Path
) -> None:
    ok(run("bank", "import", str(write_statement(tmp_path / "kl.txt", *STATEMENT))))
    unpaid = list(
        csv.DictReader(io.StringIO(ok(run("invoice", "list", "--unpaid", "--format", "csv")).stdout))
    )
    assert [(r["number"], r["status"], r["total"], r["balance"]) for r in unpaid] == [
        ("2026-0002", "partly_paid", "1321.67", "321.67"),
        ("2026-0005", "issued", "1300.00", "1300.00"),
    ]
    text = ok(run("invoice", "list", "--unpaid")).stdout
    assert "321.67" in text
    assert "partly_paid" in text

    # a partly paid invoice is not voided; a payment by hand of more than is left is refused
    before = snapshot(ledger_dir)
    assert_refused(run("invoice", "void", "2026-0002", "--reason", "ошибка"), 1, "2026-0002", "partly paid")
    assert_refused(run("invoice", "pay", "2026-0002", "--amount", "400", "--date", "2026-12-01"), 1, "321.67")
    assert_refused(run("invoice", "pay", "2026-0002", "--amount", "-5"), 2, "--amount")
    assert snapshot(ledger_dir) == before
    # cash for the rest: paid; the bank's part and the cash both on record
    paid = ok(run("invoice", "pay", "2026-0002", "--date", "2026-12-02"))
    assert paid.stderr.strip() == "2026-0002 paid on 2026-12-02: 1321.67 RUB"
    record = invoices(run)["2026-0002"]
    assert [(p["amount"], p["document"]) for p in record["payments"]] == [("1000.00", "7"), ("321.67", "")]
    assert Decimal(record["total"]) == sum(Decimal(p["amount"]) for p in record["payments"])

    part = ok(run("invoice", "pay", "2026-0005", "--amount", "300,50", "--date", "2026-12-01"))
    assert part.stderr.strip() == (
        "2026-0005: 300.50 RUB received on 2026-12-01; 999.50 RUB left to pay (partly paid)"
    )
    assert states(run)["2026-0005"] == ("partly_paid", "999.50")


def test_payments_are_matched_against_what_earlier_ones_left(
    run: Runner, month_end: Path, tmp_path: Path
) -> None:
    path = write_statement(
        tmp_path / "kl.txt",
        incoming("1", "300.00", "Оплата по счету 2026-0002", payer="lesnaya"),
        incoming("2", "1021.67", "Оплата по счету 2026-0002, остаток", payer="lesnaya"),
        incoming("3", "1021.67", "Оплата по счету 2026-0002, остаток", payer="lesnaya", day="04.12.2026"),
    )
    report = ok(run("bank", "import", str(path), "--format", "json")).json()
    assert [p["match"] for p in report["payments"]] == ["partial", "matched", "unmatched"]
    assert states(run)["2026-0002"] == ("paid", "0.00")


def test_the_json_report_has_stable_keys(run: Runner, month_end: Path, tmp_path: Path) -> None:
    path = write_statement(tmp_path / "kl.txt", *STATEMENT[:1])
    report = ok(run("bank", "import", str(path), "--format", "json")).json()
    assert set(report) >= {
        "file", "encoding", "declared_encoding", "format_version", "accounts", "dry_run",
        "incoming", "ignored", "repeated", "recorded", "recorded_amount", "payments",
    }  # fmt: skip
    (payment,) = report["payments"]
    assert payment | {"line": 0} == {
        "number": 1,
        "line": 0,
        "match": "matched",
        "found": ["amount", "inn", "number"],
        "applied": True,
        "date": "2026-12-03",
        "document": "41",
        "document_date": "2026-12-03",
        "kind": "Платежное поручение",
        "amount": "3921.67",
        "surplus": "0.00",
        "payer": 'ТСЖ "Ромашка"',
        "payer_inn": ROMASHKA_INN,
        "payer_account": ROMASHKA_ACCOUNT,
        "payer_bik": SBERBANK_BIK,
        "purpose": "Оплата по счетам № 2026-0001 и 2026-0003 за техподдержку. Без НДС",
        "invoices": [
            {"invoice": "2026-0001", "amount": "1300.00", "status": "paid", "balance": "0.00"},
            {"invoice": "2026-0003", "amount": "2621.67", "status": "paid", "balance": "0.00"},
        ],
    }


def test_the_overdue_listing_shows_balances_and_days_late(run: Runner, month_end: Path) -> None:
    ok(run("invoice", "pay", "2026-0001", "--date", "2026-11-20"))
    ok(run("invoice", "pay", "2026-0002", "--amount", "1000.00", "--date", "2026-11-20"))
    today = dt.datetime.now(ZoneInfo("Europe/Moscow")).date()
    late = (today - dt.date(2026, 11, 7)).days  # October's invoices were due on 07.11.2026
    november = dt.date(2026, 12, 5) < today  # November's, on 05.12.2026
    rows = list(
        csv.DictReader(io.StringIO(ok(run("invoice", "list", "--overdue", "--format", "csv")).stdout))
    )
    expected = [("2026-0002", "partly_paid", "321.67", "2026-11-07", str(late))]
    if november:
        expected += [
            (
                number,
                "issued",
                f"{TOTALS[number]:.2f}",
                "2026-12-05",
                str((today - dt.date(2026, 12, 5)).days),
            )
            for number in ("2026-0003", "2026-0004", "2026-0005")
        ]
    assert [
        (r["number"], r["status"], r["balance"], r["due_on"], r["days_overdue"]) for r in rows
    ] == expected
    records = ok(run("invoice", "list", "--overdue", "--format", "json")).json()
    assert (records[0]["number"], records[0]["days_overdue"]) == ("2026-0002", late)
    text = ok(run("invoice", "list", "--overdue")).stdout
    assert "Days overdue" in text
    assert "2026-0001" not in text
    everything = ok(run("invoice", "list", "--format", "json")).json()
    assert {r["number"]: r["days_overdue"] for r in everything}["2026-0001"] is None  # paid: never late
    ok(run("invoice", "pay", "2026-0002", "--date", "2026-11-21"))
    if not november:
        nothing = ok(run("invoice", "list", "--overdue"))
        assert (nothing.stdout, nothing.stderr.strip()) == ("", "nothing is overdue")
        assert ok(run("invoice", "list", "--overdue", "--format", "json")).stdout.strip() == "[]"


def test_an_overpayment_is_listed_and_never_accepted_in_part(
    run: Runner, month_end: Path, tmp_path: Path, ledger_dir: Path
) -> None:
    """2500.00 for an invoice of 1300.00: accepting would record 1300.00 and lose 1200.00
    (the reconciliation act would say nothing is owed either way). Refused; the listing
    says what to do instead."""
    path = write_statement(
        tmp_path / "kl.txt", incoming("51", "2500.00", "Оплата по счету 2026-0004", payer="lesnaya")
    )
    before = snapshot(ledger_dir)
    listed = ok(run("bank", "import", str(path)))
    assert "1200.00 more than it is owed" in listed.stdout
    assert "--accept 1" not in listed.stdout
    (payment,) = ok(run("bank", "import", str(path), "--format", "json", "--dry-run")).json()["payments"]
    assert (payment["match"], payment["applied"], payment["surplus"]) == ("probable", False, "1200.00")
    refused = run("bank", "import", str(path), "--accept", "1")
    assert_refused(
        refused, 2, "--accept 1", "2500.00", "1200.00 more than 2026-0004 is owed", "lose the rest"
    )
    assert "invoice pay" in refused.stderr
    assert snapshot(ledger_dir) == before
    assert states(run)["2026-0004"] == ("issued", "1300.00")


def test_a_payment_typed_in_by_hand_is_not_counted_again_from_the_statement(
    run: Runner, month_end: Path, tmp_path: Path
) -> None:
    """The accountant saw 1000.00 arrive and typed it in; the statement that holds the same
    payment later is a probable match, recorded only when accepted."""
    ok(run("invoice", "pay", "2026-0002", "--amount", "1000", "--date", "2026-12-01"))
    path = write_statement(
        tmp_path / "kl.txt",
        incoming("7", "1000.00", "Оплата по сч. 2026-2 частично", payer="lesnaya", day="01.12.2026"),
    )
    result = ok(run("bank", "import", str(path), "--format", "json"))
    (payment,) = result.json()["payments"]
    assert (payment["match"], payment["applied"]) == ("probable", False)
    assert result.json()["recorded"] == 0
    assert states(run)["2026-0002"] == ("partly_paid", "321.67")
    text = ok(run("bank", "import", str(path), "--dry-run")).stdout
    assert "2026-0002 has 1000.00 recorded by hand on 2026-12-01: this may be that payment" in text
    # another day's payment of another amount is not held up by it
    other = write_statement(
        tmp_path / "kl2.txt",
        incoming("9", "321.67", "Оплата по сч. 2026-2 остаток", payer="lesnaya", day="02.12.2026"),
    )
    (rest,) = ok(run("bank", "import", str(other), "--format", "json")).json()["payments"]
    assert (rest["match"], rest["applied"]) == ("matched", True)


@pytest.mark.russian
def test_a_zero_amount_payment_is_ignored_with_its_reason_not_counted_as_recorded(
    run: Runner, month_end: Path, tmp_path: Path, ledger_dir: Path, russian: dict[str, str | None]
) -> None:
    """Finding 9c: «Сумма=0.00» naming an invoice records nothing and is not counted so."""
    path = write_statement(
        tmp_path / "kl.txt", incoming("77", "0.00", "Оплата по сч. 2026-2", payer="lesnaya"), *STATEMENT[:1]
    )
    before = states(run)
    dry = ok(run("bank", "import", str(path), "--dry-run", env_extra=russian))
    assert "№ 77" in dry.stdout
    assert "нулев" in dry.stdout
    result = ok(run("bank", "import", str(path)))
    assert "1 incoming payment(s); 0 other document(s) ignored" in result.stdout
    (zero,) = [line for line in result.stdout.splitlines() if "№ 77" in line]
    assert zero.endswith('№ 77 from ТСЖ "Лесная 5": ignored, its amount is zero'), zero
    assert "Paid in part" not in result.stdout
    assert "recorded 1 payment(s), 3921.67 RUB" in result.stderr
    after = states(run)
    assert after["2026-0002"] == before["2026-0002"]
    assert invoices(run)["2026-0002"]["payments"] == []
    again = ok(run("bank", "import", str(path), "--dry-run", "--format", "json")).json()
    assert again["incoming"] == 1
    (ignored,) = again["ignored_zero"]
    assert (ignored["document"], ignored["reason"], ignored["payer_inn"]) == (
        "77",
        "zero amount",
        LESNAYA_INN,
    )
