"""The fault-injection suite (issue 9): a full disk during each writing command, and
``kill -9`` at random moments of the long ones (invoice, import, restore).

After every fault the file ledger is checked twice — by ``kvsupport ledger check``
and by :mod:`ledger_audit`, which reads the files with nothing but ``json`` — and
is either as it was before the command or as the command would have left it:
never half of it. Real processes of the installed script; rerun with
``pytest -m process tests/cli/test_cli_faults.py`` (``KVSUPPORT_FAULT_KILLS=N`` for
more kills). The PostgreSQL ledger's answer to both is its transaction
(tests/storage/test_postgres_failures.py).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from cli_testkit import EnvExtra, Runner, console_script, invoke, snapshot
from ledger_audit import audit, counts

from conftest import ROMASHKA

pytestmark = [pytest.mark.process, pytest.mark.file_ledger]

KILLS = int(os.environ.get("KVSUPPORT_FAULT_KILLS", "8"))
CLIENTS = 12
PER_CLIENT = 60  # sessions of October 2026 each: a month that takes a while to issue


def _csv(month: str, per_client: int, first_day: int = 1) -> str:
    rows = ["client,service,start,duration,problem,phone,consent,consultant"]
    for c in range(CLIENTS):
        for i in range(per_client):
            day = first_day + i // 4
            hour = 8 + (i % 4) * 2 + c % 2  # each client's sessions apart from the others'
            minute = (c // 2) * 9
            start = f"{month}-{day:02d} {hour:02d}:{minute:02d}"
            rows.append(f"c{c},backup,{start},61m,пени,+74950000000,письмо,k{c}")  # a consultant each
    return "\n".join(rows) + "\n"


@pytest.fixture
def busy(run: Runner, moscow: Path, ledger_dir: Path) -> Path:
    """A ledger of CLIENTS clients with PER_CLIENT sessions each in October 2026; the
    ledger's main file."""
    for c in range(CLIENTS):
        assert run("client", "add", f"c{c}", "--name", f"ТСЖ {c}", "--inn", "7707083893").code == 0
    assert run("import", "-", stdin=_csv("2026-10", PER_CLIENT)).code == 0
    return ledger_dir / "ledger.json"


def _checked(main: Path) -> None:
    done = invoke(("ledger", "check"), process=True)
    assert done.code == 0, done.stderr
    assert audit(main) == []


# -- a full disk during each writing command ------------------------------------------

RUNNING = ("session", "start", "romashka", "line", "--at", "-30m")
ISSUED = ("invoice", "--month", "2026-10", "--date", "2026-11-01")
#: (what runs first, the command that runs on a full disk)
WRITES: list[tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]] = [
    ((), ("client", "add", "new", "--name", "Новый")),
    ((), ("client", "edit", "romashka", "--phone", "+7 495 000-00-01")),
    ((), RUNNING),
    ((RUNNING,), ("session", "stop")),
    ((RUNNING,), ("session", "cancel")),
    ((), ("session", "add", "romashka", "line", "--start", "2026-10-20 10:00", "--duration", "15m")),
    ((), ("session", "edit", "1", "--note", "перезвонить")),
    ((), ("session", "delete", "1")),
    ((), ("session", "resume", "1")),
    ((), ISSUED),
    ((ISSUED,), ("invoice", "void", "2026-0001", "--reason", "ошибка")),
    ((ISSUED,), ("invoice", "pay", "2026-0001", "--date", "2026-11-02")),
    ((), ("order", "add", "romashka", "remote", "--at", "+1h")),
    ((), ("import", "-")),
    ((), ("undo",)),
    ((), ("config", "set", "supplier.director", "Иванов И. И.")),
    ((), ("tariff", "new", "--effective", "2027-01-01")),
]


@pytest.mark.parametrize(("setup", "argv"), WRITES, ids=[" ".join(a[:2]) for _, a in WRITES])
def test_a_full_disk_changes_nothing_and_says_so_in_one_line(
    run: Runner,
    moscow: Path,
    ledger_dir: Path,
    enospc: EnvExtra,
    setup: tuple[tuple[str, ...], ...],
    argv: tuple[str, ...],
) -> None:
    assert run(*ROMASHKA).code == 0
    assert run("session", "add", "romashka", "remote", "--start", "2026-10-05 10:00", "--duration", "61m",
               "--backup-confirmed").code == 0  # fmt: skip
    for args in setup:
        assert run(*args).code == 0, args
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    home = Path(os.environ["HOME"])
    before = snapshot(ledger_dir, config, home)
    stdin = (
        "client,service,start,duration\nromashka,line,2026-10-21 10:00,10m\n"
        if argv == ("import", "-")
        else None
    )
    done = invoke(argv, process=True, env_extra=enospc, stdin=stdin)
    assert done.code == 1, (argv, done.stderr)
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, done.stderr
    after = {
        path: data for path, data in snapshot(ledger_dir, config, home).items() if not path.endswith(".lock")
    }
    # no part, backup, journal or temp file left (a lock file, empty, may be new: it is never removed)
    assert after == {path: data for path, data in before.items() if not path.endswith(".lock")}
    _checked(ledger_dir / "ledger.json")


# -- kill -9 at random moments ------------------------------------------------------


def _kill_at_random(argv: tuple[str, ...], stdin: str | None, rng: random.Random, longest: float) -> bool:
    """Start ``kvsupport argv``, kill it after a random moment; whether it finished first."""
    with subprocess.Popen(
        [console_script(), *argv],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as child:
        if stdin is not None:
            assert child.stdin is not None
            child.stdin.write(stdin.encode("utf-8"))
            child.stdin.close()
        time.sleep(rng.uniform(0.05, longest))
        finished = child.poll() is not None
        if not finished:
            os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        return finished


def test_kill_9_while_issuing_a_month_leaves_all_of_it_or_none(busy: Path) -> None:
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    issued_before = counts(busy)[1]
    assert issued_before == 0
    for _ in range(KILLS):
        finished = _kill_at_random(("invoice", "--month", "2026-10", "--date", "2026-11-01"), None, rng, 1.5)
        _checked(busy)
        issued = counts(busy)[1]
        assert issued in (0, CLIENTS), issued  # one unit of work: every client's invoice, or none
        if issued:
            assert finished or issued == CLIENTS
            break
    invoice = invoke(("invoice", "list", "--format", "json"), process=True)
    numbers = [row["number"] for row in invoice.json()]
    assert numbers == sorted(set(numbers))


def test_kill_9_while_importing_leaves_every_row_or_none(busy: Path) -> None:
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    before = counts(busy)[0]
    rows = _csv("2026-11", 40)
    for _ in range(KILLS):
        _kill_at_random(("import", "-"), rows, rng, 1.5)
        _checked(busy)
        now = counts(busy)[0]
        assert now in (before, before + CLIENTS * 40), now
        if now != before:
            break


def test_kill_9_while_restoring_leaves_one_state_or_the_other(busy: Path) -> None:
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    listed = invoke(("ledger", "backups", "--format", "json"), process=True).json()
    states = {counts(busy)}
    oldest = listed[-1]["name"]
    for _ in range(KILLS):
        _kill_at_random(("ledger", "restore", oldest), None, rng, 0.6)
        _checked(busy)
        assert counts(busy) in states | {(0, 0), (0 if len(listed) < 2 else counts(busy)[0], 0)}
        states.add(counts(busy))
