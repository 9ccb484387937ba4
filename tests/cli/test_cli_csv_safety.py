"""CSV formula injection (issue 9 B14): no cell of any of the five CSV outputs reaches a
spreadsheet as a formula; ``import`` reads the quoted cells back unchanged."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from cli_testkit import Runner, install_ledger

from conftest import build_ledger
from kvsupport.core.spreadsheet import formula_safe, from_formula_safe

NAME = '=HYPERLINK("http://evil.example/pay","Оплатить")'
PROBLEM = "+cmd|' /C calc'!A0"
CONSENT = "@SUM(1+1)*cmd|' /C calc'!A0"
NOTE = "-2+3+cmd|' /C calc'!A0"
PHONE = "+7 495 123-45-67"

COMMANDS: list[tuple[str, ...]] = [
    ("client", "add", "evil", "--name", NAME, "--phone", PHONE),
    ("client", "add", "plain", "--name", "ООО «Ромашка»"),
    (
        "session", "add", "evil", "backup", "--start", "2026-10-05 10:00", "--duration", "45m",
        "--problem", PROBLEM, "--consent", CONSENT, "--note", NOTE,
    ),
    ("session", "add", "plain", "line", "--start", "2026-10-06 10:00", "--duration", "15m", "--note", "-15"),
    ("session", "add", "plain", "line", "--start", "2026-10-07 10:00", "--duration", "15m", "--note", "'=x"),
    ("invoice", "--month", "2026-10", "--date", "2026-11-02"),
]  # fmt: skip

CSV_COMMANDS = {
    "export": ("export", "--format", "csv"),
    "session list": ("session", "list", "--month", "2026-10", "--format", "csv"),
    "invoice list": ("invoice", "list", "--format", "csv"),
    "client list": ("client", "list", "--format", "csv"),
    "report": ("report", "--month", "2026-10", "--by", "client", "--format", "csv"),
}

PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)")


@pytest.fixture(scope="session")
def hostile_ledger(tmp_path_factory: pytest.TempPathFactory, moscow_config_bytes: bytes) -> Path:
    """Clients and sessions whose text would be formulas in a spreadsheet (made once)."""
    return build_ledger(tmp_path_factory.mktemp("hostile"), moscow_config_bytes, *COMMANDS)


@pytest.fixture
def hostile(moscow: Path, ledger_dir: Path, hostile_ledger: Path) -> Path:
    install_ledger(hostile_ledger, ledger_dir)
    return ledger_dir


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("which", list(CSV_COMMANDS))
def test_no_csv_cell_starts_a_formula(run: Runner, hostile: Path, which: str) -> None:
    result = run(*CSV_COMMANDS[which])
    assert result.code == 0, result.stderr
    found = cells(result.stdout)
    live = [c for c in found if c and c[0] in "=+-@\t\r" and not PLAIN_NUMBER.fullmatch(c)]
    assert live == []
    quoted = {c for c in found if c.startswith("'")}
    expected = {
        "export": {"'" + PROBLEM, "'" + CONSENT, "'" + NOTE, "''=x"},
        "session list": {"'" + PROBLEM, "'" + CONSENT, "'" + NOTE, "''=x"},
        "invoice list": {"'" + NAME},
        "client list": {"'" + NAME, "'" + PHONE},
        "report": {"'" + NAME},
    }[which]
    assert expected <= quoted, quoted
    if which in ("export", "session list"):
        assert "-15" in found  # a plain number stays a number


def test_export_then_import_gives_every_value_back(run: Runner, hostile: Path, tmp_path: Path) -> None:
    exported = run("export", "--format", "csv")
    assert exported.code == 0, exported.stderr
    other = tmp_path / "other" / "ledger.json"
    env = {"KVSUPPORT_LEDGER": str(other)}
    for args in COMMANDS[:2]:
        assert run(*args, env_extra=env).code == 0
    imported = run("import", "-", "--format", "csv", stdin=exported.stdout, env_extra=env)
    assert imported.code == 0, imported.stderr
    back = run("export", "--format", "json", env_extra=env).json()
    assert [(r["problem"], r["consent"], r["note"]) for r in back] == [
        (PROBLEM, CONSENT, NOTE),
        (None, None, "-15"),
        (None, None, "'=x"),
    ]
    assert run("export", "--format", "csv", env_extra=env).stdout == exported.stdout


def test_json_output_is_not_quoted(run: Runner, hostile: Path) -> None:
    (first, *_) = run("export", "--format", "json").json()
    assert first["problem"] == PROBLEM  # JSON is for programs: the value as it is


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+7 495 123-45-67", "'+7 495 123-45-67"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-15", "-15"),
        ("-1300.00", "-1300.00"),
        ("+15", "+15"),
        ("1300,50", "1300,50"),
        ("Ромашка", "Ромашка"),
        ("", ""),
        ("'", "'"),
        ("'=x", "''=x"),
        ("''=x", "'''=x"),
        ("'-15", "'-15"),
        ("a=b", "a=b"),
        ("-", "'-"),
    ],
)
def test_formula_safe_and_back(value: str, safe: str) -> None:
    assert formula_safe(value) == safe
    assert from_formula_safe(safe) == value
