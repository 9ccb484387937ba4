"""``kvsupport client archive|unarchive``, and what a rename says.

Registered on the ``client`` group by :mod:`kvsupport.cli.client` (imported at its end).
"""

from __future__ import annotations

from typing import Annotated

import typer

from kvsupport.cli.client import app
from kvsupport.cli.options import complete_archived, complete_client, env_of
from kvsupport.cli.output import say
from kvsupport.cli.undohint import say_removed
from kvsupport.core.models import Client
from kvsupport.i18n import _, ngettext
from kvsupport.ops.client_codes import Renamed, set_archived

ArchiveArg = Annotated[
    str,
    typer.Argument(metavar="CODE", help="Client code.", autocompletion=complete_client),
]


@app.command("archive")
def client_archive(ctx: typer.Context, code: ArchiveArg) -> None:
    """Hide a client from lists and completion; its sessions and invoices are kept.

    Example: kvsupport client archive romashka
    """
    env = env_of(ctx)
    done = set_archived(env, code, True)
    client = done.client
    say_removed(
        env,
        _(
            "archived client {code} ({name}): hidden from lists and completion; {history} are kept "
            "(back with 'kvsupport client unarchive {code}')"
        ).format(code=client.code, name=client.name, history=_history(done.sessions, done.invoices)),
    )


@app.command("unarchive")
def client_unarchive(
    ctx: typer.Context,
    code: Annotated[
        str,
        typer.Argument(
            metavar="CODE",
            help="Client code.",
            autocompletion=complete_archived,
        ),
    ],
) -> None:
    """Bring an archived client back into lists and completion.

    Example: kvsupport client unarchive romashka
    """
    env = env_of(ctx)
    client = set_archived(env, code, False).client
    say(env, _("client {code} ({name}) is back in lists").format(code=client.code, name=client.name))


def _history(sessions: int, invoices: int) -> str:
    return _("{sessions} and {invoices}").format(
        sessions=ngettext("{n} session", "{n} sessions", sessions).format(n=sessions),
        invoices=ngettext("{n} invoice", "{n} invoices", invoices).format(n=invoices),
    )


def changed_message(client: Client, given: list[str], renamed: Renamed | None) -> str:
    """What ``client edit`` says: the fields changed; after a rename, what followed and
    which invoices keep the old code."""
    fields = [*(["code"] if renamed else []), *given]
    text = _("changed client {code}: {fields}").format(code=client.code, fields=", ".join(fields))
    if renamed is None:
        return text
    old = renamed.client.former_codes[-1]
    text += _("; renamed from {old}: {sessions} and {orders} follow").format(
        old=old,
        sessions=ngettext("{n} session", "{n} sessions", renamed.sessions).format(n=renamed.sessions),
        orders=ngettext("{n} order", "{n} orders", renamed.orders).format(n=renamed.orders),
    )
    if renamed.invoices:
        text += _("; issued invoices keep the code they were issued with ({numbers})").format(
            numbers=", ".join(renamed.invoices)
        )
    return text
