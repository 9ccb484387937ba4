"""Crash-safe file writes: a temp file in the same directory, fsync, rename.

A reader sees either the old bytes or the new ones, never a mix, whatever
instant the process is killed at; a failed write (disk full) leaves the old
file untouched and removes its temp file. Temp files are named
``.NAME.tmp-PID-RANDOM`` so a crash's leftovers can be recognised and swept.
"""

from __future__ import annotations

import os
from pathlib import Path

TMP_MARK = ".tmp-"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600, sync_dir: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically and durably; new files get ``mode``."""
    tmp = path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}-{os.urandom(4).hex()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync_dir:
        fsync_dir(path.parent)


def make_private_dir(directory: Path) -> None:
    """Create ``directory`` readable by its owner only, if missing, and each missing
    parent too (``mkdir(parents=True)`` would give the parents the umask's mode)."""
    if directory.is_dir():
        return
    missing = [directory]
    for parent in directory.parents:
        if parent.is_dir():
            break
        missing.append(parent)
    for place in reversed(missing):
        try:
            place.mkdir(mode=0o700)
        except FileExistsError:
            if not place.is_dir():
                raise
        os.chmod(place, 0o700)  # mkdir's mode is cut by the umask; the mode is the point
