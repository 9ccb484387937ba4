"""The reconciliation act (SPEC §12): ``reconcile CLIENT --from --to`` in every format, its
balances checked against what the ledger holds (the invoices' totals and payments)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bank_statements import incoming, write_statement
from cli_testkit import Runner, assert_refused
from money_testkit import invoices, ok

ZERO = Decimal("0.00")


def paid_in(run: Runner, tmp_path: Path) -> None:
    """December's money: one payment of two of romashka's invoices, and part of lesnaya's."""
    statement = write_statement(
        tmp_path / "kl.txt",
        incoming("41", "3921.67", "Оплата по счетам № 2026-0001 и 2026-0003"),
        incoming("7", "1000.00", "Оплата по сч. 2026-2 частично", payer="lesnaya"),
    )
    ok(run("bank", "import", str(statement)))


def expected(run: Runner, client: str, start: dt.date, end: dt.date) -> dict[str, Decimal]:
    """The act's balances worked out from the ledger's own records: each invoice a debit on its
    act's date, each payment a credit on its day."""
    debits: list[tuple[dt.date, Decimal]] = []
    credits: list[tuple[dt.date, Decimal]] = []
    for record in invoices(run).values():
        if record["client_code"] != client or record["status"] == "void":
            continue
        debits.append((dt.date.fromisoformat(record["act_date"]), Decimal(record["total"])))
        credits += [(dt.date.fromisoformat(p["date"]), Decimal(p["amount"])) for p in record["payments"]]

    def total(items: list[tuple[dt.date, Decimal]], first: dt.date | None, last: dt.date) -> Decimal:
        return sum((a for d, a in items if (first is None or d >= first) and d <= last), ZERO)

    before = start - dt.timedelta(days=1)
    opening = total(debits, None, before) - total(credits, None, before)
    debit, credit = total(debits, start, end), total(credits, start, end)
    return {"opening": opening, "debit": debit, "credit": credit, "closing": opening + debit - credit}


def act(run: Runner, client: str, start: str, end: str) -> dict[str, Any]:
    record: dict[str, Any] = ok(
        run("reconcile", client, "--from", start, "--to", end, "--format", "json")
    ).json()
    return record


@pytest.mark.parametrize(
    ("client", "start", "end"),
    [
        ("romashka", "2026-11-01", "2026-12-31"),  # October's invoice before: the opening balance
        ("romashka", "2026-10-01", "2026-11-30"),  # the payment after: left out
        ("lesnaya", "2026-10-01", "2026-12-31"),
        ("lesnaya", "2026-12-04", "2026-12-31"),  # nothing in the period: opening = closing
        ("tiho", "2026-01-01", "2026-12-31"),
    ],
)
def test_the_acts_balances_are_the_ledgers(
    run: Runner, month_end: Path, tmp_path: Path, client: str, start: str, end: str
) -> None:
    paid_in(run, tmp_path)
    record = act(run, client, start, end)
    want = expected(run, client, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    got = {
        "opening": Decimal(record["opening_balance"]),
        "debit": Decimal(record["debit_total"]),
        "credit": Decimal(record["credit_total"]),
        "closing": Decimal(record["closing_balance"]),
    }
    assert got == want
    assert sum((Decimal(line["debit"]) for line in record["lines"]), ZERO) == got["debit"]
    assert sum((Decimal(line["credit"]) for line in record["lines"]), ZERO) == got["credit"]
    days = [line["date"] for line in record["lines"]]
    assert days == sorted(days)
    assert all(start <= day <= end for day in days)


def test_the_json_of_a_period_with_acts_and_payments(run: Runner, month_end: Path, tmp_path: Path) -> None:
    paid_in(run, tmp_path)
    record = act(run, "romashka", "01.11.2026", "31.12.2026")  # Russian dates are accepted
    assert {k: record[k] for k in ("client", "from", "to", "opening_balance", "closing_balance")} == {
        "client": "romashka",
        "from": "2026-11-01",
        "to": "2026-12-31",
        "opening_balance": "1300.00",  # 2026-0001: its act is dated 31.10.2026
        "closing_balance": "0.00",
    }
    assert [(x["date"], x["kind"], x["document"], x["debit"], x["credit"]) for x in record["lines"]] == [
        ("2026-11-30", "invoice", "2026-0003", "2621.67", "0.00"),
        ("2026-12-03", "payment", "41", "0.00", "3921.67"),  # one payment of two invoices: one line
    ]
    assert record["lines"][1]["invoices"] == ["2026-0001", "2026-0003"]
    assert (record["debit_total"], record["credit_total"]) == ("2621.67", "3921.67")
    assert record["customer"]["signatory"] == "Председатель правления Сидоров С. С."
    assert record["supplier"]["name"] == "ООО «Бонус»"


def test_a_void_invoice_is_in_no_act(run: Runner, month_end: Path, tmp_path: Path) -> None:
    ok(run("invoice", "void", "2026-0005", "--reason", "ошибка в реквизитах"))
    record = act(run, "tiho", "2026-01-01", "2026-12-31")
    assert (record["lines"], record["closing_balance"]) == ([], "0.00")
    text = ok(run("reconcile", "tiho", "--from", "2026-01-01", "--to", "2026-12-31")).stdout
    assert "на 31.12.2026 задолженность отсутствует." in text


def test_the_text_act_on_the_terminal(run: Runner, month_end: Path, tmp_path: Path) -> None:
    paid_in(run, tmp_path)
    result = ok(run("reconcile", "lesnaya", "--from", "2026-10-01", "--to", "2026-12-31"))
    text = result.stdout
    assert result.stderr == ""
    flat = re.sub(r"[ \n]+", " ", text)  # wrapped lines joined; no-break spaces kept
    for words in (
        "Акт сверки взаимных расчётов",
        "за период с 01.10.2026 по 31.12.2026",
        "между ООО «Бонус» и ТСЖ «Лесная 5»",
        "По данным ООО «Бонус», руб.",
        "Сальдо начальное",
        "Акт № 2026-0002 от 31.10.2026",
        "Оплата № 7 (счёт № 2026-0002)",
        "Обороты за период",
        "Сальдо конечное",
        # 1321.67 + 1300.00 - 1000.00
        "на 31.12.2026 задолженность в пользу ООО «Бонус» составляет 1\xa0621,67 руб. "
        "(Одна тысяча шестьсот двадцать один рубль 67 копеек).",
        "Петров\xa0П.\xa0П.",
    ):
        assert words in flat, words
    assert max(len(line) for line in text.splitlines()) <= 110


def test_html_and_pdf_are_written_and_read_back(run: Runner, month_end: Path, tmp_path: Path) -> None:
    paid_in(run, tmp_path)
    html_file, pdf_file = tmp_path / "сверка.html", tmp_path / "сверка.pdf"
    for fmt, path in (("html", html_file), ("pdf", pdf_file)):
        done = ok(
            run(
                "reconcile",
                "romashka",
                "--from",
                "2026-10-01",
                "--to",
                "2026-12-31",
                "-f",
                fmt,
                "-o",
                str(path),
            )
        )
        assert done.stdout == ""
        assert done.stderr.strip() == f"wrote {path}"
    html = html_file.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "По данным ТСЖ «Ромашка», руб." in html  # the client's half, to be filled in
    assert "<script" not in html
    assert "http" not in html
    assert pdf_file.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_file), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", " ", text.replace("\xa0", " "))
    for words in (
        "Акт сверки взаимных расчётов",
        "По данным ООО «Бонус», руб.",
        "По данным ТСЖ «Ромашка», руб.",
        "Акт № 2026-0001 от 31.10.2026",
        "Акт № 2026-0003 от 30.11.2026",
        "3 921,67",
        "Обороты за период 3 921,67 3 921,67",
        "задолженность отсутствует",
        "Сидоров С. С.",
        "Страница 1 из 1",
    ):
        assert words in flat, words


def test_a_pdf_is_not_for_the_terminal_and_a_bad_period_is_refused(run: Runner, month_end: Path) -> None:
    assert_refused(
        run("reconcile", "romashka", "--from", "2026-12-31", "--to", "2026-12-01"), 2, "--to 2026-12-01"
    )
    assert_refused(run("reconcile", "nobody", "--from", "2026-01-01", "--to", "2026-12-31"), 1, "nobody")
    assert_refused(run("reconcile", "romashka", "--from", "31.02.2026"), 2, "31.02.2026")
    piped = ok(run("reconcile", "romashka", "--from", "2026-01-01", "--to", "2026-12-31", "-f", "pdf"))
    assert piped.stdout_bytes.startswith(b"%PDF-")  # a pipe takes a PDF
