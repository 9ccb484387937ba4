"""What the ledger's files look like on disk: private modes, and failed writes that change nothing."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from ledger_testkit import (
    all_sessions,
    env,
    files,
    ledger_path,
    listing,
    msk,
    seed_ledger,
    session,
    snapshot,
    temp_leftovers,
)

from kvsupport.core.models import Client
from kvsupport.errors import LedgerError
from kvsupport.ops import sessions as session_ops
from kvsupport.storage import atomic
from kvsupport.storage.jsonfiles.store import open_ledger

ROMASHKA = Client(code="romashka", name="ООО «Ромашка»")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 0: a file created without an explicit mode would come out world-readable."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_files_are_private_to_their_owner() -> None:
    ledger_files = seed_ledger()
    with open_ledger(ledger_path(), write=True) as ledger:  # a second part of the same month
        ledger.put_session(session(ledger.new_session_id(), "romashka", msk(2025, 3, 25, 10)))
    assert listing(ledger_files.parts)
    assert listing(ledger_files.backups)
    assert _mode(ledger_files.main.parent) == 0o700
    assert _mode(ledger_files.parts) == 0o700
    assert _mode(ledger_files.backups) == 0o700
    assert _mode(ledger_files.main) == 0o600
    assert _mode(ledger_files.lock) == 0o600
    for directory in (ledger_files.parts, ledger_files.backups):
        for path in directory.iterdir():
            assert _mode(path) == 0o600, path


@pytest.mark.usefixtures("open_umask")
def test_an_existing_ledger_directory_keeps_its_mode_and_the_files_stay_private(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    seed_ledger(shared / "ledger.json")
    assert _mode(shared) == 0o755  # not ours to change
    for path in shared.rglob("*"):
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path


class DiskFull:
    """Raise ENOSPC on the ``fail_at``-th call (1-based) of the wrapped function."""

    def __init__(self, real: object, fail_at: int) -> None:
        self.real = real
        self.fail_at = fail_at
        self.calls = 0

    def __call__(self, *args: object) -> None:
        self.calls += 1
        if self.calls == self.fail_at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        assert callable(self.real)
        self.real(*args)


def _add_march_session() -> None:
    start = msk(2025, 3, 20, 10)
    session_ops.add(env(), "romashka", "line", start, msk(2025, 3, 20, 11), session_ops.Details())


# a stop into a month with sessions writes: 1 the month's new part, 2 the backup, 3 the manifest
@pytest.mark.parametrize("fail_at", [1, 2, 3], ids=["part", "backup", "manifest"])
def test_disk_full_while_writing_changes_nothing(monkeypatch: pytest.MonkeyPatch, fail_at: int) -> None:
    ledger_files = seed_ledger()
    manifest = ledger_files.main.read_bytes()
    backups = snapshot(ledger_files.backups)
    full = DiskFull(atomic._write_all, fail_at)
    monkeypatch.setattr(atomic, "_write_all", full)

    with pytest.raises(LedgerError) as caught:
        _add_march_session()

    assert full.calls == fail_at
    assert str(ledger_files.main) in caught.value.message
    assert os.strerror(errno.ENOSPC) in caught.value.message
    assert ledger_files.main.read_bytes() == manifest
    assert temp_leftovers(ledger_files) == []
    assert snapshot(ledger_files.backups).items() >= backups.items()  # old backups untouched
    monkeypatch.setattr(atomic, "_write_all", full.real)
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == []
        assert [s.id for s in all_sessions(ledger)] == [1, 2, 3]
    _add_march_session()  # the next try works, with the next id
    with open_ledger(ledger_path()) as ledger:
        assert [s.id for s in all_sessions(ledger)] == [1, 2, 4, 3]


# fsync of: 1 the new part, 2 the parts directory, 3 the backup, 4 the manifest's temp file
@pytest.mark.parametrize("fail_at", [1, 2, 3, 4])
def test_fsync_failure_changes_nothing(monkeypatch: pytest.MonkeyPatch, fail_at: int) -> None:
    ledger_files = seed_ledger()
    manifest = ledger_files.main.read_bytes()
    full = DiskFull(os.fsync, fail_at)
    monkeypatch.setattr(os, "fsync", full)

    with pytest.raises(LedgerError) as caught:
        _add_march_session()

    assert full.calls == fail_at
    assert os.strerror(errno.ENOSPC) in caught.value.message
    assert ledger_files.main.read_bytes() == manifest
    assert temp_leftovers(ledger_files) == []


def _put_client(client: Client, then_fail: bool = False) -> None:
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_client(client)
        if then_fail:
            raise RuntimeError("boom")


def test_disk_full_on_the_first_write_leaves_no_ledger(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "_write_all", DiskFull(atomic._write_all, 1))
    with pytest.raises(LedgerError):
        _put_client(ROMASHKA)
    assert not ledger_path().exists()
    assert temp_leftovers(files()) == []
    with open_ledger(ledger_path()) as ledger:
        assert ledger.clients() == {}


def test_an_exception_inside_the_block_writes_nothing() -> None:
    ledger_files = seed_ledger()
    before = snapshot(ledger_files.main.parent)
    with pytest.raises(RuntimeError, match="boom"):
        _put_client(ROMASHKA._replace(code="другой"), then_fail=True)
    assert snapshot(ledger_files.main.parent) == before


def test_a_read_only_ledger_reads_and_refuses_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    ledger_files = seed_ledger()
    before = snapshot(ledger_files.main.parent)
    real_open = os.open

    def read_only_fs(path: object, flags: int, *args: int) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only_fs)  # as on a read-only mount (root ignores chmod)
    with open_ledger(ledger_path()) as ledger:
        assert [s.id for s in all_sessions(ledger)] == [1, 2, 3]
    with pytest.raises(LedgerError) as caught:
        _put_client(ROMASHKA._replace(code="другой"))
    assert caught.value.message == f"{ledger_files.main}: cannot write here: {os.strerror(errno.EROFS)}"
    assert str(caught.value.hint).startswith("nothing was changed")
    monkeypatch.setattr(os, "open", real_open)
    assert snapshot(ledger_files.main.parent) == before


def test_a_failure_after_the_commit_point_does_not_fail_the_change(monkeypatch: pytest.MonkeyPatch) -> None:
    seed_ledger()

    def broken(*_: object) -> None:
        raise NotADirectoryError(errno.ENOTDIR, "Not a directory")

    with monkeypatch.context() as patched:
        patched.setattr(
            "kvsupport.storage.jsonfiles.parts.list_backups", broken
        )  # the sweep after the rename
        _put_client(ROMASHKA._replace(code="другой"))
    with open_ledger(ledger_path()) as ledger:
        assert "другой" in ledger.clients()
