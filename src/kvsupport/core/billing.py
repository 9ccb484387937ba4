"""The billing rules of SPEC §3, as pure functions.

Worked time is kept to the second; billable minutes are worked time rounded to
the service's step with its rounding mode, then raised to the minimum; the
amount is ``rate × billable_minutes / 60`` rounded half-up to kopecks (the one
quantization point of a session's charge). A one-time fee is charged on the
first invoice that bills a session of a service carrying it, once per client.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_DOWN, Decimal
from typing import NamedTuple

from kvsupport.core.models import (
    Client,
    Invoice,
    InvoiceLine,
    Rounding,
    Service,
    Session,
    TariffVersion,
)
from kvsupport.core.money import KOPECK, ZERO, to_kopecks
from kvsupport.core.tariffs import Tariffs


class Charge(NamedTuple):
    """How one session's amount was reached (``kvsupport session show``)."""

    session: Session
    version: TariffVersion
    service: Service
    local_date: date
    worked_seconds: int
    rounded_minutes: int
    billable_minutes: int
    amount: Decimal

    @property
    def minutes(self) -> int:
        """Worked time in whole minutes, truncated."""
        return self.worked_seconds // 60

    @property
    def rate(self) -> Decimal:
        """The hourly rate applied."""
        return self.service.hourly_rate


def local_date(moment: datetime, tz: tzinfo | None) -> date:
    """The calendar date of ``moment`` in ``tz`` (``None``: the system's zone)."""
    return moment.astimezone(tz).date()


def local_period(moment: datetime, tz: tzinfo | None) -> str:
    """The ``YYYY-MM`` month ``moment`` belongs to in ``tz``."""
    return moment.astimezone(tz).strftime("%Y-%m")


def local_midnight(year: int, month: int, tz: tzinfo | None) -> datetime:
    """The first instant of the 1st of ``month`` in ``tz`` (``None``: the system's zone):
    a moment ``m`` has ``local_period(m, tz)`` of that month exactly when it lies between
    this and the next month's."""
    naive = datetime(year, month, 1)  # noqa: DTZ001 - given its zone on the next line
    return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()


def rounded_minutes(worked_seconds: int, step_minutes: int, rounding: Rounding) -> int:
    """Worked time rounded to whole steps: ``rounded_minutes(3660, 1, "up")`` → 61.

    ``nearest`` rounds half up: 90 seconds to a 1-minute step gives 2 minutes.
    """
    step_seconds = 60 * step_minutes
    whole, rest = divmod(worked_seconds, step_seconds)
    if (rounding == "up" and rest) or (rounding == "nearest" and 2 * rest >= step_seconds):
        whole += 1
    return whole * step_minutes


def billable_minutes(worked_seconds: int, service: Service) -> int:
    """Rounded worked minutes raised to the service's minimum."""
    rounded = rounded_minutes(worked_seconds, service.step_minutes, service.rounding)
    return max(rounded, service.minimum_minutes)


def amount_for(rate_per_hour: Decimal, minutes: int) -> Decimal:
    """``rate × minutes / 60`` half-up to kopecks: ``amount_for(1300, 61)`` → 1321.67."""
    return to_kopecks(rate_per_hour * minutes / 60)


def charge_for(session: Session, tariffs: Tariffs, tz: tzinfo | None, now: datetime | None = None) -> Charge:
    """The charge of ``session`` under the version in force on its local start date.

    A running session is charged up to ``now`` (its charge so far).
    """
    on = local_date(session.started_at, tz)
    version, service = tariffs.service_on(session.service, on)
    worked = session.worked_seconds(now)
    rounded = rounded_minutes(worked, service.step_minutes, service.rounding)
    billable = max(rounded, service.minimum_minutes)
    return Charge(
        session=session,
        version=version,
        service=service,
        local_date=on,
        worked_seconds=worked,
        rounded_minutes=rounded,
        billable_minutes=billable,
        amount=amount_for(service.hourly_rate, billable),
    )


def invoiceable(sessions: Iterable[Session], period: str, tz: tzinfo | None) -> list[Session]:
    """Sessions of ``period`` that are finished and not yet on an invoice, oldest first."""
    chosen = [
        s
        for s in sessions
        if not s.is_running and s.invoice is None and local_period(s.started_at, tz) == period
    ]
    chosen.sort(key=lambda s: (s.started_at, s.id))
    return chosen


def vat_in(amount: Decimal, vat: str) -> Decimal:
    """The VAT included in ``amount`` at ``vat`` (``"none"`` or a percentage), half-up to
    kopecks: ``vat_in(1525.00, "20")`` → 254.17."""
    if vat == "none":
        return ZERO
    rate = Decimal(vat)
    return to_kopecks(amount * rate / (100 + rate))


def line_vat(line: InvoiceLine) -> Decimal:
    """The VAT included in a line's amount: as stored, else computed by :func:`vat_in`."""
    return line.vat_amount if line.vat_amount is not None else vat_in(line.amount, line.vat)


def invoice_lines(client: Client, charges: Sequence[Charge]) -> tuple[InvoiceLine, ...]:
    """The lines of one client's invoice: one per paid session, fees after their first session.

    Free services are left out. A one-time fee appears once, after the first
    session of a service carrying it, at the amount of that session's version,
    unless the client paid it before or an earlier invoice charged it.
    """
    lines: list[InvoiceLine] = []
    fees_added: set[str] = set()
    for charge in sorted(charges, key=lambda c: (c.session.started_at, c.session.id)):
        service = charge.service
        if service.is_free:
            continue
        lines.append(
            InvoiceLine(
                kind="session",
                session=charge.session.id,
                date=charge.local_date,
                title=service.title,
                minutes=charge.minutes,
                billable_minutes=charge.billable_minutes,
                rate=service.hourly_rate,
                amount=charge.amount,
                tariff=charge.version.label,
                vat=charge.version.vat,
                service=service.key,
                segments=charge.session.segments,
                vat_amount=vat_in(charge.amount, charge.version.vat),
                evidence=charge.session.evidence,
            )
        )
        fee = service.one_time_fee
        if fee is not None and fee.key not in fees_added and client.owes_fee(fee.key):
            fees_added.add(fee.key)
            lines.append(
                InvoiceLine(
                    kind="fee",
                    session=charge.session.id,
                    date=charge.local_date,
                    title=fee.title,
                    minutes=0,
                    billable_minutes=0,
                    rate=fee.amount,
                    amount=fee.amount,
                    tariff=charge.version.label,
                    vat=charge.version.vat,
                    fee_key=fee.key,
                    vat_amount=vat_in(fee.amount, charge.version.vat),
                )
            )
    return tuple(lines)


def vat_included(lines: Iterable[InvoiceLine]) -> tuple[str, Decimal]:
    """The VAT mode and the VAT included in the lines' total (SPEC §3.8, §8.1).

    ``("none", 0.00)`` when no line carries VAT; else ``("included", amount)``:
    the sum of each line's VAT (``amount × rate / (100 + rate)``, half-up to the
    kopeck), so the VAT printed per line adds up to the VAT printed in total.
    """
    lines = list(lines)
    if all(line.vat == "none" for line in lines):
        return "none", ZERO
    return "included", sum((line_vat(line) for line in lines), ZERO)


def with_line_vat(lines: Sequence[InvoiceLine], vat_total: Decimal) -> tuple[InvoiceLine, ...]:
    """``lines`` with their ``vat_amount`` filled in so that they add up to ``vat_total``.

    For invoices stored before VAT was kept per line: their total VAT was computed
    per rate (``subtotal × rate / (100 + rate)``), which can differ by a kopeck or
    two from the sum of the lines rounded one by one. The frozen total stays; it is
    shared out by the largest remainder (each line gets its VAT rounded down, the
    kopecks left go to the lines that lost most). Lines that have it keep theirs.
    """
    if all(line.vat_amount is not None for line in lines):
        return tuple(lines)
    exact = [
        ZERO if line.vat == "none" else line.amount * Decimal(line.vat) / (100 + Decimal(line.vat))
        for line in lines
    ]
    floors = [value.quantize(KOPECK, rounding=ROUND_DOWN) for value in exact]
    left = int((vat_total - sum(floors, ZERO)) / KOPECK)
    taxed = [i for i, line in enumerate(lines) if line.vat != "none"]
    if not 0 <= left <= len(taxed):  # not a total these lines can make: round each line
        return tuple(line._replace(vat_amount=line_vat(line)) for line in lines)
    taxed.sort(key=lambda i: (floors[i] - exact[i], i))
    extra = set(taxed[:left])
    return tuple(
        line._replace(vat_amount=floors[i] + (KOPECK if i in extra else ZERO)) for i, line in enumerate(lines)
    )


def last_day(period: str) -> date:
    """The last day of a ``YYYY-MM`` period: ``last_day("2026-11")`` → 2026-11-30."""
    year, month = (int(part) for part in period.split("-"))
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def default_act_date(period: str, issued_on: date, last_service: date) -> date:
    """The act's date when none is given (SPEC §8.1): the last day of the billed
    period, or the invoice date if that is earlier (an invoice issued within the
    month), and never before the day the last service it certifies ended."""
    return max(min(last_day(period), issued_on), last_service)


def build_invoice(
    *,
    number: str,
    issued_on: date,
    period: str,
    client: Mapping[str, object],
    supplier: Mapping[str, object],
    lines: tuple[InvoiceLine, ...],
    words: str,
    due_on: date | None = None,
    act_date: date | None = None,
    replaces: str | None = None,
) -> Invoice:
    """An issued invoice over ``lines``; ``words`` is the total in words, ``due_on``
    the day to pay by (``None``: none printed), ``act_date`` the date of its act,
    ``replaces`` the number of the voided invoice it replaces. Each line gets the VAT
    it includes (:func:`line_vat`), and the invoice their sum."""
    lines = tuple(
        line if line.vat_amount is not None else line._replace(vat_amount=line_vat(line)) for line in lines
    )
    total = sum((line.amount for line in lines), ZERO)
    mode, vat = vat_included(lines)
    return Invoice(
        number=number,
        date=issued_on,
        period=period,
        status="issued",
        client=dict(client),
        supplier=dict(supplier),
        lines=lines,
        total=total,
        vat_mode=mode,
        vat_amount=vat,
        total_in_words=words,
        due_on=due_on,
        act_date=act_date,
        replaces=replaces,
    )


def invoice_total(lines: Iterable[InvoiceLine]) -> Decimal:
    """The sum of the lines' amounts."""
    return sum((line.amount for line in lines), ZERO)


def format_number(fmt: str, *, year: int, seq: int) -> str:
    """An invoice number from ``invoice.number_format``: ``{year}-{seq:04d}`` → ``2026-0001``."""
    return fmt.format(year=year, seq=seq)
