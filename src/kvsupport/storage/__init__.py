"""Storage: the only code that knows how ledgers are kept, on disk or in a database.

:func:`open_store` opens one unit of work on a ledger location: a location that
starts with ``postgresql://`` or ``postgres://`` is a shared PostgreSQL ledger
(:mod:`.postgres`, psycopg imported only then), any other is a file ledger
(:mod:`.jsonfiles`). Both offer :class:`~.api.Store`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kvsupport.storage.api import Store

DATABASE_SCHEMES = ("postgresql://", "postgres://")


def is_database(location: str) -> bool:
    """True when ``location`` names a PostgreSQL ledger rather than a file."""
    return location.startswith(DATABASE_SCHEMES)


def ledger_exists(location: str) -> bool:
    """False when ``location`` is a file ledger with no file (yet): where a working ledger
    starts empty, a copy's source is a mistyped path. A database is asked when opened."""
    if is_database(location):
        return True
    from kvsupport.storage.jsonfiles.files import resolved_ledger_path

    return resolved_ledger_path(Path(location)).exists()


def initialise(location: str) -> list[str]:
    """Create the ledger at ``location`` if it is not there: in a database its schema (or
    the steps of it this kvsupport adds), a file ledger's first file; what was done."""
    if is_database(location):
        from kvsupport.storage.postgres.store import initialised

        with initialised(location) as applied:
            return applied
    with open_store(location, write=True) as store:
        if store.is_empty():
            store.set_counters(store.counters())  # a change, so the file is written
            return [store.location]
        return []


@contextmanager
def open_store(
    location: str,
    *,
    write: bool = False,
    long_read: bool = False,
    recover: bool = False,
    rehearse: bool = False,
    consultant: str | None = None,
    action: str | None = None,
) -> Iterator[Store]:
    """One unit of work on the ledger at ``location``; with ``write``, its changes are
    committed when the block ends without an exception (and discarded if it raises).

    ``long_read``: a read that writes out as it goes (an export into a pipe) and should
    not hold up other commands meanwhile. ``recover``: open a file ledger whose manifest
    is missing or unreadable, to restore a backup into it. ``rehearse``: a dry run — make
    the changes (numbers are taken) and always discard them. ``consultant`` and
    ``action``: who makes the changes and with what command, for the journal.
    """
    if is_database(location):
        from kvsupport.storage.postgres.store import open_database

        with open_database(location, write=write, rehearse=rehearse, consultant=consultant) as store:
            if action:
                store.describe(action)
            yield store
        return
    from kvsupport.storage.jsonfiles.store import open_ledger, read_snapshot

    path = Path(location)
    if long_read and not write:
        yield read_snapshot(path)
        return
    with open_ledger(path, write=write and not rehearse, recover=recover) as ledger:
        ledger.consultant = consultant
        if action:
            ledger.describe(action)
        yield ledger
