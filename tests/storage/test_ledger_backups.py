"""Rotating backups, the part files they keep alive, and restore (itself undoable)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ledger_testkit import all_sessions, files, kvsupport_cli, ledger_path, msk, part_files, session

from kvsupport.core.models import Client
from kvsupport.errors import LedgerError
from kvsupport.storage.jsonfiles import parts as parts_module
from kvsupport.storage.jsonfiles.files import Backup, list_backups
from kvsupport.storage.jsonfiles.store import KEEP_BACKUPS, open_ledger

State = tuple[list[str], list[tuple[int, str]]]


def _state() -> State:
    """Clients and sessions as a comparable value."""
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == []
        return list(ledger.clients()), [(s.id, s.started_at.isoformat()) for s in all_sessions(ledger)]


def _change(i: int) -> None:
    """One change: a client on even steps, a stopped session (alternating two months) on odd ones."""
    with open_ledger(ledger_path(), write=True) as ledger:
        if i % 2 == 0:
            ledger.put_client(Client(code=f"c{i}", name=f"Клиент {i}"))
        else:
            if not ledger.clients():
                ledger.put_client(Client(code="c", name="Клиент"))
            start = msk(2025, 3 + i % 4 // 2, 1 + i % 28, 10)
            ledger.put_session(session(ledger.new_session_id(), next(iter(ledger.clients())), start))


def _manifest(path: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_bytes())
    return doc


def _history(changes: int) -> dict[int, State]:
    """Make ``changes`` changes; the state after each, by generation."""
    states: dict[int, State] = {0: _state()}
    for i in range(changes):
        _change(i)
        states[i + 1] = _state()
    return states


def _restore(backup: Backup) -> None:
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.replace_with_backup(backup)


def test_each_change_leaves_a_backup_of_the_state_it_made() -> None:
    states = _history(6)
    backups = list_backups(files())
    # the newest backup is the current state: losing the manifest loses no change
    assert [b.generation for b in backups] == [6, 5, 4, 3, 2, 1]
    for backup in backups:
        assert _manifest(backup.path)["generation"] == backup.generation
        assert backup.size == backup.path.stat().st_size
        assert list(_manifest(backup.path)["clients"]) == states[backup.generation][0]
    assert backups[0].path.read_bytes() == files().main.read_bytes()


def test_only_keep_backups_are_kept_and_retired_parts_live_as_long_as_a_backup_needs_them() -> None:
    changes = KEEP_BACKUPS + 12
    states = _history(changes)
    backups = list_backups(files())
    assert len(backups) == KEEP_BACKUPS
    assert [b.generation for b in backups] == list(range(changes, changes - KEEP_BACKUPS, -1))
    # exactly the parts that the manifest or a kept backup refers to are on disk: none missing, none leaked
    referenced = {e["file"] for e in _manifest(files().main)["parts"].values()}
    for backup in backups:
        referenced |= {e["file"] for e in _manifest(backup.path)["parts"].values()}
    assert part_files(files()) == referenced

    oldest = backups[-1]
    _restore(oldest)
    assert _state() == states[oldest.generation]
    # the state before the restore is still in the backups: the restore can be undone
    newest, undo = list_backups(files())[:2]
    assert newest.generation == changes + 1
    assert undo.generation == changes
    _restore(undo)
    assert _state() == states[changes]
    with open_ledger(ledger_path()) as ledger:
        assert ledger.generation == changes + 2


def test_restore_then_carry_on_keeps_every_kept_backup_restorable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parts_module, "KEEP_BACKUPS", 4)
    states = _history(10)
    oldest = list_backups(files())[-1]
    assert oldest.generation == 7
    _restore(oldest)
    assert _state() == states[7]
    for i in range(10, 16):
        _change(i)
    backups = list_backups(files())
    assert len(backups) == 4
    # every kept backup is restorable, and the parts the restore set aside are gone once unneeded
    referenced = {e["file"] for e in _manifest(files().main)["parts"].values()}
    for backup in backups:
        referenced |= {e["file"] for e in _manifest(backup.path)["parts"].values()}
    assert part_files(files()) == referenced
    assert _state()[0] == [*states[7][0], "c10", "c12", "c14"]


def test_restoring_a_backup_whose_part_is_gone_is_refused_and_changes_nothing() -> None:
    _history(5)
    backup = next(b for b in reversed(list_backups(files())) if _manifest(b.path)["parts"])
    gone = next(iter(_manifest(backup.path)["parts"].values()))["file"]
    (files().parts / gone).unlink()
    manifest = files().main.read_bytes()
    with pytest.raises(LedgerError, match=gone):
        _restore(backup)
    assert files().main.read_bytes() == manifest


@pytest.mark.process
@pytest.mark.slow
def test_cli_lists_and_restores_backups() -> None:
    states = _history(4)
    listed = kvsupport_cli("ledger", "backups", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == ""
    rows = json.loads(listed.stdout)
    assert [r["name"] for r in rows] == [b.name for b in list_backups(files())]
    assert [r["generation"] for r in rows] == [4, 3, 2, 1]
    assert [r["current"] for r in rows] == [True, False, False, False]
    assert {"name", "taken_at", "generation", "bytes", "path"} <= set(rows[0])

    target = rows[-1]["name"]  # generation 1
    restored = kvsupport_cli("ledger", "restore", target)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout == ""
    assert target in restored.stderr  # a confirmation, not data
    assert _state() == states[1]

    undo = kvsupport_cli("ledger", "backups", "--format", "json")
    current, newest = json.loads(undo.stdout)[:2]
    assert (current["generation"], current["current"]) == (5, True)
    assert newest["generation"] == 4
    again = kvsupport_cli("ledger", "restore", newest["path"])  # a path works as well as a name
    assert again.returncode == 0, again.stderr
    assert _state() == states[4]

    unknown = kvsupport_cli("ledger", "restore", "ledger-nope-g1.json")
    assert unknown.returncode == 1
    assert unknown.stdout == ""
    assert unknown.stderr.startswith("error: no backup 'ledger-nope-g1.json'")
    assert "Traceback" not in unknown.stderr
