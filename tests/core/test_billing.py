"""Tests for kvsupport.core.billing: the rules of SPEC §3 as tables.

Most cases use the shipped 2017 price list; tariff changes use a two-version
list built from the dicts ``tomllib`` would return for a file.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kvsupport.core.billing import (
    Charge,
    billable_minutes,
    build_invoice,
    charge_for,
    invoice_lines,
    invoice_total,
    invoiceable,
    local_date,
    local_period,
    rounded_minutes,
    vat_included,
)
from kvsupport.core.models import Client, InvoiceLine, Rounding, Segment, Service, Session
from kvsupport.core.tariffs import Tariffs, tariffs_from_data
from kvsupport.errors import NotFound, Refused
from kvsupport.storage.paths import PACKAGED_TARIFFS
from kvsupport.storage.tariff_file import load_tariffs

MSK = ZoneInfo("Europe/Moscow")
LIST_2017 = load_tariffs(PACKAGED_TARIFFS)
MORNING = datetime(2026, 11, 20, 10, 0, tzinfo=MSK)
FEE_KEY = "remote-connection"


def make_session(
    service: str,
    *durations: timedelta,
    start: datetime = MORNING,
    sid: int = 1,
    gap: timedelta = timedelta(minutes=7),
    running: bool = False,
) -> Session:
    """A session of ``durations`` back to back with ``gap`` between; the last open if ``running``."""
    segments: list[Segment] = []
    at = start
    for index, duration in enumerate(durations):
        last = index == len(durations) - 1
        segments.append(Segment(start=at, end=None if running and last else at + duration))
        at += duration + gap
    return Session(id=sid, client="tsj", service=service, segments=tuple(segments))


def minutes(m: int, s: int = 0) -> timedelta:
    return timedelta(minutes=m, seconds=s)


def charge_2017(session: Session) -> Charge:
    return charge_for(session, LIST_2017, MSK)


CLIENT = Client(code="tsj", name="ТСЖ «Берёзка»")


# --- SPEC §3 examples and the minute boundaries with the 2017 list ---------------------


@pytest.mark.parametrize(
    ("service", "durations", "worked_minutes", "billable", "amount"),
    [
        # SPEC §3 examples
        ("backup", [minutes(45)], 45, 60, "1300.00"),
        ("backup", [minutes(61)], 61, 61, "1321.67"),
        ("remote", [minutes(90)], 90, 90, "1950.00"),
        ("remote", [minutes(20), minutes(30)], 50, 60, "1300.00"),
        # boundaries around the minimum and the step
        ("backup", [minutes(59)], 59, 60, "1300.00"),
        ("backup", [minutes(59, 59)], 59, 60, "1300.00"),
        ("backup", [minutes(60)], 60, 60, "1300.00"),
        ("backup", [minutes(60, 1)], 60, 61, "1321.67"),
        ("backup", [minutes(60, 59)], 60, 61, "1321.67"),
        ("backup", [minutes(61, 1)], 61, 62, "1343.33"),
        ("backup", [minutes(63)], 63, 63, "1365.00"),
        ("backup", [minutes(100)], 100, 100, "2166.67"),
        ("backup", [minutes(120)], 120, 120, "2600.00"),
        ("backup", [timedelta(0)], 0, 60, "1300.00"),
        ("backup", [timedelta(seconds=1)], 0, 60, "1300.00"),
        ("remote", [minutes(30), minutes(30, 1)], 60, 61, "1321.67"),
        ("remote", [minutes(10), minutes(10), minutes(10)], 30, 60, "1300.00"),
        # the free line: minimum 0, every started minute counted, never a kopeck
        ("line", [minutes(45)], 45, 45, "0.00"),
        ("line", [minutes(0, 1)], 0, 1, "0.00"),
    ],
)
def test_charge_with_2017_list(
    service: str, durations: list[timedelta], worked_minutes: int, billable: int, amount: str
) -> None:
    charge = charge_2017(make_session(service, *durations))
    assert charge.minutes == worked_minutes
    assert charge.billable_minutes == billable
    assert charge.amount == Decimal(amount)
    assert charge.amount.as_tuple().exponent == -2
    assert charge.rate == LIST_2017.versions[0].services[service].hourly_rate
    assert charge.version.label == "2017-01-01"


def test_dropped_link_resumed_is_one_session_charged_the_minimum_once() -> None:
    resumed = make_session("remote", minutes(20), minutes(30), gap=minutes(12))
    charge = charge_2017(resumed)
    assert len(charge.session.segments) == 2
    assert charge.worked_seconds == 50 * 60  # the 12-minute gap is not worked time
    assert (charge.minutes, charge.billable_minutes, charge.amount) == (50, 60, Decimal("1300.00"))
    # two separate sessions would have paid the minimum twice
    apart = [make_session("remote", minutes(20)), make_session("remote", minutes(30), sid=2)]
    assert sum(charge_2017(s).amount for s in apart) == Decimal("2600.00")


def test_worked_time_is_summed_before_it_is_cut_to_the_second() -> None:
    """Times taken from the clock carry microseconds; a resumed session must not lose them."""
    piece = timedelta(minutes=30, milliseconds=600)
    split = charge_2017(make_session("remote", piece, piece))
    whole = charge_2017(make_session("remote", piece * 2))
    assert split.worked_seconds == whole.worked_seconds == 3601
    assert (split.billable_minutes, split.amount) == (61, Decimal("1321.67"))


def test_first_remote_session_on_an_invoice_is_followed_by_the_connection_fee() -> None:
    charge = charge_2017(make_session("remote", minutes(90)))
    lines = invoice_lines(CLIENT, [charge])
    assert [(line.kind, line.amount) for line in lines] == [
        ("session", Decimal("1950.00")),
        ("fee", Decimal("4000.00")),
    ]
    fee = lines[1]
    assert fee.fee_key == FEE_KEY
    assert fee.session == charge.session.id
    assert fee.rate == fee.amount  # quantity 1 × price = sum
    assert invoice_total(lines) == Decimal("5950.00")


# --- rounding modes and steps ------------------------------------------------------------


def service_with(rounding: Rounding, step: int, minimum: int = 0) -> Service:
    return Service(
        key="x",
        title="x",
        hourly_rate=Decimal("1300.00"),
        minimum_minutes=minimum,
        step_minutes=step,
        rounding=rounding,
    )


@pytest.mark.parametrize(
    ("rounding", "step", "seconds", "expected"),
    [
        # step 1 minute: half-way is 30 s
        ("up", 1, 0, 0),
        ("up", 1, 1, 1),
        ("up", 1, 29, 1),
        ("up", 1, 30, 1),
        ("up", 1, 60, 1),
        ("up", 1, 61, 2),
        ("nearest", 1, 29, 0),
        ("nearest", 1, 30, 1),
        ("nearest", 1, 31, 1),
        ("nearest", 1, 89, 1),
        ("nearest", 1, 90, 2),
        ("down", 1, 30, 0),
        ("down", 1, 59, 0),
        ("down", 1, 60, 1),
        ("down", 1, 119, 1),
        # step 5 minutes: half-way is 2 min 30 s
        ("up", 5, 149, 5),
        ("up", 5, 150, 5),
        ("up", 5, 300, 5),
        ("up", 5, 301, 10),
        ("nearest", 5, 149, 0),
        ("nearest", 5, 150, 5),
        ("nearest", 5, 151, 5),
        ("nearest", 5, 449, 5),
        ("nearest", 5, 450, 10),
        ("down", 5, 150, 0),
        ("down", 5, 299, 0),
        ("down", 5, 300, 5),
        ("down", 5, 599, 5),
        # step 15 minutes: half-way is 7 min 30 s
        ("up", 15, 1, 15),
        ("up", 15, 449, 15),
        ("up", 15, 450, 15),
        ("up", 15, 900, 15),
        ("up", 15, 901, 30),
        ("nearest", 15, 449, 0),
        ("nearest", 15, 450, 15),
        ("nearest", 15, 451, 15),
        ("nearest", 15, 1349, 15),
        ("nearest", 15, 1350, 30),
        ("down", 15, 450, 0),
        ("down", 15, 899, 0),
        ("down", 15, 900, 15),
        ("down", 15, 1799, 15),
    ],
)
def test_rounded_minutes(rounding: Rounding, step: int, seconds: int, expected: int) -> None:
    assert rounded_minutes(seconds, step, rounding) == expected
    assert billable_minutes(seconds, service_with(rounding, step)) == expected


@pytest.mark.parametrize(
    ("rounding", "step", "seconds", "minimum", "billable"),
    [
        ("nearest", 15, 7 * 60 + 30, 0, 15),
        ("nearest", 15, 7 * 60 + 29, 0, 0),
        ("nearest", 15, 7 * 60 + 29, 60, 60),
        ("nearest", 15, 7 * 60 + 30, 60, 60),
        ("up", 1, 59 * 60, 0, 59),
        ("up", 1, 59 * 60, 60, 60),
        ("up", 1, 61 * 60, 60, 61),
        ("down", 5, 64 * 60 + 59, 60, 60),
        ("down", 5, 65 * 60, 60, 65),
        ("up", 15, 61 * 60, 60, 75),
        ("up", 1, 0, 0, 0),
        ("up", 1, 0, 60, 60),
    ],
)
def test_minimum_raises_the_rounded_time(
    rounding: Rounding, step: int, seconds: int, minimum: int, billable: int
) -> None:
    assert billable_minutes(seconds, service_with(rounding, step, minimum)) == billable


def test_rounding_of_a_tariff_applies_through_charge_for() -> None:
    data = {
        "tariff": [
            {
                "effective": date(2020, 1, 1),
                "title": "quarter hours",
                "services": {
                    "audit": {
                        "title": "Аудит",
                        "hourly_rate": "1200.00",
                        "minimum_minutes": 0,
                        "step_minutes": 15,
                        "rounding": "nearest",
                    }
                },
            }
        ]
    }
    tariffs = tariffs_from_data(data, "quarters.toml")
    half = charge_for(make_session("audit", minutes(7, 30)), tariffs, MSK)
    below = charge_for(make_session("audit", minutes(7, 29)), tariffs, MSK)
    assert (half.billable_minutes, half.amount) == (15, Decimal("300.00"))
    assert (below.billable_minutes, below.amount) == (0, Decimal("0.00"))


# --- the version in force on the local start date ----------------------------------------


def service_data(rate: str, fee: str | None = None) -> dict[str, object]:
    data: dict[str, object] = {"title": "Услуга", "hourly_rate": rate, "minimum_minutes": 60}
    if fee is not None:
        data["one_time_fee"] = {"key": FEE_KEY, "title": "Подключение", "amount": fee}
    return data


TWO_VERSIONS = tariffs_from_data(
    {
        "tariff": [
            {
                "effective": date(2017, 1, 1),
                "title": "Прайс-лист на 01.01.2017",
                "vat": "none",
                "services": {
                    "line": {"title": "Линия", "hourly_rate": 0},
                    "backup": service_data("1300.00"),
                    "remote": service_data("1300.00", fee="4000.00"),
                },
            },
            {
                "effective": date(2027, 1, 1),
                "title": "Прайс-лист на 01.01.2027",
                "vat": "20",
                "services": {
                    "backup": service_data("1500.00"),
                    "remote": service_data("1500.00", fee="5000.00"),
                    "audit": service_data("2000.00"),
                },
            },
        ]
    },
    "two.toml",
)
NEW_YEARS_EVE = datetime(2026, 12, 31, 23, 50, tzinfo=MSK)
NEW_YEAR = datetime(2027, 1, 1, 0, 5, tzinfo=MSK)


@pytest.mark.parametrize(
    ("start", "tz", "label", "on", "amount"),
    [
        # runs 30 minutes past midnight: still the day, and the list, of its start
        (NEW_YEARS_EVE, MSK, "2017-01-01", date(2026, 12, 31), "1950.00"),
        (NEW_YEAR, MSK, "2027-01-01", date(2027, 1, 1), "2250.00"),
        (datetime(2027, 1, 1, 0, 0, tzinfo=MSK), MSK, "2027-01-01", date(2027, 1, 1), "2250.00"),
        (datetime(2026, 12, 31, 23, 59, 59, tzinfo=MSK), MSK, "2017-01-01", date(2026, 12, 31), "1950.00"),
        # the same instant is still 2026-12-31 in UTC (21:05 UTC)
        (NEW_YEAR, UTC, "2017-01-01", date(2026, 12, 31), "1950.00"),
        (datetime(2017, 1, 1, 0, 0, tzinfo=MSK), MSK, "2017-01-01", date(2017, 1, 1), "1950.00"),
    ],
)
def test_version_in_force_on_the_local_start_date(
    start: datetime, tz: ZoneInfo, label: str, on: date, amount: str
) -> None:
    charge = charge_for(make_session("backup", minutes(90), start=start), TWO_VERSIONS, tz)
    assert charge.version.label == label
    assert charge.local_date == on
    assert charge.amount == Decimal(amount)


def test_session_past_midnight_on_new_years_eve_keeps_the_old_list() -> None:
    session = make_session("remote", minutes(30), minutes(20), start=NEW_YEARS_EVE)
    assert session.ended_at is not None
    assert session.ended_at.astimezone(MSK).date() == date(2027, 1, 1)
    charge = charge_for(session, TWO_VERSIONS, MSK)
    assert (charge.version.label, charge.local_date) == ("2017-01-01", date(2026, 12, 31))
    assert charge.rate == Decimal("1300.00")


def test_date_before_the_first_version_is_not_found_naming_the_date() -> None:
    early = make_session("backup", minutes(60), start=datetime(2016, 12, 31, 23, 59, tzinfo=MSK))
    with pytest.raises(NotFound, match="2016-12-31") as caught:
        charge_for(early, TWO_VERSIONS, MSK)
    assert caught.value.hint is not None
    assert "2017-01-01" in caught.value.hint


@pytest.mark.parametrize(
    ("service", "start", "on"),
    [
        ("audit", NEW_YEARS_EVE, "2026-12-31"),  # added by the new list
        ("line", NEW_YEAR, "2027-01-01"),  # dropped by the new list
        ("nosuch", NEW_YEAR, "2027-01-01"),
    ],
)
def test_service_missing_from_the_version_in_force_is_refused(service: str, start: datetime, on: str) -> None:
    with pytest.raises(Refused) as caught:
        charge_for(make_session(service, minutes(60), start=start), TWO_VERSIONS, MSK)
    assert f"'{service}'" in caught.value.message
    assert on in caught.value.message


def test_empty_tariffs_name_the_date() -> None:
    with pytest.raises(NotFound, match="2026-11-20"):
        charge_for(make_session("backup", minutes(60)), Tariffs(source="empty", versions=()), MSK)


# --- the month and the day a session belongs to ------------------------------------------


@pytest.mark.parametrize(
    ("moment", "tz", "day", "period"),
    [
        (datetime(2026, 1, 31, 23, 30, tzinfo=MSK), MSK, date(2026, 1, 31), "2026-01"),
        (datetime(2026, 2, 1, 0, 0, tzinfo=MSK), MSK, date(2026, 2, 1), "2026-02"),
        # one UTC instant, two calendars: 22:30 UTC is 01:30 next day in Moscow
        (datetime(2026, 1, 31, 22, 30, tzinfo=UTC), MSK, date(2026, 2, 1), "2026-02"),
        (datetime(2026, 1, 31, 22, 30, tzinfo=UTC), UTC, date(2026, 1, 31), "2026-01"),
        (datetime(2026, 12, 31, 21, 0, tzinfo=UTC), MSK, date(2027, 1, 1), "2027-01"),
        (datetime(2026, 12, 31, 20, 59, 59, tzinfo=UTC), MSK, date(2026, 12, 31), "2026-12"),
        (datetime(2026, 12, 31, 21, 0, tzinfo=UTC), UTC, date(2026, 12, 31), "2026-12"),
    ],
)
def test_local_date_and_period_depend_on_the_zone(
    moment: datetime, tz: ZoneInfo, day: date, period: str
) -> None:
    assert local_date(moment, tz) == day
    assert local_period(moment, tz) == period


def test_session_crossing_midnight_and_month_end_belongs_to_its_start_month() -> None:
    crossing = make_session(
        "backup", minutes(50), minutes(40), start=datetime(2026, 1, 31, 23, 30, tzinfo=MSK)
    )
    assert crossing.ended_at is not None
    assert local_period(crossing.ended_at, MSK) == "2026-02"
    assert local_period(crossing.started_at, MSK) == "2026-01"
    assert charge_for(crossing, LIST_2017, MSK).local_date == date(2026, 1, 31)
    assert invoiceable([crossing], "2026-01", MSK) == [crossing]
    assert invoiceable([crossing], "2026-02", MSK) == []


def test_invoiceable_takes_finished_unbilled_sessions_of_the_month_oldest_first() -> None:
    jan = datetime(2026, 1, 10, 9, 0, tzinfo=MSK)
    late = make_session("backup", minutes(60), start=jan + timedelta(days=5), sid=1)
    early = make_session("backup", minutes(60), start=jan, sid=2)
    billed = make_session("backup", minutes(60), start=jan, sid=3)._replace(invoice="2026-0001")
    running = make_session("backup", minutes(60), start=jan + timedelta(days=6), sid=4, running=True)
    other_month = make_session("backup", minutes(60), start=jan + timedelta(days=30), sid=5)
    chosen = invoiceable([late, early, billed, running, other_month], "2026-01", MSK)
    assert [s.id for s in chosen] == [2, 1]


# --- running sessions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("durations", "so_far", "billable", "amount"),
    [
        ([minutes(0)], minutes(75), 75, "1625.00"),
        ([minutes(0)], minutes(10), 60, "1300.00"),
        ([minutes(0)], minutes(60, 1), 61, "1321.67"),
        ([minutes(40), minutes(0)], minutes(25), 65, "1408.33"),
    ],
)
def test_running_session_is_charged_up_to_now(
    durations: list[timedelta], so_far: timedelta, billable: int, amount: str
) -> None:
    session = make_session("backup", *durations, running=True)
    now = session.segments[-1].start + so_far
    charge = charge_for(session, LIST_2017, MSK, now)
    assert (charge.billable_minutes, charge.amount) == (billable, Decimal(amount))


def test_running_session_without_now_is_an_error() -> None:
    session = make_session("backup", minutes(0), running=True)
    with pytest.raises(ValueError, match="running"):
        charge_for(session, LIST_2017, MSK)


# --- invoice lines ------------------------------------------------------------------------


def day(n: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, n, hour, 0, tzinfo=MSK)


def test_free_line_sessions_are_not_invoiced() -> None:
    charges = [
        charge_2017(make_session("line", minutes(45), start=day(2), sid=1)),
        charge_2017(make_session("backup", minutes(61), start=day(3), sid=2)),
        charge_2017(make_session("line", minutes(5), start=day(4), sid=3)),
    ]
    lines = invoice_lines(CLIENT, charges)
    assert [(line.kind, line.session, line.amount) for line in lines] == [
        ("session", 2, Decimal("1321.67")),
    ]
    assert invoice_lines(CLIENT, charges[::2]) == ()


def test_fee_is_charged_once_per_invoice_after_the_first_remote_session() -> None:
    charges = [
        charge_2017(make_session("remote", minutes(30), start=day(12), sid=7)),
        charge_2017(make_session("remote", minutes(90), start=day(5), sid=8)),
        charge_2017(make_session("backup", minutes(60), start=day(3), sid=9)),
    ]
    lines = invoice_lines(CLIENT, charges)
    assert [(line.kind, line.session) for line in lines] == [
        ("session", 9),
        ("session", 8),
        ("fee", 8),
        ("session", 7),
    ]
    assert [line.date for line in lines] == [
        date(2026, 11, 3),
        date(2026, 11, 5),
        date(2026, 11, 5),
        date(2026, 11, 12),
    ]
    assert invoice_total(lines) == Decimal("1300.00") + Decimal("1950.00") + Decimal("4000.00") + Decimal(
        "1300.00"
    )


@pytest.mark.parametrize(
    "client",
    [
        Client(code="old", name="Старый клиент", fee_paid=True),
        Client(code="billed", name="Уже выставлен", fees_charged={FEE_KEY: "2026-0003"}),
    ],
    ids=["fee_paid", "fees_charged"],
)
def test_no_fee_for_a_client_who_paid_it_or_was_billed_it(client: Client) -> None:
    charges = [charge_2017(make_session("remote", minutes(90), start=day(5)))]
    lines = invoice_lines(client, charges)
    assert [line.kind for line in lines] == ["session"]


def test_other_fee_keys_charged_before_do_not_waive_this_fee() -> None:
    client = Client(code="c", name="C", fees_charged={"another-fee": "2025-0001"})
    lines = invoice_lines(client, [charge_2017(make_session("remote", minutes(90)))])
    assert [line.kind for line in lines] == ["session", "fee"]


def test_fee_is_at_the_amount_of_its_session_version() -> None:
    after = charge_for(make_session("remote", minutes(60), start=NEW_YEAR, sid=1), TWO_VERSIONS, MSK)
    before = charge_for(make_session("remote", minutes(60), start=NEW_YEARS_EVE, sid=2), TWO_VERSIONS, MSK)
    only_new = invoice_lines(CLIENT, [after])
    assert [(line.kind, line.amount, line.tariff) for line in only_new] == [
        ("session", Decimal("1500.00"), "2027-01-01"),
        ("fee", Decimal("5000.00"), "2027-01-01"),
    ]
    both = invoice_lines(CLIENT, [after, before])
    assert [(line.kind, line.session, line.amount, line.tariff, line.vat) for line in both] == [
        ("session", 2, Decimal("1300.00"), "2017-01-01", "none"),
        ("fee", 2, Decimal("4000.00"), "2017-01-01", "none"),
        ("session", 1, Decimal("1500.00"), "2027-01-01", "20"),
    ]


def test_lines_are_ordered_by_start_then_id() -> None:
    same = day(9)
    charges = [
        charge_2017(make_session("backup", minutes(60), start=day(20), sid=1)),
        charge_2017(make_session("backup", minutes(60), start=same, sid=3)),
        charge_2017(make_session("backup", minutes(60), start=same, sid=2)),
        charge_2017(make_session("backup", minutes(60), start=day(1), sid=4)),
    ]
    assert [line.session for line in invoice_lines(CLIENT, charges)] == [4, 2, 3, 1]


def test_session_line_carries_what_the_printed_line_needs() -> None:
    session = make_session("backup", minutes(30), minutes(31), start=day(14))
    (line,) = invoice_lines(CLIENT, [charge_2017(session)])
    assert line.kind == "session"
    assert line.date == date(2026, 11, 14)
    assert (line.minutes, line.billable_minutes) == (61, 61)
    assert (line.rate, line.amount) == (Decimal("1300.00"), Decimal("1321.67"))
    assert (line.tariff, line.vat, line.service) == ("2017-01-01", "none", "backup")
    assert line.segments == session.segments


# --- VAT and the invoice ------------------------------------------------------------------


def line_of(amount: str, vat: str) -> InvoiceLine:
    return InvoiceLine(
        kind="session",
        session=1,
        date=date(2027, 1, 10),
        title="Услуга",
        minutes=60,
        billable_minutes=60,
        rate=Decimal(amount),
        amount=Decimal(amount),
        tariff="2027-01-01",
        vat=vat,
    )


@pytest.mark.parametrize(
    ("lines", "mode", "vat"),
    [
        ([], "none", "0.00"),
        ([("1300.00", "none")], "none", "0.00"),
        ([("1300.00", "none"), ("4000.00", "none")], "none", "0.00"),
        ([("1300.00", "20")], "included", "216.67"),
        ([("1500.00", "20")], "included", "250.00"),
        ([("0.05", "20")], "included", "0.01"),
        # the sum of each line's VAT, so the lines add up to what is printed (issue 13, item 8);
        # the VAT of the total would be 433.33
        ([("1300.00", "20"), ("1300.00", "20")], "included", "433.34"),
        ([("1300.00", "none"), ("1300.00", "20")], "included", "216.67"),
        ([("1100.00", "10"), ("1200.00", "20")], "included", "300.00"),
    ],
)
def test_vat_included(lines: list[tuple[str, str]], mode: str, vat: str) -> None:
    got_mode, got_vat = vat_included([line_of(a, v) for a, v in lines])
    assert (got_mode, got_vat) == (mode, Decimal(vat))
    assert got_vat.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("charges", "total", "vat_mode", "vat"),
    [
        (
            [
                charge_2017(make_session("remote", minutes(90), start=day(5), sid=1)),
                charge_2017(make_session("backup", minutes(61), start=day(6), sid=2)),
                charge_2017(make_session("line", minutes(61), start=day(7), sid=3)),
            ],
            "7271.67",
            "none",
            "0.00",
        ),
        (
            [charge_for(make_session("backup", minutes(61), start=NEW_YEAR), TWO_VERSIONS, MSK)],
            "1525.00",
            "included",
            "254.17",
        ),
    ],
)
def test_build_invoice_total_is_the_sum_of_its_lines(
    charges: list[Charge], total: str, vat_mode: str, vat: str
) -> None:
    lines = invoice_lines(CLIENT, charges)
    invoice = build_invoice(
        number="2026-0001",
        issued_on=date(2027, 1, 31),
        period="2026-11",
        client={"code": CLIENT.code, "name": CLIENT.name},
        supplier={"name": "Бонус"},
        lines=lines,
        words="words",
    )
    assert invoice.total == Decimal(total) == sum((line.amount for line in lines), Decimal(0))
    assert invoice.total.as_tuple().exponent == -2
    assert (invoice.vat_mode, invoice.vat_amount) == (vat_mode, Decimal(vat))
    assert invoice.lines == lines
    assert (invoice.status, invoice.client_code, invoice.period) == ("issued", "tsj", "2026-11")
