"""Records on disk ⇄ domain values, checking the shape on the way in.

Every decoder names the place of a problem (``sessions[12].segments[0].start:
not a time with a UTC offset``), so a damaged ledger is reported precisely and
never overwritten. This is how records are kept — in the file ledger's parts
and in the PostgreSQL ledger's ``record`` columns — not what ``--format json``
prints: that is :mod:`kvsupport.core.records`, which may differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from kvsupport.core.billing import line_vat, with_line_vat
from kvsupport.core.models import (
    INVOICE_STATUSES,
    PARTY_KINDS,
    AttachmentEvidence,
    Client,
    Evidence,
    Invoice,
    InvoiceLine,
    InvoicePayment,
    LetterEvidence,
    Order,
    PartyKind,
    Segment,
    Session,
)
from kvsupport.core.money import money_str
from kvsupport.errors import LedgerError
from kvsupport.i18n import N_, _
from kvsupport.storage.api import InvoiceSummary


class ShapeError(Exception):
    """A record does not have the expected shape; ``where`` is its JSON path."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


def _obj(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ShapeError(where, _("must be an object"))
    return value


def _get(d: Mapping[str, Any], key: str, where: str, kind: type, *, optional: bool) -> Any:
    value = d.get(key)
    if value is None:
        if optional:
            return None
        raise ShapeError(f"{where}.{key}", _("missing"))
    if kind is int and isinstance(value, bool):
        raise ShapeError(f"{where}.{key}", _("must be a whole number"))
    if not isinstance(value, kind):
        raise ShapeError(
            f"{where}.{key}", _("must be {kind}, not {value}").format(kind=kind_name(kind), value=repr(value))
        )
    return value


_KIND_NAMES = {
    int: N_("a whole number"),
    str: N_("text"),
    dict: N_("an object"),
    list: N_("a list"),
    bool: N_("true or false"),
}


def kind_name(kind: type) -> str:
    """What a JSON value of Python type ``kind`` is called in a message: ``int`` → «a whole
    number» (never «a int»)."""
    name = _KIND_NAMES.get(kind)
    return _(name) if name else _("a {kind}").format(kind=kind.__name__)


def _str(d: Mapping[str, Any], key: str, where: str) -> str:
    value: str = _get(d, key, where, str, optional=False)
    return value


def _opt_str(d: Mapping[str, Any], key: str, where: str) -> str | None:
    value: str | None = _get(d, key, where, str, optional=True)
    return value


def _int(d: Mapping[str, Any], key: str, where: str) -> int:
    value: int = _get(d, key, where, int, optional=False)
    return value


def _opt_int(d: Mapping[str, Any], key: str, where: str) -> int | None:
    value: int | None = _get(d, key, where, int, optional=True)
    return value


def _bool(d: Mapping[str, Any], key: str, where: str) -> bool:
    value = d.get(key, False)
    if not isinstance(value, bool):
        raise ShapeError(f"{where}.{key}", _("must be true or false"))
    return value


def parse_moment(text: object, where: str) -> datetime:
    """An ISO 8601 time with its UTC offset."""
    if not isinstance(text, str):
        raise ShapeError(where, _("must be an ISO 8601 time"))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ShapeError(where, _("not an ISO 8601 time: {text}").format(text=repr(text))) from None
    if moment.tzinfo is None:
        raise ShapeError(where, _("time without a UTC offset: {text}").format(text=repr(text)))
    return moment


def _date(d: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> date | None:
    text = _get(d, key, where, str, optional=optional)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ShapeError(f"{where}.{key}", _("not a date: {text}").format(text=repr(text))) from None


def _money(d: Mapping[str, Any], key: str, where: str) -> Decimal:
    text = _str(d, key, where)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ShapeError(f"{where}.{key}", _("not an amount: {text}").format(text=repr(text))) from None


def encode_segment(seg: Segment) -> dict[str, Any]:
    """``{"start": ISO, "end": ISO | null}``, and ``"ref"`` when the segment has one."""
    record = {"start": seg.start.isoformat(), "end": seg.end.isoformat() if seg.end else None}
    if seg.ref is not None:
        record["ref"] = seg.ref
    return record


def decode_segments(value: object, where: str) -> tuple[Segment, ...]:
    """Segments in order, each ending after it starts; only the last may be open."""
    if not isinstance(value, list) or not value:
        raise ShapeError(where, _("must be a non-empty list of segments"))
    out: list[Segment] = []
    for i, raw in enumerate(value):
        place = f"{where}[{i}]"
        seg = _obj(raw, place)
        start = parse_moment(seg.get("start"), f"{place}.start")
        end_raw = seg.get("end")
        end = None if end_raw is None else parse_moment(end_raw, f"{place}.end")
        if end is None and i != len(value) - 1:
            raise ShapeError(f"{place}.end", _("only the last segment may be open"))
        if end is not None and end < start:
            raise ShapeError(f"{place}.end", _("ends before it starts"))
        out.append(Segment(start, end, _opt_str(seg, "ref", place)))
    return tuple(out)


def encode_evidence(evidence: Evidence) -> dict[str, Any]:
    """``{"letter": {...}, "attachments": [...]}``: what a letter left on record."""
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


def decode_evidence(raw: object, where: str) -> Evidence | None:
    """Evidence from its stored record (``None`` when there is none)."""
    if raw is None:
        return None
    d = _obj(raw, where)
    place = f"{where}.letter"
    letter = _obj(d.get("letter"), place)
    items = d.get("attachments", [])
    if not isinstance(items, list):
        raise ShapeError(f"{where}.attachments", _("must be a list"))
    attachments = []
    for i, item in enumerate(items):
        at = f"{where}.attachments[{i}]"
        a = _obj(item, at)
        size = _int(a, "size", at)
        if size < 0:
            raise ShapeError(f"{at}.size", _("must not be negative"))
        attachments.append(
            AttachmentEvidence(
                name=_str(a, "name", at),
                size=size,
                sha256=_str(a, "sha256", at),
                content_type=_opt_str(a, "content_type", at) or "application/octet-stream",
            )
        )
    return Evidence(
        LetterEvidence(
            sender=_str(letter, "from", place),
            sender_name=_opt_str(letter, "from_name", place) or "",
            date=parse_moment(letter.get("date"), f"{place}.date"),
            subject=_opt_str(letter, "subject", place) or "",
            message_id=_opt_str(letter, "message_id", place) or "",
            sha256=_str(letter, "sha256", place),
            file_name=_opt_str(letter, "file", place) or "",
        ),
        tuple(attachments),
    )


def _with_optional(record: dict[str, Any], evidence: Evidence | None, **more: object) -> dict[str, Any]:
    """``record`` with ``evidence`` and ``more`` added where they are set: records that
    have none stay as they were written before these keys existed."""
    if evidence is not None:
        record["evidence"] = encode_evidence(evidence)
    record.update({key: value for key, value in more.items() if value is not None})
    return record


def encode_session(s: Session) -> dict[str, Any]:
    """The stored record of a session (``evidence`` and ``source`` only where set)."""
    record = {
        "id": s.id,
        "client": s.client,
        "service": s.service,
        "segments": [encode_segment(seg) for seg in s.segments],
        "problem": s.problem,
        "phone": s.phone,
        "consent": s.consent,
        "backup_confirmed": s.backup_confirmed,
        "order": s.order,
        "note": s.note,
        "invoice": s.invoice,
        "allow_overlap": s.allow_overlap,
        "consultant": s.consultant,
    }
    return _with_optional(record, s.evidence, source=s.source)


def decode_session(raw: object, where: str) -> Session:
    """A session from its stored record."""
    d = _obj(raw, where)
    return Session(
        id=_int(d, "id", where),
        client=_str(d, "client", where),
        service=_str(d, "service", where),
        segments=decode_segments(d.get("segments"), f"{where}.segments"),
        problem=_opt_str(d, "problem", where),
        phone=_opt_str(d, "phone", where),
        consent=_opt_str(d, "consent", where),
        backup_confirmed=_bool(d, "backup_confirmed", where),
        order=_opt_int(d, "order", where),
        note=_opt_str(d, "note", where),
        invoice=_opt_str(d, "invoice", where),
        allow_overlap=_bool(d, "allow_overlap", where),
        consultant=_opt_str(d, "consultant", where),
        evidence=decode_evidence(d.get("evidence"), f"{where}.evidence"),
        source=_opt_str(d, "source", where),
    )


_PLAIN_TEXT = (str, type(None))


def _canonical_moment(text: object) -> datetime | None:
    """``text`` as a time when it is one exactly as kvsupport writes it (seconds and
    offset, no fraction: ``datetime.isoformat`` gives it back unchanged), else ``None``."""
    if type(text) is not str or len(text) != 25 or text[10] != "T" or text[19] not in "+-":
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _plain_started(segments: Any) -> float | None:
    """The instant plain finished ``segments`` start (each a canonical start and end,
    none ending before it starts), else ``None``."""
    if type(segments) is not list or not segments:
        return None
    first = None
    for seg in segments:
        if type(seg) is not dict:
            return None
        start, end = _canonical_moment(seg.get("start")), _canonical_moment(seg.get("end"))
        if start is None or end is None or end < start:
            return None
        if first is None:
            first = start.timestamp()
    return first


def session_export_rows(raw: object, where: str) -> tuple[float, int, list[dict[str, Any]]]:
    """What ``export`` writes of a stored finished session, taken from its record: the
    instant it started and its id (the order of an export), and one row per segment --
    the rows :func:`kvsupport.core.records.export_rows` gives of the decoded session,
    without building it (ten years of sessions export several times faster). The
    fields it exports are checked; a record not in the plain shape kvsupport writes is
    decoded instead, so the decoder refuses a bad one with its own message."""
    if type(raw) is dict:
        d: dict[str, Any] = raw
        sid: Any = d.get("id")
        segments: Any = d.get("segments")
        started = _plain_started(segments)
        if (
            started is not None
            and type(sid) is int
            and type(d.get("client")) is str
            and type(d.get("service")) is str
            and type(d.get("backup_confirmed")) is bool
            and type(d.get("allow_overlap")) is bool
            and type(d.get("problem")) in _PLAIN_TEXT
            and type(d.get("phone")) in _PLAIN_TEXT
            and type(d.get("consent")) in _PLAIN_TEXT
            and type(d.get("note")) in _PLAIN_TEXT
            and type(d.get("consultant")) in _PLAIN_TEXT
        ):
            client, service = d["client"], d["service"]
            problem, phone, consent = d.get("problem"), d.get("phone"), d.get("consent")
            backup, note, overlap, consultant = (
                d["backup_confirmed"],
                d.get("note"),
                d["allow_overlap"],
                d.get("consultant"),
            )
            rows = [
                {
                    "id": sid,
                    "client": client,
                    "service": service,
                    "start": seg["start"],
                    "end": seg["end"],
                    "problem": problem,
                    "phone": phone,
                    "consent": consent,
                    "backup_confirmed": backup,
                    "note": note,
                    "allow_overlap": overlap,
                    "consultant": consultant,
                }
                for seg in segments
            ]
            return started, sid, rows
    from kvsupport.core.records import export_rows

    session = decode_session(raw, where)
    return session.started_at.timestamp(), session.id, [] if session.is_running else export_rows(session)


def encode_client(c: Client) -> dict[str, Any]:
    """The stored record of a client."""
    return {
        "code": c.code,
        "name": c.name,
        "inn": c.inn,
        "kpp": c.kpp,
        "ogrn": c.ogrn,
        "address": c.address,
        "phone": c.phone,
        "email": c.email,
        "teamviewer_ids": list(c.teamviewer_ids),
        "license_until": c.license_until.isoformat() if c.license_until else None,
        "fee_paid": c.fee_paid,
        "fees_charged": dict(c.fees_charged),
        "kind": c.kind,
        "signatory": c.signatory,
        "contract": c.contract,
        "archived": c.archived,
        "former_codes": list(c.former_codes),
    }


def decode_client(raw: object, where: str) -> Client:
    """A client from its stored record."""
    d = _obj(raw, where)
    fees = _obj(d.get("fees_charged", {}), f"{where}.fees_charged")
    for key, number in fees.items():
        if not isinstance(number, str):
            raise ShapeError(f"{where}.fees_charged.{key}", _("must be an invoice number"))
    return Client(
        code=_str(d, "code", where),
        name=_str(d, "name", where),
        inn=_opt_str(d, "inn", where),
        kpp=_opt_str(d, "kpp", where),
        ogrn=_opt_str(d, "ogrn", where),
        address=_opt_str(d, "address", where),
        phone=_opt_str(d, "phone", where),
        email=_opt_str(d, "email", where),
        teamviewer_ids=_teamviewer_ids(d, where),
        license_until=_date(d, "license_until", where, optional=True),
        fee_paid=_bool(d, "fee_paid", where),
        fees_charged=dict(fees),
        kind=_kind(d, where),
        signatory=_opt_str(d, "signatory", where),
        contract=_opt_str(d, "contract", where),
        archived=_bool(d, "archived", where),
        former_codes=_codes(d.get("former_codes", []), f"{where}.former_codes"),
    )


def _kind(d: Mapping[str, Any], where: str) -> PartyKind:
    """A party's kind; a record from before kinds existed is a company."""
    kind = d.get("kind", "company")
    if kind not in PARTY_KINDS:
        raise ShapeError(f"{where}.kind", _("unknown kind {kind}").format(kind=repr(kind)))
    return kind  # type: ignore[no-any-return]


def _teamviewer_ids(d: Mapping[str, Any], where: str) -> tuple[str, ...]:
    """A client's TeamViewer IDs: the list ``teamviewer_ids``, or the one string
    ``teamviewer_id`` that records written before several were allowed hold."""
    if "teamviewer_ids" in d:
        ids = d["teamviewer_ids"]
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ShapeError(f"{where}.teamviewer_ids", _("must be a list of strings"))
        return tuple(ids)
    one = _opt_str(d, "teamviewer_id", where)
    return (one,) if one else ()


def _codes(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ShapeError(where, _("must be a list of client codes"))
    return tuple(value)


def encode_order(o: Order) -> dict[str, Any]:
    """The stored record of an order (``consent`` and ``evidence`` only where set)."""
    record = {
        "id": o.id,
        "client": o.client,
        "service": o.service,
        "at": o.at.isoformat(),
        "problem": o.problem,
        "phone": o.phone,
        "status": o.status,
        "session": o.session,
    }
    return _with_optional(record, o.evidence, consent=o.consent)


def decode_order(raw: object, where: str) -> Order:
    """An order from its stored record."""
    d = _obj(raw, where)
    status = _str(d, "status", where)
    if status not in ("open", "done", "cancelled"):
        raise ShapeError(f"{where}.status", _("unknown status {status}").format(status=repr(status)))
    return Order(
        id=_int(d, "id", where),
        client=_str(d, "client", where),
        service=_str(d, "service", where),
        at=parse_moment(d.get("at"), f"{where}.at"),
        problem=_opt_str(d, "problem", where),
        phone=_opt_str(d, "phone", where),
        status=status,  # type: ignore[arg-type]
        session=_opt_int(d, "session", where),
        consent=_opt_str(d, "consent", where),
        evidence=decode_evidence(d.get("evidence"), f"{where}.evidence"),
    )


def encode_line(line: InvoiceLine) -> dict[str, Any]:
    """One invoice line as stored (``evidence`` only where set)."""
    record = {
        "kind": line.kind,
        "session": line.session,
        "date": line.date.isoformat(),
        "title": line.title,
        "minutes": line.minutes,
        "billable_minutes": line.billable_minutes,
        "quantity": 1,
        "unit": "усл.",
        "rate": money_str(line.rate),
        "amount": money_str(line.amount),
        "tariff": line.tariff,
        "vat": line.vat,
        "vat_amount": money_str(line_vat(line)),
        "service": line.service,
        "fee_key": line.fee_key,
        "segments": [encode_segment(seg) for seg in line.segments],
    }
    return _with_optional(record, line.evidence)


def decode_line(raw: object, where: str) -> InvoiceLine:
    """An invoice line from its stored record."""
    d = _obj(raw, where)
    kind = _str(d, "kind", where)
    if kind not in ("session", "fee"):
        raise ShapeError(f"{where}.kind", _("unknown kind {kind}").format(kind=repr(kind)))
    segs = d.get("segments") or []
    return InvoiceLine(
        kind=kind,  # type: ignore[arg-type]
        session=_opt_int(d, "session", where),
        date=_date(d, "date", where),  # type: ignore[arg-type]
        title=_str(d, "title", where),
        minutes=_int(d, "minutes", where),
        billable_minutes=_int(d, "billable_minutes", where),
        rate=_money(d, "rate", where),
        amount=_money(d, "amount", where),
        tariff=_str(d, "tariff", where),
        vat=_str(d, "vat", where),
        service=_opt_str(d, "service", where),
        fee_key=_opt_str(d, "fee_key", where),
        segments=decode_segments(segs, f"{where}.segments") if segs else (),
        vat_amount=_money(d, "vat_amount", where) if d.get("vat_amount") is not None else None,
        evidence=decode_evidence(d.get("evidence"), f"{where}.evidence"),
    )


def encode_invoice(inv: Invoice) -> dict[str, Any]:
    """The stored record of an invoice, which is also its JSON output shape."""
    return {
        "number": inv.number,
        "date": inv.date.isoformat(),
        "period": inv.period,
        "status": inv.status,
        "client": dict(inv.client),
        "supplier": dict(inv.supplier),
        "lines": [encode_line(line) for line in inv.lines],
        "total": money_str(inv.total),
        "vat": {"mode": inv.vat_mode, "amount": money_str(inv.vat_amount)},
        "total_in_words": inv.total_in_words,
        "void_reason": inv.void_reason,
        "paid_on": inv.paid_on.isoformat() if inv.paid_on else None,
        "due_on": inv.due_on.isoformat() if inv.due_on else None,
        "act_date": inv.act_date.isoformat() if inv.act_date else None,
        "replaces": inv.replaces,
        "payments": [encode_payment(payment) for payment in inv.payments],
        "drafted_at": inv.drafted_at.isoformat() if inv.drafted_at else None,
        "reminded_at": inv.reminded_at.isoformat() if inv.reminded_at else None,
    }


def encode_payment(payment: InvoicePayment) -> dict[str, Any]:
    """The stored record of money received for an invoice."""
    return {
        "date": payment.date.isoformat(),
        "amount": money_str(payment.amount),
        "document": payment.document,
        "payer_inn": payment.payer_inn,
        "key": payment.key,
    }


def decode_payments(value: object, where: str) -> tuple[InvoicePayment, ...]:
    """An invoice's payments; a record from before payments were kept has none."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ShapeError(where, _("must be a list of payments"))
    out: list[InvoicePayment] = []
    for i, raw in enumerate(value):
        place = f"{where}[{i}]"
        d = _obj(raw, place)
        amount = _money(d, "amount", place)
        if amount <= 0:
            raise ShapeError(
                f"{place}.amount", _("must be more than nothing, not {amount}").format(amount=amount)
            )
        out.append(
            InvoicePayment(
                date=_date(d, "date", place),  # type: ignore[arg-type]
                amount=amount,
                document=_opt_str(d, "document", place) or "",
                payer_inn=_opt_str(d, "payer_inn", place) or "",
                key=_opt_str(d, "key", place),
            )
        )
    return tuple(out)


def _opt_moment(d: Mapping[str, Any], key: str, where: str) -> datetime | None:
    value = d.get(key)
    return None if value is None else parse_moment(value, f"{where}.{key}")


def decode_invoice(raw: object, where: str) -> Invoice:
    """An invoice from its stored record."""
    d = _obj(raw, where)
    status = _str(d, "status", where)
    if status not in INVOICE_STATUSES:
        raise ShapeError(f"{where}.status", _("unknown status {status}").format(status=repr(status)))
    lines_raw = d.get("lines")
    if not isinstance(lines_raw, list):
        raise ShapeError(f"{where}.lines", _("must be a list"))
    vat = _obj(d.get("vat"), f"{where}.vat")
    vat_amount = _money(vat, "amount", f"{where}.vat")
    lines = tuple(decode_line(x, f"{where}.lines[{i}]") for i, x in enumerate(lines_raw))
    return Invoice(
        number=_str(d, "number", where),
        date=_date(d, "date", where),  # type: ignore[arg-type]
        period=_str(d, "period", where),
        status=status,
        client=dict(_obj(d.get("client"), f"{where}.client")),
        supplier=dict(_obj(d.get("supplier"), f"{where}.supplier")),
        lines=with_line_vat(lines, vat_amount),  # a record from before issue 13 keeps no VAT per line
        total=_money(d, "total", where),
        vat_mode=_str(vat, "mode", f"{where}.vat"),
        vat_amount=vat_amount,
        total_in_words=_str(d, "total_in_words", where),
        void_reason=_opt_str(d, "void_reason", where),
        paid_on=_date(d, "paid_on", where, optional=True),
        due_on=_date(d, "due_on", where, optional=True),
        act_date=_date(d, "act_date", where, optional=True),
        replaces=_opt_str(d, "replaces", where),
        payments=decode_payments(d.get("payments"), f"{where}.payments"),
        drafted_at=_opt_moment(d, "drafted_at", where),
        reminded_at=_opt_moment(d, "reminded_at", where),
    )


#: what an invoice's index row keeps of its record (the rest is read only to print it)
_INDEXED = ("number", "date", "period", "status", "total", "vat", "paid_on", "void_reason", "due_on")


def index_row(record: dict[str, Any]) -> dict[str, Any]:
    """The top-level figures of an invoice's stored record (no lines, no requisites),
    plus ``client_code`` and ``client_name``: what a listing or a report needs."""
    row = {k: record.get(k) for k in _INDEXED}
    client = record.get("client")
    client = client if isinstance(client, dict) else {}
    row["client_code"] = client.get("code")
    row["client_name"] = client.get("name")
    row["balance"], row["last_payment_on"] = _balance(record)
    return row


def _balance(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """An invoice record's open balance and the day of its latest payment, as stored text
    (``core.settlement`` on the record itself; ``None`` where the record is malformed:
    reading the invoice then says where)."""
    payments = record.get("payments") or []
    try:
        days = [str(p["date"]) for p in payments]
        paid = sum((Decimal(p["amount"]) for p in payments), Decimal("0.00"))
        total = Decimal(record["total"])
    except (KeyError, TypeError, ArithmeticError):
        return None, None
    last = max(days, default=record.get("paid_on"))
    status = record.get("status")
    if status == "void" or (status == "paid" and not payments):
        return "0.00", last
    return money_str(max(total - paid, Decimal("0.00"))), last


def _summary_balance(row: Mapping[str, Any]) -> Decimal:
    """The balance of an index row; a row from before balances were kept (a PostgreSQL
    summary not yet upgraded) had no payments: all of it, or nothing once paid or void."""
    if row.get("balance") is not None:
        return Decimal(row["balance"])
    return Decimal(row["total"]) if row["status"] == "issued" else Decimal("0.00")


def decode_summary(row: dict[str, Any], where: str) -> InvoiceSummary:
    """An index row as a value; a row that does not decode names its place."""
    try:
        vat = row.get("vat") or {}
        return InvoiceSummary(
            number=str(row["number"]),
            date=date.fromisoformat(row["date"]),
            period=str(row["period"]),
            status=str(row["status"]),
            total=Decimal(row["total"]),
            vat_mode=str(vat.get("mode", "none")),
            vat_amount=Decimal(vat.get("amount", "0.00")),
            client_code=str(row.get("client_code")),
            client_name=str(row.get("client_name") or ""),
            paid_on=date.fromisoformat(row["paid_on"]) if row.get("paid_on") else None,
            void_reason=row.get("void_reason"),
            due_on=date.fromisoformat(row["due_on"]) if row.get("due_on") else None,
            balance=_summary_balance(row),
            last_payment_on=(
                date.fromisoformat(row["last_payment_on"])
                if row.get("last_payment_on")
                else date.fromisoformat(row["paid_on"])
                if row.get("paid_on")
                else None
            ),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise LedgerError(
            _("{where}: invoice {number}: not a readable summary ({problem})").format(
                where=where, number=row.get("number"), problem=exc
            ),
            hint=_("'kvsupport ledger check' names every problem"),
        ) from None
