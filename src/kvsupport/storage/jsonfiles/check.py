"""``ledger check`` of a file ledger: every file read, compared with the manifest.

Decoding each record is not enough: a session removed from its part by hand
leaves valid JSON behind. So each part is compared with what the manifest says
of it (its count, the id and time ranges that lookups rely on, records held
twice, records filed under the wrong month), and the decoded records go to
:class:`~kvsupport.storage.consistency.Consistency`, which compares them with
each other. One part is held at a time: checking ten years takes a month's memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kvsupport.errors import LedgerError
from kvsupport.i18n import N_, _
from kvsupport.storage.api import Counts
from kvsupport.storage.codec import index_row
from kvsupport.storage.consistency import Consistency
from kvsupport.storage.jsonfiles.parts import INVOICE_INDEX, _summary

if TYPE_CHECKING:
    from kvsupport.storage.jsonfiles.store import FileStore


def check_ledger(ledger: FileStore) -> tuple[list[str], Counts]:
    """Every problem of ``ledger``, one line each, and what it holds."""
    problems: list[str] = []
    seen = Consistency(ledger.clients())
    try:
        running = ledger.running_sessions()
    except LedgerError as exc:
        problems.append(exc.message)
        running = []
    for s in running:
        seen.session(s, f"{ledger.files.main}: running")
    for key in ledger._keys("sessions"):
        problems.extend(_check_session_part(ledger, key, seen))
        ledger._forget(key)
    problems.extend(_check_invoices(ledger, seen))
    counters = ledger._m["counters"]
    problems.extend(
        seen.problems(ledger.orders(), counters.get("session"), counters.get("order"), str(ledger.files.main))
    )
    counts = Counts(len(ledger.clients()), len(seen.sessions), len(seen.invoices), len(ledger.orders()))
    return problems, counts


_SESSION_TWICE = N_("{where}: session {key} is stored more than once in the file")
_INVOICE_TWICE = N_("{where}: invoice {key} is stored more than once in the file")


def _part_problems(ledger: FileStore, key: str) -> tuple[Any, list[str]]:
    """The part of ``key`` (or ``None`` when unreadable) and what is wrong with its file
    against the manifest's entry for it."""
    entry = ledger._m["parts"][key]
    where = f"{ledger.files.parts}/{entry.get('file')}"
    try:
        part = ledger._part(key)
    except LedgerError as exc:
        return None, [exc.message]
    problems = []
    twice = _SESSION_TWICE if part.kind == "sessions" else _INVOICE_TWICE
    for record_key in part.duplicates:
        problems.append(_(twice).format(where=where, key=record_key))
    held = len(part.records) + len(part.duplicates)
    if entry.get("count") != held:
        problems.append(
            _("{where}: the manifest counts {count} records, the file holds {held}").format(
                where=where, count=entry.get("count"), held=held
            )
        )
    return part, problems


def _check_session_part(ledger: FileStore, key: str, seen: Consistency) -> list[str]:
    part, problems = _part_problems(ledger, key)
    if part is None:
        return problems
    entry = ledger._m["parts"][key]
    where = f"{ledger.files.parts}/{entry.get('file')}"
    month = key.split("/", 1)[1]
    try:
        decoded = list(ledger._decode_sessions(key))
    except LedgerError as exc:
        return [*problems, exc.message]
    for s in decoded:
        seen.session(s, key)
        if s.is_running:
            problems.append(
                _("{where}: session {id} has no end, but only a running session may be open").format(
                    where=where, id=s.id
                )
            )
        if s.started_at.isoformat()[:7] != month:
            problems.append(
                _("{where}: session {id} starts in {started} but is filed under {month}").format(
                    where=where, id=s.id, started=f"{s.started_at:%Y-%m}", month=month
                )
            )
    try:
        summary = _summary(part) if part.records else {}
    except (KeyError, IndexError, TypeError, ValueError):
        summary = {}
    for field, value in summary.items():
        if entry.get(field) != value:
            problems.append(
                _(
                    "{where}: the manifest says {field} {expected}, the file has {value}: "
                    "lookups by id or time would miss records"
                ).format(where=where, field=field, expected=repr(entry.get(field)), value=repr(value))
            )
    return problems


def _check_invoices(ledger: FileStore, seen: Consistency) -> list[str]:
    problems: list[str] = []
    try:
        index: dict[str, Any] | None = dict(ledger._invoice_index().records)  # or built again if stale
    except LedgerError as exc:  # an invoice part that cannot be read: named again below
        problems.append(exc.message)
        index = None
    where_index = f"{ledger.files.parts}/{ledger._m['parts'].get(INVOICE_INDEX, {}).get('file')}"
    for key in ledger._keys("invoices"):
        part, found = _part_problems(ledger, key)
        problems.extend(p for p in found if p not in problems)
        if part is None:
            continue
        for number, record in part.records.items():  # the raw records first: decoding may stop
            if index is not None and index.pop(number, None) != index_row(record):
                problems.append(
                    _("{where}: invoice {number}: out of step with {part}").format(
                        where=where_index, number=number, part=key
                    )
                )
        period = key.split("/", 1)[1]
        try:
            invoices = ledger.invoices([period])
        except LedgerError as exc:
            problems.append(exc.message)
            continue
        for inv in invoices:
            seen.invoice(inv, key)
            if inv.period != period:
                problems.append(
                    _("{where}: invoice {number} is for {period} but filed under {filed}").format(
                        where=key, number=inv.number, period=inv.period, filed=period
                    )
                )
        ledger._forget(key)
    problems.extend(
        _("{where}: invoice {number}: no such invoice in the ledger").format(where=where_index, number=n)
        for n in index or ()
    )
    return problems
