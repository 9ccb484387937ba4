"""``kvsupport report``: a month at a glance, to the kopeck (SPEC §3, §5; issue 5).

The expected figures are worked out by hand from SPEC §3 (the 2017 list:
1300.00 RUB/h, every started minute, minimum 60; ``line`` free). Another
engineer is reworking the unpaid-invoices part of the report: only the rows
and the totals are asserted here.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from cli_testkit import Runner, install_ledger, snapshot

from conftest import build_ledger

BACKUP = ("--problem", "не считает пени", "--consent", "письмо от 02.10.2026")
REMOTE_OK = ("--backup-confirmed",)
COMMANDS: list[tuple[str, ...]] = [
    ("client", "add", "ромашка", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--phone", "+74951234567"),
    ("client", "add", "лесная", "--name", "ТСЖ «Лесная 5»"),
    ("client", "add", "берёза", "--name", "УК «Берёза»"),
    # September, local time, though it ends in October: 40 min remote -> 60 billed, 1300.00
    ("session", "add", "ромашка", "remote", "--start", "2026-09-30 23:40", "--duration", "40m", *REMOTE_OK),
    # 61 min backup -> 61 billed, 1321.67
    ("session", "add", "ромашка", "backup", "--start", "2026-10-05 10:00", "--duration", "61m", *BACKUP),
    # remote dropped after 20 min, resumed for 30: one session of 50 min -> 60 billed, 1300.00
    ("session", "start", "ромашка", "remote", "--at", "2026-10-06 14:00", "--backup-confirmed"),
    ("session", "stop", "--at", "2026-10-06 14:20"),
    ("session", "resume", "--at", "2026-10-06 14:25"),
    ("session", "stop", "--at", "2026-10-06 14:55"),
    # free line, 15 min
    ("session", "add", "лесная", "line", "--start", "2026-10-07 09:00", "--duration", "15m"),
    # 90 min remote -> 90 billed, 1950.00
    ("session", "add", "лесная", "remote", "--start", "2026-10-08 10:00", "--duration", "1h30m", *REMOTE_OK),
    # 45 min backup -> the minimum, 1300.00
    (
        "session",
        "add",
        "ромашка",
        "backup",
        "--start",
        "2026-10-09 16:00",
        "--end",
        "2026-10-09 16:45",
        *BACKUP,
    ),
    # free line, 30 min
    ("session", "add", "берёза", "line", "--start", "2026-10-14 10:00", "--duration", "30m"),
    # free line, 20 min, late on the last day of October
    ("session", "add", "лесная", "line", "--start", "2026-10-31 23:30", "--duration", "20m"),
    # November, local time (October in UTC): free line, 10 min
    ("session", "add", "ромашка", "line", "--start", "2026-11-01 00:30", "--duration", "10m"),
]

KEYS = [
    "key",
    "name",
    "sessions",
    "worked_hours",
    "billable_hours",
    "amount",
    "fees",
    "free_calls",
    "unbilled_sessions",
    "unbilled_amount",
    "invoiced_amount",
    "running",
]


def row(key: str, name: str, *figures: object) -> dict[str, object]:
    """A report row: key, name, then the figures in the order of KEYS."""
    return dict(zip(KEYS, (key, name, *figures), strict=True))


# October by client.
# ромашка: 61 + 50 + 45 = 156 min worked (2.60 h); 61 + 60 + 60 = 181 billed (3.02 h);
#          1321.67 + 1300.00 + 1300.00 = 3921.67, and the 4000.00 connection fee with its
#          first remote session (September's is not invoiced yet): 7921.67
# лесная:  15 + 90 + 20 = 125 min worked (2.08 h); 90 billed (1.50 h); 1950.00 + 4000.00 fee;
#          two free calls
# берёза:  30 min worked (0.50 h); one free call
OCTOBER_BY_CLIENT = [
    row("ромашка", "ООО «Ромашка»", 3, "2.60", "3.02", "7921.67", "4000.00", 0, 3, "7921.67", "0.00", 0),
    row("лесная", "ТСЖ «Лесная 5»", 3, "2.08", "1.50", "5950.00", "4000.00", 2, 1, "5950.00", "0.00", 0),
    row("берёза", "УК «Берёза»", 1, "0.50", "0.00", "0.00", "0.00", 1, 0, "0.00", "0.00", 0),
]
# 311 min worked (5.18 h), 271 billed (4.52 h), 5871.67 + 8000.00 of fees
OCTOBER_TOTAL = row("total", "", 7, "5.18", "4.52", "13871.67", "8000.00", 3, 4, "13871.67", "0.00", 0)

REMOTE = "Дистанционная техподдержка: прямое подключение к компьютеру"
BACKUP_TITLE = "Дистанционная техподдержка: передача резервной копии по эл. почте"
# October by service.
# remote: 50 + 90 = 140 min worked (2.33 h); 60 + 90 = 150 billed (2.50 h); 1300.00 + 1950.00,
#         and two connection fees of 4000.00
# backup: 61 + 45 = 106 min worked (1.77 h); 61 + 60 = 121 billed (2.02 h); 1321.67 + 1300.00
# line:   15 + 30 + 20 = 65 min worked (1.08 h); free
OCTOBER_BY_SERVICE = [
    row("remote", REMOTE, 2, "2.33", "2.50", "11250.00", "8000.00", 0, 2, "11250.00", "0.00", 0),
    row("backup", BACKUP_TITLE, 2, "1.77", "2.02", "2621.67", "0.00", 0, 2, "2621.67", "0.00", 0),
    row("line", "Консультационная линия", 3, "1.08", "0.00", "0.00", "0.00", 3, 0, "0.00", "0.00", 0),
]


def invoiced(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The same rows once every billable session is on an invoice."""
    return [
        {**r, "unbilled_sessions": 0, "unbilled_amount": "0.00", "invoiced_amount": r["amount"]} for r in rows
    ]


@pytest.fixture(scope="session")
def month_ledger(tmp_path_factory: pytest.TempPathFactory, moscow_config_bytes: bytes) -> Path:
    """Three clients and the sessions of COMMANDS, made once."""
    return build_ledger(tmp_path_factory.mktemp("report"), moscow_config_bytes, *COMMANDS)


@pytest.fixture
def month(moscow: Path, ledger_dir: Path, month_ledger: Path) -> Path:
    """This test's copy of ``month_ledger``; the ledger directory."""
    install_ledger(month_ledger, ledger_dir)
    return ledger_dir


def report(run: Runner, *args: str) -> dict[str, Any]:
    result = run("report", *args, "--format", "json")
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    record: dict[str, Any] = result.json()
    return record


def report_csv(run: Runner, *args: str) -> list[dict[str, str]]:
    result = run("report", *args, "--format", "csv")
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines()[0] == ",".join(KEYS)
    return list(csv.DictReader(io.StringIO(result.stdout)))


def as_csv(rows: list[dict[str, object]]) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in r.items()} for r in rows]


# ----------------------------------------------------------------- the month


def test_report_by_client_json(run: Runner, month: Path) -> None:
    record = report(run, "--month", "2026-10")
    assert (record["period"], record["by"]) == ("2026-10", "client")
    assert record["rows"] == OCTOBER_BY_CLIENT
    assert record["total"] == OCTOBER_TOTAL


def test_report_by_service_json(run: Runner, month: Path) -> None:
    record = report(run, "--month", "2026-10", "--by", "service")
    assert (record["period"], record["by"]) == ("2026-10", "service")
    assert record["rows"] == OCTOBER_BY_SERVICE
    assert record["total"] == OCTOBER_TOTAL


def test_report_csv(run: Runner, month: Path) -> None:
    assert report_csv(run, "--month", "2026-10") == as_csv(OCTOBER_BY_CLIENT)
    assert report_csv(run, "-m", "2026-10", "--by", "service") == as_csv(OCTOBER_BY_SERVICE)


def test_report_text(run: Runner, month: Path) -> None:
    result = run("report", "--month", "2026-10")
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "2026-10 by client"

    def cells(key: str) -> list[str]:
        (line,) = [line for line in lines if line.split() and line.split()[0] == key]
        return line.replace("│", " ").split()

    assert cells("ромашка")[:7] == ["ромашка", "3", "2.60", "3.02", "7921.67", "0", "7921.67"]
    assert cells("лесная")[:7] == ["лесная", "3", "2.08", "1.50", "5950.00", "2", "5950.00"]
    assert cells("берёза") == ["берёза", "1", "0.50", "0.00", "0.00", "1", "0.00"]  # no bar for 0.00
    assert cells("total") == ["total", "7", "5.18", "4.52", "13871.67", "3", "13871.67"]
    assert "█" in cells("ромашка")[7]  # the largest amount has the full bar
    assert "\x1b" not in result.stdout


def test_a_session_belongs_to_the_month_of_its_local_start(run: Runner, month: Path) -> None:
    september = report(run, "--month", "2026-09")
    # 40 min remote from 23:40 on 30 September: 0.67 h worked, the minimum billed; invoiced
    # now, its invoice would carry the connection fee
    assert september["rows"] == [
        row("ромашка", "ООО «Ромашка»", 1, "0.67", "1.00", "5300.00", "4000.00", 0, 1, "5300.00", "0.00", 0)
    ]
    november = report(run, "--month", "2026-11", "--by", "service")
    assert november["rows"] == [
        row("line", "Консультационная линия", 1, "0.17", "0.00", "0.00", "0.00", 1, 0, "0.00", "0.00", 0)
    ]


def test_report_of_one_client(run: Runner, month: Path) -> None:
    record = report(run, "--month", "2026-10", "--client", "лесная", "--by", "service")
    assert [(r["key"], r["sessions"], r["amount"], r["free_calls"]) for r in record["rows"]] == [
        ("remote", 1, "5950.00", 0),
        ("line", 2, "0.00", 2),
    ]
    assert record["total"] == {**OCTOBER_BY_CLIENT[1], "key": "total", "name": ""}


def test_report_of_an_empty_month(run: Runner, month: Path) -> None:
    record = report(run, "--month", "2026-08")
    assert record["rows"] == []
    assert record["total"] == row("total", "", 0, "0.00", "0.00", "0.00", "0.00", 0, 0, "0.00", "0.00", 0)


def test_a_running_session_is_counted_but_not_unbilled(run: Runner, month: Path) -> None:
    # running since 20 October (open-ended, it would overlap session 8 of 31 October)
    started = run(
        "session", "start", "ромашка", "backup", "--at", "2026-10-20 10:00", "--allow-overlap", *BACKUP
    )
    assert started.code == 0, started.stderr
    record = report(run, "--month", "2026-10")
    romashka = record["rows"][0]
    assert (romashka["key"], romashka["sessions"], romashka["running"]) == ("ромашка", 4, 1)
    assert (romashka["unbilled_sessions"], romashka["unbilled_amount"]) == (3, "7921.67")
    assert record["total"]["running"] == 1


# ------------------------------------------------------- invoiced, unbilled


def test_invoiced_and_unbilled_after_invoicing_the_month(run: Runner, month: Path) -> None:
    issued = run("invoice", "--month", "2026-10", "--date", "2026-11-02", "--format", "json")
    assert issued.code == 0, issued.stderr
    invoices = {inv["client"]["code"]: inv for inv in issued.json()}
    assert sorted(invoices) == ["лесная", "ромашка"]  # берёза had free calls only
    # the first remote session of each client carries the 4000.00 connection fee
    assert invoices["ромашка"]["total"] == "7921.67"  # 3921.67 + 4000.00
    assert invoices["лесная"]["total"] == "5950.00"  # 1950.00 + 4000.00

    by_client = report(run, "--month", "2026-10")
    assert by_client["rows"] == invoiced(OCTOBER_BY_CLIENT)
    assert by_client["total"] == {**OCTOBER_TOTAL, "unbilled_sessions": 0, "unbilled_amount": "0.00"} | {
        "invoiced_amount": "13871.67"
    }
    assert report(run, "--month", "2026-10", "--by", "service")["rows"] == invoiced(OCTOBER_BY_SERVICE)
    assert report_csv(run, "--month", "2026-10") == as_csv(invoiced(OCTOBER_BY_CLIENT))

    # September stays unbilled until it is invoiced itself
    september = report(run, "--month", "2026-09")["rows"]
    assert [(r["unbilled_sessions"], r["unbilled_amount"], r["invoiced_amount"]) for r in september] == [
        (1, "1300.00", "0.00")
    ]
    again = run("invoice", "--month", "2026-09", "--date", "2026-11-02", "--format", "json")
    assert again.code == 0, again.stderr
    assert [inv["total"] for inv in again.json()] == ["1300.00"]  # the fee is not charged twice
    september = report(run, "--month", "2026-09")["rows"]
    assert [(r["unbilled_sessions"], r["unbilled_amount"], r["invoiced_amount"]) for r in september] == [
        (0, "0.00", "1300.00")
    ]


def test_a_voided_invoice_makes_its_work_unbilled_again(run: Runner, month: Path) -> None:
    issued = run("invoice", "--month", "2026-10", "--client", "лесная", "--date", "2026-11-02", "-f", "json")
    assert issued.code == 0, issued.stderr
    (number,) = [inv["number"] for inv in issued.json()]
    rows = {r["key"]: r for r in report(run, "--month", "2026-10")["rows"]}
    assert (rows["лесная"]["unbilled_amount"], rows["лесная"]["invoiced_amount"]) == ("0.00", "5950.00")
    assert (rows["ромашка"]["unbilled_amount"], rows["ромашка"]["invoiced_amount"]) == ("7921.67", "0.00")

    assert run("invoice", "void", number, "--reason", "ошибка в реквизитах").code == 0
    record = report(run, "--month", "2026-10")
    assert record["rows"] == OCTOBER_BY_CLIENT
    assert record["total"] == OCTOBER_TOTAL


# ------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (("--month", "2026-13"), "2026-13"),
        (("--month", "октябрьь"), "октябрьь"),
        (("--by", "day"), "day"),
        (("--format", "xml"), "xml"),
    ],
    ids=["month", "month-words", "by", "format"],
)
def test_bad_usage(run: Runner, month: Path, args: tuple[str, ...], word: str) -> None:
    before = snapshot(month)
    result = run("report", *args)
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error: ")
    assert word in result.first_error
    assert snapshot(month) == before


def test_report_only_reads(run: Runner, month: Path) -> None:
    before = snapshot(month)
    for fmt in ("text", "json", "csv"):
        assert run("report", "--month", "2026-10", "--format", fmt).code == 0
    assert snapshot(month) == before


def test_invoiced_amounts_are_the_invoices_not_todays_prices(
    run: Runner, month: Path, tmp_path: Path
) -> None:
    from kvsupport.storage.paths import PACKAGED_TARIFFS

    issued = run("invoice", "--month", "2026-10", "--date", "2026-11-02")
    assert issued.code == 0, issued.stderr
    dearer = tmp_path / "tariffs.toml"
    dearer.write_text(PACKAGED_TARIFFS.read_text("utf-8").replace('"1300.00"', '"2000.00"'), "utf-8")
    result = run("--tariffs", str(dearer), "report", "--month", "2026-10", "--format", "json")
    assert result.code == 0, result.stderr
    assert result.json()["rows"] == invoiced(OCTOBER_BY_CLIENT)
