"""The month at a glance: sessions, hours, amounts, free calls, unbilled work, unpaid invoices."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, NamedTuple

from kvsupport.core.billing import Charge, invoice_lines
from kvsupport.core.models import OPEN_STATUSES, Session
from kvsupport.core.money import ZERO, money_str
from kvsupport.ops.client_codes import summaries_of
from kvsupport.ops.env import Env
from kvsupport.ops.sessions import charged, select
from kvsupport.storage.api import Store

By = Literal["client", "service", "consultant"]


@dataclass
class Row:
    """One client's (or service's) month."""

    key: str
    name: str
    sessions: int = 0
    worked_seconds: int = 0
    billable_minutes: int = 0
    amount: Decimal = ZERO
    free_calls: int = 0
    unbilled: int = 0
    unbilled_amount: Decimal = ZERO
    invoiced_amount: Decimal = ZERO
    running: int = 0
    fees: Decimal = ZERO

    def add(self, session: Session, charge: Charge | None, billed: Billed) -> None:
        """Count one session in: as invoiced (the amounts its invoice froze), else as
        charged now, with the one-time fee that came or would come with it."""
        self.sessions += 1
        if session.is_running:
            self.running += 1
        if charge is None:
            return
        self.worked_seconds += charge.worked_seconds
        if charge.service.is_free:
            self.free_calls += 1
            return
        self.billable_minutes += charge.billable_minutes
        fee = billed.fees.get(session.id, ZERO)
        amount = billed.sessions.get(session.id, charge.amount) + fee
        self.amount += amount
        self.fees += fee
        if session.invoice is None:
            if not session.is_running:
                self.unbilled += 1
                self.unbilled_amount += amount
        else:
            self.invoiced_amount += amount


@dataclass
class Report:
    """``kvsupport report``."""

    period: str
    by: By
    rows: list[Row] = field(default_factory=list)
    unpaid: list[dict[str, str]] = field(default_factory=list)  # number, date, period, client, total

    @property
    def total(self) -> Row:
        """All rows added up."""
        total = Row("total", "")
        for row in self.rows:
            for name in (
                "sessions",
                "worked_seconds",
                "billable_minutes",
                "free_calls",
                "unbilled",
                "running",
            ):
                setattr(total, name, getattr(total, name) + getattr(row, name))
            total.amount += row.amount
            total.fees += row.fees
            total.unbilled_amount += row.unbilled_amount
            total.invoiced_amount += row.invoiced_amount
        return total

    def unpaid_by_client(self) -> list[tuple[str, int, Decimal, str]]:
        """Unpaid invoices per client: code, how many, what is left to pay, the oldest date;
        the largest debt first."""
        debts: dict[str, tuple[int, Decimal, str]] = {}
        for inv in self.unpaid:
            count, amount, oldest = debts.get(inv["client"], (0, ZERO, inv["date"]))
            debts[inv["client"]] = (count + 1, amount + Decimal(inv["balance"]), min(oldest, inv["date"]))
        rows = [(code, *debt) for code, debt in debts.items()]
        rows.sort(key=lambda r: (-r[2], r[0]))
        return rows


def month_report(env: Env, year: int, month: int, by: By, client: str | None = None) -> Report:
    """Sessions of the month grouped by client or service, and every unpaid invoice."""
    report = Report(f"{year:04d}-{month:02d}", by)
    with env.store() as store:
        client = None if client is None else store.client(client).code
        sessions = charged(env, select(env, store, month=(year, month), client=client))
        names = {code: c.name for code, c in store.clients().items()}
        billed = _billed(env, store, sessions, report.period)
        report.unpaid = [
            {
                "number": row.number,
                "date": row.date.isoformat(),
                "period": row.period,
                "total": money_str(row.total),
                "client": row.client_code,
                "balance": money_str(row.balance),
                "status": row.status,
            }
            for row in summaries_of(store, None if client is None else store.client(client), OPEN_STATUSES)
        ]
    rows: dict[str, Row] = {}
    for session, charge in sessions:
        if by == "client":
            key, name = session.client, names.get(session.client, "")
        elif by == "service":
            key, name = session.service, charge.service.title if charge else ""
        else:
            key, name = session.consultant or "", session.consultant or ""
        if key not in rows:
            rows[key] = Row(key, name)
        rows[key].add(session, charge, billed)
    report.rows = sorted(rows.values(), key=lambda r: (-r.amount, r.key))
    return report


class Billed(NamedTuple):
    """Amounts by session id: as the month's invoices froze them (``sessions``), and the
    one-time fee that goes with a session (``fees``)."""

    sessions: dict[int, Decimal]
    fees: dict[int, Decimal]


def _billed(env: Env, store: Store, sessions: list[tuple[Session, Charge | None]], period: str) -> Billed:
    """What the period's invoices (not void) billed each session and fee; for work not
    invoiced yet, the fee the month's invoice would carry if issued now (the lines
    ``kvsupport invoice`` would issue)."""
    billed = Billed({}, {})
    for invoice in store.invoices([period], statuses=("issued", "partly_paid", "paid")):
        for line in invoice.lines:
            if line.session is not None:
                into = billed.fees if line.kind == "fee" else billed.sessions
                into[line.session] = into.get(line.session, ZERO) + line.amount
    pending: dict[str, list[Charge]] = {}
    for session, charge in sessions:
        if charge is not None and not session.is_running and session.invoice is None:
            pending.setdefault(session.client, []).append(charge)
    clients = store.clients()
    for code, charges in pending.items():
        for line in invoice_lines(clients[code], charges):
            if line.kind == "fee" and line.session is not None:
                billed.fees[line.session] = billed.fees.get(line.session, ZERO) + line.amount
    return billed
