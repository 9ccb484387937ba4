"""Data on stdout, messages on stderr, ``--quiet``, no colour in a pipe (SPEC §5)."""

from __future__ import annotations

import shlex
import subprocess
from datetime import timedelta

import pytest
from cli_testkit import Result, Runner, console_script, invoke, minute_ago, stamp

FRONT_ENDS = ["fast", "typer"]


def either(front_end: str, *args: str) -> Result:
    return invoke(args, fast=front_end == "fast")


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_start_confirms_on_stderr_only(romashka: str, front_end: str) -> None:
    result = either(front_end, "session", "start", romashka, "line", "--at", "-5m")
    assert result.code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("started session 1: line for romashka")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_start_json_puts_the_session_on_stdout(romashka: str, front_end: str) -> None:
    result = either(front_end, "session", "start", romashka, "line", "--at", "-5m", "--format", "json")
    assert result.code == 0
    assert result.json()["id"] == 1
    assert result.json()["end"] is None
    assert result.stderr.startswith("started session 1:")


@pytest.mark.parametrize("front_end", FRONT_ENDS)
@pytest.mark.parametrize("quiet", ["-q", "--quiet"])
def test_quiet_silences_the_hot_confirmations(romashka: str, front_end: str, quiet: str) -> None:
    for argv in (
        ("session", "start", romashka, "line", "--at", "-10m"),
        ("session", "stop", "--at", "-5m"),
        ("session", "resume"),
        ("session", "cancel"),
    ):
        result = either(front_end, quiet, *argv)
        assert result.code == 0, (argv, result.stderr)
        assert result.stdout == ""
        assert result.stderr == ""


def test_quiet_keeps_data_and_errors(run: Runner, romashka: str) -> None:
    started = run("-q", "session", "start", romashka, "line", "--at", "-5m", "--format", "json")
    assert started.code == 0
    assert started.stderr == ""
    assert started.json()["id"] == 1
    refused = run("-q", "session", "start", romashka, "line")
    assert refused.code == 1
    assert refused.first_error.startswith("error: session 1 is running")


def test_quiet_silences_other_commands(run: Runner, romashka: str) -> None:
    start = stamp(minute_ago(timedelta(hours=2)))
    for argv in (
        ("client", "add", "x", "--name", "X"),
        ("client", "edit", "x", "--phone", "+74951234567"),
        ("session", "add", romashka, "line", "--start", start, "--duration", "10m"),
        ("session", "edit", "1", "--note", "ок"),
        ("session", "delete", "1"),
        ("config", "set", "consultant.name", "Иванов"),
    ):
        result = run("-q", *argv)
        assert result.code == 0, (argv, result.stderr)
        assert result.stdout == ""
        assert result.stderr == ""


def test_status_is_data(run: Runner, romashka: str) -> None:
    result = run("session", "status")
    assert result.code == 0
    assert result.stdout == "no session is running\n"
    assert result.stderr == ""
    as_json = run("session", "status", "--format", "json")
    assert as_json.code == 0
    assert as_json.json() == {
        "running": None,
        "next_order": None,
        "missed_orders": [],
        "phone": None,
        "teamviewer_id": None,
        "teamviewer_ids": [],
        "minimum_left_minutes": None,
    }


COLOURFUL = {"NO_COLOR": None, "FORCE_COLOR": None, "TERM": "xterm-256color", "COLORTERM": "truecolor"}


@pytest.mark.parametrize(
    "argv",
    [
        ("session", "list"),
        ("session", "status"),
        ("client", "list"),
        ("tariff", "show"),
        ("session", "start", "--help"),
        ("session", "start", "nobody", "line"),
        ("session", "list", "--format", "yaml"),
    ],
    ids=lambda argv: " ".join(argv),
)
def test_no_ansi_escapes_in_a_pipe(run: Runner, romashka: str, argv: tuple[str, ...]) -> None:
    start = stamp(minute_ago(timedelta(minutes=30)))
    assert run("session", "add", romashka, "line", "--start", start, "--duration", "10m").code == 0
    result = run(*argv, env_extra=COLOURFUL)
    assert result.stdout or result.stderr
    assert "\x1b" not in result.stdout
    assert "\x1b" not in result.stderr


@pytest.mark.process
@pytest.mark.parametrize(
    ("redirect", "argv", "code", "stderr"),
    [
        ("<&-", ("import", "-"), 2, "error: stdin: empty CSV (the first line names the columns)\n"),
        (">&-", ("session", "list", "--all"), 0, "no sessions\n"),
        ("2>&-", ("session", "status"), 0, None),
    ],
)
def test_a_closed_stream_is_an_empty_one_not_a_traceback(
    romashka: str, redirect: str, argv: tuple[str, ...], code: int, stderr: str | None
) -> None:
    line = " ".join(shlex.quote(a) for a in (console_script(), *argv))
    done = subprocess.run(
        ["sh", "-c", f"exec {line} {redirect}"], capture_output=True, text=True, check=False
    )
    assert done.returncode == code, done.stderr
    if stderr is not None:
        assert done.stderr == stderr
