"""Helpers shared by the ledger tests: times, snapshots of files, child processes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from kvsupport.core.models import Client, Segment, Session
from kvsupport.ops.env import Env
from kvsupport.storage.api import Store
from kvsupport.storage.atomic import TMP_MARK
from kvsupport.storage.jsonfiles.files import LedgerFiles
from kvsupport.storage.jsonfiles.store import open_ledger

MSK = timezone(timedelta(hours=3))
#: The clock of every operation run from the tests: after every session they log.
NOW = datetime(2031, 1, 1, 12, 0, tzinfo=UTC)
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def msk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Moscow time (+03:00), as the consultant types it."""
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


def ledger_path() -> Path:
    """The ledger file the autouse fixture points ``KVSUPPORT_LEDGER`` at."""
    return Path(os.environ["KVSUPPORT_LEDGER"])


def files() -> LedgerFiles:
    """The paths of the test's ledger."""
    return LedgerFiles(ledger_path())


def env() -> Env:
    """An operation environment with a fixed clock."""
    return Env(now=NOW)


def session(
    sid: int, client: str, start: datetime, minutes: int | None = 30, service: str = "line"
) -> Session:
    """A one-segment session; ``minutes=None`` makes it running."""
    end = None if minutes is None else start + timedelta(minutes=minutes)
    return Session(id=sid, client=client, service=service, segments=(Segment(start, end),))


def seed_ledger(path: Path | None = None) -> LedgerFiles:
    """A small real ledger: two clients, three stored sessions in two months, a backup."""
    path = path or ledger_path()
    with open_ledger(path, write=True) as ledger:
        ledger.put_client(Client(code="romashka", name="ООО «Ромашка»", phone="+74951234567"))
        ledger.put_client(Client(code="тсж-лесная", name="ТСЖ «Лесная»"))
    with open_ledger(path, write=True) as ledger:
        for client, start in (
            ("romashka", msk(2025, 3, 3, 10)),
            ("тсж-лесная", msk(2025, 3, 4, 11)),
            ("romashka", msk(2025, 4, 1, 9)),
        ):
            ledger.put_session(session(ledger.new_session_id(), client, start))
    return LedgerFiles(path)


def all_sessions(store: Store) -> list[Session]:
    """Every session of ``store``, oldest first."""
    return [s for batch in store.session_batches() for s in batch]


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (relative path -> bytes)."""
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()
    }


def listing(directory: Path) -> set[str]:
    """The names of the files directly in ``directory`` (empty if it does not exist)."""
    return {p.name for p in directory.iterdir()} if directory.is_dir() else set()


def temp_leftovers(ledger_files: LedgerFiles) -> list[Path]:
    """Temp files of :func:`write_atomic` anywhere in the ledger's directories."""
    found: list[Path] = []
    for directory in (ledger_files.main.parent, ledger_files.parts, ledger_files.backups):
        if directory.is_dir():
            found.extend(p for p in directory.iterdir() if TMP_MARK in p.name)
    return found


def part_files(ledger_files: LedgerFiles) -> set[str]:
    """The part files on disk (records; the journal's files are :func:`journal_files`)."""
    return {n for n in listing(ledger_files.parts) if n.endswith(".json") and not n.startswith("journal-")}


def journal_files(ledger_files: LedgerFiles) -> set[str]:
    """The journal's files on disk (one per recent change)."""
    return {n for n in listing(ledger_files.parts) if n.startswith("journal-")}


def python(code: str, *args: str) -> list[str]:
    """The command line that runs ``code`` with the test's interpreter (the venv's)."""
    return [sys.executable, "-c", code, *args]


def run_python(code: str, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child process (it inherits ``KVSUPPORT_*``); return its result."""
    return subprocess.run(python(code, *args), capture_output=True, text=True, timeout=timeout, check=False)


def kvsupport_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the installed ``kvsupport`` entry point."""
    exe = Path(sys.executable).with_name("kvsupport")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout, check=False)
