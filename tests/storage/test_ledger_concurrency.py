"""Several real processes write at once: no change is lost, no reader sees a broken ledger."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
from ledger_testkit import all_sessions, files, ledger_path, python

from kvsupport.core.models import Client
from kvsupport.storage.jsonfiles.store import FORMAT, open_ledger

WRITES = 30

#: argv: kind ("client" | "session"), worker number, how many writes.
WRITER = """
import sys
from datetime import datetime, timedelta, timezone
from kvsupport.ops import clients, sessions
from kvsupport.ops.env import Env

kind, worker, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
now = datetime(2031, 1, 1, tzinfo=timezone.utc)
base = datetime(2025, 1, 1, 9, tzinfo=timezone(timedelta(hours=3)))
for i in range(count):
    if kind == "client":
        clients.add(Env(now=now), f"w{worker}-{i}", clients.ClientFields(name=f"Клиент {worker}/{i}"))
    else:
        # interleaved days: every worker writes into the same monthly parts
        start = base + timedelta(days=i, hours=worker)
        sessions.add(Env(now=now), "base", "line", start, start + timedelta(minutes=30),
                     sessions.Details(note=f"{worker}/{i}"))
"""


@pytest.mark.process
@pytest.mark.slow
def test_six_processes_lose_no_write_and_readers_never_see_a_broken_ledger() -> None:
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_client(Client(code="base", name="ООО «База»"))
    workers = [("client", w) for w in range(3)] + [("session", w) for w in range(3, 6)]
    procs = [
        subprocess.Popen(
            python(WRITER, kind, str(w), str(WRITES)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for kind, w in workers
    ]
    reads = 0
    last = (0, 0, 0)
    deadline = time.monotonic() + 60
    try:
        while any(p.poll() is None for p in procs):
            assert time.monotonic() < deadline, "writers did not finish in 60 s"
            # a reader without the lock (jq, a backup script) always finds whole JSON
            raw = json.loads(ledger_path().read_bytes())
            assert raw["format"] == FORMAT
            # a reader through the ledger sees a whole state, never going backwards
            with open_ledger(ledger_path()) as ledger:
                assert ledger.check() == []
                state = (ledger.generation, len(ledger.clients()), len(all_sessions(ledger)))
            assert all(now >= before for now, before in zip(state, last, strict=True)), (state, last)
            last = state
            reads += 1
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    for p in procs:
        _, err = p.communicate()
        assert p.returncode == 0, err
    assert reads > 0

    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == []
        clients = ledger.clients()
        stored = all_sessions(ledger)
        generation = ledger.generation
    assert set(clients) == {"base"} | {f"w{w}-{i}" for w in range(3) for i in range(WRITES)}
    assert sorted(s.note or "" for s in stored) == sorted(
        f"{w}/{i}" for w in range(3, 6) for i in range(WRITES)
    )
    assert sorted(s.id for s in stored) == list(range(1, 3 * WRITES + 1))  # ids unique, none skipped
    assert generation == 1 + 6 * WRITES
    assert len(stored) + len(clients) - 1 == 6 * WRITES
    assert files().lock.exists()
