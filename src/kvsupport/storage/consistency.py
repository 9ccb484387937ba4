"""What every ledger's records must agree on, whichever backend holds them.

A backend's ``check`` reads its records its own way (the file ledger part by part,
comparing each file with the manifest; the database table by table) and hands
each decoded session and invoice to :class:`Consistency`, which then compares
them with each other: a session and the invoice that bills it, a fee and the
invoice that charged it, the client every record names, and the counters with
the ids in use (a counter behind them would hand out an id twice).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from kvsupport.core.models import Client, Invoice, Order, Session
from kvsupport.i18n import _


class Consistency:
    """Collects what a check read; :meth:`problems` compares it, one line a problem."""

    def __init__(self, clients: Mapping[str, Client]) -> None:
        self.clients = clients
        #: every code an invoice may have frozen (a client's own and its former ones) -> its code now
        self.codes = {old: c.code for c in clients.values() for old in c.former_codes}
        self.codes.update((code, code) for code in clients)
        self.sessions: dict[int, str] = {}  # id -> where it was read
        self.marked: dict[int, str] = {}  # session id -> the invoice its record names
        self.billed: dict[int, str] = {}  # session id -> the live invoice whose line bills it
        self.invoices: dict[str, str] = {}  # number -> status
        self.fees: dict[tuple[str, str], str] = {}  # (client, fee key) -> live invoice charging it
        self.found: list[str] = []

    def session(self, s: Session, where: str) -> None:
        """A decoded session, read at ``where``."""
        if s.id in self.sessions:
            self.found.append(
                _("session {id} is stored twice ({first}, {second})").format(
                    id=s.id, first=self.sessions[s.id], second=where
                )
            )
        self.sessions[s.id] = where
        if s.client not in self.clients:
            self.found.append(
                _("{where}: session {id}: unknown client '{client}'").format(
                    where=where, id=s.id, client=s.client
                )
            )
        if s.invoice is not None:
            self.marked[s.id] = s.invoice

    def invoice(self, inv: Invoice, where: str) -> None:
        """A decoded invoice, read at ``where``."""
        if inv.number in self.invoices:
            self.found.append(_("invoice number {number} is stored twice").format(number=inv.number))
        self.invoices[inv.number] = inv.status
        lines = sum((line.amount for line in inv.lines), Decimal(0))
        if lines != inv.total:
            self.found.append(
                _("{where}: invoice {number}: total {total} but its lines add to {lines}").format(
                    where=where, number=inv.number, total=inv.total, lines=lines
                )
            )
        if inv.client_code not in self.codes:
            self.found.append(
                _("{where}: invoice {number}: unknown client '{client}'").format(
                    where=where, number=inv.number, client=inv.client_code
                )
            )
        self._payments(inv, where)
        if inv.status == "void":
            return
        for line in inv.lines:
            if line.kind == "session" and line.session is not None:
                if line.session in self.billed:
                    earlier = self.billed[line.session]
                    self.found.append(
                        _("session {id} is billed twice: {first} and {second}").format(
                            id=line.session, first=earlier, second=inv.number
                        )
                    )
                self.billed[line.session] = inv.number
            elif line.kind == "fee" and line.fee_key:
                self.fees[(self.codes.get(inv.client_code, inv.client_code), line.fee_key)] = inv.number

    def _payments(self, inv: Invoice, where: str) -> None:
        """An invoice's payments against its total and its status (SPEC §12)."""
        if not inv.payments:
            if inv.status == "partly_paid":
                self.found.append(
                    _("{where}: invoice {number} is partly paid but has no payments").format(
                        where=where, number=inv.number
                    )
                )
            return
        paid = sum((p.amount for p in inv.payments), Decimal(0))
        if paid > inv.total:
            self.found.append(
                _("{where}: invoice {number}: payments of {paid} exceed its total {total}").format(
                    where=where, number=inv.number, paid=paid, total=inv.total
                )
            )
        status = "paid" if paid >= inv.total else "partly_paid"
        if inv.status != status:
            self.found.append(
                _(
                    "{where}: invoice {number} is {status} but its payments of {paid} make it {expected}"
                ).format(where=where, number=inv.number, status=inv.status, paid=paid, expected=status)
            )

    def problems(
        self, orders: list[Order], session_counter: object, order_counter: object, where: str
    ) -> list[str]:
        """Everything found, with the comparisons across records."""
        problems = list(self.found)
        top = max(self.sessions, default=0)
        if not isinstance(session_counter, int) or session_counter < top:
            problems.append(
                _(
                    "{where}: the session counter is {counter} but session {id} exists: "
                    "new sessions would reuse ids"
                ).format(where=where, counter=repr(session_counter), id=top)
            )
        top_order = max((o.id for o in orders), default=0)
        if not isinstance(order_counter, int) or order_counter < top_order:
            problems.append(
                _(
                    "{where}: the order counter is {counter} but order {id} exists: "
                    "new orders would reuse numbers"
                ).format(where=where, counter=repr(order_counter), id=top_order)
            )
        for sid, number in sorted(self.marked.items()):
            status = self.invoices.get(number)
            if status is None:
                problems.append(
                    _("session {id} is marked as on invoice {number}, which is not in the ledger").format(
                        id=sid, number=number
                    )
                )
            elif status == "void":
                problems.append(
                    _("session {id} is marked as on invoice {number}, which is void").format(
                        id=sid, number=number
                    )
                )
            elif self.billed.get(sid) != number:
                problems.append(
                    _("session {id} is marked as on invoice {number}, which does not bill it").format(
                        id=sid, number=number
                    )
                )
        for sid, number in sorted(self.billed.items()):
            if sid not in self.sessions:
                problems.append(
                    _("invoice {number} bills session {id}, which is not in the ledger").format(
                        number=number, id=sid
                    )
                )
            elif self.marked.get(sid) != number:
                problems.append(
                    _(
                        "invoice {number} bills session {id}, but the session is not marked as billed "
                        "(it would be billed again)"
                    ).format(number=number, id=sid)
                )
        for (code, fee), number in sorted(self.fees.items()):
            client = self.clients.get(code)
            if client is not None and client.fees_charged.get(fee) != number:
                problems.append(
                    _(
                        "invoice {number} charges client {client} the one-time fee {fee}, "
                        "but the client is not marked as charged (it would be charged again)"
                    ).format(number=number, client=code, fee=fee)
                )
        for client in self.clients.values():
            for fee, number in client.fees_charged.items():
                if self.invoices.get(number) in (None, "void"):
                    problems.append(
                        _(
                            "client {client}: one-time fee {fee} is marked as charged on {number}, "
                            "which is not a live invoice"
                        ).format(client=client.code, fee=fee, number=number)
                    )
        for order in orders:
            if order.client not in self.clients:
                problems.append(
                    _("order {id}: unknown client '{client}'").format(id=order.id, client=order.client)
                )
            if order.session is not None and order.session not in self.sessions:
                problems.append(
                    _("order {id} names session {session}, which is not in the ledger").format(
                        id=order.id, session=order.session
                    )
                )
        return problems
