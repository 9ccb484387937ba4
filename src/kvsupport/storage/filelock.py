"""An exclusive lock over a read-modify-write of one small file (the config, the tariff file).

``flock`` on a lock file of the file's own, ``NAME.lock`` beside it, that is
never renamed or deleted: a lock on the data file itself is lost when the
file is replaced by a rename, and ``lockf`` was seen to lose changes too
(MEASURED.md: six writers with no lock kept 41 of 240 changes, with this
kind of lock 240 of 240). The ledger has its own lock
(:mod:`kvsupport.storage.ledger_files`); this one serves files that are
rewritten whole and rarely, so a writer simply waits for the other.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kvsupport.errors import KvsupportError
from kvsupport.i18n import _

LOCK_TIMEOUT_SECONDS = 30.0
LOCK_SUFFIX = ".lock"


def lock_path(path: Path) -> Path:
    """The lock file of ``path``: ``config.toml`` → ``config.toml.lock`` (the whole name, so
    two files in one directory never share a lock)."""
    return path.with_name(path.name + LOCK_SUFFIX)


@contextmanager
def locked(path: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the exclusive lock of ``path`` for the block (its directory must exist).

    Raises ``KvsupportError`` naming ``path`` when the lock file cannot be
    opened or another kvsupport holds the lock for ``timeout`` seconds.
    """
    target = lock_path(path)
    try:
        fd = os.open(target, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise KvsupportError(
            _("cannot lock {path}: {reason}").format(path=path, reason=exc.strerror or exc),
            hint=_("nothing was changed"),
        ) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise KvsupportError(
                        _("{path}: still locked by another kvsupport after {seconds:.0f} s").format(
                            path=path, seconds=timeout
                        ),
                        hint=_("nothing was changed; wait for the other command to finish, then try again"),
                    ) from None
                time.sleep(0.005)
        yield
    finally:
        os.close(fd)  # closing releases the flock
