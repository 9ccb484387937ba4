"""Finding a client by the code typed: the same answer from every backend."""

from __future__ import annotations

from collections.abc import Mapping

from kvsupport.core.clientcodes import code_key, find_code, nearest_codes
from kvsupport.core.models import Client
from kvsupport.errors import NotFound
from kvsupport.i18n import _


def find_client(clients: Mapping[str, Client], typed: str) -> Client:
    """The client ``typed`` names, whatever its case; else :class:`NotFound` with the
    nearest codes (or the code it was renamed to) as the hint."""
    code = find_code(clients, typed)
    if code is not None:
        return clients[code]
    message = _("unknown client '{code}'").format(code=typed)
    renamed = [c for c in clients.values() if code_key(typed) in map(code_key, c.former_codes)]
    if renamed:
        raise NotFound(message, hint=_("'{old}' is now '{new}'").format(old=typed, new=renamed[0].code))
    if not clients:
        raise NotFound(
            message, hint=_("no clients yet: add one with 'kvsupport client add CODE --name NAME'")
        )
    near = nearest_codes(clients, typed)
    if near:
        hint = _("did you mean {codes}? (all: kvsupport client list)").format(codes=", ".join(near))
    else:
        hint = _("kvsupport client list shows the {n} known; add one with 'kvsupport client add'").format(
            n=len(clients)
        )
    raise NotFound(message, hint=hint)
