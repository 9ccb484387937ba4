"""What only a real process of the installed script shows: the console-script entry
point, a broken pipe, Ctrl-C; and that the in-process runner answers as the process does.

(Closed streams are in ``test_cli_streams``, a terminal in ``test_cli_demo``, the
fast path without Typer in ``test_cli_fast_path``, kill -9 and concurrent writers
in ``tests/storage``.)
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cli_testkit import MOSCOW, Result, Runner, console_script, invoke, normalise, snapshot

from kvsupport import __version__

pytestmark = pytest.mark.process


def test_the_console_script_and_python_m_are_kvsupport(run_process: Runner) -> None:
    result = run_process("--version")
    assert (result.code, result.stdout, result.stderr) == (0, f"kvsupport {__version__}\n", "")
    module = subprocess.run(
        [sys.executable, "-m", "kvsupport", "--version"], capture_output=True, text=True, check=False
    )
    assert (module.returncode, module.stdout, module.stderr) == (0, result.stdout, "")


def _csv_of_sessions(client: str, count: int) -> str:
    """``count`` back-to-back five-minute ``line`` sessions of 2025, as ``import`` reads them."""
    first = datetime(2025, 1, 1, 8, 0, tzinfo=MOSCOW)
    rows = (f"{client},line,{first + timedelta(minutes=10 * n):%Y-%m-%d %H:%M},5m\n" for n in range(count))
    return "client,service,start,duration\n" + "".join(rows)


def test_a_reader_that_stops_early_gets_no_traceback(run: Runner, romashka: str) -> None:
    """``kvsupport export | head -c 10``: exit 1 (the output was cut), nothing on stderr."""
    assert run("import", "-", stdin=_csv_of_sessions(romashka, 1500)).code == 0
    with subprocess.Popen(
        [console_script(), "export"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    ) as child:
        assert child.stdout is not None
        assert child.stderr is not None
        head = child.stdout.read(10)
        child.stdout.close()  # more than a pipe holds is still to come: the next write breaks
        stderr = child.stderr.read()
        assert child.wait(timeout=60) == 1
    assert head == b"id,client,"
    assert stderr == b""


def _blocked_reading_stdin(pid: int, timeout: float = 30) -> None:
    """Wait until process ``pid`` sits in ``read(0, …)`` (Linux ``/proc/PID/syscall``)."""
    syscall = Path(f"/proc/{pid}/syscall")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if syscall.read_text().startswith("0 0x0 "):  # x86-64 read() on fd 0
                return
        except OSError:
            pytest.skip("/proc/PID/syscall is not readable here")
        time.sleep(0.02)
    raise AssertionError("kvsupport never got to reading stdin")


@pytest.mark.skipif(sys.platform != "linux" or not Path("/proc/self/syscall").exists(), reason="Linux procfs")
def test_ctrl_c_exits_130_and_changes_nothing(run: Runner, romashka: str, ledger_dir: Path) -> None:
    """Ctrl-C while ``import -`` waits for its input: exit 130, no traceback, the ledger as it was.

    Both front ends say so in one line (the Typer app would answer Ctrl-C with its own
    silent ``Exit(130)``: kvsupport carries the interrupt past it).
    """
    if not Path("/proc/self/syscall").read_text().split()[0].isdigit():
        pytest.skip("syscall numbers are hidden here")
    before = snapshot(ledger_dir)
    with subprocess.Popen(
        [console_script(), "import", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as child:
        assert child.stdin is not None
        child.stdin.write(_csv_of_sessions(romashka, 3)[:40].encode())  # half a file, and no end yet
        child.stdin.flush()
        try:
            _blocked_reading_stdin(child.pid)
            child.send_signal(signal.SIGINT)
            stdout, stderr = child.communicate(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
    assert child.returncode == 130, stderr
    assert stdout == b""
    assert b"Traceback" not in stderr
    assert stderr.decode() == "interrupted: nothing was changed\n"
    assert snapshot(ledger_dir) == before


# ---------------------------------------------- the in-process runner is faithful

# (argv, fast): the fast path, the Typer app, help, usage and domain errors, stdin
CALLS: list[tuple[tuple[str, ...], bool]] = [
    (("session", "status", "--format", "json"), True),
    (("-q", "session", "start", "romashka", "line", "--at", "-10m"), True),
    (("session", "stop", "--at", "-5m", "--format", "json"), False),
    (("session", "start", "nobody", "line"), True),
    (("session", "list", "--all"), True),
    (("client", "add", "-x", "--name", "X"), True),
    (("session",), True),
    (("report", "--help"), True),
    (("import", "-"), True),
]


def test_in_process_and_subprocess_runs_agree(romashka: str, ledger_dir: Path) -> None:
    """The same calls on twin ledgers: the same exit codes, stdout and stderr."""
    twin = ledger_dir.with_name("ledger-process")
    shutil.copytree(ledger_dir, twin)
    in_twin = {"KVSUPPORT_LEDGER": str(twin / "ledger.json")}
    for argv, fast in CALLS:
        here: Result = invoke(argv, fast=fast)
        there: Result = invoke(argv, fast=fast, env_extra=in_twin, process=True)
        assert (here.code, normalise(here.stdout), normalise(here.stderr)) == (
            there.code,
            normalise(there.stdout),
            normalise(there.stderr),
        ), argv
