"""A client's code over its life: one code whatever the case, a new code, archived.

``client edit --code NEW`` renames a client: its sessions and orders follow, and
it remembers the codes it had (``former_codes``), because issued invoices keep
the code they froze (SPEC §7) and must still be found as its own. ``client
archive`` hides a client from lists and completion and keeps every record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from kvsupport.core.clientcodes import code_key
from kvsupport.core.models import Client
from kvsupport.errors import InvalidValue, Refused
from kvsupport.i18n import _
from kvsupport.ops.env import Env
from kvsupport.storage.api import InvoiceSummary, Store


def check_new_code(clients: Mapping[str, Client], code: str, *, renaming: str | None = None) -> None:
    """Refuse ``code`` for a new (or renamed, ``renaming``) client when another client has it,
    whatever the case, or had it (its issued invoices still name it)."""
    key = code_key(code)
    for client in clients.values():
        if client.code == renaming:
            continue  # the client itself: a change of case is a rename
        if code_key(client.code) == key:
            message = _("client '{code}' exists").format(code=client.code)
            if client.code != code:
                message = _("client '{code}' exists as '{other}' (codes differ only by case)").format(
                    code=code, other=client.code
                )
            raise Refused(
                message, hint=_("change it with 'kvsupport client edit {code}'").format(code=client.code)
            )
        if key in map(code_key, client.former_codes):
            raise Refused(
                _("'{code}' was the code of client '{other}'; its invoices still name it").format(
                    code=code, other=client.code
                ),
                hint=_("choose another code"),
            )


def codes_of(client: Client) -> set[str]:
    """Every code the client's records may name: its own and its former ones."""
    return {client.code, *client.former_codes}


def client_of_code(store: Store, code: str) -> Client | None:
    """The client an issued invoice's frozen ``code`` belongs to now (renamed since: the
    one that had it), or ``None``."""
    clients = store.clients()
    if code in clients:
        return clients[code]
    return next((c for c in clients.values() if code in c.former_codes), None)


def summaries_of(
    store: Store, client: Client | None, statuses: tuple[str, ...] | None
) -> list[InvoiceSummary]:
    """The figures of ``client``'s invoices (all if ``None``) under any code it had, in order of issue."""
    if client is None or not client.former_codes:
        return store.invoice_summaries(statuses=statuses, client=None if client is None else client.code)
    codes = codes_of(client)
    return [row for row in store.invoice_summaries(statuses=statuses) if row.client_code in codes]


class Renamed(NamedTuple):
    """A rename: the client as it is now, what followed it, and the invoices that kept the old code."""

    client: Client
    sessions: int
    orders: int
    invoices: list[str]


def rename(store: Store, client: Client, new: str) -> Renamed:
    """Give ``client`` the code ``new`` in this unit of work: its sessions and orders follow,
    issued invoices keep the code they froze (found again through ``former_codes``)."""
    from kvsupport.ops.clients import check_code

    check_code(new)
    old = client.code
    if new == old:
        raise InvalidValue(_("client '{code}' has that code already").format(code=old))
    check_new_code(store.clients(), new, renaming=old)
    former = client.former_codes if old in client.former_codes else (*client.former_codes, old)
    renamed = client._replace(code=new, former_codes=former)
    kept = [row.number for row in summaries_of(store, client, None)]
    store.rename_client(old, renamed)
    moved = [s._replace(client=new) for batch in store.session_batches() for s in batch if s.client == old]
    for session in moved:
        store.put_session(session)
    orders = [o._replace(client=new) for o in store.orders() if o.client == old]
    for order in orders:
        store.put_order(order)
    return Renamed(renamed, len(moved), len(orders), kept)


class Archived(NamedTuple):
    """A client archived (or back), with how much history it keeps."""

    client: Client
    sessions: int
    invoices: int


def set_archived(env: Env, code: str, archived: bool) -> Archived:
    """``client archive`` / ``client unarchive``: the flag changes, nothing else does."""
    with env.store(write=True) as store:
        client = store.client(code)
        if client.archived == archived:
            message = (
                _("client '{code}' is archived already")
                if archived
                else _("client '{code}' is not archived already")
            )
            raise Refused(message.format(code=client.code))
        changed = client._replace(archived=archived)
        store.put_client(changed)
        sessions = sum(1 for batch in store.session_batches() for s in batch if s.client == client.code)
        invoices = len(summaries_of(store, client, None))
        return Archived(changed, sessions, invoices)


def active(store: Store, code: str) -> Client:
    """The client ``code`` for new work: an archived one is refused with the way back."""
    client = store.client(code)
    if client.archived:
        raise Refused(
            _("client '{code}' is archived").format(code=client.code),
            hint=_("bring it back first: kvsupport client unarchive {code}").format(code=client.code),
        )
    return client
