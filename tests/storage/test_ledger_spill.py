"""A change over many months (an import of years) holds a few months, not the history:
the months it changed are written out early, and are the ledger's only once it commits."""

from __future__ import annotations

import json

import pytest
from ledger_testkit import files, ledger_path, msk, session

from kvsupport.core.models import Client
from kvsupport.storage import open_store
from kvsupport.storage.api import Store
from kvsupport.storage.jsonfiles.parts import SPILL_AFTER
from kvsupport.storage.jsonfiles.store import open_ledger

MONTHS = 3 * SPILL_AFTER


def _parts_dir() -> set[str]:
    return {p.name for p in files().parts.iterdir()} if files().parts.is_dir() else set()


def _live() -> set[str]:
    manifest = json.loads(files().main.read_bytes())
    return {e["file"] for e in manifest["parts"].values()} | {n for n, _ in manifest["retired"]}


@pytest.fixture(autouse=True)
def clients() -> None:
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_client(Client(code="romashka", name="ООО «Ромашка»"))
        ledger.put_session(session(ledger.new_session_id(), "romashka", msk(2024, 1, 10, 9)))


def _import_months(ledger: Store) -> list[int]:
    ids = []
    for month in range(MONTHS):
        start = msk(2024 + month // 12, month % 12 + 1, 12, 10)
        sid = ledger.new_session_id()
        ledger.put_session(session(sid, "romashka", start))
        ids.append(sid)
    return ids


def test_a_change_over_many_months_holds_a_few_and_commits_them_all() -> None:
    with open_ledger(ledger_path(), write=True) as ledger:
        ids = _import_months(ledger)
        held = sum(1 for p in ledger._parts.values() if p.dirty)
        assert held <= SPILL_AFTER + 1
        first = ledger.session(ids[0])  # written out already, read back from its early file
        ledger.put_session(first._replace(note="edited after it was written out"))
    with open_ledger(ledger_path()) as ledger:
        assert ledger.session(ids[0]).note == "edited after it was written out"
        assert [ledger.session(i).id for i in ids] == ids
        assert ledger.counts().sessions == MONTHS + 1
        assert ledger.check() == []
    assert _parts_dir() <= _live()  # no file beyond what the ledger names


def test_a_change_that_fails_leaves_no_early_file_and_changes_nothing() -> None:
    before = files().main.read_bytes()
    parts_before = _parts_dir()
    written_early: set[str] = set()

    def fail_after_writing_out() -> None:
        with open_ledger(ledger_path(), write=True) as ledger:
            _import_months(ledger)
            written_early.update(_parts_dir() - parts_before)
            raise RuntimeError("the import found a problem")

    with pytest.raises(RuntimeError):
        fail_after_writing_out()
    assert written_early  # months were written out early
    assert files().main.read_bytes() == before
    assert _parts_dir() == parts_before


def test_a_dry_run_writes_no_file() -> None:
    parts_before = _parts_dir()
    with open_store(str(ledger_path()), write=True, rehearse=True) as store:
        _import_months(store)
        assert _parts_dir() == parts_before
    assert _parts_dir() == parts_before


def test_undo_takes_back_a_change_written_out_early() -> None:
    with open_store(str(ledger_path()), write=True, consultant="anna", action="import") as store:
        ids = _import_months(store)
    with open_store(str(ledger_path()), write=True, consultant="anna", action="undo") as store:
        change = store.undo("anna")
        assert change.size == MONTHS
    with open_ledger(ledger_path()) as ledger:
        assert ledger.counts().sessions == 1
        assert all(ledger._raw_session(i) is None for i in ids)
