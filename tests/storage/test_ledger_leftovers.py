"""What a crash leaves behind (temp files, never-committed parts) is ignored, then swept."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from ledger_testkit import all_sessions, files, ledger_path, listing, msk, part_files, seed_ledger, session

from kvsupport.core.models import Client
from kvsupport.storage.jsonfiles import parts as parts_module
from kvsupport.storage.jsonfiles.files import LedgerFiles, list_backups
from kvsupport.storage.jsonfiles.store import open_ledger


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _leave_crash_debris(ledger_files: LedgerFiles, age: float) -> list[Path]:
    """Files a ``kill -9`` at various instants leaves, all ``age`` seconds old."""
    debris = [
        ledger_files.main.parent / ".ledger.json.tmp-123-abcd0123",  # a half-written manifest
        ledger_files.main.parent / ".ledger.json.tmp-124-00000000",  # an empty one
        ledger_files.parts / ".sessions-2025-03.g9-aaaaaa.json.tmp-125-abcdef01",
        ledger_files.parts / "sessions-2025-03.g9-aaaaaa.json",  # written, never committed
        ledger_files.backups / ".ledger-20250101T000000000000Z-g1.json.tmp-126-12345678",
    ]
    for i, path in enumerate(debris):
        path.write_bytes(b"" if i == 1 else b'{"format": "kvsupport-ledger", "clie')
        _age(path, age)
    return debris


def _write(code: str) -> None:
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_client(Client(code=code, name=code))


def test_leftovers_do_not_break_loading() -> None:
    ledger_files = seed_ledger()
    _leave_crash_debris(ledger_files, age=0)
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == []
        assert len(all_sessions(ledger)) == 3
    assert all(".tmp-" not in b.name for b in list_backups(ledger_files))
    _write("after")
    with open_ledger(ledger_path()) as ledger:
        assert "after" in ledger.clients()


def test_old_leftovers_are_swept_every_sweep_every_generations() -> None:
    ledger_files = seed_ledger()  # generation 2
    with open_ledger(ledger_path(), write=True) as ledger:  # retire a part a backup still needs
        ledger.put_session(session(ledger.new_session_id(), "romashka", msk(2025, 3, 25, 10)))
    old = _leave_crash_debris(ledger_files, age=parts_module.SWEEP_AGE_SECONDS + 60)
    fresh = ledger_files.main.parent / ".ledger.json.tmp-999-ffffffff"  # maybe another writer's, now
    fresh.write_bytes(b"")
    needed = part_files(ledger_files) - {p.name for p in old}
    for name in needed:
        _age(ledger_files.parts / name, parts_module.SWEEP_AGE_SECONDS + 60)
    backups = listing(ledger_files.backups) - {p.name for p in old}

    while True:
        with open_ledger(ledger_path()) as ledger:
            generation = ledger.generation
        if generation + 1 == parts_module.SWEEP_EVERY:
            break
        _write(f"c{generation}")
        assert all(p.exists() for p in old), f"swept early, at generation {generation + 1}"

    _write("sweep")  # generation SWEEP_EVERY

    assert not any(p.exists() for p in old)
    assert fresh.exists()  # too young: it could belong to a write in progress
    assert needed <= part_files(ledger_files)  # parts the manifest or a backup refer to stay
    assert backups <= listing(ledger_files.backups)
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == []
    for backup in list_backups(ledger_files):  # every backup is still restorable
        for entry in json.loads(backup.path.read_bytes())["parts"].values():
            assert (ledger_files.parts / entry["file"]).exists(), backup.name


@pytest.mark.parametrize("every", [1, 3])
def test_sweep_interval_is_honoured(monkeypatch: pytest.MonkeyPatch, every: int) -> None:
    monkeypatch.setattr(parts_module, "SWEEP_EVERY", every)
    monkeypatch.setattr(parts_module, "SWEEP_AGE_SECONDS", 0)
    _write("first")  # generation 1
    debris = files().main.parent / ".ledger.json.tmp-1-deadbeef"
    debris.write_bytes(b"{")
    _age(debris, 5)
    swept_at = None
    for generation in range(2, 5):
        _write(f"c{generation}")
        if not debris.exists():
            swept_at = generation
            break
    assert swept_at == (2 if every == 1 else 3)
