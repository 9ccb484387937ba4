"""Output that cannot be written (issue 9 §C): stdout on a full disk is one ``error:`` line
and exit 1; a stderr that cannot take the confirmation of a stored change does not turn
the change into a failure; an over-long path is refused in one line."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from cli_testkit import Result, Runner, assert_refused, console_script


def run_into(*args: str, stdout: str = "PIPE", stderr: str = "PIPE") -> Result:
    """``kvsupport ARGS`` with stdout or stderr going to a file such as ``/dev/full``."""
    with (
        open(os.devnull if stdout == "PIPE" else stdout, "w") as out_file,
        open(os.devnull if stderr == "PIPE" else stderr, "w") as err_file,
    ):
        done = subprocess.run(
            [console_script(), *args],
            stdout=subprocess.PIPE if stdout == "PIPE" else out_file,
            stderr=subprocess.PIPE if stderr == "PIPE" else err_file,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
    return Result(
        done.returncode,
        (done.stdout or b"").decode("utf-8"),
        (done.stderr or b"").decode("utf-8"),
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("export",),
        ("export", "--format", "json"),
        ("session", "list", "--month", "2026-10"),
        ("session", "list", "--month", "2026-10", "--format", "json"),
        ("session", "status", "--format", "json"),
        ("client", "list"),
        ("client", "show", "romashka"),
        ("report", "--month", "2026-10", "--format", "csv"),
    ],
    ids=" ".join,
)
def test_stdout_on_a_full_disk_is_one_error_line(romashka: str, run: Runner, argv: tuple[str, ...]) -> None:
    added = run(
        "session", "add", "romashka", "line", "--start", "2026-10-05 10:00", "--duration", "15m",
    )  # fmt: skip
    assert added.code == 0, added.stderr
    result = run_into(*argv, stdout="/dev/full")
    assert_refused(result, 1, "cannot write the output", "No space left on device")


def test_a_stored_change_is_no_failure_when_stderr_is_full(romashka: str, run: Runner) -> None:
    result = run_into(
        "session", "add", "romashka", "line", "--start", "2026-10-05 10:00", "--duration", "15m",
        stderr="/dev/full",
    )  # fmt: skip
    assert result.code == 0
    (row,) = run("export", "--format", "json").json()
    assert row["start"] == "2026-10-05T10:00:00+03:00"


@pytest.mark.parametrize(
    "argv",
    [
        ("session", "start", "romashka", "line"),  # the fast path
        ("config", "set", "supplier.name", "ООО «Бонус»"),
        ("client", "edit", "romashka", "--name", "ООО «Ромашка и К»"),
    ],
    ids=" ".join,
)
def test_confirmations_lost_on_a_full_stderr_keep_exit_0(romashka: str, argv: tuple[str, ...]) -> None:
    assert run_into(*argv, stderr="/dev/full").code == 0


def test_a_refusal_keeps_its_exit_code_when_stderr_is_full(romashka: str) -> None:
    assert run_into("client", "show", "nobody", stderr="/dev/full").code == 1
    assert run_into("session", "list", "--month", "2026-13", stderr="/dev/full").code == 2


@pytest.mark.parametrize(
    ("option", "command"), [("--ledger", "session"), ("--config", "config"), ("--tariffs", "tariff")]
)
def test_a_path_over_4096_bytes_is_refused_in_one_line(
    run: Runner, tmp_path: Path, option: str, command: str
) -> None:
    long_path = str(tmp_path) + "/a" * 2100 + "/file"
    result = run(option, long_path, command, "list" if command != "config" else "show")
    assert_refused(result, 2, option, "bytes long")
    assert len(result.first_error) < 200


def test_a_name_over_255_bytes_is_refused_in_one_line(run: Runner, tmp_path: Path) -> None:
    result = run("--ledger", str(tmp_path / ("я" * 200)), "session", "list")
    assert_refused(result, 2, "--ledger", "400 bytes long")
