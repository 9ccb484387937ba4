"""Every document or output file kvsupport writes for the user (``invoice show -o FILE``,
``invoice --output DIR``, and any writer to come) goes through :func:`write_output`.

What it promises, whatever the umask or what was planted in the directory:

- the bytes go to a temp file in the same directory, fsynced, then renamed over
  the name: an existing good file is never truncated by a failed write (disk
  full, killed), and a failed write leaves no temp file behind;
- it never writes through a symbolic link: a link at the name (``act.pdf ->
  ~/.ssh/authorized_keys``, or planted in an ``--output`` directory) is refused,
  and the temp file is opened with ``O_EXCL | O_NOFOLLOW``; a rename replaces a
  name, it does not follow it;
- files are created ``0600`` and directories ``0700`` (documents carry clients'
  requisites and phones, like the ledger);
- a ``..`` after a directory that does not exist yet is refused instead of
  leaving stray directories behind;
- a path that is, or is inside, one of the ledger's own files (the ledger, its
  lock, its parts and backups directories) is refused: their names come from
  :func:`owned_by_ledger`, asked of the storage layer, never re-derived; so is the
  config or the tariff file the command reads (:class:`Kept`): a document written
  over the supplier's requisites would leave every later command failing.

Listings written with ``-o`` (text, JSON, CSV, xlsx) go through :func:`replacing`,
which keeps the same promises for a stream of any length.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from kvsupport import notices
from kvsupport.errors import InvalidValue, KvsupportError
from kvsupport.i18n import _

FILE_MODE = 0o600
DIR_MODE = 0o700


def owned_by_ledger(path: Path, ledger: str | None) -> bool:
    """True when ``path`` is, or is inside, one of the files of the ledger at the location
    ``ledger`` (a database location has none): the ledger's own answer
    (:meth:`~kvsupport.storage.jsonfiles.files.LedgerFiles.owns`), never re-derived here."""
    from kvsupport.storage import is_database

    if not ledger or is_database(ledger):
        return False
    from kvsupport.storage.jsonfiles.files import LedgerFiles

    return LedgerFiles(Path(os.path.realpath(ledger))).owns(path)


class Kept(NamedTuple):
    """What no output may be written over: the ledger at ``ledger`` (its files), and
    ``files``, the config and tariff files the command reads."""

    ledger: str | None
    files: tuple[Path, ...] = ()


def refuse_kept(path: Path, kept: Kept, what: str) -> None:
    """Refuse ``path`` when it is one of the ledger's files or one of ``kept.files``."""
    refuse_ledger_paths(path, kept.ledger, what)
    for file in kept.files:
        try:
            same = os.path.samefile(path, file)
        except OSError:  # either is missing (a new output file) or unreadable: not the same
            same = False
        if same:
            message = _("{what} {path} is the config or the tariff file kvsupport reads").format(
                what=what, path=path
            )
            if os.path.abspath(path) != os.path.abspath(file):  # reached another way: say which
                message = _("{what} {path} is the config or the tariff file kvsupport reads ({file})").format(
                    what=what, path=path, file=file
                )
            raise InvalidValue(
                message,
                hint=_("write documents somewhere else"),
            )


def refuse_ledger_paths(path: Path, ledger: str | None, what: str) -> None:
    """Refuse ``path`` when it is, or is inside, one of the ledger's own files."""
    if owned_by_ledger(path, ledger):
        raise InvalidValue(
            _("{what} {path} is one of the ledger's own files ({ledger})").format(
                what=what, path=path, ledger=ledger
            ),
            hint=_("write documents somewhere else: the ledger's files are for kvsupport alone"),
        )


def _refuse_dot_dot(directory: Path, what: str) -> None:
    """``a/../b`` where ``a`` does not exist would create ``a`` for nothing: refuse it."""
    parts = directory.parts
    absolute = directory.is_absolute()
    seen = Path(parts[0]) if absolute else Path(".")
    for part in parts[1:] if absolute else parts:
        if part == ".." and not seen.is_dir():
            raise InvalidValue(
                _("{what} {path}: '..' after {missing}, which does not exist").format(
                    what=what, path=directory, missing=seen
                ),
                hint=_("give the directory without '..'"),
            )
        seen = seen / part


def make_output_directory(directory: Path, *, ledger: str | None, what: str = "--output") -> Path:
    """``directory``, made if missing (each new level ``0700``); refused when it is not a
    directory, climbs out of a directory that does not exist, or is a ledger's own."""
    refuse_ledger_paths(directory, ledger, what)
    _refuse_dot_dot(directory, what)
    if os.path.lexists(directory) and not directory.is_dir():
        raise InvalidValue(
            _("{what} {path} is not a directory").format(what=what, path=directory),
            hint=_("give {what} a directory").format(what=what),
        )
    missing = []
    level = Path(os.path.abspath(directory))
    while not os.path.lexists(level):
        missing.append(level)
        level = level.parent
    try:
        for new in reversed(missing):
            os.mkdir(new, DIR_MODE)
            os.chmod(new, DIR_MODE)  # the umask may have taken bits away (or left them)
    except OSError as exc:
        raise KvsupportError(
            _("cannot create {path}: {reason}").format(path=directory, reason=exc.strerror or exc)
        ) from None
    return directory


def _refuse_target(path: Path, what: str) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise KvsupportError(
            _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from None
    if stat.S_ISLNK(info.st_mode):
        raise InvalidValue(
            _(
                "{what} {path} is a symbolic link (to {target}): kvsupport does not write through links"
            ).format(what=what, path=path, target=os.readlink(path)),
            hint=_("remove the link or give another file name"),
        )
    if stat.S_ISDIR(info.st_mode):
        raise InvalidValue(
            _("{what} {path} is a directory").format(what=what, path=path), hint=_("give a file name")
        )
    if not stat.S_ISREG(info.st_mode):
        raise InvalidValue(
            _("{what} {path} is not a regular file").format(what=what, path=path),
            hint=_("leave out -o to write to standard output"),
        )


def write_output(path: Path, data: bytes, *, kept: Kept, what: str = "-o", hint: str | None = None) -> None:
    """Write ``data`` to ``path`` as the module docstring promises; ``what`` names the
    option in messages, ``hint`` is added to a failure (e.g. «issued all the same»)."""
    with replacing(path, kept=kept, what=what, hint=hint) as stream:
        view = memoryview(data)
        while view:
            written = stream.write(view)
            view = view[written:]


def refuse_output(path: Path, *, kept: Kept, what: str = "-o") -> None:
    """What :func:`replacing` refuses, asked before a document is made (and a warning
    about it said) rather than after."""
    refuse_kept(path, kept, what)
    _refuse_target(path, what)


@contextmanager
def replacing(path: Path, *, kept: Kept, what: str = "-o", hint: str | None = None) -> Iterator[BinaryIO]:
    """A binary stream whose bytes become ``path`` when the block ends without an error
    (a temp file in the same directory, fsynced, renamed over the name); after an error
    the temp file is removed and ``path`` is as it was. Refused, before anything is
    written: the ledger's and the settings' files, links, directories, devices."""
    try:
        refuse_output(path, kept=kept, what=what)
    except KvsupportError as exc:
        if hint:
            exc.hint = f"{exc.hint}; {hint}" if exc.hint else hint
        raise
    directory = path.parent
    tmp = directory / f".{path.name}.tmp-{os.getpid()}-{os.urandom(4).hex()}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
    except OSError as exc:
        raise KvsupportError(
            _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc), hint=hint
        ) from None
    try:
        try:
            os.fchmod(fd, FILE_MODE)  # whatever the umask
            stream = io.BufferedWriter(_Descriptor(fd), 1 << 16)
            yield stream
            stream.flush()
            os.fsync(fd)
        finally:
            os.close(fd)
        notices.changing()
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise KvsupportError(
            _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc),
            hint=hint or _("the file was left as it was"),
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_directory(directory)


class _Descriptor(io.RawIOBase):
    """Writes to a descriptor the caller closes, each through ``os.write`` (as the rest of
    the storage writes, so a fault injected there reaches documents and listings too)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return os.write(self._fd, data)


def _sync_directory(directory: Path) -> None:
    """Make the rename durable; a directory that cannot be opened for it is no failure of
    the write (the file is whole either way)."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
