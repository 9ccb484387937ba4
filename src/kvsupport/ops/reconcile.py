"""The reconciliation act with one client for a period (SPEC §12): figures and parties."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from kvsupport.core.reconciliation import Reconciliation, reconcile
from kvsupport.core.records import client_snapshot
from kvsupport.errors import InvalidValue
from kvsupport.i18n import _
from kvsupport.ops.env import Env


class Act(NamedTuple):
    """A reconciliation act: its figures, and the two parties as they stand today (the
    supplier from the config, the client's requisites and signatory from its record)."""

    client: str
    figures: Reconciliation
    supplier: dict[str, object]
    customer: dict[str, object]


def reconciliation(env: Env, client: str, start: date, end: date) -> Act:
    """The act with ``client`` for ``start``..``end``: every invoice of the client that is
    not void, whole (their payments), read a period at a time."""
    if end < start:
        raise InvalidValue(
            _("--to {end} is before --from {start}").format(end=end, start=start),
            hint=_("give the period's first day with --from and its last with --to"),
        )
    with env.store(long_read=True) as store:
        record = client_snapshot(store.client(client))
        numbers = [row.number for row in store.invoice_summaries(client=client) if row.status != "void"]
        invoices = [invoice for batch in store.invoice_batches(numbers) for invoice in batch]
    return Act(client, reconcile(invoices, start, end), env.config.supplier(), record)
