"""Month end through the installed ``kvsupport``: issue, void, re-issue, pay, print (SPEC §3, §5, §7, §8).

Every date is fixed and no later than 2026-12-01 (the day these were written), and
every ``invoice`` run passes ``--date``: nothing here depends on the clock or a
month boundary. The October ledger is built once per run and copied per test.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import stat
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from cli_testkit import Result, Runner, assert_refused, install_ledger, snapshot

# ``build_ledger`` is a plain function of tests/cli/conftest.py (the helper that
# builds ``romashka_ledger``); pytest has imported that conftest as ``conftest``.
from conftest import ROMASHKA, build_ledger
from kvsupport.storage.paths import PACKAGED_TARIFFS

LESNAYA = "тсж-лесная"
OCTOBER_DATE = "2026-11-02"
NOVEMBER_DATE = "2026-11-30"

SUPPLIER_SETTINGS: dict[str, str] = {
    "supplier.name": "ООО «Бонус»",
    "supplier.inn": "7707083893",
    "supplier.kpp": "773601001",
    "supplier.address": "117997, г. Москва, ул. Вавилова, д. 19",
    "supplier.bank": "ПАО Сбербанк, г. Москва",
    "supplier.bik": "044525225",
    "supplier.correspondent_account": "30101810400000000225",
    "supplier.account": "40702810938000012345",
    "supplier.director": "Петров П. П.",
    "consultant.name": "Иванов И. И.",
}

BACKUP = ("--problem", "не считает пени", "--consent", "письмо от 01.10.2026")


def add(client: str, service: str, start: str, duration: str, *extra: str) -> tuple[str, ...]:
    """``session add`` as typed at month end."""
    if service == "backup":
        extra = (*BACKUP, *extra)
    if service == "remote":
        extra = ("--backup-confirmed", *extra)
    return ("session", "add", client, service, "--start", start, "--duration", duration, *extra)


# Session ids follow the order of these commands.
OCTOBER: tuple[tuple[str, ...], ...] = (
    ROMASHKA,
    ("client", "add", LESNAYA, "--name", "ТСЖ «Лесная 5»", "--inn", "5024012340", "--phone", "+74950000005"),
    ("client", "add", "staryi", "--name", "УК «Старый дом»", "--phone", "+74950000007", "--fee-paid"),
    ("client", "add", "zvonok", "--name", "ТСЖ «Звонок»", "--phone", "+74950000009"),
    add("romashka", "backup", "2026-10-05 10:00", "45m"),  # 1: the minimum, 1300.00
    add("romashka", "backup", "2026-10-06 10:00", "61m"),  # 2: 1321.67
    add(LESNAYA, "remote", "2026-10-07 10:00", "90m"),  # 3: 1950.00 + the 4000.00 fee
    add(LESNAYA, "line", "2026-10-08 10:00", "15m"),  # 4: free
    add("staryi", "remote", "2026-10-09 10:00", "30m"),  # 5: 1300.00, fee paid before kvsupport
    add("zvonok", "line", "2026-10-12 10:00", "20m"),  # 6: free, the client's only work
    add(LESNAYA, "remote", "2026-10-20 10:00", "20m"),  # 7: the link drops after 20 minutes…
    ("session", "resume", "7", "--at", "2026-10-20 10:25"),
    ("session", "stop", "--at", "2026-10-20 10:55"),  # …and 30 more: one session, 50 min, 1300.00
    add("romashka", "backup", "2026-10-31 23:30", "45m"),  # 8: ends in November, belongs to October
    add(LESNAYA, "remote", "2026-11-10 10:00", "1h"),  # 9: November
    add("romashka", "backup", "2026-11-03 10:00", "30m"),  # 10: November
)

ISSUE_OCTOBER = ("invoice", "--month", "2026-10", "--date", OCTOBER_DATE)

# What October's invoices hold: (kind, session, date, minutes, billable_minutes, rate, amount).
OCTOBER_LINES: dict[str, list[tuple[str, int, str, int, int, str, str]]] = {
    "romashka": [
        ("session", 1, "2026-10-05", 45, 60, "1300.00", "1300.00"),
        ("session", 2, "2026-10-06", 61, 61, "1300.00", "1321.67"),
        ("session", 8, "2026-10-31", 45, 60, "1300.00", "1300.00"),
    ],
    LESNAYA: [
        ("session", 3, "2026-10-07", 90, 90, "1300.00", "1950.00"),
        ("fee", 3, "2026-10-07", 0, 0, "4000.00", "4000.00"),
        ("session", 7, "2026-10-20", 50, 60, "1300.00", "1300.00"),
    ],
    "staryi": [("session", 5, "2026-10-09", 30, 60, "1300.00", "1300.00")],
}
OCTOBER_NUMBERS = {"romashka": "2026-0001", LESNAYA: "2026-0002", "staryi": "2026-0003"}
OCTOBER_TOTALS = {"romashka": "3921.67", LESNAYA: "7250.00", "staryi": "1300.00"}

INVOICE_KEYS = {
    "number",
    "date",
    "period",
    "status",
    "client",
    "supplier",
    "lines",
    "total",
    "vat",
    "total_in_words",
}
LINE_KEYS = {"kind", "session", "date", "title", "minutes", "billable_minutes", "rate", "amount"}
MONEY = re.compile(r"^\d+\.\d{2}$")
KOPECK = Decimal("0.01")


# ----------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def supplier_config_bytes(tmp_path_factory: pytest.TempPathFactory, moscow_config_bytes: bytes) -> bytes:
    """Moscow time and the supplier's requisites, written by ``kvsupport config set`` (once)."""
    where = tmp_path_factory.mktemp("supplier")
    build_ledger(where, moscow_config_bytes, *(("config", "set", k, v) for k, v in SUPPLIER_SETTINGS.items()))
    return (where / "config.toml").read_bytes()


@pytest.fixture(scope="session")
def october_ledger(tmp_path_factory: pytest.TempPathFactory, supplier_config_bytes: bytes) -> Path:
    """Four clients and the sessions of ``OCTOBER``, nothing invoiced (made once)."""
    return build_ledger(tmp_path_factory.mktemp("october"), supplier_config_bytes, *OCTOBER)


@pytest.fixture(scope="session")
def october_issued_ledger(
    tmp_path_factory: pytest.TempPathFactory, supplier_config_bytes: bytes, october_ledger: Path
) -> Path:
    """``october_ledger`` after ``kvsupport invoice --month 2026-10`` (made once)."""
    where = tmp_path_factory.mktemp("october-issued")
    shutil.copytree(october_ledger, where / "ledger")  # where build_ledger keeps its ledger
    return build_ledger(where, supplier_config_bytes, ISSUE_OCTOBER)


@pytest.fixture
def supplier(isolated_files: Path, supplier_config_bytes: bytes) -> Path:
    """This test's config file: Moscow time and the supplier's requisites."""
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(supplier_config_bytes)
    return config


@pytest.fixture
def october(supplier: Path, ledger_dir: Path, october_ledger: Path) -> Path:
    """A copy of ``october_ledger`` as this test's ledger; its directory."""
    install_ledger(october_ledger, ledger_dir)
    return ledger_dir


@pytest.fixture
def october_issued(supplier: Path, ledger_dir: Path, october_issued_ledger: Path) -> Path:
    """A copy of ``october_issued_ledger`` (2026-0001…0003 issued) as this test's ledger."""
    install_ledger(october_issued_ledger, ledger_dir)
    return ledger_dir


@pytest.fixture
def state(ledger_dir: Path, supplier: Path) -> list[Path]:
    """What a refused or dry command must leave byte for byte: the ledger and the config."""
    return [ledger_dir, supplier]


# ------------------------------------------------------------------ helpers


def ok(result: Result) -> Result:
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def issue(
    run: Runner, month: str, on: str, *extra: str, root: tuple[str, ...] = ()
) -> tuple[list[dict[str, Any]], str]:
    """``kvsupport [ROOT] invoice --month M --date D --format json``: the invoices and stderr."""
    result = ok(run(*root, "invoice", "--month", month, "--date", on, "--format", "json", *extra))
    invoices: list[dict[str, Any]] = result.json()
    return invoices, result.stderr


def show(run: Runner, number: str, *extra: str) -> dict[str, Any]:
    record: dict[str, Any] = ok(run("invoice", "show", number, "--format", "json", *extra)).json()
    return record


def statuses(run: Runner, *extra: str) -> dict[str, str]:
    rows = ok(run("invoice", "list", "--format", "json", *extra)).json()
    return {row["number"]: row["status"] for row in rows}


def by_client(invoices: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found = {inv["client"]["code"]: inv for inv in invoices}
    assert len(found) == len(invoices), "one invoice per client"
    return found


def lines_of(invoice: dict[str, Any]) -> list[tuple[str, int, str, int, int, str, str]]:
    return [
        (
            ln["kind"],
            ln["session"],
            ln["date"],
            ln["minutes"],
            ln["billable_minutes"],
            ln["rate"],
            ln["amount"],
        )
        for ln in invoice["lines"]
    ]


def billed_on(run: Runner, month: str) -> dict[int, str | None]:
    """Each session of ``month`` and the invoice it is on."""
    rows = ok(run("session", "list", "--month", month, "--format", "json")).json()
    return {row["id"]: row["invoice"] for row in rows}


def printed_money(text: str) -> Decimal:
    """``1 300,00`` (spaces or no-break spaces) → ``Decimal("1300.00")``."""
    return Decimal(text.replace("\xa0", "").replace(" ", "").replace(",", "."))


def text_rows(text: str) -> list[tuple[int, Decimal, Decimal]]:
    """Quantity, price and sum of each row of the printed table (terminal form)."""
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) in (8, 10) and cells[4].replace("\xa0", " ") == "усл. ед.":  # 10: with VAT columns
            rows.append((int(cells[3]), printed_money(cells[5]), printed_money(cells[-2])))
    return rows


HTML_ROW = re.compile(
    r'<tr><td class="c">\d+</td><td>.*?</td><td class="c">(\d+)</td><td class="c">[^<]*</td>'
    r'<td class="num">([^<]*)</td><td class="num">([^<]*)</td></tr>'
)


def html_rows(html: str) -> list[tuple[int, Decimal, Decimal]]:
    return [(int(q), printed_money(p), printed_money(s)) for q, p, s in HTML_ROW.findall(html)]


def printed_total(text: str) -> Decimal:
    match = re.search(r"Итого:\s*([\d \xa0]+,\d\d)", text)
    assert match, text
    return printed_money(match.group(1))


def assert_exact_arithmetic(rows: list[tuple[int, Decimal, Decimal]], total: Decimal) -> None:
    """SPEC §3.9: each row quantity × price = sum, and the sums add up to the total."""
    assert rows
    for quantity, price, amount in rows:
        assert quantity * price == amount
    assert sum((amount for _, _, amount in rows), Decimal(0)) == total


def charge(rate: str, minutes: int) -> str:
    return str((Decimal(rate) * minutes / 60).quantize(KOPECK, rounding=ROUND_HALF_UP))


def money_values(record: dict[str, Any]) -> Iterator[str]:
    yield record["total"]
    yield record["vat"]["amount"]
    for line in record["lines"]:
        yield line["rate"]
        yield line["amount"]


# ------------------------------------------------------------------ issuing


def test_october_one_invoice_per_client_with_billable_work(run: Runner, october: Path) -> None:
    invoices, stderr = issue(run, "2026-10", OCTOBER_DATE)

    assert sorted(inv["number"] for inv in invoices) == ["2026-0001", "2026-0002", "2026-0003"]
    found = by_client(invoices)
    assert set(found) == {"romashka", LESNAYA, "staryi"}  # zvonok had only free line calls
    for code, invoice in found.items():
        assert invoice["number"] == OCTOBER_NUMBERS[code]
        assert lines_of(invoice) == OCTOBER_LINES[code]
        assert invoice["total"] == OCTOBER_TOTALS[code]
    assert found["romashka"]["total_in_words"] == "Три тысячи девятьсот двадцать один рубль 67 копеек"
    assert found[LESNAYA]["total_in_words"] == "Семь тысяч двести пятьдесят рублей 00 копеек"
    assert found["staryi"]["total_in_words"] == "Одна тысяча триста рублей 00 копеек"

    blanks = "on record: invoice {} prints blanks; kvsupport client edit {} --{} …"
    assert stderr.splitlines() == [  # issue 12: a customer without INN or address is warned of
        "warning: client romashka has no address " + blanks.format("2026-0001", "romashka", "address"),
        f"warning: client {LESNAYA} has no address " + blanks.format("2026-0002", LESNAYA, "address"),
        "warning: client staryi has no INN, address " + blanks.format("2026-0003", "staryi", "inn"),
        "issued 3 invoice(s) for 2026-10: 2026-0001 romashka 3921.67; "
        f"2026-0002 {LESNAYA} 7250.00; 2026-0003 staryi 1300.00",
    ]
    # stdout is the same records that are stored
    for invoice in invoices:
        assert show(run, invoice["number"]) == invoice

    assert billed_on(run, "2026-10") == {
        1: "2026-0001",
        2: "2026-0001",
        3: "2026-0002",
        4: None,  # line: logged, never invoiced
        5: "2026-0003",
        6: None,
        7: "2026-0002",
        8: "2026-0001",
    }
    assert billed_on(run, "2026-11") == {9: None, 10: None}
    assert statuses(run) == dict.fromkeys(["2026-0001", "2026-0002", "2026-0003"], "issued")


def test_the_json_invoice_has_the_shape_of_spec_5(run: Runner, october: Path) -> None:
    invoices, _ = issue(run, "2026-10", OCTOBER_DATE)
    invoice = by_client(invoices)[LESNAYA]

    assert set(invoice) >= INVOICE_KEYS
    assert (invoice["number"], invoice["date"], invoice["period"], invoice["status"]) == (
        "2026-0002",
        OCTOBER_DATE,
        "2026-10",
        "issued",
    )
    client = invoice["client"]
    assert (client["code"], client["name"], client["inn"], client["phone"]) == (
        LESNAYA,
        "ТСЖ «Лесная 5»",
        "5024012340",
        "+74950000005",
    )
    supplier = invoice["supplier"]
    for key, value in SUPPLIER_SETTINGS.items():
        section, name = key.split(".")
        assert supplier["consultant" if section == "consultant" else name] == value
    assert invoice["vat"] == {"mode": "none", "amount": "0.00"}

    for line in invoice["lines"]:
        assert set(line) >= LINE_KEYS
    session, fee, resumed = invoice["lines"]
    assert session["title"] == "Дистанционная техподдержка: прямое подключение к компьютеру"
    assert fee["title"] == "Подключение к системе дистанционного обслуживания"
    assert resumed["title"] == session["title"]
    assert len(resumed["segments"]) == 2  # the dropped link: two segments, one minimum

    for inv in invoices:
        for value in money_values(inv):
            assert isinstance(value, str)
            assert MONEY.match(value), value
        total = Decimal(0)
        for line in inv["lines"]:
            if line["kind"] == "session":
                assert line["amount"] == charge(line["rate"], line["billable_minutes"])
            else:
                assert line["amount"] == line["rate"]
            assert line.get("quantity", 1) == 1
            total += Decimal(line["amount"])
        assert str(total) == inv["total"]


def test_run_again_bills_only_what_is_new(run: Runner, october_issued: Path, state: list[Path]) -> None:
    before = snapshot(*state)
    again = ok(run(*ISSUE_OCTOBER, "--format", "json"))
    assert again.stdout.strip() == "[]"
    assert again.stderr.strip() == "nothing to invoice for 2026-10"
    assert snapshot(*state) == before
    # a month with no work points at the month before that still has some
    december = ok(run("invoice", "--month", "2026-12", "--date", "2026-12-01", "--format", "json"))
    assert december.stdout.strip() == "[]"
    assert december.stderr.splitlines() == [
        "warning: 2026-12 is still in progress (it ends 2026-12-31): work after 2026-12-01 will need "
        "another invoice",
        "nothing to invoice for 2026-12; 2026-11 has unbilled work: --month 2026-11",
    ]
    assert snapshot(*state) == before

    ok(run(*add("romashka", "backup", "2026-10-26 10:00", "1h")))  # 11
    ok(run(*add(LESNAYA, "remote", "2026-10-27 10:00", "30m")))  # 12
    invoices, stderr = issue(run, "2026-10", OCTOBER_DATE)
    found = by_client(invoices)
    assert set(found) == {"romashka", LESNAYA}
    assert sorted(inv["number"] for inv in invoices) == ["2026-0004", "2026-0005"]
    assert lines_of(found["romashka"]) == [("session", 11, "2026-10-26", 60, 60, "1300.00", "1300.00")]
    # the fee was on 2026-0002: not again
    assert lines_of(found[LESNAYA]) == [("session", 12, "2026-10-27", 30, 60, "1300.00", "1300.00")]
    assert "issued 2 invoice(s) for 2026-10" in stderr

    # the invoices issued before are as they were
    assert lines_of(show(run, "2026-0001")) == OCTOBER_LINES["romashka"]
    assert lines_of(show(run, "2026-0002")) == OCTOBER_LINES[LESNAYA]


def test_dry_run_stores_nothing_and_uses_up_no_number(
    run: Runner, october: Path, state: list[Path], tmp_path: Path
) -> None:
    before = snapshot(*state)
    out = tmp_path / "documents"
    dry = ok(run(*ISSUE_OCTOBER, "--format", "json", "--dry-run", "--output", str(out)))
    assert snapshot(*state) == before
    assert not out.exists()
    assert "would issue 3 invoice(s) for 2026-10" in dry.stderr
    assert "nothing was stored" in dry.stderr
    assert ok(run("invoice", "list", "--format", "json")).stdout.strip() == "[]"
    assert billed_on(run, "2026-10")[1] is None

    real = ok(run(*ISSUE_OCTOBER, "--format", "json"))
    assert real.json() == dry.json()  # the same numbers: the dry run used none up
    assert snapshot(*state) != before


def test_a_running_session_is_not_billed_and_the_output_says_so(run: Runner, romashka: str) -> None:
    ok(run(*add(romashka, "backup", "2026-10-05 10:00", "45m")))  # 1
    ok(run("session", "start", romashka, "remote", "--backup-confirmed", "--at", "2026-10-30 10:00"))  # 2

    invoices, stderr = issue(run, "2026-10", OCTOBER_DATE)
    (invoice,) = invoices
    assert lines_of(invoice) == [("session", 1, "2026-10-05", 45, 60, "1300.00", "1300.00")]
    assert "warning: session 2 (romashka) is running and is not billed" in stderr
    assert billed_on(run, "2026-10") == {1: "2026-0001", 2: None}

    ok(run("session", "stop", "--at", "2026-10-30 11:30"))
    invoices, stderr = issue(run, "2026-10", OCTOBER_DATE)
    (invoice,) = invoices
    assert invoice["number"] == "2026-0002"
    # its first remote session: 1950.00 and the one-time fee
    assert lines_of(invoice) == [
        ("session", 2, "2026-10-30", 90, 90, "1300.00", "1950.00"),
        ("fee", 2, "2026-10-30", 0, 0, "4000.00", "4000.00"),
    ]
    assert invoice["total"] == "5950.00"
    assert "running" not in stderr


def test_numbers_follow_the_year_of_the_invoice_date(run: Runner, romashka: str) -> None:
    ok(run(*add(romashka, "backup", "2025-11-10 10:00", "1h")))
    ok(run(*add(romashka, "backup", "2025-12-10 10:00", "1h")))
    ok(run(*add(romashka, "backup", "2026-01-15 10:00", "1h")))

    assert [i["number"] for i in issue(run, "2025-11", "2025-11-30")[0]] == ["2025-0001"]
    # December's invoice, dated in January, is the first of 2026
    assert [i["number"] for i in issue(run, "2025-12", "2026-01-09")[0]] == ["2026-0001"]
    assert [i["number"] for i in issue(run, "2026-01", "2026-01-31")[0]] == ["2026-0002"]
    # work found late, invoiced with a 2025 date: 2025's sequence goes on
    ok(run(*add(romashka, "backup", "2025-12-28 10:00", "1h")))
    late, _ = issue(run, "2025-12", "2025-12-31")
    assert [(i["number"], i["date"], i["period"]) for i in late] == [("2025-0002", "2025-12-31", "2025-12")]


def test_an_invoice_is_never_dated_before_one_numbered_earlier(
    run: Runner, romashka: str, ledger_dir: Path
) -> None:
    """A later number with an earlier date reads as a document made after the fact."""
    ok(run(*add(romashka, "backup", "2026-10-05 10:00", "1h")))
    ok(run(*add(romashka, "backup", "2026-11-05 10:00", "1h")))
    assert [i["number"] for i in issue(run, "2026-11", "2026-12-01")[0]] == ["2026-0001"]
    before = snapshot(ledger_dir)
    for extra in ((), ("--dry-run",)):
        result = run("invoice", "--month", "2026-10", "--date", "2026-10-31", *extra)
        assert_refused(result, 2, "2026-10-31", "2026-12-01", "2026-0001")
        assert "hint: numbers follow the dates: date it 2026-12-01 or later" in result.stderr
    assert snapshot(ledger_dir) == before
    late, _ = issue(run, "2026-10", "2026-12-01")  # the same day is fine
    assert [(i["number"], i["date"], i["period"]) for i in late] == [("2026-0002", "2026-12-01", "2026-10")]


def test_client_option_issues_only_that_clients_invoice(run: Runner, october: Path) -> None:
    invoices, _ = issue(run, "2026-10", OCTOBER_DATE, "--client", "staryi")
    assert [(i["number"], i["client"]["code"]) for i in invoices] == [("2026-0001", "staryi")]
    rest, _ = issue(run, "2026-10", OCTOBER_DATE)
    assert {i["client"]["code"]: i["number"] for i in rest} == {"romashka": "2026-0002", LESNAYA: "2026-0003"}


# ------------------------------------------------------- the one-time fee


def test_the_fee_is_charged_once_ever_and_is_due_again_after_a_void(
    run: Runner, october_issued: Path
) -> None:
    november, _ = issue(run, "2026-11", NOVEMBER_DATE)
    found = by_client(november)
    assert {code: inv["number"] for code, inv in found.items()} == {
        "romashka": "2026-0004",
        LESNAYA: "2026-0005",
    }
    assert lines_of(found[LESNAYA]) == [("session", 9, "2026-11-10", 60, 60, "1300.00", "1300.00")]

    # voiding an invoice without the fee does not make the fee due
    ok(run("invoice", "void", "2026-0005", "--reason", "не тот месяц"))
    (again,) = issue(run, "2026-11", NOVEMBER_DATE)[0]
    assert again["number"] == "2026-0006"
    assert lines_of(again) == lines_of(found[LESNAYA])

    # voiding the invoice that charged it does
    voided = ok(run("invoice", "void", "2026-0002", "--reason", "ошибка в реквизитах"))
    assert voided.stdout == ""
    assert voided.stderr.startswith(
        f"voided 2026-0002 ({LESNAYA}, 7250.00 RUB): sessions 3, 7 and the one-time fee "
        "«Подключение к системе дистанционного обслуживания» can be invoiced again; the number is not reused"
    )
    assert billed_on(run, "2026-10")[3] is None
    assert billed_on(run, "2026-10")[7] is None
    record = show(run, "2026-0002")
    assert (record["status"], record["void_reason"]) == ("void", "ошибка в реквизитах")
    assert lines_of(record) == OCTOBER_LINES[LESNAYA]  # kept as it was

    # re-issued after November's invoices: dated no earlier than they are (numbers follow dates)
    (reissued,) = issue(run, "2026-10", NOVEMBER_DATE)[0]
    assert reissued["number"] == "2026-0007"  # 2026-0002 is never used again
    assert reissued["client"]["code"] == LESNAYA
    assert lines_of(reissued) == OCTOBER_LINES[LESNAYA]
    assert reissued["total"] == "7250.00"

    assert statuses(run) == {
        "2026-0001": "issued",
        "2026-0002": "void",
        "2026-0003": "issued",
        "2026-0004": "issued",
        "2026-0005": "void",
        "2026-0006": "issued",
        "2026-0007": "issued",
    }


def test_a_client_marked_fee_paid_never_gets_the_fee(run: Runner, october_issued: Path) -> None:
    assert lines_of(show(run, "2026-0003")) == OCTOBER_LINES["staryi"]
    ok(run(*add("staryi", "remote", "2026-11-12 10:00", "2h")))
    ok(run("invoice", "void", "2026-0003", "--reason", "пересчёт"))
    invoices, _ = issue(run, "2026-10", OCTOBER_DATE)
    assert [lines_of(i) for i in invoices] == [OCTOBER_LINES["staryi"]]
    november = by_client(issue(run, "2026-11", NOVEMBER_DATE)[0])
    assert lines_of(november["staryi"]) == [("session", 11, "2026-11-12", 120, 120, "1300.00", "2600.00")]


# ------------------------------------------------------------ void and pay


def test_pay_and_the_unpaid_listing(run: Runner, october_issued: Path, state: list[Path]) -> None:
    paid = ok(run("invoice", "pay", "2026-0001", "--date", "2026-11-20"))
    assert paid.stdout == ""
    assert paid.stderr.strip() == "2026-0001 paid on 2026-11-20: 3921.67 RUB"
    record = show(run, "2026-0001")
    assert (record["status"], record["paid_on"]) == ("paid", "2026-11-20")
    assert lines_of(record) == OCTOBER_LINES["romashka"]
    ok(run("invoice", "void", "2026-0003", "--reason", "дубль"))

    unpaid = ok(run("invoice", "list", "--unpaid", "--format", "json"))
    assert unpaid.stderr == ""
    assert [(r["number"], r["status"], r["total"]) for r in unpaid.json()] == [
        ("2026-0002", "issued", "7250.00")
    ]

    as_csv = ok(run("invoice", "list", "--unpaid", "--format", "csv"))
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(r["number"], r["date"], r["period"], r["status"], r["total"]) for r in rows] == [
        ("2026-0002", OCTOBER_DATE, "2026-10", "issued", "7250.00")
    ]
    for cell in rows[0].values():
        assert not cell.startswith(("{", "[")), f"a JSON blob in a CSV cell: {cell}"

    everything = list(csv.DictReader(io.StringIO(ok(run("invoice", "list", "--format", "csv")).stdout)))
    assert [(r["number"], r["status"], r["paid_on"]) for r in everything] == [
        ("2026-0001", "paid", "2026-11-20"),
        ("2026-0002", "issued", ""),
        ("2026-0003", "void", ""),
    ]

    before = snapshot(*state)
    assert_refused(run("invoice", "pay", "2026-0001", "--date", "2026-11-21"), 1, "2026-0001")
    assert_refused(run("invoice", "void", "2026-0001", "--reason", "передумали"), 1, "2026-0001")
    assert_refused(run("invoice", "pay", "2026-0003", "--date", "2026-11-21"), 1, "2026-0003")
    assert_refused(run("invoice", "void", "2026-0003", "--reason", "ещё раз"), 1, "2026-0003")
    assert snapshot(*state) == before

    ok(run("invoice", "pay", "2026-0002", "--date", "2026-11-25"))
    assert ok(run("invoice", "list", "--unpaid", "--format", "json")).stdout.strip() == "[]"
    # nothing unpaid: the CSV keeps its header, for the scripts that read it
    header = as_csv.stdout.splitlines()[0]
    assert "vat_amount" in header
    assert ok(run("invoice", "list", "--unpaid", "--format", "csv")).stdout.splitlines() == [header]


# -------------------------------------------------------- frozen invoices


def test_issued_invoices_do_not_change_with_client_config_or_tariffs(
    run: Runner, october_issued: Path, tmp_path: Path
) -> None:
    frozen = {n: ok(run("invoice", "show", n, "--format", "json")).stdout for n in OCTOBER_NUMBERS.values()}
    frozen_text = ok(run("invoice", "show", "2026-0001")).stdout
    assert "ООО «Ромашка»" in frozen_text
    assert "ООО «Бонус»" in frozen_text

    ok(run("client", "edit", "romashka", "--name", "ООО «Ромашка-Плюс»", "--inn", "500100732259"))
    ok(run("client", "edit", LESNAYA, "--name", "ТСЖ «Лесная 7»"))
    ok(run("config", "set", "supplier.name", "ИП Новиков"))
    ok(run("config", "set", "supplier.inn", "5024012340"))
    ok(run("config", "set", "invoice.due_days", "10"))  # the due date stays the one printed
    assert "Оплатить не позднее" in frozen_text
    dearer = tmp_path / "tariffs.toml"
    dearer.write_text(
        PACKAGED_TARIFFS.read_text("utf-8")
        .replace('"1300.00"', '"1500.00"')
        .replace('"4000.00"', '"5000.00"'),
        "utf-8",
    )
    tariffs = ("--tariffs", str(dearer))

    for number, record in frozen.items():
        assert ok(run(*tariffs, "invoice", "show", number, "--format", "json")).stdout == record
    text = ok(run(*tariffs, "invoice", "show", "2026-0001")).stdout
    assert text == frozen_text
    # an issued invoice needs no tariff file at all
    nowhere = ("--tariffs", str(tmp_path / "nope.toml"))
    assert ok(run(*nowhere, "invoice", "show", "2026-0002", "--format", "json")).stdout == frozen["2026-0002"]

    # the changes are real: an invoice issued now carries them
    ok(run("invoice", "void", "2026-0001", "--reason", "новые реквизиты"))
    ok(run("invoice", "void", "2026-0002", "--reason", "новые реквизиты"))
    invoices, _ = issue(run, "2026-10", OCTOBER_DATE, root=tariffs)
    found = by_client(invoices)
    assert found["romashka"]["client"]["name"] == "ООО «Ромашка-Плюс»"
    assert found["romashka"]["client"]["inn"] == "500100732259"
    assert found["romashka"]["supplier"]["name"] == "ИП Новиков"
    assert [ln["amount"] for ln in found["romashka"]["lines"]] == ["1500.00", "1525.00", "1500.00"]
    assert [ln["amount"] for ln in found[LESNAYA]["lines"]] == ["2250.00", "5000.00", "1500.00"]
    # and the voided invoice keeps the old requisites and prices
    old = show(run, "2026-0001")
    assert (old["status"], old["client"]["name"], old["supplier"]["name"]) == (
        "void",
        "ООО «Ромашка»",
        "ООО «Бонус»",
    )
    assert lines_of(old) == OCTOBER_LINES["romashka"]


# ----------------------------------------------- invoiced sessions are fixed


def test_an_invoiced_session_cannot_be_edited_or_deleted_until_void(
    run: Runner, october_issued: Path, state: list[Path]
) -> None:
    before = snapshot(*state)
    assert_refused(run("session", "edit", "1", "--note", "опечатка"), 1, "2026-0001")
    assert_refused(run("session", "delete", "2"), 1, "2026-0001")
    assert_refused(run("session", "edit", "7", "--end", "2026-10-20 12:00"), 1, "2026-0002")
    assert_refused(run("session", "resume", "7", "--at", "2026-10-20 11:00"), 1, "2026-0002")
    assert snapshot(*state) == before

    ok(run("invoice", "void", "2026-0001", "--reason", "неверное время"))
    ok(run("session", "edit", "1", "--end", "2026-10-05 11:30"))  # 90 minutes
    ok(run("session", "delete", "2"))
    invoices, _ = issue(run, "2026-10", OCTOBER_DATE)
    (invoice,) = invoices
    assert invoice["number"] == "2026-0004"
    assert lines_of(invoice) == [
        ("session", 1, "2026-10-05", 90, 90, "1300.00", "1950.00"),
        ("session", 8, "2026-10-31", 45, 60, "1300.00", "1300.00"),
    ]
    assert invoice["total"] == "3250.00"
    # the editing touched none of the other invoices
    assert lines_of(show(run, "2026-0002")) == OCTOBER_LINES[LESNAYA]


# ---------------------------------------------------------------- documents


def test_invoice_show_prints_the_russian_invoice_and_act(run: Runner, october_issued: Path) -> None:
    shown = ok(run("invoice", "show", "2026-0002"))
    assert shown.stderr == ""
    text = shown.stdout.replace("\xa0", " ")
    for expected in (
        "Счёт на оплату № 2026-0002 от 2 ноября 2026 г.",
        "за октябрь 2026 г.",
        "ООО «Бонус»",
        "044525225",
        "40702810938000012345",
        "ТСЖ «Лесная 5»",
        "Подключение к системе дистанционного обслуживания",
        "Без налога (НДС)",
        "Всего наименований 3, на сумму 7 250,00 руб.",
        "Семь тысяч двести пятьдесят рублей 00 копеек",
    ):
        assert expected in text, expected
    rows = text_rows(shown.stdout)
    assert [amount for _, _, amount in rows] == [Decimal("1950.00"), Decimal("4000.00"), Decimal("1300.00")]
    assert_exact_arithmetic(rows, printed_total(shown.stdout))
    assert printed_total(shown.stdout) == Decimal("7250.00")

    act = ok(run("invoice", "show", "2026-0002", "--act"))
    act_text = act.stdout.replace("\xa0", " ")
    assert "Акт об оказании услуг № 2026-0002 от 31 октября 2026 г." in act_text  # the month's last day
    assert "Счёт на оплату" not in act_text
    assert_exact_arithmetic(text_rows(act.stdout), Decimal("7250.00"))

    romashka = ok(run("invoice", "show", "2026-0001")).stdout
    assert_exact_arithmetic(text_rows(romashka), Decimal("3921.67"))
    assert "Три тысячи девятьсот двадцать один рубль 67 копеек" in romashka


def test_invoice_show_writes_json_html_pdf_and_text_files(
    run: Runner, october_issued: Path, tmp_path: Path
) -> None:
    record = ok(run("invoice", "show", "2026-0002", "--format", "json"))
    as_file = tmp_path / "2026-0002.json"
    written = ok(run("invoice", "show", "2026-0002", "--format", "json", "-o", str(as_file)))
    assert written.stdout == ""
    assert str(as_file) in written.stderr
    assert as_file.read_text("utf-8") == record.stdout

    html = tmp_path / "2026-0002.html"
    assert ok(run("invoice", "show", "2026-0002", "--format", "html", "-o", str(html))).stdout == ""
    page = html.read_text("utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "Счёт на оплату № 2026-0002" in page
    assert "<script" not in page.lower()
    assert "http://" not in page
    assert "https://" not in page  # self-contained
    assert_exact_arithmetic(html_rows(page), Decimal("7250.00"))

    act_html = tmp_path / "act.html"
    ok(run("invoice", "show", "2026-0002", "--act", "--format", "html", "-o", str(act_html)))
    assert "Акт об оказании услуг № 2026-0002" in act_html.read_text("utf-8")
    assert_exact_arithmetic(html_rows(act_html.read_text("utf-8")), Decimal("7250.00"))

    first, second, act_pdf = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "act.pdf"
    ok(run("invoice", "show", "2026-0002", "--format", "pdf", "-o", str(first)))
    ok(run("invoice", "show", "2026-0002", "--format", "pdf", "-o", str(second)))
    ok(run("invoice", "show", "2026-0002", "--format", "pdf", "--act", "-o", str(act_pdf)))
    assert first.read_bytes().startswith(b"%PDF")
    assert first.read_bytes() == second.read_bytes()  # identical input, identical bytes
    assert act_pdf.read_bytes().startswith(b"%PDF")
    assert act_pdf.read_bytes() != first.read_bytes()

    # the terminal form into a file: what the terminal shows, without colour
    text_file = tmp_path / "2026-0002.txt"
    to_file = ok(run("invoice", "show", "2026-0002", "--format", "text", "-o", str(text_file)))
    assert to_file.stdout == ""
    assert text_file.read_text("utf-8") == ok(run("invoice", "show", "2026-0002")).stdout
    assert "\x1b[" not in text_file.read_text("utf-8")


def test_invoice_output_writes_each_invoice_and_act(run: Runner, october: Path, tmp_path: Path) -> None:
    out = tmp_path / "счета"
    result = ok(run(*ISSUE_OCTOBER, "--output", str(out)))
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"{number}-{kind}.{ext}"
        for number in OCTOBER_NUMBERS.values()
        for kind in ("invoice", "act")
        for ext in ("html", "pdf")
    )
    assert result.stderr.count(f"to {out}") == 3
    # the text of all three invoices is on stdout
    assert result.stdout.count("Счёт на оплату №") == 3
    page = (out / "2026-0001-invoice.html").read_text("utf-8")
    assert "Счёт на оплату № 2026-0001" in page
    assert_exact_arithmetic(html_rows(page), Decimal("3921.67"))
    # session 8 ran past midnight into November: the act is dated the day it ended
    assert "Акт об оказании услуг № 2026-0001 от 1 ноября 2026 г." in (out / "2026-0001-act.html").read_text(
        "utf-8"
    )
    for pdf in out.glob("*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF")
    for written in out.iterdir():  # clients' requisites and phones: the owner's only, like the ledger
        assert stat.S_IMODE(written.stat().st_mode) == 0o600, written
    shown = tmp_path / "shown.pdf"
    ok(run("invoice", "show", "2026-0003", "--format", "pdf", "-o", str(shown)))
    assert shown.read_bytes() == (out / "2026-0003-invoice.pdf").read_bytes()


def test_a_number_with_a_slash_gives_file_names_with_a_dash(
    run: Runner, romashka: str, tmp_path: Path
) -> None:
    ok(run("config", "set", "invoice.number_format", "{seq:03d}/{year}"))  # «001/2026», as often in Russia
    ok(run(*add(romashka, "backup", "2026-10-05 10:00", "45m")))
    out = tmp_path / "out"
    result = ok(run(*ISSUE_OCTOBER, "--output", str(out)))
    assert "issued 1 invoice(s) for 2026-10: 001/2026 romashka 1300.00" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "001-2026-act.html",
        "001-2026-act.pdf",
        "001-2026-invoice.html",
        "001-2026-invoice.pdf",
    ]
    assert "Счёт на оплату № 001/2026" in (out / "001-2026-invoice.html").read_text("utf-8")
    assert show(run, "001/2026")["total"] == "1300.00"


def test_html_escapes_a_client_named_like_a_script(run: Runner, supplier: Path, tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    ok(run("client", "add", "xss", "--name", hostile, "--address", 'ул. "Кавычки" & <b>'))
    ok(run(*add("xss", "backup", "2026-10-05 10:00", "45m", "--phone", "+74951112233")))
    ok(run(*ISSUE_OCTOBER))
    for extra in ((), ("--act",)):
        page = tmp_path / "page.html"
        ok(run("invoice", "show", "2026-0001", "--format", "html", *extra, "-o", str(page)))
        html = page.read_text("utf-8")
        assert "<script" not in html.lower()
        assert "<b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&amp; &lt;b&gt;" in html
    # the terminal shows the name as it is
    assert hostile in ok(run("invoice", "show", "2026-0001")).stdout


def test_a_tariff_change_within_the_month_and_vat(
    run: Runner, romashka: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = PACKAGED_TARIFFS.read_text("utf-8")
    later = (
        shipped[shipped.index("\n[[tariff]]") :]
        .replace("effective = 2017-01-01", "effective = 2026-10-15")
        .replace('vat = "none"', 'vat = "20"')
        .replace('"1300.00"', '"1500.00"')
        .replace('"4000.00"', '"5000.00"')
    )
    tariffs = tmp_path / "tariffs.toml"
    tariffs.write_text(shipped + later, "utf-8")
    monkeypatch.setenv("KVSUPPORT_TARIFFS", str(tariffs))

    ok(run("client", "add", "novyi", "--name", "ТСЖ «Новое»", "--phone", "+74950000001"))
    ok(run(*add(romashka, "remote", "2026-10-05 10:00", "45m")))  # 1: the 2017 list, no VAT
    ok(run(*add(romashka, "remote", "2026-10-20 10:00", "61m")))  # 2: from 15.10, VAT 20 % included
    ok(run(*add("novyi", "remote", "2026-10-21 10:00", "61m")))  # 3: its first remote: the new fee
    found = by_client(issue(run, "2026-10", OCTOBER_DATE)[0])

    assert [(ln["kind"], ln["tariff"], ln["vat"], ln["amount"]) for ln in found[romashka]["lines"]] == [
        ("session", "2017-01-01", "none", "1300.00"),
        ("fee", "2017-01-01", "none", "4000.00"),  # the fee of the version of its session
        ("session", "2026-10-15", "20", "1525.00"),
    ]
    assert (found[romashka]["total"], found[romashka]["vat"]) == (
        "6825.00",
        {"mode": "included", "amount": "254.17"},  # 1525.00 × 20 / 120
    )
    assert [ln["amount"] for ln in found["novyi"]["lines"]] == ["1525.00", "5000.00"]
    assert (found["novyi"]["total"], found["novyi"]["vat"]) == (
        "6525.00",
        {"mode": "included", "amount": "1087.50"},
    )

    text = ok(run("invoice", "show", found[romashka]["number"])).stdout.replace("\xa0", " ")
    assert "Без налога (НДС)" not in text
    assert re.search(r"В том числе НДС 20 %:\s+254,17", text), text
    assert_exact_arithmetic(text_rows(text), Decimal("6825.00"))


# ---------------------------------------------------------------- bad input

BAD: list[tuple[tuple[str, ...], int, str]] = [
    (("invoice", "show", "2026-0099"), 1, "2026-0099"),
    (("invoice", "show", "2026-0099", "--format", "pdf", "-o", "{tmp}/never.pdf"), 1, "2026-0099"),
    (("invoice", "show", "2026-0001", "--format", "xml"), 2, "xml"),
    (("invoice", "--month", "2026-13"), 2, "2026-13"),
    (("invoice", "--month", "10.26"), 2, "10.26"),
    (("invoice", "--month", "2026-11", "--date", "nonsense"), 2, "nonsense"),
    (("invoice", "--month", "2026-11", "--date", "2026-10-31"), 2, "2026-10-31"),
    (("invoice", "--month", "2026-11", "--date", NOVEMBER_DATE, "--client", "nobody"), 1, "nobody"),
    (("invoice", "--month", "2026-11", "--date", NOVEMBER_DATE, "--format", "csv"), 2, "csv"),
    (("invoice", "void", "2026-0001"), 2, "--reason"),
    (("invoice", "void", "2026-0001", "--reason", ""), 2, "reason"),
    (("invoice", "void", "2026-0001", "--reason", "   "), 2, "reason"),
    (("invoice", "void", "2026-0099", "--reason", "нет такого"), 1, "2026-0099"),
    (("invoice", "pay", "2026-0099", "--date", "2026-11-20"), 1, "2026-0099"),
    (("invoice", "pay", "2026-0001", "--date", "nonsense"), 2, "nonsense"),
    (("invoice", "pay", "2026-0001", "--date", "2026-11-01"), 2, "2026-11-01"),
    (("invoice", "--month", "2026-11", "--date", "2030-01-01"), 2, "more than a month ahead"),
    (("invoice", "pay", "2026-0001", "--date", "2030-01-01"), 2, "in the future"),
    (("invoice", "list", "--format", "xml"), 2, "xml"),
    (("invoice", "list", "--client", "nobody"), 1, "nobody"),
    (("invoice", "show", "2026-0001", "--format", "pdf", "-o", "{tmp}/no/such/dir/x.pdf"), 1, "cannot write"),
    (("invoice", "show", "2026-0001", "--format", "html", "-o", "{config}/x.html"), 1, "cannot write"),
    # a file where the directory should be: refused before anything is issued
    (
        ("invoice", "--month", "2026-11", "--date", NOVEMBER_DATE, "--output", "{config}"),
        2,
        "not a directory",
    ),
]


@pytest.mark.parametrize(("argv", "code", "word"), BAD, ids=[" ".join(argv) for argv, _, _ in BAD])
def test_bad_invoice_invocation(
    run: Runner,
    october_issued: Path,
    state: list[Path],
    tmp_path: Path,
    argv: tuple[str, ...],
    code: int,
    word: str,
) -> None:
    before = snapshot(*state)
    typed = (arg.replace("{tmp}", str(tmp_path)).replace("{config}", str(state[1])) for arg in argv)
    assert_refused(run(*typed), code, word)
    assert snapshot(*state) == before
    assert not (tmp_path / "never.pdf").exists()
    assert not (tmp_path / "no").exists()


def test_a_service_missing_from_the_tariff_refuses_the_whole_run(
    run: Runner, october: Path, state: list[Path], tmp_path: Path
) -> None:
    shipped = PACKAGED_TARIFFS.read_text("utf-8")
    no_remote = tmp_path / "no-remote.toml"
    no_remote.write_text(shipped[: shipped.index("[tariff.services.remote]")], "utf-8")
    before = snapshot(*state)
    result = run("--tariffs", str(no_remote), *ISSUE_OCTOBER)
    assert_refused(result, 1, "remote")
    assert "2026-10-07" in result.first_error
    assert snapshot(*state) == before  # romashka's invoice is not issued either
    assert ok(run("invoice", "list", "--format", "json")).stdout.strip() == "[]"
