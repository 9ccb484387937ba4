"""Warnings that arise after a command's result is decided, printed once at its end.

Some facts are only known after the point where an operation returns its result:
the ledger's change is committed when its unit of work closes, and a directory
``fsync`` that fails then does not undo the change — the honest report is
"stored, but the disk did not confirm it is durable", not an error. Storage
records such facts here; the command line prints them as ``warning:`` lines
before it exits (``kvsupport.cli._errors.guarded``).
"""

from __future__ import annotations

_pending: list[str] = []
#: set once a change to a file or the database may have become visible (see :func:`changing`)
_changing: list[bool] = []


def warn_later(message: str) -> None:
    """Queue ``message`` (already in the interface language) for the end of the command."""
    if message not in _pending:
        _pending.append(message)


def drain() -> list[str]:
    """The queued messages, oldest first; the queue is empty afterwards."""
    out = list(_pending)
    _pending.clear()
    return out


def changing() -> None:
    """Say that from now on a change may be visible: a ledger's commit begins, a file
    (config, tariffs, a document) is about to be replaced. Until this is called an
    interrupted command has changed nothing; after it, it may have."""
    if not _changing:
        _changing.append(True)


def changed_anything() -> bool:
    """Whether :func:`changing` was called since :func:`start_command`."""
    return bool(_changing)


def start_command() -> None:
    """A command begins: nothing changed, nothing queued (one process may run several)."""
    _changing.clear()
