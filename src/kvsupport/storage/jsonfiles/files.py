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
from kvsupport.i18n import _
from kvsupport.storage.atomic import TMP_MARK, make_private_dir

LOCK_TIMEOUT_SECONDS = 30.0


#: The file layout of each manifest format: format 1 kept the companions beside the
#: manifest, named after its stem (``ledger.lock``, ``ledger.parts/``, ``ledger.backups/``),
#: so ``ledger.json`` and a hand copy ``ledger.bak`` shared them and one's sweep deleted
#: the other's parts. From format 2 they live in one directory named after the whole
#: file name, ``ledger.json.d/``, that belongs to that ledger alone.
SHARED_LAYOUT, OWN_DIRECTORY = 1, 2
COMPANION_SUFFIXES = (".d", ".lock", ".parts", ".backups")


class LedgerFiles(NamedTuple):
    """The paths that make up one ledger (``main`` is resolved: no symlink in it)."""

    main: Path
    layout: int = OWN_DIRECTORY

    @property
    def home(self) -> Path:
        """The ledger's own directory of companions (format 2 on): ``ledger.json.d``."""
        return self.main.with_name(f"{self.main.name}.d")

    @property
    def lock(self) -> Path:
        """The lock file."""
        if self.layout == SHARED_LAYOUT:
            return self.main.with_name(f"{self.main.stem}.lock")
        return self.home / "lock"

    @property
    def parts(self) -> Path:
        """The directory of part files."""
        if self.layout == SHARED_LAYOUT:
            return self.main.with_name(f"{self.main.stem}.parts")
        return self.home / "parts"

    @property
    def backups(self) -> Path:
        """The directory of backups of the manifest."""
        if self.layout == SHARED_LAYOUT:
            return self.main.with_name(f"{self.main.stem}.backups")
        return self.home / "backups"

    @property
    def backup_prefix(self) -> str:
        """What a backup's file name starts with (format 1 named them after the stem)."""
        return f"{self.main.stem}-" if self.layout == SHARED_LAYOUT else ""

    def owns(self, path: Path) -> bool:
        """True when ``path`` is this ledger's manifest or one of its companion files,
        in either layout (an output must never be written there)."""
        target = Path(os.path.realpath(path))
        if target == self.main:
            return True
        shared = self._replace(layout=SHARED_LAYOUT)
        if target == shared.lock:
            return True
        return any(
            target == place or place in target.parents for place in (self.home, shared.parts, shared.backups)
        )


def resolved_ledger_path(path: Path) -> Path:
    """The real file behind ``path`` (symlinks followed once, here), or a refusal when
    ``path`` is a directory or a ledger's own companion file rather than a ledger.

    Every later step works on the result, so a ``ledger.json`` that links to
    ``real.json`` is replaced as ``real.json`` (the link stays a link) and its
    companions are looked for beside ``real.json``.
    """
    from kvsupport.errors import InvalidValue

    try:
        real = Path(os.path.realpath(path))
    except (OSError, ValueError) as exc:
        raise InvalidValue(
            _("--ledger {path}: not a usable path ({why})").format(path=path, why=exc)
        ) from None
    if real.is_dir():
        raise InvalidValue(
            _("--ledger {path}: is a directory, not a ledger file").format(path=path),
            hint=_("give a file such as {example}").format(example=real / "ledger.json"),
        )
    for place in (real, *real.parents):
        if place.name.endswith(COMPANION_SUFFIXES):
            owner = place.with_name(place.name.rsplit(".", 1)[0])
            stem_owner = [p for p in place.parent.glob(f"{owner.name}.*") if p != place] if owner.name else []
            if place == real or owner.is_file() or any(p.is_file() for p in stem_owner):
                raise InvalidValue(
                    _("--ledger {path}: that is one of a ledger's own files, not a ledger").format(path=path),
                    hint=_("give the ledger's main file, e.g. {example}").format(
                        example=owner if owner.name else "ledger.json"
                    ),
                )
    return real


class Backup(NamedTuple):
    """One restorable backup."""

    name: str
    path: Path
    generation: int
    taken_at: datetime
    size: int


def backups_hint(files: LedgerFiles) -> str:
    """The hint after a ledger file that cannot be read: where its backups are (when it
    has none, no pointer to a directory that is not there)."""
    if not files.backups.is_dir():
        return _("nothing was changed; kvsupport keeps no backups of it: is it the ledger you meant?")
    return _("nothing was changed; see 'kvsupport ledger backups' ({path})").format(path=files.backups)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one for every record


def _dumps(value: object) -> str:
    return _ENCODER.encode(value)


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
        raise LedgerError(_("{path}: the file is empty").format(path=path), hint=backups_hint(files))
    try:
        return json.loads(raw)
    except UnicodeDecodeError as exc:
        raise LedgerError(
            _("{path}: not UTF-8 text ({reason})").format(path=path, reason=exc.reason),
            hint=backups_hint(files),
        ) from None
    except json.JSONDecodeError as exc:
        raise LedgerError(
            _("{path}: invalid JSON at line {line}, column {column}: {reason}").format(
                path=path, line=exc.lineno, column=exc.colno, reason=exc.msg
            ),
            hint=backups_hint(files),
        ) from None


class Lock:
    """``flock`` on the lock file: shared for readers, exclusive for writers."""

    def __init__(self, files: LedgerFiles, exclusive: bool) -> None:
        self.files = files
        self.exclusive = exclusive
        self.fd: int | None = None
        #: what taking the lock created (the ledger's directory, the lock file), newest last
        self.created: list[Path] = []

    def __enter__(self) -> Lock:
        path = self.files.lock
        if not self.exclusive and not path.parent.is_dir():
            return self  # nothing stored yet: nothing to protect, nothing to create
        try:
            made = [] if path.parent.is_dir() else [path.parent]
            make_private_dir(path.parent)
            self.created = [*made, *([] if path.exists() else [path])]
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            if self.exclusive:
                raise LedgerError(
                    _("{path}: cannot write here: {reason}").format(
                        path=self.files.main, reason=exc.strerror
                    ),
                    hint=_("nothing was changed; the ledger's directory must be writable by you"),
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
                        _("{path}: still locked by another kvsupport after {seconds:.0f} s").format(
                            path=self.files.main, seconds=LOCK_TIMEOUT_SECONDS
                        ),
                        hint=_("wait for the other command to finish, then try again"),
                    ) from None
                time.sleep(0.005)

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the flock
            self.fd = None

    def remove_created(self) -> None:
        """Remove what taking the lock created (after it is released), when the ledger
        could not be opened: a file that is not a ledger gets no ``NAME.d/lock`` beside it."""
        for path in reversed(self.created):
            try:
                if path == self.files.lock:
                    path.unlink()
                else:
                    path.rmdir()  # only while empty: nothing else of the ledger is lost
            except OSError:
                return
        self.created = []


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


def backup_name(files: LedgerFiles, taken_at: datetime, generation: int) -> str:
    """The file name of the backup of ``generation``: ``20261125T101500123456Z-g42.json``."""
    return f"{files.backup_prefix}{taken_at:%Y%m%dT%H%M%S%fZ}-g{generation}.json"


def list_backups(files: LedgerFiles, upto: int | None = None) -> list[Backup]:
    """Backups, newest first; with ``upto``, only those of generations up to it (a
    backup of a higher generation was written by a change that never committed).

    An unreadable backups directory is a :class:`LedgerError` naming it.
    """
    found = []
    prefix = files.backup_prefix
    try:
        entries = list(files.backups.iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise LedgerError(
            _("{path}: cannot read the backups: {reason}").format(
                path=files.backups, reason=exc.strerror or exc
            ),
            hint=_("the directory must be readable by you"),
        ) from None
    for path in entries:
        name = path.name
        if not (name.startswith(prefix) and name.endswith(".json")) or TMP_MARK in name:
            continue
        stamp, _sep, gen = name[len(prefix) : -len(".json")].rpartition("-g")
        try:
            taken = _stamp_time(stamp)
            generation = int(gen)
            size = path.stat().st_size
        except (ValueError, OSError):
            continue
        if upto is None or generation <= upto:
            found.append(Backup(name, path, generation, taken, size))
    found.sort(key=lambda b: (b.generation, b.taken_at), reverse=True)
    return found
