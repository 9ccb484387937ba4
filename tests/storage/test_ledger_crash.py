"""``kill -9`` at random instants of a writing loop: the ledger stays whole, no commit is lost."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time

import pytest
from ledger_testkit import all_sessions, files, ledger_path, python

from kvsupport.storage.jsonfiles.files import list_backups
from kvsupport.storage.jsonfiles.store import open_ledger

KILLS = int(os.environ.get("KVSUPPORT_FAULT_KILLS", "25"))
MAX_DELAY = 0.060
#: the suite's run stays short; a maintainer asking for more kills gets the time they take
TIME_BUDGET = 20.0 if "KVSUPPORT_FAULT_KILLS" not in os.environ else float("inf")

#: Writes until killed; prints each id only after ``open_ledger`` has committed it.
CHILD = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from kvsupport.core.models import Client, Segment, Session
from kvsupport.storage.jsonfiles.store import open_ledger

path = Path(sys.argv[1])
base = datetime(2024, 1, 1, 10, tzinfo=timezone(timedelta(hours=3)))
while True:
    with open_ledger(path, write=True) as ledger:
        sid = ledger.new_session_id()
        start = base + timedelta(days=sid // 4, hours=sid % 4)  # a new monthly part every ~120 ids
        ledger.put_client(Client(code=f"k{sid}", name=f"Клиент {sid}"))
        ledger.put_session(Session(sid, f"k{sid}", "line", (Segment(start, start + timedelta(minutes=30)),)))
    print(sid, flush=True)
"""


def _ids(text: str) -> list[int]:
    """Ids from whole lines only: a line cut by the kill proves nothing."""
    lines = text.split("\n")
    return [int(line) for line in lines[:-1] if line.strip()]


def _assert_whole(reported: set[int], seed: int) -> None:
    json.loads(ledger_path().read_bytes())  # whole JSON for jq too
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == [], f"seed {seed}"
        stored = [s.id for s in all_sessions(ledger)]
        clients = ledger.clients()
        generation = ledger.generation
    # a commit holds the counter, the client and the session together: ids are 1..n exactly
    assert stored == list(range(1, len(stored) + 1)), f"seed {seed}"
    assert set(clients) == {f"k{i}" for i in stored}, f"seed {seed}"
    assert generation == len(stored)
    missing = reported - set(stored)
    assert not missing, f"seed {seed}: committed ids lost: {sorted(missing)[:10]}"
    # every kept backup can still be restored: its parts exist
    for backup in list_backups(files()):
        doc = json.loads(backup.path.read_bytes())
        for entry in doc["parts"].values():
            assert (files().parts / entry["file"]).exists(), f"seed {seed}: {backup.name}"


@pytest.mark.process
@pytest.mark.slow
def test_kill_9_at_random_moments_loses_nothing() -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    reported: set[int] = set()
    started = time.monotonic()
    kills = 0
    while kills < KILLS and time.monotonic() - started < TIME_BUDGET:
        child = subprocess.Popen(
            python(CHILD, str(ledger_path())), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            assert child.stdout is not None
            first = child.stdout.readline()  # it has started and committed once
            assert first.endswith("\n"), child.stderr.read() if child.stderr else ""
            time.sleep(rng.uniform(0, MAX_DELAY))
            child.send_signal(signal.SIGKILL)
            rest, err = child.communicate(timeout=10)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        assert child.returncode == -signal.SIGKILL, f"seed {seed}: child ended by itself: {err}"
        reported.update(_ids(first + rest))
        kills += 1
        _assert_whole(reported, seed)
    assert kills >= 15, f"only {kills} kills in {TIME_BUDGET:.0f} s"
    assert len(reported) > kills  # the children did write between kills
