"""Times typed on the command line (SPEC §5): relative, clock, swallowed options, the future."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cli_testkit import Result, Runner, invoke, now_local, snapshot, stamp

FRONT_ENDS = ["fast", "typer"]


def either(front_end: str, *args: str) -> Result:
    """Run through the fast path or, with ``KVSUPPORT_NO_FAST_PATH=1``, the Typer app."""
    return invoke(args, fast=front_end == "fast")


def test_relative_at_is_minutes_ago_not_months(run: Runner, romashka: str) -> None:
    before = now_local()
    result = run("session", "start", romashka, "line", "--at", "-15m", "--format", "json")
    after = now_local()
    assert result.code == 0, result.stderr
    start = datetime.fromisoformat(result.json()["start"])
    assert start.utcoffset() == timedelta(hours=3)
    assert before - timedelta(minutes=15, seconds=1) <= start <= after - timedelta(minutes=15)


def test_relative_hours_and_minutes(run: Runner, romashka: str) -> None:
    result = run("session", "start", romashka, "line", "--at", "-1h30m", "--format", "json")
    assert result.code == 0, result.stderr
    start = datetime.fromisoformat(result.json()["start"])
    assert abs(now_local() - timedelta(minutes=90) - start) < timedelta(seconds=30)


def test_absolute_at_is_local_time(run: Runner, romashka: str) -> None:
    moment = (now_local() - timedelta(hours=2)).replace(second=0, microsecond=0)
    result = run("session", "start", romashka, "line", "--at", stamp(moment), "--format", "json")
    assert result.code == 0, result.stderr
    assert datetime.fromisoformat(result.json()["start"]) == moment


@pytest.mark.parametrize("front_end", FRONT_ENDS)
@pytest.mark.parametrize(
    "tail",
    [("--at", "--problem", "x"), ("--at", "--problem"), ("--at", "--allow-overlap")],
    ids=["with-value-after", "last", "flag"],
)
def test_at_that_swallowed_an_option_is_refused(
    romashka: str, ledger_dir: Path, front_end: str, tail: tuple[str, ...]
) -> None:
    before = snapshot(ledger_dir)
    result = either(front_end, "session", "start", romashka, "line", *tail)
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error:")
    assert "looks like an option" in result.first_error
    assert tail[1] in result.first_error
    assert "Traceback" not in result.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_note_that_swallowed_an_option_is_refused(romashka: str, front_end: str) -> None:
    assert either(front_end, "session", "start", romashka, "line", "--at", "-10m").code == 0
    result = either(front_end, "session", "stop", "--note", "--at", "11:05")
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error: --note '--at' looks like an option")
    assert either(front_end, "session", "status", "--format", "json").json()["running"]["id"] == 1


def test_problem_that_swallowed_an_option_is_refused(run: Runner, romashka: str) -> None:
    result = run("session", "start", romashka, "backup", "--problem", "--consent", "письмо от 20.11")
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error: --problem '--consent' looks like an option")


def test_add_start_that_swallowed_an_option_is_refused(run: Runner, romashka: str) -> None:
    result = run("session", "add", romashka, "line", "--start", "--duration", "1h")
    assert result.code == 2
    assert result.stdout == ""
    assert "looks like an option" in result.first_error


@pytest.mark.parametrize("front_end", FRONT_ENDS)
@pytest.mark.parametrize(
    ("value", "says"),
    [("25:00", "25:00"), ("10:75", "10:75"), ("15m", "sign"), ("-1.5h", "-1.5h"), ("вчера", "вчера")],
)
def test_bad_times_are_refused(romashka: str, front_end: str, value: str, says: str) -> None:
    result = either(front_end, "session", "start", romashka, "line", "--at", value)
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error:")
    assert says in result.first_error
    assert result.stderr.splitlines()[1].startswith("hint:")


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_future_start_is_refused(romashka: str, front_end: str) -> None:
    result = either(front_end, "session", "start", romashka, "line", "--at", "+30m")
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error: start ")
    assert "future" in result.first_error
    assert either(front_end, "session", "status").stdout.strip() == "no session is running"


def test_future_end_of_an_added_session_is_refused(run: Runner, romashka: str) -> None:
    tomorrow = stamp(now_local() + timedelta(days=1))
    result = run("session", "add", romashka, "line", "--start", tomorrow, "--duration", "30m")
    assert result.code == 2
    assert "future" in result.first_error


@pytest.mark.parametrize("duration", ["90", "1.5h", "-30m", "0m", "2d"])
def test_bad_durations_are_refused(run: Runner, romashka: str, duration: str) -> None:
    result = run("session", "add", romashka, "line", "--start", "-3h", "--duration", duration)
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error: invalid duration")
