"""``kvsupport order add|list|cancel`` and ``session start --order N`` (source §3.1; issue 5).

An order is for later, so its times are computed from today (days ahead, at a
fixed hour); everything else is fixed.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cli_testkit import MOSCOW, Runner, install_ledger, minute_ago, now_local, snapshot

from conftest import build_ledger

CLIENTS: list[tuple[str, ...]] = [
    ("client", "add", "ромашка", "--name", "ООО «Ромашка»", "--phone", "+7 495 123-45-67"),
    ("client", "add", "лесная", "--name", "ТСЖ «Лесная 5»"),
]
ORDER_KEYS = [
    *("id", "client", "service", "at", "today", "problem", "phone", "status", "session"),
    *("consent", "evidence"),  # what a letter gave (--letter)
    "missed",  # its time passed, no session started (issue 12)
]


def ahead(days: int, clock: str = "10:00") -> datetime:
    """``days`` after today at ``clock``, Moscow time."""
    day = now_local().date() + timedelta(days=days)
    hour, minute = map(int, clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MOSCOW)


def typed(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


REMOTE_AT = ahead(10)
BACKUP_AT = ahead(3, "11:00")
LINE_AT = ahead(20, "09:30")
ORDERS: list[tuple[str, ...]] = [
    ("order", "add", "ромашка", "remote", "--at", typed(REMOTE_AT), "--problem", "перенос базы"),
    (
        "order",
        "add",
        "лесная",
        "backup",
        "--at",
        typed(BACKUP_AT),
        *("--problem", "пени", "--phone", "+7 916 000-11-22"),
    ),
    ("order", "add", "ромашка", "line", "--at", typed(LINE_AT)),
]


@pytest.fixture(scope="session")
def orders_ledger(tmp_path_factory: pytest.TempPathFactory, moscow_config_bytes: bytes) -> Path:
    """Two clients and three open orders (1: remote in 10 days, 2: backup in 3, 3: line in 20)."""
    return build_ledger(tmp_path_factory.mktemp("orders"), moscow_config_bytes, *CLIENTS, *ORDERS)


@pytest.fixture
def three_orders(moscow: Path, ledger_dir: Path, orders_ledger: Path) -> Path:
    """This test's copy of ``orders_ledger``; the ledger directory."""
    install_ledger(orders_ledger, ledger_dir)
    return ledger_dir


def order_list(run: Runner, *args: str) -> list[dict[str, object]]:
    result = run("order", "list", "--format", "json", *args)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    rows: list[dict[str, object]] = result.json()
    return rows


def status_of(run: Runner, order_id: int) -> tuple[object, object]:
    (row,) = [r for r in order_list(run, "--all") if r["id"] == order_id]
    return row["status"], row["session"]


# ----------------------------------------------------------------------- add


def test_add_confirms_on_stderr(run: Runner, moscow: Path) -> None:
    for argv in CLIENTS:
        assert run(*argv).code == 0
    result = run(*ORDERS[0])
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"order 1: remote for ромашка at {typed(REMOTE_AT)}\n"
    second = run(*ORDERS[1])
    assert second.stderr == f"order 2: backup for лесная at {typed(BACKUP_AT)}\n"


def test_list_json_soonest_first(run: Runner, three_orders: Path) -> None:
    rows = order_list(run)
    assert [r["id"] for r in rows] == [2, 1, 3]
    assert [list(r) for r in rows] == [ORDER_KEYS] * 3
    backup, remote, line = rows
    assert remote == {
        "id": 1,
        "client": "ромашка",
        "service": "remote",
        "at": REMOTE_AT.isoformat(),
        "today": False,
        "problem": "перенос базы",
        "phone": None,
        "status": "open",
        "session": None,
        "consent": None,
        "evidence": None,
        "missed": False,
    }
    assert remote["at"] == f"{REMOTE_AT:%Y-%m-%d}T10:00:00+03:00"
    assert (backup["client"], backup["problem"], backup["phone"]) == ("лесная", "пени", "+7 916 000-11-22")
    assert (line["service"], line["problem"], line["at"]) == ("line", None, LINE_AT.isoformat())


def test_list_csv(run: Runner, three_orders: Path) -> None:
    result = run("order", "list", "--format", "csv")
    assert result.code == 0
    assert result.stderr == ""
    assert result.stdout.splitlines()[0] == ",".join(ORDER_KEYS)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["client"], r["service"], r["status"]) for r in rows] == [
        ("2", "лесная", "backup", "open"),
        ("1", "ромашка", "remote", "open"),
        ("3", "ромашка", "line", "open"),
    ]
    assert (rows[0]["today"], rows[0]["session"], rows[2]["problem"]) == ("no", "", "")


def test_list_text(run: Runner, three_orders: Path) -> None:
    result = run("order", "list")
    assert result.code == 0
    assert result.stderr == ""
    lines = [line for line in result.stdout.splitlines() if "ромашка" in line or "лесная" in line]
    assert len(lines) == 3
    assert lines[0].split()[0] == "2"
    assert typed(BACKUP_AT) in lines[0]
    assert "пени" in lines[0]
    assert typed(REMOTE_AT) in lines[1]
    assert "перенос базы" in lines[1]
    assert "today" not in result.stdout
    assert "\x1b" not in result.stdout


def test_empty_list(run: Runner, moscow: Path) -> None:
    as_json = run("order", "list", "--format", "json")
    assert (as_json.code, as_json.stdout, as_json.stderr) == (0, "[]\n", "")
    as_text = run("order", "list")
    assert (as_text.code, as_text.stdout, as_text.stderr) == (0, "", "no open orders\n")
    as_csv = run("order", "list", "--format", "csv")
    assert (as_csv.code, as_csv.stdout, as_csv.stderr) == (0, ",".join(ORDER_KEYS) + "\n", "")


@pytest.mark.parametrize(
    ("extra", "code", "word"),
    [
        (("--at", "2026-10-05 10:00"), 2, "2026-10-05 10:00 is in the past"),
        (("--at", "2026-12-32 10:00"), 2, "2026-12-32"),
        (("--at", "через час"), 2, "через час"),
        (("--at", "FUTURE", "--phone", "позвонить"), 2, "phone"),
        (("--at", "FUTURE", "--problem", "--phone"), 2, "--problem"),
        (("--problem", "x"), 2, "--at"),
    ],
    ids=["past", "bad-date", "words", "phone", "swallowed", "no-at"],
)
def test_add_refuses_a_bad_value(
    run: Runner, three_orders: Path, extra: tuple[str, ...], code: int, word: str
) -> None:
    args = tuple(typed(ahead(5)) if a == "FUTURE" else a for a in extra)
    before = snapshot(three_orders)
    result = run("order", "add", "ромашка", "remote", *args)
    assert result.code == code, result.stderr
    assert result.stdout == ""
    assert result.first_error.startswith("error: ")
    assert word in result.first_error
    assert snapshot(three_orders) == before


def test_add_of_a_past_time_points_to_session_add(run: Runner, three_orders: Path) -> None:
    result = run("order", "add", "ромашка", "line", "--at", "2026-10-05 10:00")
    assert result.code == 2
    assert "kvsupport session add" in result.stderr


def test_add_refuses_a_service_the_tariff_lacks(run: Runner, three_orders: Path) -> None:
    before = snapshot(three_orders)
    result = run("order", "add", "ромашка", "onsite", "--at", typed(ahead(5)))
    assert result.code == 1
    assert result.first_error.startswith("error: service 'onsite' is not in the tariff")
    assert "backup, line, remote" in result.stderr
    assert snapshot(three_orders) == before


# -------------------------------------------------------------------- cancel


def test_cancel(run: Runner, three_orders: Path) -> None:
    result = run("order", "cancel", "2")
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"cancelled order 2 (лесная, {typed(BACKUP_AT)})\n"
    assert [r["id"] for r in order_list(run)] == [1, 3]
    every = order_list(run, "--all")
    assert [(r["id"], r["status"]) for r in every] == [(1, "open"), (3, "open"), (2, "cancelled")]

    again = run("order", "cancel", "2")
    assert again.code == 1
    assert again.first_error == "error: order 2 is cancelled"


@pytest.mark.parametrize(
    ("argv", "code", "word"),
    [
        (("order", "cancel", "99"), 1, "no order 99"),
        (("order", "cancel", "второй"), 2, "второй"),
        (("order", "cancel"), 2, "N"),
    ],
)
def test_cancel_refused(run: Runner, three_orders: Path, argv: tuple[str, ...], code: int, word: str) -> None:
    before = snapshot(three_orders)
    result = run(*argv)
    assert result.code == code
    assert result.stdout == ""
    assert word in result.first_error
    assert snapshot(three_orders) == before


# ---------------------------------------------------------- start an order


def test_start_takes_client_service_and_problem_from_the_order(run: Runner, three_orders: Path) -> None:
    refused = run("session", "start", "--order", "1", "--at", "-30m")
    assert refused.code == 1
    assert "--backup-confirmed" in refused.stderr
    assert status_of(run, 1) == ("open", None)

    result = run("session", "start", "--order", "1", "--at", "-30m", "--backup-confirmed", "--format", "json")
    assert result.code == 0, result.stderr
    session = result.json()
    assert (session["id"], session["client"], session["service"]) == (1, "ромашка", "remote")
    assert (session["problem"], session["order"], session["backup_confirmed"]) == ("перенос базы", 1, True)
    assert result.stderr.startswith("started session 1: remote for ромашка")
    assert status_of(run, 1) == ("done", 1)
    assert [r["id"] for r in order_list(run)] == [2, 3]

    stopped = run("session", "stop", "--at", "-5m")
    assert stopped.code == 0, stopped.stderr
    assert "1300.00" in stopped.stderr  # 25 minutes: the one-hour minimum

    again = run("session", "start", "--order", "1", "--backup-confirmed")
    assert again.code == 1
    assert again.first_error == "error: order 1 is done"


def test_start_takes_the_phone_from_the_order(run_typer: Runner, three_orders: Path) -> None:
    # лесная has no phone on record: backup needs one, the order has it
    result = run_typer("session", "start", "--order", "2", "--at", "-20m", "--consent", "письмо от 20.11")
    assert result.code == 0, result.stderr
    shown = run_typer("session", "show", "1", "--format", "json").json()
    assert (shown["client"], shown["service"], shown["problem"]) == ("лесная", "backup", "пени")
    assert (shown["phone"], shown["order"]) == ("+7 916 000-11-22", 2)
    assert status_of(run_typer, 2) == ("done", 1)


def test_start_with_client_and_service_that_match_the_order(run: Runner, three_orders: Path) -> None:
    result = run("session", "start", "ромашка", "line", "--order", "3", "--at", "-5m")
    assert result.code == 0, result.stderr
    assert status_of(run, 3) == ("done", 1)


def test_start_with_another_client_than_the_order_is_refused(run: Runner, three_orders: Path) -> None:
    before = snapshot(three_orders)
    result = run("session", "start", "лесная", "remote", "--order", "1", "--backup-confirmed")
    assert result.code == 2
    assert result.first_error == "error: order 1 is for ромашка remote"
    assert "leave out CLIENT and SERVICE" in result.stderr
    assert snapshot(three_orders) == before


@pytest.mark.parametrize("front", ["fast", "typer"])
def test_start_a_cancelled_order_is_refused(
    run: Runner, run_typer: Runner, three_orders: Path, front: str
) -> None:
    assert run("order", "cancel", "3").code == 0
    before = snapshot(three_orders)
    result = (run if front == "fast" else run_typer)("session", "start", "--order", "3")
    assert result.code == 1
    assert result.stdout == ""
    assert result.first_error == "error: order 3 is cancelled"
    assert snapshot(three_orders) == before
    assert run("session", "status").stdout == "no session is running\n"


def test_start_an_unknown_order_is_refused(run: Runner, three_orders: Path) -> None:
    result = run("session", "start", "--order", "99")
    assert result.code == 1
    assert result.first_error == "error: no order 99"
    assert "kvsupport order list" in result.stderr


# ---------------------------------------------------------- today's orders


@pytest.fixture
def soon() -> datetime:
    """A whole minute a few minutes from now, today (skipped just before midnight)."""
    moment = minute_ago(timedelta(minutes=-3))
    if moment.date() != now_local().date() or moment - now_local() < timedelta(minutes=2):
        pytest.skip("too close to midnight for an order later today")
    return moment


def test_status_mentions_the_next_order_today(run: Runner, three_orders: Path, soon: datetime) -> None:
    idle = run("session", "status", "--format", "json").json()
    assert (idle["running"], idle["next_order"], idle["missed_orders"]) == (None, None, [])
    added = run("order", "add", "лесная", "line", "--at", f"{soon:%H:%M}")
    assert added.code == 0, added.stderr
    assert added.stderr == f"order 4: line for лесная at {soon:%H:%M}\n"

    status = run("session", "status")
    assert status.code == 0
    assert status.stdout == f"no session is running\nnext order today: #4 лесная line at {soon:%H:%M}\n"
    record = run("session", "status", "--format", "json").json()
    assert record["next_order"] == {"id": 4, "client": "лесная", "service": "line", "at": soon.isoformat()}

    (today,) = [r for r in order_list(run) if r["today"]]
    assert today["id"] == 4
    assert order_list(run)[0]["id"] == 4  # soonest first
    text = run("order", "list").stdout
    (line,) = [line for line in text.splitlines() if line.split() and line.split()[0] == "4"]
    assert f"today {soon:%H:%M}" in line

    assert run("session", "start", "ромашка", "line", "--at", "-10m").code == 0
    running = run("session", "status").stdout.splitlines()
    assert running[0].startswith("session 1: line for ромашка")
    assert running[-1] == f"next order today: #4 лесная line at {soon:%H:%M}"

    assert run("order", "cancel", "4").code == 0
    assert "next order" not in run("session", "status").stdout


def test_quiet_order_commands(run: Runner, three_orders: Path) -> None:
    for argv in (("order", "add", "лесная", "line", "--at", typed(ahead(2))), ("order", "cancel", "4")):
        result = run("-q", *argv)
        assert (result.code, result.stdout, result.stderr) == (0, "", "")
    assert status_of(run, 4) == ("cancelled", None)
