"""The files of one ledger: their names, the lock, JSON in and out, the backups.

The records inside and how a change is committed live in :mod:`.ledger`; this
module knows only which file is which, how they are read and written, and how
the ``flock`` is taken (on a lock file that is never renamed or deleted: lockf
and locking the data file itself were both seen to lose changes, MEASURED.md).
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from kvsupport.errors import LedgerError
from kvsupport.storage.atomic import TMP_MARK, make_private_dir

LOCK_TIMEOUT_SECONDS = 30.0


class LedgerFiles(NamedTuple):
    """The paths that make up one ledger."""

    main: Path

    @property
    def lock(self) -> Path:
        """The lock file."""
        return self.main.with_name(f"{self.main.stem}.lock")

    @property
    def parts(self) -> Path:
        """The directory of part files."""
        return self.main.with_name(f"{self.main.stem}.parts")

    @property
    def backups(self) -> Path:
        """The directory of backups of the manifest."""
        return self.main.with_name(f"{self.main.stem}.backups")


class Backup(NamedTuple):
    """One restorable backup."""

    name: str
    path: Path
    generation: int
    taken_at: datetime
    size: int


def backups_hint(files: LedgerFiles) -> str:
    return f"nothing was changed; see 'kvsupport ledger backups' ({files.backups})"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def dumps_document(doc: dict[str, Any]) -> bytes:
    """JSON with one record per line: readable with ``jq`` and ``less``, and fast.

    ``json.dumps(indent=...)`` falls back to the pure-Python encoder (3-4× slower,
    MEASURED.md); this keeps the C encoder for each record.
    """
    rows = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            inner = ",\n    ".join(_dumps(item) for item in value)
            text = f"[\n    {inner}\n  ]"
        elif isinstance(value, dict) and value and key in ("parts", "clients"):
            inner = ",\n    ".join(f"{_dumps(k)}: {_dumps(v)}" for k, v in value.items())
            text = f"{{\n    {inner}\n  }}"
        else:
            text = _dumps(value)
        rows.append(f"  {_dumps(key)}: {text}")
    return ("{\n" + ",\n".join(rows) + "\n}\n").encode("utf-8")


def load_json(path: Path, raw: bytes, files: LedgerFiles) -> Any:
    if not raw.strip():
        raise LedgerError(f"{path}: the file is empty", hint=backups_hint(files))
    try:
        return json.loads(raw)
    except UnicodeDecodeError as exc:
        raise LedgerError(f"{path}: not UTF-8 text ({exc.reason})", hint=backups_hint(files)) from None
    except json.JSONDecodeError as exc:
        raise LedgerError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            hint=backups_hint(files),
        ) from None


class Lock:
    """``flock`` on the lock file: shared for readers, exclusive for writers."""

    def __init__(self, files: LedgerFiles, exclusive: bool) -> None:
        self.files = files
        self.exclusive = exclusive
        self.fd: int | None = None

    def __enter__(self) -> Lock:
        path = self.files.lock
        if not self.exclusive and not path.parent.is_dir():
            return self  # nothing stored yet: nothing to protect, nothing to create
        try:
            make_private_dir(path.parent)
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            if self.exclusive:
                raise LedgerError(
                    f"{self.files.main}: cannot write here: {exc.strerror}",
                    hint="nothing was changed; the ledger's directory must be writable by you",
                ) from None
            try:  # a lock file we may only read still takes a shared lock
                self.fd = os.open(path, os.O_RDONLY)
            except OSError:
                # A read-only place (a backup disk, a snapshot) with no lock file:
                # nobody can change the ledger there, so reading it unlocked is safe.
                return self
        mode = fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(self.fd, mode | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(self.fd)
                    self.fd = None
                    raise LedgerError(
                        f"{self.files.main}: still locked by another kvsupport after "
                        f"{LOCK_TIMEOUT_SECONDS:.0f} s",
                        hint="wait for the other command to finish, then try again",
                    ) from None
                time.sleep(0.005)

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the flock
            self.fd = None


def _stamp_time(stamp: str) -> datetime:
    """``20261125T101500123456Z`` → an aware UTC time (``strptime`` costs an import
    of ``_strptime`` on every commit)."""
    if len(stamp) != 22 or stamp[8] != "T" or stamp[-1] != "Z" or not (stamp[:8] + stamp[9:21]).isdigit():
        raise ValueError(f"not a backup time stamp: {stamp!r}")

    def part(a: int, b: int) -> int:
        return int(stamp[a:b])

    return datetime(
        part(0, 4),
        part(4, 6),
        part(6, 8),
        part(9, 11),
        part(11, 13),
        part(13, 15),
        part(15, 21),
        tzinfo=UTC,
    )


def list_backups(files: LedgerFiles) -> list[Backup]:
    """Backups, newest first."""
    if not files.backups.is_dir():
        return []
    found = []
    prefix = f"{files.main.stem}-"
    for path in files.backups.iterdir():
        name = path.name
        if not (name.startswith(prefix) and name.endswith(".json")) or TMP_MARK in name:
            continue
        stamp, _, gen = name[len(prefix) : -len(".json")].rpartition("-g")
        try:
            taken = _stamp_time(stamp)
            generation = int(gen)
        except ValueError:
            continue
        found.append(Backup(name, path, generation, taken, path.stat().st_size))
    found.sort(key=lambda b: (b.generation, b.taken_at), reverse=True)
    return found
