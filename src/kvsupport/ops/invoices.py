"""Invoice actions: issue the month's invoices, list, show, void, pay (by hand: cash, corrections)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from kvsupport.core import readable
from kvsupport.core.billing import (
    build_invoice,
    charge_for,
    default_act_date,
    format_number,
    invoice_lines,
    invoice_total,
    invoiceable,
    local_date,
)
from kvsupport.core.models import OPEN_STATUSES, Client, Invoice, InvoicePayment, Session
from kvsupport.core.money import money_str
from kvsupport.core.records import client_snapshot
from kvsupport.core.settlement import balance_of, paid_amount, with_payment
from kvsupport.core.words import amount_in_words
from kvsupport.errors import InvalidValue, NotFound, Refused
from kvsupport.i18n import _
from kvsupport.ops.client_codes import client_of_code, summaries_of
from kvsupport.ops.env import Env
from kvsupport.ops.sessions import select
from kvsupport.storage.api import InvoiceSummary, Store

MAX_DATE_AHEAD = timedelta(days=31)


@dataclass
class Issued:
    """What ``kvsupport invoice`` did (or, with ``--dry-run``, would do)."""

    period: str
    invoices: list[Invoice] = field(default_factory=list)
    running: list[Session] = field(default_factory=list)
    earlier_unbilled: str | None = None


def month_to_invoice(on: date) -> tuple[int, int]:
    """The month a bare ``kvsupport invoice`` on ``on`` issues: the one that has ended —
    the previous month, or on a month's last day, that month (SPEC §5, issue 12)."""
    if (on + timedelta(days=1)).month != on.month:
        return on.year, on.month
    return (on.year - 1, 12) if on.month == 1 else (on.year, on.month - 1)


def month_in_progress(year: int, month: int, on: date) -> date | None:
    """The last day of ``year``-``month`` when that month has not ended on ``on`` (it is
    ``on``'s month and ``on`` is not its last day), else ``None``."""
    after = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    last = after - timedelta(days=1)
    return last if date(year, month, 1) <= on < last else None


def _sequence_key(number_format: str, year: int) -> int:
    """Numbers restart each year only when the format shows the year."""
    return year if "{year" in number_format else 0


def issue(
    env: Env,
    year: int,
    month: int,
    *,
    client: str | None = None,
    issued_on: date | None = None,
    dry_run: bool = False,
    act_date: date | None = None,
) -> Issued:
    """Issue one invoice per client with unbilled billable sessions of the month.

    Sessions already invoiced are never billed again; a running session waits.
    With ``dry_run`` the same invoices are computed and nothing is stored (no
    number is used up). Neither the invoice nor its act (``act_date``, default
    :func:`~kvsupport.core.billing.default_act_date`) may be dated before the last
    session it bills ended; without the supplier's name, INN and account nothing is
    issued (a dry run is allowed: it spends no number).
    """
    period = f"{year:04d}-{month:02d}"
    on = issued_on or env.today
    if on < date(year, month, 1):
        raise InvalidValue(
            _("invoice date {date} is before the period {period}").format(
                date=readable.day(on), period=readable.period(period)
            )
        )
    if on > env.today + MAX_DATE_AHEAD:
        raise InvalidValue(
            _("invoice date {date} is more than a month ahead").format(date=readable.day(on)),
            hint=_("an invoice is dated the day it is issued; its number counts in that year"),
        )
    if act_date is not None:
        _check_date_ahead(env, act_date, "--act-date")
    number_format = str(env.config.get("invoice.number_format"))
    supplier = env.config.supplier()
    missing = missing_supplier_requisites(supplier)
    result = Issued(period)
    with env.store(write=True, rehearse=dry_run) as store:
        client = None if client is None else store.client(client).code
        sessions = select(env, store, month=(year, month), client=client)
        result.running = [s for s in sessions if s.is_running]
        for code, group in _by_client(invoiceable(sessions, period, env.tz)).items():
            invoice = _invoice_for(env, store, store.client(code), group, period, on, number_format)
            if invoice is None:
                continue
            if not result.invoices:  # the series' lock is held now: the latest date is final
                _refuse_backdating(store, invoice, number_format)
            if missing and not dry_run:
                raise Refused(
                    _("cannot issue invoices: {keys} not set in the config").format(keys=", ".join(missing)),
                    hint=_(
                        "a number spent on an invoice nobody can pay is a gap: kvsupport config set {key} …"
                    ).format(key=missing[0]),
                )
            invoice = invoice._replace(
                supplier=supplier,
                act_date=_act_date(env, invoice, group, act_date),
                replaces=_replaced(store, invoice, group),
            )
            _store(store, invoice, group, sessions_too=not dry_run)
            result.invoices.append(invoice)
        if not result.invoices and not result.running:
            result.earlier_unbilled = _earlier_unbilled(env, store, year, month, client)
    return result


def missing_supplier_requisites(supplier: Mapping[str, object]) -> list[str]:
    """The config keys of the supplier's name, INN and account that are not set: an
    invoice is not issued without them (issue 12: a number nobody can pay is a gap)."""
    return [f"supplier.{key}" for key in ("name", "inn", "account") if not supplier.get(key)]


def _check_date_ahead(env: Env, on: date, option: str) -> None:
    if on > env.today + MAX_DATE_AHEAD:
        raise InvalidValue(_("{option} {date} is more than a month ahead").format(option=option, date=on))


def _last_billed(env: Env, invoice: Invoice, sessions: list[Session]) -> tuple[Session, date]:
    """The billed session that ended last, and the local date it ended."""
    billed = {line.session for line in invoice.lines if line.kind == "session"}
    ended = [(local_date(s.ended_at, env.tz), s.id, s) for s in sessions if s.id in billed and s.ended_at]
    day, _id, session = max(ended)
    return session, day


def _act_date(env: Env, invoice: Invoice, sessions: list[Session], given: date | None) -> date:
    """The act's date (SPEC §8.1): ``given``, or by default the period's last day; never
    before the last service it certifies. The invoice date obeys the same rule."""
    last, ended = _last_billed(env, invoice, sessions)
    checks = (
        (invoice.date, _("invoice date {date} is before session {id} ({client}) ended on {ended}")),
        (given, _("act date {date} is before session {id} ({client}) ended on {ended}")),
    )
    for day, message in checks:
        if day is not None and day < ended:
            raise InvalidValue(
                message.format(date=day, id=last.id, client=last.client, ended=ended),
                hint=_("a document cannot record work not yet done: date it {ended} or later").format(
                    ended=ended
                ),
            )
    return given if given is not None else default_act_date(invoice.period, invoice.date, ended)


def _replaced(store: Store, invoice: Invoice, sessions: list[Session]) -> str | None:
    """The voided invoice of the same client and period that billed some of these
    sessions and that no invoice replaces yet (the latest, if several)."""
    voided = [
        row.number
        for row in store.invoice_summaries(statuses=("void",), client=invoice.client_code)
        if row.period == invoice.period
    ]
    if not voided:
        return None  # the usual case: the index says so without opening an invoice
    period = store.invoices(periods=[invoice.period])
    taken = {inv.replaces for inv in period if inv.replaces}
    ids = {s.id for s in sessions}
    for old in reversed(period):
        if old.number in voided and old.number not in taken and ids & {ln.session for ln in old.lines}:
            return old.number
    return None


def _by_client(sessions: list[Session]) -> dict[str, list[Session]]:
    groups: dict[str, list[Session]] = {}
    for s in sessions:
        groups.setdefault(s.client, []).append(s)
    return groups


def _invoice_for(
    env: Env,
    store: Store,
    client: Client,
    sessions: list[Session],
    period: str,
    on: date,
    number_format: str,
) -> Invoice | None:
    charges = [charge_for(s, env.tariffs, env.tz) for s in sessions]
    lines = invoice_lines(client, charges)
    if not lines:
        return None  # only free line calls
    number = _next_number(store, number_format, on.year)
    due_days = env.config.get("invoice.due_days")
    return build_invoice(
        number=number,
        issued_on=on,
        period=period,
        client=client_snapshot(client),
        supplier={},
        lines=lines,
        words=amount_in_words(invoice_total(lines)),
        due_on=on + timedelta(days=due_days) if isinstance(due_days, int) else None,
    )


def _refuse_backdating(store: Store, invoice: Invoice, number_format: str) -> None:
    """Numbers follow the dates: an invoice dated before one numbered earlier in the same
    series would carry a later number with an earlier date, which an auditor reads as a
    document made after the fact. Asked once the new number is taken (on a team ledger,
    after a colleague's issue that took the number before it has committed)."""
    key = _sequence_key(number_format, invoice.date.year)
    latest = max(
        (
            (row.date, row.number)
            for row in store.invoice_summaries()
            if row.number != invoice.number and _sequence_key(number_format, row.date.year) == key
        ),
        default=None,
    )
    if latest is not None and invoice.date < latest[0]:
        raise InvalidValue(
            _("invoice date {date} is before {latest}, the date of invoice {number}").format(
                date=readable.day(invoice.date), latest=readable.day(latest[0]), number=latest[1]
            ),
            hint=_("numbers follow the dates: date it {latest} or later (--date)").format(
                latest=readable.day(latest[0])
            ),
        )


def _next_number(store: Store, number_format: str, year: int) -> str:
    """The next number of the series; a number an earlier format already gave out (the
    format was changed) is passed over, never issued twice."""
    key = _sequence_key(number_format, year)
    while True:
        number = format_number(number_format, year=year, seq=store.next_invoice_seq(key))
        if not store.has_invoice(number):
            return number


def _store(store: Store, invoice: Invoice, sessions: list[Session], *, sessions_too: bool = True) -> None:
    """Store the invoice, its client's fees and (``sessions_too``) its sessions marked
    billed. A dry run leaves the sessions be: no later invoice of the run reads them (one
    invoice a client), and marking a month's sessions is most of a real issue's work."""
    billed = {line.session for line in invoice.lines if line.kind == "session"}
    for s in sessions if sessions_too else ():
        if s.id in billed:
            store.put_session(s._replace(invoice=invoice.number))
    fees = {line.fee_key: invoice.number for line in invoice.lines if line.fee_key}
    if fees:
        client = store.client(invoice.client_code)
        store.put_client(client._replace(fees_charged={**client.fees_charged, **fees}))
    store.add_invoice(invoice)


def _earlier_unbilled(env: Env, store: Store, year: int, month: int, client: str | None) -> str | None:
    """The previous month, if it still has unbilled work (a hint for the 1st of the month)."""
    prev = (year - 1, 12) if month == 1 else (year, month - 1)
    period = f"{prev[0]:04d}-{prev[1]:02d}"
    pending = invoiceable(select(env, store, month=prev, client=client), period, env.tz)
    for s in pending:
        try:
            _, service = env.tariffs.service_on(s.service, s.started_at.astimezone(env.tz).date())
        except (Refused, NotFound):
            continue
        if not service.is_free:
            return period
    return None


def listing(
    env: Env, *, unpaid: bool = False, client: str | None = None, overdue: bool = False
) -> list[InvoiceSummary]:
    """Invoices in order of issue (``unpaid``: issued or partly paid; ``overdue``: those
    of them past their due date), as their figures: no whole invoice is read."""
    with env.store() as store:
        # an unknown code is refused, not an empty listing; a renamed client's invoices
        # are found under the codes they froze
        found = store.client(client) if client else None
        rows = summaries_of(store, found, OPEN_STATUSES if unpaid or overdue else None)
    return [row for row in rows if is_overdue(row, env.today)] if overdue else rows


def is_overdue(row: InvoiceSummary, today: date) -> bool:
    """True when the invoice is unpaid (issued or partly paid) after its due date."""
    return row.status in OPEN_STATUSES and row.due_on is not None and row.due_on < today


def whole_invoices(
    env: Env, *, unpaid: bool = False, client: str | None = None, overdue: bool = False
) -> Iterator[list[Invoice]]:
    """The same invoices as :func:`listing`, whole, a period at a time; the ledger is not
    held while they are printed."""
    with env.store(long_read=True) as store:
        found = store.client(client) if client else None
        rows = summaries_of(store, found, OPEN_STATUSES if unpaid or overdue else None)
        numbers = [row.number for row in rows if not overdue or is_overdue(row, env.today)]
        yield from store.invoice_batches(numbers)


def show(env: Env, number: str) -> Invoice:
    """One invoice."""
    with env.store() as store:
        return store.invoice(number)


def void(env: Env, number: str, reason: str) -> Invoice:
    """Void an issued invoice: kept and marked, its sessions and fee released, number not reused."""
    if not reason.strip() or reason.startswith("--"):
        raise InvalidValue(_("give the reason: --reason TEXT"))
    with env.store(write=True) as store:
        invoice = store.invoice(number)
        if invoice.status == "void":
            raise Refused(
                _("invoice {number} is void already ({reason})").format(
                    number=number, reason=invoice.void_reason
                )
            )
        if invoice.status == "paid":
            raise Refused(
                _("invoice {number} was paid on {date}").format(number=number, date=invoice.paid_on),
                hint=_("a paid invoice stays; settle the refund outside kvsupport"),
            )
        if invoice.status == "partly_paid":
            raise Refused(
                _("invoice {number} is partly paid ({paid} RUB received)").format(
                    number=number, paid=money_str(paid_amount(invoice))
                ),
                hint=_("an invoice with payments stays; settle the refund outside kvsupport"),
            )
        for line in invoice.lines:
            if line.kind == "session" and line.session is not None:
                session = store.session(line.session)
                if session.invoice == number:
                    store.put_session(session._replace(invoice=None))
        _release_fees(store, invoice)
        voided = invoice._replace(status="void", void_reason=reason.strip())
        store.put_invoice(voided)
        return voided


def _release_fees(store: Store, invoice: Invoice) -> None:
    client = client_of_code(store, invoice.client_code)  # renamed since: under its code now
    if client is None:
        return
    kept: Mapping[str, str] = {k: v for k, v in client.fees_charged.items() if v != invoice.number}
    if len(kept) != len(client.fees_charged):
        store.put_client(client._replace(fees_charged=dict(kept)))


def pay(env: Env, number: str, paid_on: date, amount: Decimal | None = None) -> Invoice:
    """Record money received for an invoice on a date (cash, a correction): ``amount``, by
    default all that is left; less makes it partly paid."""
    with env.store(write=True) as store:
        invoice = store.invoice(number)
        if invoice.status == "void":
            raise Refused(
                _("invoice {number} is void ({reason})").format(number=number, reason=invoice.void_reason)
            )
        if invoice.status == "paid":
            raise Refused(
                _("invoice {number} was paid on {date} already").format(number=number, date=invoice.paid_on)
            )
        if paid_on < invoice.date:
            raise InvalidValue(
                _("payment date {date} is before the invoice date {invoice_date}").format(
                    date=paid_on, invoice_date=invoice.date
                )
            )
        if paid_on > env.today:
            raise InvalidValue(
                _("payment date {date} is in the future").format(date=paid_on),
                hint=_("record a payment once it arrives"),
            )
        payment = InvoicePayment(paid_on, balance_of(invoice) if amount is None else amount)
        paid = with_payment(invoice, payment)
        store.put_invoice(paid)
        return paid
