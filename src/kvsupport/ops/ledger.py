"""Whole-ledger actions: create, check, copy between locations, backups and restore."""

from __future__ import annotations

from typing import NamedTuple

from kvsupport.errors import Refused
from kvsupport.i18n import _
from kvsupport.ops.env import Env
from kvsupport.storage import initialise, is_database, ledger_exists, open_store
from kvsupport.storage.api import BackupInfo, Backups, Change, Counts, Store


class Checked(NamedTuple):
    """What ``ledger check`` found."""

    location: str
    problems: list[str]
    counts: Counts


def check(env: Env) -> Checked:
    """Read every record of the ledger; every problem, and what it holds."""
    with env.store() as store:
        problems = store.check()
        return Checked(store.location, problems, store.counts())


def init(env: Env) -> list[str]:
    """Create the ledger if it is not there (a database: its schema, or the steps of it
    this kvsupport adds); what was done, for the confirmation."""
    return initialise(env.ledger_location)


def copy(env: Env, source: str, target: str) -> Counts:
    """Copy everything from the ledger at ``source`` into the empty one at ``target``, in
    one unit of work on each side: clients, orders, sessions (running ones too), invoices
    and where every numbering stands."""
    from kvsupport.storage.paths import ledger_location

    source, target = ledger_location(source), ledger_location(target)
    if source == target:
        raise Refused(_("the source and the destination are the same ledger"))
    if not ledger_exists(source):  # a missing file is an empty ledger only where one is kept
        raise Refused(
            _("{ledger} does not exist: there is nothing to copy").format(ledger=source),
            hint=_("check the path; 'kvsupport ledger path' says where the ledger in use is"),
        )
    with open_store(source, long_read=True) as src:
        if is_database(target):
            initialise(target)
        with open_store(target, write=True) as dst:
            if not dst.is_empty():
                raise Refused(
                    _("{ledger} is not empty: a copy goes only into an empty ledger").format(
                        ledger=dst.location
                    ),
                    hint=_("give a new file, or an empty database after 'kvsupport ledger init'"),
                )
            _copy_records(src, dst)
            return src.counts()


def _copy_records(src: Store, dst: Store) -> None:
    for client in src.clients().values():
        dst.put_client(client)
    for order in src.orders():
        dst.put_order(order)
    for batch in src.session_batches():
        for session in batch:
            dst.put_session(session)
    numbers = [row.number for row in src.invoice_summaries()]
    for invoices in src.invoice_batches(numbers):
        for invoice in invoices:
            dst.add_invoice(invoice)
    dst.set_counters(src.counters())


def _backups_of(store: Store) -> Backups:
    if not isinstance(store, Backups):
        raise Refused(
            _("{ledger} keeps no backups of its own: the database server's backups are the ledger's").format(
                ledger=store.location
            ),
            hint=_("back a PostgreSQL ledger up with pg_dump, or copy it into a file: kvsupport ledger copy"),
        )
    return store


def backups(env: Env) -> tuple[list[BackupInfo], list[Change]]:
    """The earlier states the file ledger keeps, newest (the current one) first, and the
    journal's changes that made them (none when the ledger could not be read)."""
    with env.store(recover=True) as store:
        return _backups_of(store).backups(), store.changes()


class Restored(NamedTuple):
    """What ``ledger restore`` did."""

    backup: BackupInfo
    in_place_of_unreadable: bool


def restore(env: Env, name: str) -> Restored:
    """Make the backup ``name`` the file ledger's current state (one more change)."""
    with env.store(write=True, recover=True) as store:
        keeper = _backups_of(store)
        unreadable = bool(getattr(store, "recovered", False))
        return Restored(keeper.restore(name), unreadable)
