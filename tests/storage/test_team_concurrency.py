"""Eight consultants on one PostgreSQL ledger at the same moment (issue 10).

Real processes, each a consultant with a config of their own, log sessions and
issue the month's invoices while the others do the same. Afterwards the line's
invoice numbers are 1..N with no gap and no duplicate, and every billable session
is billed exactly once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import pgkit
from kvsupport.core.models import Client
from kvsupport.storage import open_store
from kvsupport.storage.config import save_config

CONSULTANTS = 8
SESSIONS = 6  # each consultant's, in October 2026

SUPPLIER: dict[str, object] = {
    "supplier.name": "ООО «Бонус»",
    "supplier.inn": "7707083893",
    "supplier.kpp": "773601001",
    "supplier.bank": "ПАО Сбербанк",
    "supplier.bik": "044525225",
    "supplier.correspondent_account": "30101810400000000225",
    "supplier.account": "40702810538000123456",
    "timezone": "Europe/Moscow",
}

#: argv: worker number. Logs SESSIONS sessions, issuing October after each one.
WORKER = """
import sys
from datetime import datetime, timedelta, timezone
from kvsupport.ops import invoices, sessions
from kvsupport.ops.env import Env

worker = int(sys.argv[1])
now = datetime(2026, 11, 15, 12, tzinfo=timezone.utc)
msk = timezone(timedelta(hours=3))
for i in range(SESSIONS):
    start = datetime(2026, 10, 1 + i, 9 + worker, 0, tzinfo=msk)  # each consultant's own hour
    client = f"c{(worker + i) % CONSULTANTS}"  # consultants share clients
    details = sessions.Details(problem="пени", consent="письмо", phone="+7 495 000-00-00")
    sessions.add(Env(now=now), client, "backup", start, start + timedelta(minutes=61), details)
    invoices.issue(Env(now=now), 2026, 10)
print("done", flush=True)
"""


@pytest.mark.process
def test_eight_consultants_share_one_gapless_numbering_and_bill_each_session_once(tmp_path: Path) -> None:
    with pgkit.fresh_ledger() as ledger:
        with open_store(ledger, write=True) as s:
            for n in range(CONSULTANTS):
                s.put_client(Client(code=f"c{n}", name=f"ТСЖ №{n}", inn="7707083893"))
        code = WORKER.replace("SESSIONS", str(SESSIONS)).replace("CONSULTANTS", str(CONSULTANTS))
        procs = []
        for w in range(CONSULTANTS):
            config = tmp_path / f"consultant-{w}.toml"
            save_config(config, {**SUPPLIER, "consultant.name": f"Консультант {w}"})
            env = {**os.environ, "KVSUPPORT_LEDGER": ledger, "KVSUPPORT_CONFIG": str(config)}
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-c", code, str(w)],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            )
        for p in procs:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0, err.decode()
            assert out == b"done\n"

        with open_store(ledger) as s:
            assert s.check() == []
            summaries = s.invoice_summaries()
            invoices = [inv for batch in s.invoice_batches(r.number for r in summaries) for inv in batch]
            sessions = [x for batch in s.session_batches() for x in batch]
    numbers = sorted(int(inv.number.split("-")[1]) for inv in invoices)
    assert numbers == list(range(1, len(invoices) + 1))  # gapless, no duplicate
    assert {inv.number.split("-")[0] for inv in invoices} == {"2026"}
    billed = [ln.session for inv in invoices for ln in inv.lines if ln.kind == "session" and ln.session]
    assert len(sessions) == CONSULTANTS * SESSIONS
    assert sorted(billed) == sorted(x.id for x in sessions)  # every session, once
    assert all(x.invoice is not None for x in sessions)
    assert {x.consultant for x in sessions} == {f"Консультант {w}" for w in range(CONSULTANTS)}
