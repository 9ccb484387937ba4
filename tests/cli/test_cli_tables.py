"""Issue 12, item 15: tables at 80 columns never break a word, a code or a time.

The widths are fixed two ways: :func:`kvsupport.cli.tables.fit` is given a width,
and the installed ``kvsupport`` runs on a pseudo-terminal 80 columns wide, where
rich reads the width as on a consultant's screen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_testkit import Runner, on_a_terminal

from kvsupport.cli.tables import Fitted, cell_width, fit

LONG_NAME = "Товарищество собственников жилья «Ромашка» на Лесной улице, дом 5"
LONG_CODE = "тсж-берёзовая-роща"


@pytest.fixture
def busy(run: Runner, moscow: Path) -> None:
    """Clients with a long name and a long code; sessions across midnight and with a long problem."""
    for argv in (
        (
            "client",
            "add",
            "romashka",
            "--name",
            LONG_NAME,
            "--inn",
            "7707083893",
            "--phone",
            "+7 495 123-45-67",
        ),
        ("client", "add", LONG_CODE, "--name", "ТСЖ «Берёзовая роща»", "--phone", "+7 916 000-11-22"),
        (
            "session",
            "add",
            "romashka",
            "remote",
            "--backup-confirmed",
            "--start",
            "2026-11-05 10:00",
            "--duration",
            "90m",
        ),
        (
            "session",
            "add",
            LONG_CODE,
            "backup",
            "--start",
            "2026-11-06 10:00",
            "--duration",
            "61m",
            "--problem",
            "не считаются пени по лицевым счетам за октябрь",
            "--consent",
            "письмо",
        ),
        ("session", "add", "romashka", "line", "--start", "2026-11-30 23:30", "--end", "00:40"),
        (
            "order",
            "add",
            LONG_CODE,
            "remote",
            "--at",
            "2099-12-20 10:00",
            "--problem",
            "перенос базы на новый компьютер бухгалтера",
        ),
    ):
        done = run(*argv)
        assert done.code == 0, (argv, done.stderr)


WHOLE = [
    "romashka",
    LONG_CODE,
    "2026-11-05",
    "2026-11-30",
    "1950.00",
    "1321.67",
    "7707083893",
    "+7 495 123-45-67",
    "2099-12-20 10:00",
]


@pytest.mark.process
@pytest.mark.parametrize(
    "argv",
    [
        ("session", "list", "--month", "2026-11"),
        ("client", "list"),
        ("order", "list"),
        ("report", "--month", "2026-11"),
        ("tariff", "list"),
    ],
    ids=" ".join,
)
def test_at_80_columns_nothing_is_broken(busy: None, argv: tuple[str, ...]) -> None:
    text = on_a_terminal(80, *argv)
    lines = text.splitlines()
    assert lines, text
    assert max(cell_width(line) for line in lines) <= 80, text
    cells = [cell.strip() for line in lines for cell in re.split("[│┃]", line)]
    for value in WHOLE:  # whole in its cell, or not shown: never its start cut or folded off
        pieces = [c for c in cells if len(c) > 3 and c != value and value.startswith(c)]
        assert pieces == [], (value, text)
    if argv[0] != "tariff":
        assert any(value in cells for value in WHOLE), text
    header = lines[0] if argv[0] != "report" else lines[1]
    assert "…" not in header


@pytest.mark.process
def test_at_80_columns_free_text_is_cut_with_an_ellipsis(busy: None) -> None:
    text = on_a_terminal(80, "client", "list")
    assert LONG_NAME not in text
    assert "Товарищест" in text
    assert "…" in text
    for value in ("romashka", LONG_CODE, "7707083893", "+7 495 123-45-67"):
        assert value in text
    wide = on_a_terminal(200, "client", "list")
    assert LONG_NAME in wide  # with room, nothing is cut


@pytest.mark.process
def test_at_80_columns_the_least_valued_columns_go_first(busy: None) -> None:
    header = on_a_terminal(80, "session", "list", "--month", "2026-11").splitlines()[0]
    assert header.replace("┃", " ").split() == [
        "ID",
        "Date",
        "Client",
        "Service",
        "Billed",
        "Amount",
        "Invoice",
    ]
    wide = on_a_terminal(120, "session", "list", "--month", "2026-11").splitlines()
    assert wide[0].replace("┃", " ").split() == [
        "ID",
        "Date",
        "Time",
        "Client",
        "Service",
        "Worked",
        "Billed",
        "Amount",
        "Invoice",
    ]
    assert any("23:30–2026-12-01 00:40" in line for line in wide)


# ------------------------------------------------------- the arithmetic, at fixed widths


def widths(fitted: list[Fitted]) -> list[tuple[int, int]]:
    return [(f.column, f.width) for f in fitted]


def test_what_fits_is_left_as_it_is() -> None:
    fitted = fit(["ID", "Name"], [["1", "Ромашка"]], [False, True], 80)
    assert widths(fitted) == [(0, 2), (1, 7)]
    assert not any(f.cut for f in fitted)


def test_free_text_is_cut_before_a_column_goes() -> None:
    cells = [["romashka", "x" * 60, "1950.00"]]
    fitted = fit(["Code", "Name", "Amount"], cells, [False, True, False], 40, drop=[2])
    assert widths(fitted) == [(0, 8), (1, 40 - 8 - 7 - 6), (2, 7)]
    assert [f.cut for f in fitted] == [False, True, False]


def test_columns_go_in_the_order_named_and_come_back_when_room_is_left() -> None:
    headers = ["ID", "Time", "Client", "Worked", "Invoice"]
    cells = [["1", "23:30–2026-12-01 00:40", "тсж-берёзовая-роща", "70", "2026-0001"]]
    # 2 + 22 + 18 + 6 + 9 and four separators of 3: 69
    assert len(fit(headers, cells, [False] * 5, 69, drop=[3, 4, 1])) == 5
    assert [f.column for f in fit(headers, cells, [False] * 5, 68, drop=[3, 4, 1])] == [0, 1, 2, 4]
    fitted = fit(headers, cells, [False] * 5, 40, drop=[3, 4, 1])
    assert [f.column for f in fitted] == [0, 2, 4]  # Time had to go; then Invoice fits again
    assert sum(f.width for f in fitted) + 3 * (len(fitted) - 1) <= 40


def test_a_code_is_never_cut_even_when_nothing_else_can_go() -> None:
    fitted = fit(["Code"], [["тсж-берёзовая-роща-на-лесной-улице"]], [False], 20)
    assert widths(fitted) == [(0, 34)]  # too wide: the terminal wraps the line, the code stays whole
