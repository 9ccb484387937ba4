"""The billing rules of SPEC §3, as pure functions.

Worked time is kept to the second; billable minutes are worked time rounded to
the service's step with its rounding mode, then raised to the minimum; the
amount is ``rate × billable_minutes / 60`` rounded half-up to kopecks (the one
quantization point of a session's charge). A one-time fee is charged on the
first invoice that bills a session of a service carrying it, once per client.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal
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
from kvsupport.core.money import ZERO, to_kopecks
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
                )
            )
    return tuple(lines)


def vat_included(lines: Iterable[InvoiceLine]) -> tuple[str, Decimal]:
    """The VAT mode and the VAT included in the lines' total (SPEC §3.8).

    ``("none", 0.00)`` when no line carries VAT; else ``("included", amount)``,
    the VAT of each rate's subtotal, ``subtotal × rate / (100 + rate)``.
    """
    by_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        if line.vat != "none":
            rate = Decimal(line.vat)
            by_rate[rate] = by_rate.get(rate, ZERO) + line.amount
    if not by_rate:
        return "none", ZERO
    vat = sum((to_kopecks(total * rate / (100 + rate)) for rate, total in by_rate.items()), ZERO)
    return "included", vat


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
) -> Invoice:
    """An issued invoice over ``lines``; ``words`` is the total in words, ``due_on``
    the day to pay by (``None``: none printed)."""
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
    )


def invoice_total(lines: Iterable[InvoiceLine]) -> Decimal:
    """The sum of the lines' amounts."""
    return sum((line.amount for line in lines), ZERO)


def format_number(fmt: str, *, year: int, seq: int) -> str:
    """An invoice number from ``invoice.number_format``: ``{year}-{seq:04d}`` → ``2026-0001``."""
    return fmt.format(year=year, seq=seq)
