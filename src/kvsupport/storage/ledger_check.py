"""``ledger check``: read every record of a file ledger and say what is wrong with it.

Decoding each record is not enough: a session removed from its part by hand
leaves valid JSON behind. So the check also compares what the files hold with
what the manifest says of them (counts, id and time ranges that lookups rely
on), records with each other (a session and the invoice that bills it, a fee
and the invoice that charged it, a client every record names), and the
counters with the ids in use (a counter behind them would hand out an id
twice). One part is held at a time, so checking ten years takes a month's memory.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from kvsupport.errors import LedgerError
from kvsupport.storage.invoice_store import index_row
from kvsupport.storage.parts import INVOICE_INDEX, _summary

if TYPE_CHECKING:
    from kvsupport.storage.ledger import Ledger


class Counts(NamedTuple):
    """What a checked ledger holds, counted from the records themselves."""

    clients: int
    sessions: int
    invoices: int
    orders: int


class _Seen:
    """What the pass over the sessions found, for the cross checks after it."""

    def __init__(self) -> None:
        self.sessions: dict[int, str] = {}  # id -> the part it was read from
        self.marked: dict[int, str] = {}  # session id -> the invoice its record names
        self.billed: dict[int, str] = {}  # session id -> the live invoice whose line bills it
        self.invoices: dict[str, str] = {}  # number -> status
        self.fees: dict[tuple[str, str], str] = {}  # (client, fee key) -> live invoice charging it


def check_ledger(ledger: Ledger) -> tuple[list[str], Counts]:
    """Every problem of ``ledger``, one line each, and what it holds."""
    problems: list[str] = []
    seen = _Seen()
    running = None
    try:
        running = ledger.running()
    except LedgerError as exc:
        problems.append(exc.message)
    if running is not None:
        seen.sessions[running.id] = "running"
        if running.client not in ledger.clients():
            problems.append(
                f"{ledger.files.main}: running session {running.id}: unknown client '{running.client}'"
            )
    for key in ledger._keys("sessions"):
        problems.extend(_check_session_part(ledger, key, seen))
        ledger._forget(key)
    problems.extend(_check_counters(ledger, seen))
    problems.extend(_check_invoices(ledger, seen))
    problems.extend(_check_links(ledger, seen))
    counts = Counts(len(ledger.clients()), len(seen.sessions), len(seen.invoices), len(ledger.orders()))
    return problems, counts


def _part_problems(ledger: Ledger, key: str) -> tuple[Any, list[str]]:
    """The part of ``key`` (or ``None`` when unreadable) and what is wrong with its file
    against the manifest's entry for it."""
    entry = ledger._m["parts"][key]
    where = f"{ledger.files.parts}/{entry.get('file')}"
    try:
        part = ledger._part(key)
    except LedgerError as exc:
        return None, [exc.message]
    problems = []
    kind = "session" if part.kind == "sessions" else "invoice"
    for record_key in part.duplicates:
        problems.append(f"{where}: {kind} {record_key} is stored more than once in the file")
    held = len(part.records) + len(part.duplicates)
    if entry.get("count") != held:
        problems.append(f"{where}: the manifest counts {entry.get('count')} records, the file holds {held}")
    return part, problems


def _check_session_part(ledger: Ledger, key: str, seen: _Seen) -> list[str]:
    part, problems = _part_problems(ledger, key)
    if part is None:
        return problems
    entry = ledger._m["parts"][key]
    where = f"{ledger.files.parts}/{entry.get('file')}"
    month = key.split("/", 1)[1]
    clients = ledger.clients()
    try:
        decoded = list(ledger._decode_sessions(key))
    except LedgerError as exc:
        return [*problems, exc.message]
    for s in decoded:
        if s.id in seen.sessions:
            problems.append(f"session {s.id} is stored twice ({seen.sessions[s.id]}, {key})")
        seen.sessions[s.id] = key
        if s.is_running:
            problems.append(f"{where}: session {s.id} has no end, but only the running session may be open")
        if s.started_at.isoformat()[:7] != month:
            problems.append(
                f"{where}: session {s.id} starts in {s.started_at:%Y-%m} but is filed under {month}"
            )
        if s.client not in clients:
            problems.append(f"{where}: session {s.id}: unknown client '{s.client}'")
        if s.invoice is not None:
            seen.marked[s.id] = s.invoice
    try:
        summary = _summary(part) if part.records else {}
    except (KeyError, IndexError, TypeError, ValueError):
        summary = {}
    for field, value in summary.items():
        if entry.get(field) != value:
            problems.append(
                f"{where}: the manifest says {field} {entry.get(field)!r}, the file has {value!r}: "
                "lookups by id or time would miss records"
            )
    return problems


def _check_counters(ledger: Ledger, seen: _Seen) -> list[str]:
    problems = []
    counters = ledger._m["counters"]
    top = max(seen.sessions, default=0)
    if not isinstance(counters.get("session"), int) or counters["session"] < top:
        problems.append(
            f"{ledger.files.main}: counters.session is {counters.get('session')!r} but session {top} exists: "
            "new sessions would reuse ids"
        )
    orders = ledger.orders()
    top_order = max((o.id for o in orders), default=0)
    if not isinstance(counters.get("order"), int) or counters["order"] < top_order:
        problems.append(
            f"{ledger.files.main}: counters.order is {counters.get('order')!r} but order {top_order} exists: "
            "new orders would reuse numbers"
        )
    return problems


def _check_invoices(ledger: Ledger, seen: _Seen) -> list[str]:
    problems: list[str] = []
    try:
        index: dict[str, Any] | None = dict(ledger._invoice_index().records)  # or built again if stale
    except LedgerError as exc:  # an invoice part that cannot be read: named again below
        problems.append(exc.message)
        index = None
    where_index = f"{ledger.files.parts}/{ledger._m['parts'].get(INVOICE_INDEX, {}).get('file')}"
    clients = ledger.clients()
    for key in ledger._keys("invoices"):
        part, found = _part_problems(ledger, key)
        problems.extend(p for p in found if p not in problems)
        if part is None:
            continue
        for number, record in part.records.items():  # the raw records first: decoding may stop
            if index is not None and index.pop(number, None) != index_row(record):
                problems.append(f"{where_index}: invoice {number}: out of step with {key}")
        period = key.split("/", 1)[1]
        try:
            invoices = ledger.invoices([period])
        except LedgerError as exc:
            problems.append(exc.message)
            continue
        for inv in invoices:
            if inv.number in seen.invoices:
                problems.append(f"invoice number {inv.number} is stored twice")
            seen.invoices[inv.number] = inv.status
            if inv.period != period:
                problems.append(f"{key}: invoice {inv.number} is for {inv.period} but filed under {period}")
            lines = sum((line.amount for line in inv.lines), Decimal(0))
            if lines != inv.total:
                problems.append(
                    f"{key}: invoice {inv.number}: total {inv.total} but its lines add to {lines}"
                )
            if inv.client_code not in clients:
                problems.append(f"{key}: invoice {inv.number}: unknown client '{inv.client_code}'")
            if inv.status == "void":
                continue
            for line in inv.lines:
                if line.kind == "session" and line.session is not None:
                    if line.session in seen.billed:
                        earlier = seen.billed[line.session]
                        problems.append(f"session {line.session} is billed twice: {earlier} and {inv.number}")
                    seen.billed[line.session] = inv.number
                elif line.kind == "fee" and line.fee_key:
                    seen.fees[(inv.client_code, line.fee_key)] = inv.number
        ledger._forget(key)
    problems.extend(f"{where_index}: invoice {n}: no such invoice in the ledger" for n in index or ())
    return problems


def _check_links(ledger: Ledger, seen: _Seen) -> list[str]:
    problems = []
    for sid, number in sorted(seen.marked.items()):
        status = seen.invoices.get(number)
        if status is None:
            problems.append(f"session {sid} is marked as on invoice {number}, which is not in the ledger")
        elif status == "void":
            problems.append(f"session {sid} is marked as on invoice {number}, which is void")
        elif seen.billed.get(sid) != number:
            problems.append(f"session {sid} is marked as on invoice {number}, which does not bill it")
    for sid, number in sorted(seen.billed.items()):
        if sid not in seen.sessions:
            problems.append(f"invoice {number} bills session {sid}, which is not in the ledger")
        elif seen.marked.get(sid) != number:
            problems.append(
                f"invoice {number} bills session {sid}, but the session is not marked as billed "
                "(it would be billed again)"
            )
    clients = ledger.clients()
    for (code, fee), number in sorted(seen.fees.items()):
        client = clients.get(code)
        if client is not None and client.fees_charged.get(fee) != number:
            problems.append(
                f"invoice {number} charges client {code} the one-time fee {fee}, but the client is not "
                "marked as charged (it would be charged again)"
            )
    for client in clients.values():
        for fee, number in client.fees_charged.items():
            if seen.invoices.get(number) in (None, "void"):
                problems.append(
                    f"client {client.code}: one-time fee {fee} is marked as charged on {number}, "
                    "which is not a live invoice"
                )
    for order in ledger.orders():
        if order.client not in ledger.clients():
            problems.append(f"order {order.id}: unknown client '{order.client}'")
        if order.session is not None and order.session not in seen.sessions:
            problems.append(f"order {order.id} names session {order.session}, which is not in the ledger")
    return problems
