"""Issue 12, items 16 and 17: every listing, the report and export as .xlsx; import reads it back.

Workbooks are read with openpyxl as a spreadsheet program would: cell types and
number formats, not bytes. Workbooks to import are built here with openpyxl too.
"""

from __future__ import annotations

import io
import os
import stat
from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest
from cli_testkit import Runner, assert_refused, snapshot
from openpyxl import Workbook, load_workbook

from kvsupport.core.records import EXPORT_COLUMNS

BACKUP = ("--problem", "не считаются пени", "--consent", "письмо от 20.10.2026")
NOTE = '=HYPERLINK("http://example.com","click")'


@pytest.fixture
def october(run: Runner, romashka: str, moscow: Path) -> str:
    """romashka (INN 7707083893): a 61-min backup on 20.10.2026 with a note that looks like a
    formula, a free call, an invoice of October, an order ahead."""
    for argv in (
        ("session", "add", romashka, "backup", "--start", "2026-10-20 10:00", "--duration", "61m", *BACKUP),
        ("session", "edit", "1", "--note", NOTE),
        ("session", "add", romashka, "line", "--start", "2026-10-21 09:00", "--end", "09:15"),
        ("invoice", "--month", "2026-10", "--date", "2026-11-02"),
        ("order", "add", romashka, "remote", "--at", "2099-01-10 10:00"),
    ):
        done = run(*argv)
        assert done.code == 0, (argv, done.stderr)
    return romashka


def wall(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A date and time as a spreadsheet cell holds it: no zone."""
    return datetime(year, month, day, hour, minute)  # noqa: DTZ001 - a spreadsheet has no zones


def workbook(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def table(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows()]


LISTINGS = [
    ("session", "list", "--month", "2026-10"),
    ("client", "list"),
    ("invoice", "list"),
    ("order", "list"),
    ("report", "--month", "2026-10"),
    ("tariff", "list"),
    ("ledger", "backups"),
    ("export", "--month", "2026-10"),
]


@pytest.mark.parametrize("argv", LISTINGS, ids=" ".join)
def test_every_listing_is_a_workbook_with_the_csv_header(
    run: Runner, october: str, argv: tuple[str, ...], ledger_backend: str
) -> None:
    if argv[0] == "ledger" and ledger_backend == "postgres":
        pytest.skip("a PostgreSQL ledger keeps no backups of its own")
    as_xlsx = run(*argv, "--format", "xlsx")
    assert as_xlsx.code == 0, as_xlsx.stderr
    assert as_xlsx.stdout_bytes.startswith(b"PK")
    sheet = workbook(as_xlsx.stdout_bytes).worksheets[0]
    header = [cell.value for cell in next(sheet.iter_rows())]
    as_csv = run(*argv, "--format", "csv")
    assert header == as_csv.stdout.splitlines()[0].split(",")
    assert all(cell.font.b for cell in next(sheet.iter_rows()))  # a bold header row
    assert sheet.freeze_panes == "A2"
    data_rows = sheet.max_row - 1
    if argv[0] != "report":
        assert data_rows == len(as_csv.stdout.splitlines()) - 1


def test_money_hours_and_dates_are_numbers_and_dates(run: Runner, october: str) -> None:
    sheet = workbook(run("session", "list", "--month", "2026-10", "-f", "xlsx").stdout_bytes)["sessions"]
    rows = table(sheet)
    column = {cell.value: n for n, cell in enumerate(rows[0])}
    backup = rows[1]
    amount = backup[column["amount"]]
    assert (amount.value, amount.number_format, amount.data_type) == (1321.67, "#,##0.00", "n")
    start = backup[column["start"]]
    assert (start.value, start.number_format) == (wall(2026, 10, 20, 10, 0), "dd.mm.yyyy hh:mm")
    day = backup[column["day"]]
    assert (day.value, day.number_format) == (wall(2026, 10, 20), "dd.mm.yyyy")
    assert backup[column["minutes"]].value == 61
    assert backup[column["invoice"]].value == "2026-0001"  # a number, kept as text
    note = backup[column["note"]]
    assert (note.value, note.data_type) == (NOTE, "s")  # text, never a formula
    assert rows[2][column["amount"]].value == 0  # the free call
    report = workbook(run("report", "--month", "2026-10", "-f", "xlsx").stdout_bytes)
    first = table(report.worksheets[0])
    head = [cell.value for cell in first[0]]
    worked = first[1][head.index("worked_hours")]
    assert (worked.value, worked.number_format) == (1.27, "0.00")
    assert [row[0].value for row in first[1:]] == ["romashka", "total"]
    assert report.sheetnames == ["2026-10 by client", "unpaid"]
    unpaid = table(report["unpaid"])
    assert [cell.value for cell in unpaid[1]] == [
        "2026-0001",
        wall(2026, 11, 2),
        "2026-10",
        "romashka",
        1321.67,
    ]


def test_requisites_stay_text(run: Runner, october: str) -> None:
    sheet = workbook(run("client", "list", "-f", "xlsx").stdout_bytes)["clients"]
    rows = table(sheet)
    column = {cell.value: n for n, cell in enumerate(rows[0])}
    inn = rows[1][column["inn"]]
    assert (inn.value, inn.data_type) == ("7707083893", "s")
    assert rows[1][column["phone"]].value == "+7 495 123-45-67"


def test_o_writes_a_file_only_its_owner_reads(run: Runner, october: str, tmp_path: Path) -> None:
    target = tmp_path / "sessions.xlsx"
    written = run("session", "list", "--month", "2026-10", "-f", "xlsx", "-o", str(target))
    assert (written.code, written.stdout) == (0, "")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert workbook(target.read_bytes())["sessions"].max_row == 3
    as_csv = tmp_path / "sessions.csv"
    assert run("session", "list", "--month", "2026-10", "-f", "csv", "-o", str(as_csv)).stdout == ""
    assert as_csv.read_text("utf-8") == run("session", "list", "--month", "2026-10", "-f", "csv").stdout


@pytest.mark.process
def test_a_workbook_is_not_for_the_terminal(october: str) -> None:
    import pty
    import subprocess

    from cli_testkit import console_script

    main, child = pty.openpty()
    done = subprocess.run(
        [console_script(), "session", "list", "--month", "2026-10", "-f", "xlsx"],
        stdout=child,
        stderr=subprocess.PIPE,
        check=False,
        timeout=60,
    )
    os.close(child)
    os.close(main)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        "error: a spreadsheet is not for the terminal",
        "hint: add -o FILE.xlsx or pipe it",
    ]


# ------------------------------------------------------------ import


def test_an_exported_workbook_imports_into_another_ledger(run: Runner, october: str, tmp_path: Path) -> None:
    exported = tmp_path / "october.xlsx"
    assert run("export", "--month", "2026-10", "-f", "xlsx", "-o", str(exported)).code == 0
    before = run("export", "--month", "2026-10", "-f", "csv").stdout
    other = {"KVSUPPORT_LEDGER": str(tmp_path / "other" / "ledger.json")}
    assert (
        run(
            "client", "add", "romashka", "--name", "ООО «Ромашка»", "--phone", "+74951234567", env_extra=other
        ).code
        == 0
    )
    imported = run("import", str(exported), env_extra=other)
    assert imported.code == 0, imported.stderr
    assert imported.stderr == f"imported 2 session(s) from {exported}\n"
    after = run("export", "--month", "2026-10", "-f", "csv", env_extra=other).stdout
    assert after == before  # the same rows, the same ids (the other ledger was empty)


def a_month_typed_in_a_spreadsheet(path: Path, *rows: list[Any], header: list[str] | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header or ["client", "service", "start", "duration", "problem", "consent", "note"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_month_prepared_in_a_spreadsheet_comes_in(run: Runner, romashka: str, tmp_path: Path) -> None:
    path = a_month_typed_in_a_spreadsheet(
        tmp_path / "november.xlsx",
        ["romashka", "backup", wall(2026, 11, 3, 10, 0), time(1, 1), "пени", "письмо", None],
        [],  # an empty row is skipped
        ["Romashka", "line", wall(2026, 11, 4, 9, 30), "15m", None, None, "перезвонить"],
    )
    imported = run("import", str(path))
    assert imported.code == 0, imported.stderr
    rows = run("session", "list", "--month", "2026-11", "--format", "json").json()
    assert [(r["client"], r["start"], r["minutes"], r["amount"]) for r in rows] == [
        ("romashka", "2026-11-03T10:00:00+03:00", 61, "1321.67"),
        ("romashka", "2026-11-04T09:30:00+03:00", 15, "0.00"),
    ]
    assert rows[1]["note"] == "перезвонить"


def test_one_bad_row_and_nothing_comes_in(
    run: Runner, romashka: str, tmp_path: Path, ledger_dir: Path
) -> None:
    path = a_month_typed_in_a_spreadsheet(
        tmp_path / "november.xlsx",
        ["romashka", "line", wall(2026, 11, 3, 10, 0), "15m", None, None, None],
        ["romashka", "backup", wall(2026, 11, 4, 10, 0), "1h", None, None, None],
        ["nobody", "line", "32.11.2026 10:00", "15m", None, None, None],
    )
    before = snapshot(ledger_dir)
    refused = run("import", str(path))
    assert refused.code == 2
    assert sorted(refused.error_lines) == [
        f"error: {path}: row 3: backup needs problem, consent",
        f"error: {path}: row 4: invalid time '32.11.2026 10:00': day 32 does not exist in 2026-11",
    ]
    assert "hint: nothing was imported" in refused.stderr
    assert snapshot(ledger_dir) == before


def test_a_workbook_with_an_unknown_column_is_refused(run: Runner, romashka: str, tmp_path: Path) -> None:
    path = a_month_typed_in_a_spreadsheet(tmp_path / "x.xlsx", ["romashka"], header=["client", "клиент"])
    result = run("import", str(path))
    assert_refused(result, 2, f"{path}: row 1: unknown column 'клиент'")


def test_a_file_that_is_no_workbook_is_refused(run: Runner, romashka: str, tmp_path: Path) -> None:
    path = tmp_path / "nov.xlsx"
    path.write_text("client,service\n", "utf-8")
    assert_refused(run("import", str(path)), 2, f"{path}: not an .xlsx workbook")
    assert EXPORT_COLUMNS[0] == "id"
