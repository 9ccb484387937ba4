"""The public JSON shapes of SPEC §5: what ``--format json`` prints and scripts read.

Keys are added, never renamed. These shapes belong to the command line's
contract, not to storage: how a backend lays records out on disk or in tables
is its own business (``kvsupport.storage.codec`` for the file ledger) and may
change without changing a byte of these. Values are JSON-ready (money as
strings with two decimals, times as ISO 8601 with their offset); pure: the
caller passes the local zone.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from kvsupport.core.billing import Charge, line_vat
from kvsupport.core.models import Client, Evidence, Invoice, InvoiceLine, Order, Segment, Session
from kvsupport.core.money import money_str

#: The version of the invoice's shape (``schema``): 2 added the act's date, the replaced
#: invoice, the currency, and per line the unit's code, the price and the VAT (issue 13);
#: 3 the balance, the payments and when it was drafted and reminded (issue 15).
INVOICE_SCHEMA = 3
#: ОКЕИ 876, «условная единица»: one service, quantity 1, price = sum (SPEC §3.9)
UNIT, UNIT_CODE = "усл. ед.", "876"

#: The columns of ``export`` and ``import`` (SPEC §5), one session segment a row.
EXPORT_COLUMNS = [
    "id",
    "client",
    "service",
    "start",
    "end",
    "problem",
    "phone",
    "consent",
    "backup_confirmed",
    "note",
    "allow_overlap",
    "consultant",
]


def iso(moment: datetime | None, tz: tzinfo | None) -> str | None:
    """ISO 8601 in the local zone (``None``: the system's), with its offset."""
    return None if moment is None else moment.astimezone(tz).isoformat()


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def segment_record(seg: Segment, tz: tzinfo | None) -> dict[str, Any]:
    """``{"start": ISO, "end": ISO | null, "ref": GUID | null}`` in local time; ``ref`` is
    the TeamViewer connection the segment was imported from."""
    return {"start": iso(seg.start, tz), "end": iso(seg.end, tz), "ref": seg.ref}


def evidence_record(evidence: Evidence | None) -> dict[str, Any] | None:
    """``{"letter": {from, from_name, date, subject, message_id, sha256, file},
    "attachments": [{name, size, sha256, content_type}]}`` (SPEC §11), or ``None``.
    The letter's date keeps the offset it was written with."""
    if evidence is None:
        return None
    letter = evidence.letter
    return {
        "letter": {
            "from": letter.sender,
            "from_name": letter.sender_name,
            "date": letter.date.isoformat(),
            "subject": letter.subject,
            "message_id": letter.message_id,
            "sha256": letter.sha256,
            "file": letter.file_name,
        },
        "attachments": [
            {"name": a.name, "size": a.size, "sha256": a.sha256, "content_type": a.content_type}
            for a in evidence.attachments
        ],
    }


def session_record(session: Session, charge: Charge | None, tz: tzinfo | None) -> dict[str, Any]:
    """A session with its charge (``None``: no tariff applies, or not charged)."""
    record: dict[str, Any] = {
        "id": session.id,
        "client": session.client,
        "service": session.service,
        "segments": [segment_record(seg, tz) for seg in session.segments],
        "start": iso(session.started_at, tz),
        "end": iso(session.ended_at, tz),
        "running": session.is_running,
        "seconds": None,
        "minutes": None,
        "billable_minutes": None,
        "tariff": None,
        "rate": None,
        "amount": None,
        "invoice": session.invoice,
        "problem": session.problem,
        "phone": session.phone,
        "consent": session.consent,
        "backup_confirmed": session.backup_confirmed,
        "order": session.order,
        "note": session.note,
        "consultant": session.consultant,
        "source": session.source,
        "evidence": evidence_record(session.evidence),
    }
    if charge is not None:
        record.update(
            seconds=charge.worked_seconds,
            minutes=charge.minutes,
            billable_minutes=charge.billable_minutes,
            tariff=charge.version.label,
            rate=money_str(charge.rate),
            amount=money_str(charge.amount),
        )
    return record


def export_rows(session: Session) -> list[dict[str, Any]]:
    """The rows of ``export`` for one finished session, one per segment, times as
    recorded (with the offset they were typed in)."""
    return [
        {
            "id": session.id,
            "client": session.client,
            "service": session.service,
            "start": seg.start.isoformat(),
            "end": seg.end.isoformat() if seg.end is not None else None,
            "problem": session.problem,
            "phone": session.phone,
            "consent": session.consent,
            "backup_confirmed": session.backup_confirmed,
            "note": session.note,
            "allow_overlap": session.allow_overlap,
            "consultant": session.consultant,
        }
        for seg in session.segments
    ]


def client_record(client: Client, today: date | None = None) -> dict[str, Any]:
    """A client; with ``today``, whether its licence has ended (``license_ended``)."""
    record: dict[str, Any] = {
        "code": client.code,
        "name": client.name,
        "inn": client.inn,
        "kpp": client.kpp,
        "ogrn": client.ogrn,
        "address": client.address,
        "phone": client.phone,
        "email": client.email,
        "teamviewer_id": client.teamviewer_id,
        "teamviewer_ids": list(client.teamviewer_ids),
        "license_until": _day(client.license_until),
        "fee_paid": client.fee_paid,
        "fees_charged": dict(client.fees_charged),
        "kind": client.kind,
        "signatory": client.signatory,
        "contract": client.contract,
        "archived": client.archived,
        "former_codes": list(client.former_codes),
    }
    if today is not None:
        record["license_ended"] = client.license_until is not None and client.license_until < today
    return record


def client_snapshot(client: Client) -> dict[str, object]:
    """The customer's requisites as frozen into an invoice (no fee bookkeeping)."""
    record = client_record(client)
    del record["fees_charged"], record["fee_paid"], record["archived"], record["former_codes"]
    return record


def order_record(order: Order, tz: tzinfo | None, today: date) -> dict[str, Any]:
    """An order; ``today`` marks those due today."""
    return {
        "id": order.id,
        "client": order.client,
        "service": order.service,
        "at": iso(order.at, tz),
        "today": order.at.astimezone(tz).date() == today,
        "problem": order.problem,
        "phone": order.phone,
        "status": order.status,
        "session": order.session,
        "consent": order.consent,
        "evidence": evidence_record(order.evidence),
    }


def line_record(line: InvoiceLine) -> dict[str, Any]:
    """One invoice line: quantity 1 × price = amount, exactly as printed (SPEC §3.9); a
    session that came by letter adds ``evidence`` (:func:`evidence_record`)."""
    record: dict[str, Any] = {
        "kind": line.kind,
        "session": line.session,
        "date": line.date.isoformat(),
        "title": line.title,
        "minutes": line.minutes,
        "billable_minutes": line.billable_minutes,
        "quantity": 1,
        "unit": UNIT,
        "unit_code": UNIT_CODE,
        "price": money_str(line.amount),
        "rate": money_str(line.rate),
        "amount": money_str(line.amount),
        "tariff": line.tariff,
        "vat": line.vat,
        "vat_rate": None if line.vat == "none" else line.vat,
        "vat_amount": money_str(line_vat(line)),
        "service": line.service,
        "fee_key": line.fee_key,
        "segments": [{"start": seg.start.isoformat(), "end": _moment(seg.end)} for seg in line.segments],
    }
    if line.evidence is not None:
        record["evidence"] = evidence_record(line.evidence)
    return record


def _moment(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def invoice_record(invoice: Invoice) -> dict[str, Any]:
    """An issued invoice with everything it printed (SPEC §5)."""
    from kvsupport.core import settlement  # payments: not on the session commands' path

    return {
        "number": invoice.number,
        "date": invoice.date.isoformat(),
        "period": invoice.period,
        "status": invoice.status,
        "client": dict(invoice.client),
        "supplier": dict(invoice.supplier),
        "lines": [line_record(line) for line in invoice.lines],
        "total": money_str(invoice.total),
        "vat": {"mode": invoice.vat_mode, "amount": money_str(invoice.vat_amount)},
        "total_in_words": invoice.total_in_words,
        "void_reason": invoice.void_reason,
        "paid_on": _day(invoice.paid_on),
        "due_on": _day(invoice.due_on),
        "act_date": _day(invoice.act_date),
        "replaces": invoice.replaces,
        "currency": "RUB",
        "schema": INVOICE_SCHEMA,
        "balance": money_str(settlement.balance_of(invoice)),
        "payments": [
            {
                "date": payment.date.isoformat(),
                "amount": money_str(payment.amount),
                "document": payment.document,
                "payer_inn": payment.payer_inn,
            }
            for payment in settlement.received(invoice)
        ],
        "drafted_at": _moment(invoice.drafted_at),
        "reminded_at": _moment(invoice.reminded_at),
    }
