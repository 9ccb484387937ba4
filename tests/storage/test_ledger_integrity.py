"""The ways around the commit protocol that an attack on the ledger found (issue 9, part A).

Each test reproduces one finding on real files and shows that the ledger now keeps
every record: a number is never issued twice, two ledgers in one directory never
touch each other's files, a failed change leaves nothing behind, a damaged ledger is
not written over, a symlink is followed, recovery works when the manifest is gone.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from ledger_testkit import (
    NOW,
    all_sessions,
    env,
    files,
    kvsupport_cli,
    ledger_path,
    listing,
    msk,
    part_files,
    seed_ledger,
    session,
    snapshot,
)

from kvsupport import notices
from kvsupport.core.models import Client
from kvsupport.errors import InvalidValue, LedgerError
from kvsupport.ops import invoices as invoice_ops
from kvsupport.ops import sessions as session_ops
from kvsupport.storage import atomic
from kvsupport.storage.config import save_config
from kvsupport.storage.jsonfiles import parts
from kvsupport.storage.jsonfiles.files import LedgerFiles, list_backups, resolved_ledger_path
from kvsupport.storage.jsonfiles.store import open_ledger

SUPPLIER: dict[str, object] = {
    "supplier.name": "ООО «Бонус»",
    "supplier.inn": "7707083893",
    "supplier.account": "40702810538000123456",
    "supplier.bik": "044525225",
    "timezone": "Europe/Moscow",
}


def _billable_month(client: str, day: int) -> None:
    """A 90-minute remote session of ``client`` on ``day`` December 2030."""
    with open_ledger(ledger_path(), write=True) as ledger:
        if client not in ledger.clients():
            ledger.put_client(Client(code=client, name=f"Клиент {client}", fee_paid=True))
    session_ops.add(
        env(),
        client,
        "remote",
        msk(2030, 12, day, 10),
        msk(2030, 12, day, 11, 30),
        session_ops.Details(backup_confirmed=True),
    )


# -- A1: an issued number is never issued again ------------------------------------


def test_storage_refuses_a_second_invoice_with_a_taken_number() -> None:
    save_config(Path(os.environ["KVSUPPORT_CONFIG"]), SUPPLIER)
    _billable_month("romashka", 2)
    issued = invoice_ops.issue(env(), 2030, 12)
    first = issued.invoices[0]
    before = snapshot(files().main.parent)
    taken = f"invoice number {first.number} is taken"
    with pytest.raises(LedgerError, match=taken), open_ledger(ledger_path(), write=True) as ledger:
        ledger.add_invoice(first._replace(period="2030-11"))
    assert snapshot(files().main.parent) == before


def test_a_format_without_year_after_one_with_it_passes_over_taken_numbers() -> None:
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    save_config(config, {**SUPPLIER, "invoice.number_format": "{year}-{seq:04d}"})
    _billable_month("romashka", 2)
    first = invoice_ops.issue(env(), 2030, 12).invoices[0]
    assert first.number == "2031-0001"  # the invoice date is NOW's: 2031
    # the attack: a format that writes the year as text restarts the sequence
    save_config(config, {**SUPPLIER, "invoice.number_format": "2031-{seq:04d}"})
    _billable_month("lesnaya", 3)
    second = invoice_ops.issue(env(), 2030, 12).invoices[0]
    assert second.number == "2031-0002"
    with open_ledger(ledger_path()) as ledger:
        assert [r.number for r in ledger.invoice_summaries()] == ["2031-0001", "2031-0002"]
        assert ledger.invoice("2031-0001").client_code == "romashka"  # not replaced
        assert ledger.check() == []


def test_an_issued_invoice_cannot_be_changed_in_storage() -> None:
    save_config(Path(os.environ["KVSUPPORT_CONFIG"]), SUPPLIER)
    _billable_month("romashka", 2)
    invoice = invoice_ops.issue(env(), 2030, 12).invoices[0]
    with pytest.raises(LedgerError, match="total"), open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_invoice(invoice._replace(total=invoice.total + 1))
    with open_ledger(ledger_path(), write=True) as ledger:  # a status is no frozen field
        ledger.put_invoice(invoice._replace(status="paid", paid_on=date(2031, 1, 1)))


# -- A3: two ledgers in one directory share nothing --------------------------------


def test_a_hand_copy_beside_the_ledger_never_touches_its_files(monkeypatch: pytest.MonkeyPatch) -> None:
    seed_ledger()
    copy = ledger_path().with_name("ledger.bak")
    shutil.copyfile(ledger_path(), copy)
    mine = snapshot(files().home)
    monkeypatch.setattr(parts, "SWEEP_AGE_SECONDS", -1)  # every leftover counts as old
    for i in range(parts.SWEEP_EVERY + 1):  # at least one sweep in the copy
        with open_ledger(copy, write=True) as ledger:
            ledger.put_client(Client(code=f"c{i}", name=f"Клиент {i}"))
    assert snapshot(files().home) == mine
    assert LedgerFiles(copy).home != files().home
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == []
        assert [s.id for s in all_sessions(ledger)] == [1, 2, 3]


def test_two_format_1_ledgers_sharing_parts_each_move_out_without_loss() -> None:
    seed_ledger()
    old = files()._replace(layout=1)
    # the same ledger as format 1 wrote it: companions named after the stem, shared by ledger.bak
    manifest = json.loads(files().main.read_bytes())
    manifest.update(version=1, running=None, last_stopped=None)  # format 1's shapes
    os.rename(files().parts, old.parts)
    os.rename(files().backups, old.backups)
    shutil.rmtree(files().home)
    text = json.dumps(manifest)
    files().main.write_text(text, "utf-8")
    copy = ledger_path().with_name("ledger.bak")
    copy.write_text(text, "utf-8")
    shared = snapshot(old.parts)

    notices.drain()
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_client(Client(code="new", name="Новый"))
    assert any("moved the ledger's own files" in m for m in notices.drain())
    assert snapshot(old.parts) == shared  # left for ledger.bak
    with open_ledger(copy, write=True) as ledger:
        ledger.put_session(session(ledger.new_session_id(), "romashka", msk(2025, 3, 28, 10)))
    for path in (ledger_path(), copy):
        with open_ledger(path) as ledger:
            assert ledger.check() == [], path
    with open_ledger(copy) as ledger:
        assert sorted(s.id for s in all_sessions(ledger)) == [1, 2, 3, 4]
    with open_ledger(ledger_path()) as ledger:
        assert [s.id for s in all_sessions(ledger)] == [1, 2, 3]
        assert "new" in ledger.clients()


# -- A5, A13: a failed change leaves neither a backup nor a part ---------------------


def test_thirty_failed_writes_leave_no_backup_and_no_part(monkeypatch: pytest.MonkeyPatch) -> None:
    seed_ledger()
    for i in range(8):  # a history of backups worth keeping
        with open_ledger(ledger_path(), write=True) as ledger:
            ledger.put_session(session(ledger.new_session_id(), "romashka", msk(2025, 5, 1 + i, 10)))
    before = snapshot(files().home)
    real_write = atomic.write_atomic

    def disk_full_for_the_manifest(path: Path, data: bytes, **kwargs: object) -> None:
        if path == files().main:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real_write(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parts, "write_atomic", disk_full_for_the_manifest)
    for i in range(30):
        with pytest.raises(LedgerError, match="No space left"), open_ledger(ledger_path(), write=True) as led:
            led.put_session(session(led.new_session_id(), "romashka", msk(2025, 6, 1 + i % 28, 10)))
    assert snapshot(files().home) == before  # no orphan part, no backup of a change that never was
    monkeypatch.setattr(parts, "write_atomic", real_write)
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_session(session(ledger.new_session_id(), "romashka", msk(2025, 6, 1, 10)))
    backups = list_backups(files())
    assert [b.generation for b in backups] == list(range(11, 0, -1))  # one a change, none lost
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == []


def test_a_failed_import_leaves_no_part_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    from kvsupport.ops import transfer

    seed_ledger()
    before = part_files(files())
    real_write = atomic.write_atomic

    def disk_full_for_the_manifest(path: Path, data: bytes, **kwargs: object) -> None:
        if path == files().main:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real_write(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parts, "write_atomic", disk_full_for_the_manifest)
    rows = "client,service,start,end\n" + "".join(
        f"romashka,line,2025-0{m}-0{d}T10:00:00+03:00,2025-0{m}-0{d}T10:30:00+03:00\n"
        for m in (6, 7, 8)
        for d in (1, 2, 3)
    )
    with pytest.raises(LedgerError):
        transfer.import_sessions(env(), lambda: rows, "csv", "rows.csv")
    assert part_files(files()) == before


# -- A7: a damaged ledger is not written over ------------------------------------------


def _store_session_twice() -> str:
    """Session 1 copied into a second month's part by hand; that part's file name."""
    manifest = json.loads(files().main.read_bytes())
    march = manifest["parts"]["sessions/2025-03"]
    april = manifest["parts"]["sessions/2025-04"]
    record = json.loads((files().parts / march["file"]).read_bytes())["records"][0]
    april_path = files().parts / april["file"]
    doc = json.loads(april_path.read_bytes())
    doc["records"].append(record)
    april_path.write_text(json.dumps(doc), "utf-8")
    april["count"] += 1
    april["min_id"] = 1
    files().main.write_text(json.dumps(manifest), "utf-8")
    return str(april["file"])


def test_a_session_stored_twice_is_reported_and_refuses_changes_to_it() -> None:
    seed_ledger()
    name = _store_session_twice()
    with open_ledger(ledger_path()) as ledger:
        problems = ledger.check()
    assert any("session 1 is stored twice" in p for p in problems), problems
    before = snapshot(files().main.parent)
    with pytest.raises(LedgerError, match=f"session 1 is stored twice .*{name}"):
        session_ops.edit(env(), 1, session_ops.Changes(note="x"))
    with pytest.raises(LedgerError, match="stored twice"):
        session_ops.delete(env(), 1)
    assert snapshot(files().main.parent) == before


def test_a_part_holding_a_record_twice_refuses_a_change_to_that_part() -> None:
    seed_ledger()
    manifest = json.loads(files().main.read_bytes())
    entry = manifest["parts"]["sessions/2025-03"]
    path = files().parts / entry["file"]
    doc = json.loads(path.read_bytes())
    doc["records"].append(doc["records"][0])
    path.write_text(json.dumps(doc), "utf-8")
    entry["count"] += 1
    files().main.write_text(json.dumps(manifest), "utf-8")
    with open_ledger(ledger_path()) as ledger:
        problems = ledger.check()
    assert any("stored more than once" in p for p in problems), problems
    before = snapshot(files().main.parent)
    with pytest.raises(LedgerError, match="more than once"), open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_session(session(ledger.new_session_id(), "romashka", msk(2025, 3, 20, 10)))
    assert snapshot(files().main.parent) == before


# -- A8: a symlinked ledger is worked on as its real file --------------------------------


def test_a_symlinked_ledger_stays_a_link_and_finds_its_parts(tmp_path: Path) -> None:
    real = tmp_path / "data" / "real.json"
    seed_ledger(real)
    link = tmp_path / "elsewhere" / "ledger.json"
    link.parent.mkdir()
    link.symlink_to(real)
    with open_ledger(link, write=True) as ledger:
        ledger.put_session(session(ledger.new_session_id(), "romashka", msk(2025, 4, 20, 10)))
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert not (link.parent / "ledger.json.d").exists()
    with open_ledger(real) as ledger:
        assert [s.id for s in all_sessions(ledger)] == [1, 2, 3, 4]
        assert ledger.check() == []


# -- A6 (the ledger's side): a companion file is no ledger -------------------------------


@pytest.mark.parametrize(
    "name", ["ledger.json.d", "ledger.json.d/lock", "ledger.json.d/parts/x.json", "x.lock"]
)
def test_a_ledger_path_that_is_a_ledgers_own_file_is_refused(name: str) -> None:
    seed_ledger()
    with pytest.raises(InvalidValue, match="ledger"):
        resolved_ledger_path(ledger_path().parent / name)


def test_owns_names_every_companion_in_both_layouts() -> None:
    ledger_files = seed_ledger()
    for path in (
        ledger_files.main,
        ledger_files.lock,
        ledger_files.parts / "x.pdf",
        ledger_files.backups,
        ledger_files.home / "new.pdf",
        ledger_files.main.with_name("ledger.parts") / "a.pdf",
        ledger_files.main.with_name("ledger.lock"),
    ):
        assert ledger_files.owns(path), path
    assert not ledger_files.owns(ledger_files.main.with_name("invoice.pdf"))


# -- A9: after the commit point, a failure is reported honestly ---------------------------


def test_a_directory_fsync_failing_after_the_rename_warns_and_keeps_the_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed_ledger()
    real_fsync_dir = atomic.fsync_dir

    def failing(directory: Path) -> None:
        if directory == files().main.parent:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync_dir(directory)

    monkeypatch.setattr(parts, "fsync_dir", failing)
    notices.drain()
    with open_ledger(ledger_path(), write=True) as ledger:  # no exception: the change is stored
        ledger.put_client(Client(code="new", name="Новый"))
    (warning,) = notices.drain()
    assert "stored" in warning
    assert "durable" in warning
    with open_ledger(ledger_path()) as ledger:
        assert "new" in ledger.clients()


# -- A10: recovery works when it is needed ----------------------------------------------


@pytest.mark.parametrize("damage", ["delete", "truncate"])
def test_restore_brings_back_the_last_state_when_the_manifest_is_lost(damage: str) -> None:
    seed_ledger()
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_client(Client(code="last", name="Последний"))  # what the user last saw
    newest = list_backups(files())[0]
    if damage == "delete":
        files().main.unlink()
    else:
        files().main.write_bytes(files().main.read_bytes()[:100])
    refused = kvsupport_cli("client", "list")
    assert refused.returncode == 1
    assert "ledger restore" in refused.stderr or "ledger backups" in refused.stderr
    listed = kvsupport_cli("ledger", "backups", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)[0]["name"] == newest.name
    restored = kvsupport_cli("ledger", "restore", newest.name)
    assert restored.returncode == 0, restored.stderr
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == []
        assert "last" in ledger.clients()  # not one change behind
        assert [s.id for s in all_sessions(ledger)] == [1, 2, 3]
    if damage == "truncate":
        kept = [n for n in listing(files().backups) if n.startswith("unreadable-")]
        assert len(kept) == 1


def test_a_new_ledger_beside_orphaned_backups_keeps_them_restorable() -> None:
    seed_ledger()
    newest = list_backups(files())[0]
    files().main.unlink()
    shutil.rmtree(files().parts)
    notices.drain()
    with open_ledger(ledger_path(), write=True) as ledger:  # a "missing file is a new ledger"
        ledger.put_client(Client(code="fresh", name="Новый"))
    assert any("backups" in m for m in notices.drain())
    assert newest.path.exists()
    assert list_backups(files())[0].generation == newest.generation + 1


# -- A11: ledger check sees lost records -------------------------------------------------


def test_check_sees_a_session_removed_from_its_part() -> None:
    seed_ledger()
    manifest = json.loads(files().main.read_bytes())
    path = files().parts / manifest["parts"]["sessions/2025-03"]["file"]
    doc = json.loads(path.read_bytes())
    doc["records"] = doc["records"][:1]  # valid JSON, one session fewer
    path.write_text(json.dumps(doc), "utf-8")
    with open_ledger(ledger_path()) as ledger:
        problems = ledger.check()
    assert any("the manifest counts 2 records, the file holds 1" in p for p in problems), problems


def test_check_sees_a_counter_behind_the_ids_and_an_invoice_line_without_its_session() -> None:
    save_config(Path(os.environ["KVSUPPORT_CONFIG"]), SUPPLIER)
    _billable_month("romashka", 2)
    invoice_ops.issue(env(), 2030, 12)
    manifest = json.loads(files().main.read_bytes())
    manifest["counters"]["session"] = 0
    key = next(k for k in manifest["parts"] if k.startswith("sessions/"))
    path = files().parts / manifest["parts"][key]["file"]
    doc = json.loads(path.read_bytes())
    doc["records"][0]["invoice"] = None  # as if billing had not marked it
    path.write_text(json.dumps(doc), "utf-8")
    files().main.write_text(json.dumps(manifest), "utf-8")
    with open_ledger(ledger_path()) as ledger:
        problems = "\n".join(ledger.check())
    assert "the session counter is 0 but session 1 exists" in problems
    assert "bills session 1, but the session is not marked as billed" in problems


def test_a_clean_ledger_checks_clean_and_counts_its_records() -> None:
    seed_ledger()
    assert NOW.year == 2031
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == []
        assert ledger.counts() == (2, 3, 0, 0)


# -- §C: an unreadable backups directory or backup is one error, not a traceback -------


def test_an_unreadable_backups_directory_is_one_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seed_ledger()
    real_iterdir = Path.iterdir

    def refused(self: Path) -> object:
        if self == files().backups:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refused)
    with pytest.raises(LedgerError, match="cannot read the backups") as caught:
        list_backups(files())
    assert str(files().backups) in caught.value.message


def test_an_unreadable_backup_is_one_error_and_changes_nothing() -> None:
    seed_ledger()
    newest = list_backups(files())[0]
    newest.path.write_bytes(b"{not json")
    before = snapshot(files().main.parent)
    restored = kvsupport_cli("ledger", "restore", newest.name)
    assert restored.returncode == 1
    assert restored.stderr.startswith("error: ")
    assert "Traceback" not in restored.stderr
    assert snapshot(files().main.parent) == before
