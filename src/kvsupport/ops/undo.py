"""``kvsupport undo``: take back the consultant's last change to the ledger."""

from __future__ import annotations

from kvsupport.ops.env import Env
from kvsupport.storage.api import Change


def undo(env: Env) -> Change:
    """Take back the last change of the consultant not taken back yet; the change."""
    with env.store(write=True) as store:
        return store.undo(env.consultant)


def changes(env: Env) -> list[Change]:
    """The ledger's recent changes, newest first."""
    with env.store() as store:
        return list(reversed(store.changes()))
