"""Properties of the billing rules (SPEC §3) over drawn tariffs and sessions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from kvsupport.core.billing import amount_for, build_invoice, charge_for, invoice_lines
from kvsupport.core.models import ROUNDINGS, Client, OneTimeFee, Segment, Service, Session, TariffVersion
from kvsupport.core.money import money_str, to_kopecks
from kvsupport.core.tariffs import Tariffs

MSK = ZoneInfo("Europe/Moscow")
START = datetime(2026, 11, 20, 10, 0, tzinfo=MSK)
FEE = OneTimeFee(key="remote-connection", title="Подключение", amount=Decimal("4000.00"))
SIX_HOURS_US = 6 * 3600 * 10**6

FAST = settings(max_examples=150, deadline=None)

money = st.integers(min_value=0, max_value=1_000_000).map(lambda k: Decimal(k).scaleb(-2))


@st.composite
def services(draw: st.DrawFn, key: str = "x", fee: OneTimeFee | None = None) -> Service:
    return Service(
        key=key,
        title=key,
        hourly_rate=draw(money),
        minimum_minutes=draw(st.integers(min_value=0, max_value=240)),
        step_minutes=draw(st.integers(min_value=1, max_value=60)),
        rounding=draw(st.sampled_from(ROUNDINGS)),
        one_time_fee=fee,
    )


def tariffs_of(*offered: Service, vat: str = "none") -> Tariffs:
    version = TariffVersion(
        effective=date(2017, 1, 1),
        title="drawn",
        vat=vat,
        services={s.key: s for s in offered},
    )
    return Tariffs(source="drawn", versions=(version,))


def one_segment(duration: timedelta, service: str = "x", sid: int = 1, start: datetime = START) -> Session:
    return Session(id=sid, client="c", service=service, segments=(Segment(start, start + duration),))


@FAST
@given(
    service=services(),
    shorter=st.integers(min_value=0, max_value=SIX_HOURS_US),
    more=st.integers(min_value=0, max_value=SIX_HOURS_US),
)
def test_more_worked_time_never_costs_less(service: Service, shorter: int, more: int) -> None:
    tariffs = tariffs_of(service)
    less_charge = charge_for(one_segment(timedelta(microseconds=shorter)), tariffs, MSK)
    more_charge = charge_for(one_segment(timedelta(microseconds=shorter + more)), tariffs, MSK)
    assert less_charge.worked_seconds <= more_charge.worked_seconds
    assert less_charge.billable_minutes <= more_charge.billable_minutes
    assert less_charge.amount <= more_charge.amount


@FAST
@given(service=services(), seconds=st.integers(min_value=0, max_value=6 * 3600))
def test_minimum_is_always_charged_and_amounts_have_two_decimals(service: Service, seconds: int) -> None:
    charge = charge_for(one_segment(timedelta(seconds=seconds)), tariffs_of(service), MSK)
    assert charge.billable_minutes >= service.minimum_minutes
    assert charge.billable_minutes >= charge.rounded_minutes
    assert charge.billable_minutes % service.step_minutes == 0 or charge.billable_minutes == (
        service.minimum_minutes
    )
    assert charge.amount >= to_kopecks(service.hourly_rate * service.minimum_minutes / 60)
    assert charge.amount == to_kopecks(service.hourly_rate * charge.billable_minutes / 60)
    assert charge.amount.as_tuple().exponent == -2
    assert money_str(charge.amount) == f"{charge.amount}"


@FAST
@given(
    service=services(),
    total=st.integers(min_value=0, max_value=SIX_HOURS_US),
    cuts=st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=4),
    gaps=st.lists(st.integers(min_value=0, max_value=3 * 3600 * 10**6), min_size=5, max_size=5),
)
def test_splitting_a_session_into_segments_does_not_change_its_charge(
    service: Service, total: int, cuts: list[float], gaps: list[int]
) -> None:
    """A link that drops and resumes costs what the same time in one piece costs (SPEC §2)."""
    points = sorted(int(total * c) for c in cuts)
    durations = [b - a for a, b in zip([0, *points], [*points, total], strict=True)]
    assert sum(durations) == total
    segments: list[Segment] = []
    at = START
    for duration, gap in zip(durations, gaps[: len(durations)], strict=True):
        segments.append(Segment(at, at + timedelta(microseconds=duration)))
        at += timedelta(microseconds=duration + gap)
    split = Session(id=1, client="c", service="x", segments=tuple(segments))
    tariffs = tariffs_of(service)
    whole = charge_for(one_segment(timedelta(microseconds=total)), tariffs, MSK)
    pieces = charge_for(split, tariffs, MSK)
    assert pieces.worked_seconds == whole.worked_seconds == total // 10**6
    assert (pieces.billable_minutes, pieces.amount) == (whole.billable_minutes, whole.amount)


@st.composite
def invoices_input(draw: st.DrawFn) -> tuple[Tariffs, Client, list[Session]]:
    line = Service(key="line", title="Линия", hourly_rate=Decimal(0))
    backup = draw(services(key="backup"))
    remote = draw(services(key="remote", fee=FEE))
    vat = draw(st.sampled_from(["none", "10", "20"]))
    client = Client(
        code="c",
        name="C",
        fee_paid=draw(st.booleans()),
        fees_charged=draw(st.sampled_from([{}, {FEE.key: "2026-0001"}, {"other": "2026-0002"}])),
    )
    sessions: list[Session] = []
    for sid in range(draw(st.integers(min_value=0, max_value=6))):
        start = START + timedelta(minutes=draw(st.integers(min_value=-20_000, max_value=20_000)))
        lengths = draw(st.lists(st.integers(min_value=0, max_value=4 * 3600), min_size=1, max_size=3))
        segments = []
        at = start
        for seconds in lengths:
            segments.append(Segment(at, at + timedelta(seconds=seconds)))
            at += timedelta(seconds=seconds + 600)
        service = draw(st.sampled_from(["line", "backup", "remote"]))
        sessions.append(Session(id=sid, client="c", service=service, segments=tuple(segments)))
    return tariffs_of(line, backup, remote, vat=vat), client, sessions


@FAST
@given(invoices_input())
def test_invoice_total_is_the_sum_of_lines_each_adding_up(
    drawn: tuple[Tariffs, Client, list[Session]],
) -> None:
    tariffs, client, sessions = drawn
    charges = [charge_for(s, tariffs, MSK) for s in sessions]
    lines = invoice_lines(client, charges)
    invoice = build_invoice(
        number="2026-0001",
        issued_on=date(2026, 11, 30),
        period="2026-11",
        client={"code": client.code},
        supplier={},
        lines=lines,
        words="",
    )
    # what the accountant sees: printed sums add up to the printed total
    assert invoice.total == sum((Decimal(money_str(line.amount)) for line in lines), Decimal(0))
    assert invoice.total.as_tuple().exponent == -2
    assert Decimal(0) <= invoice.vat_amount <= invoice.total
    for line in lines:
        assert line.amount.as_tuple().exponent == -2
        if line.kind == "fee":
            assert 1 * line.rate == line.amount  # quantity 1 × price = sum
        else:
            assert line.amount == amount_for(line.rate, line.billable_minutes)
    paid = [c for c in charges if not c.service.is_free]
    assert [line.session for line in lines if line.kind == "session"] == [
        c.session.id for c in sorted(paid, key=lambda c: (c.session.started_at, c.session.id))
    ]
    fees = [line for line in lines if line.kind == "fee"]
    owes = client.owes_fee(FEE.key) and any(c.service.key == "remote" for c in charges)
    assert len(fees) == (1 if owes else 0)
