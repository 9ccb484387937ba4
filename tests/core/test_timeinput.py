"""Strict time input: every accepted form and a table of refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from kvsupport.core.timeinput import (
    DATE_HINT,
    DURATION_HINT,
    MOMENT_HINT,
    MONTH_HINT,
    format_duration,
    parse_date,
    parse_duration,
    parse_moment,
    parse_month,
)
from kvsupport.errors import InvalidValue

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
PLUS3 = timezone(timedelta(hours=3))
NOW = datetime(2026, 11, 25, 14, 7, tzinfo=PLUS3)


def msk(year: int, month: int, day: int, hour: int, minute: int, second: int = 0, micro: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=MSK)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# ---------------------------------------------------------------------- moments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", msk(2026, 11, 25, 14, 7)),
        ("NOW", msk(2026, 11, 25, 14, 7)),
        ("-15m", msk(2026, 11, 25, 13, 52)),
        ("-1h", msk(2026, 11, 25, 13, 7)),
        ("-1h30m", msk(2026, 11, 25, 12, 37)),
        ("-90m", msk(2026, 11, 25, 12, 37)),
        ("-2h5m", msk(2026, 11, 25, 12, 2)),
        ("-0m", msk(2026, 11, 25, 14, 7)),
        ("-15h", msk(2026, 11, 24, 23, 7)),
        ("+10m", msk(2026, 11, 25, 14, 17)),
        ("+1h", msk(2026, 11, 25, 15, 7)),
        ("10:00", msk(2026, 11, 25, 10, 0)),
        ("9:05", msk(2026, 11, 25, 9, 5)),
        ("09:05", msk(2026, 11, 25, 9, 5)),
        ("00:00", msk(2026, 11, 25, 0, 0)),
        ("23:59", msk(2026, 11, 25, 23, 59)),
        ("  10:00  ", msk(2026, 11, 25, 10, 0)),
        ("2026-11-24 10:00", msk(2026, 11, 24, 10, 0)),
        ("2026-11-24 10:00:30", msk(2026, 11, 24, 10, 0, 30)),
        ("2026-11-24T10:00", msk(2026, 11, 24, 10, 0)),
        ("2026-11-24T10:00:30", msk(2026, 11, 24, 10, 0, 30)),
        ("2026-11-24T10:00:30.250", msk(2026, 11, 24, 10, 0, 30, 250000)),
        ("2024-02-29 12:00", msk(2024, 2, 29, 12, 0)),
    ],
)
def test_local_moments(text: str, expected: datetime) -> None:
    result = parse_moment(text, now=NOW, tz=MSK)
    assert result == expected
    assert result.tzinfo is MSK
    assert result.replace(tzinfo=None) == expected.replace(tzinfo=None)  # same wall time


@pytest.mark.parametrize(
    ("text", "expected", "offset"),
    [
        ("2026-11-25T10:00:00+03:00", datetime(2026, 11, 25, 7, 0, tzinfo=UTC), 3 * 60),
        ("2026-11-25T10:00+03:00", datetime(2026, 11, 25, 7, 0, tzinfo=UTC), 3 * 60),
        ("2026-11-25T07:00:00Z", datetime(2026, 11, 25, 7, 0, tzinfo=UTC), 0),
        ("2026-11-25T07:00Z", datetime(2026, 11, 25, 7, 0, tzinfo=UTC), 0),
        ("2026-11-25T05:30-01:30", datetime(2026, 11, 25, 7, 0, tzinfo=UTC), -90),
        ("2026-11-25 12:00+05:00", datetime(2026, 11, 25, 7, 0, tzinfo=UTC), 5 * 60),
    ],
)
def test_moments_with_an_offset_keep_it(text: str, expected: datetime, offset: int) -> None:
    result = parse_moment(text, now=NOW, tz=MSK)
    assert result == expected
    assert result.utcoffset() == timedelta(minutes=offset)


def test_minus_15m_is_fifteen_minutes_not_months() -> None:
    result = parse_moment("-15m", now=NOW, tz=MSK)
    assert utc(NOW) - utc(result) == timedelta(minutes=15)
    assert (result.year, result.month, result.day) == (2026, 11, 25)


def test_relative_time_crosses_into_the_previous_day_and_month() -> None:
    now = datetime(2026, 12, 1, 0, 10, tzinfo=MSK)
    result = parse_moment("-30m", now=now, tz=MSK)
    assert result.replace(tzinfo=None) == datetime(2026, 11, 30, 23, 40)  # noqa: DTZ001


def test_relative_time_crosses_into_the_previous_year() -> None:
    now = datetime(2027, 1, 1, 0, 5, tzinfo=MSK)
    result = parse_moment("-1h", now=now, tz=MSK)
    assert result.replace(tzinfo=None) == datetime(2026, 12, 31, 23, 5)  # noqa: DTZ001


def test_clock_time_uses_the_local_date_of_now() -> None:
    """23:30 UTC on the 25th is already the 26th in Moscow."""
    now = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    assert parse_moment("10:00", now=now, tz=MSK) == msk(2026, 11, 26, 10, 0)


def test_relative_time_is_shown_in_the_local_zone() -> None:
    now = datetime(2026, 11, 25, 11, 7, tzinfo=UTC)
    result = parse_moment("-15m", now=now, tz=MSK)
    assert result.tzinfo is MSK
    assert result.replace(tzinfo=None) == datetime(2026, 11, 25, 13, 52)  # noqa: DTZ001


def test_relative_time_across_autumn_clock_change_is_exact_elapsed_time() -> None:
    """Berlin, 2026-10-25: at 03:00 CEST the clocks go back to 02:00 CET.

    03:30 CET is 02:30 UTC; two hours earlier is 00:30 UTC, which is 02:30 CEST
    -- only one hour earlier on the wall clock, but two hours of elapsed time.
    """
    now = datetime(2026, 10, 25, 3, 30, tzinfo=BERLIN)
    assert now.utcoffset() == timedelta(hours=1)
    result = parse_moment("-2h", now=now, tz=BERLIN)
    assert utc(now) - utc(result) == timedelta(hours=2)
    assert utc(result) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert result.utcoffset() == timedelta(hours=2)
    assert (result.hour, result.minute) == (2, 30)


def test_relative_time_across_spring_clock_change_is_exact_elapsed_time() -> None:
    """Berlin, 2026-03-29: at 02:00 CET the clocks jump to 03:00 CEST.

    03:30 CEST is 01:30 UTC; one hour earlier is 00:30 UTC = 01:30 CET.
    """
    now = datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN)
    result = parse_moment("-1h", now=now, tz=BERLIN)
    assert utc(now) - utc(result) == timedelta(hours=1)
    assert (result.hour, result.minute) == (1, 30)
    assert result.utcoffset() == timedelta(hours=1)


def test_wall_time_skipped_by_the_clock_change_is_refused() -> None:
    now = datetime(2026, 3, 29, 12, 0, tzinfo=BERLIN)
    with pytest.raises(InvalidValue, match="does not exist in the local zone") as info:
        parse_moment("02:30", now=now, tz=BERLIN)
    assert info.value.hint == MOMENT_HINT


def test_wall_time_repeated_by_the_clock_change_means_the_first() -> None:
    now = datetime(2026, 10, 25, 12, 0, tzinfo=BERLIN)
    result = parse_moment("02:30", now=now, tz=BERLIN)
    assert result.utcoffset() == timedelta(hours=2)  # still summer time
    assert utc(result) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_no_zone_means_the_system_local_zone() -> None:
    result = parse_moment("2026-11-24 10:00", now=NOW, tz=None)
    assert result.tzinfo is not None
    assert result == datetime.combine(date(2026, 11, 24), time(10, 0)).astimezone()
    assert result.replace(tzinfo=None) == datetime(2026, 11, 24, 10, 0)  # noqa: DTZ001


def test_no_zone_relative_and_now() -> None:
    assert utc(parse_moment("-15m", now=NOW, tz=None)) == utc(NOW) - timedelta(minutes=15)
    assert parse_moment("now", now=NOW, tz=None) == NOW
    assert parse_moment("now", now=NOW, tz=None).tzinfo is not None


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_moment("10:00", now=datetime(2026, 11, 25, 14, 7), tz=MSK)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("--verbose", "looks like an option, not a time"),
        ("--", "looks like an option"),
        ("25:00", "hours must be 00-23"),
        ("24:00", "hours must be 00-23"),
        ("10:60", "minutes must be 00-59"),
        ("10:5", "not a time"),
        ("100:00", "not a time"),
        ("10:00:30", "not a time"),
        ("10.00", "not a time"),
        ("1000", "not a time"),
        ("10:00am", "not a time"),
        ("2026-13-01 10:00", "month must be 01-12"),
        ("2026-00-01 10:00", "month must be 01-12"),
        ("2026-02-29 10:00", "day 29 does not exist in 2026-02"),
        ("2026-11-31T10:00", "day 31 does not exist in 2026-11"),
        ("0000-01-01 10:00", "year must be 1970-2999"),
        ("0001-01-01 00:00", "year must be 1970-2999"),
        ("9999-12-31T23:59:59+00:00", "year must be 1970-2999"),
        ("2026-11-25 25:00", "hours must be 00-23"),
        ("2026-11-25 10:00:60", "seconds must be 00-59"),
        ("2026-11-25", "not a time"),
        ("2026-11-25T10", "not a time"),
        ("2026-11-25T10:00+0300", "not a time"),
        ("2026-11-25T10:00+24:00", "offset must be between"),
        ("2026-11-25t10:00", "not a time"),
        ("25.11.2026 10:00", "not a time"),
        ("-15", "missing unit"),
        ("+15", "missing unit"),
        ("-m", "expected a sign, then hours and/or minutes"),
        ("-h", "expected a sign, then hours and/or minutes"),
        ("-", "a sign alone is not a time"),
        ("+-15m", "use one sign"),
        ("15m", "a relative time needs a sign"),
        ("1h30m", "a relative time needs a sign"),
        ("1h30", "a relative time needs a sign"),
        ("-1h30", "expected a sign, then hours and/or minutes"),
        ("-30m1h", "expected a sign, then hours and/or minutes"),
        ("-1h 30m", "expected a sign, then hours and/or minutes"),
        ("-1H", "only h (hours) and m (minutes)"),
        ("-15M", "only h (hours) and m (minutes)"),
        ("-1d", "only h (hours) and m (minutes)"),
        ("-30s", "only h (hours) and m (minutes)"),
        ("-15min", "only h (hours) and m (minutes)"),
        ("-1.5h", "use whole hours and minutes"),
        ("-1,5h", "use whole hours and minutes"),
        ("-1h90m", "minutes must be 0-59 after hours"),
        ("\u221215m", "not a time"),  # a Unicode minus sign
        ("\u0661\u0660:\u0660\u0660", "not a time"),  # Arabic-Indic digits
        ("yesterday", "not a time"),
        ("tomorrow 10:00", "not a time"),
    ],
)
def test_refused_moments(text: str, problem: str) -> None:
    with pytest.raises(InvalidValue) as info:
        parse_moment(text, now=NOW, tz=MSK)
    message = info.value.message
    assert message.startswith(f"invalid time '{text.strip()}': ")
    assert problem in message
    assert info.value.hint == MOMENT_HINT


def test_refusal_message_is_exact_for_an_impossible_hour() -> None:
    with pytest.raises(InvalidValue) as info:
        parse_moment("25:00", now=NOW, tz=MSK)
    assert str(info.value) == "invalid time '25:00': hours must be 00-23"
    assert info.value.hint == ("use HH:MM, YYYY-MM-DD HH:MM, ISO 8601 or a relative time such as -15m")


def test_relative_time_out_of_range_is_refused_not_crashed() -> None:
    now = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    with pytest.raises(InvalidValue, match="invalid time"):
        parse_moment("+999999h", now=now, tz=UTC)


# -------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h30m", 90),
        ("90m", 90),
        ("2h", 120),
        ("45m", 45),
        ("1m", 1),
        ("1h", 60),
        ("10h05m", 605),
        ("1h0m", 60),
        ("0h15m", 15),
        ("1:30", 90),
        ("0:45", 45),
        ("01:30", 90),
        ("12:00", 720),
        ("  2h  ", 120),
        ("600m", 600),
    ],
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "it is empty"),
        ("--verbose", "looks like an option"),
        ("0m", "must be more than zero"),
        ("0h", "must be more than zero"),
        ("0h0m", "must be more than zero"),
        ("0:00", "must be more than zero"),
        ("-15m", "a duration has no sign"),
        ("+15m", "a duration has no sign"),
        ("1d", "only h (hours) and m (minutes)"),
        ("30s", "only h (hours) and m (minutes)"),
        ("1.5h", "use whole hours and minutes"),
        ("1,5h", "use whole hours and minutes"),
        ("90", "missing unit"),
        ("1h90m", "minutes must be 0-59 after hours"),
        ("1:60", "minutes must be 00-59"),
        ("1:5", "not a duration"),
        ("1h30", "not a duration"),
        ("1h 30m", "not a duration"),
        ("30m1h", "not a duration"),
        ("m", "not a duration"),
        ("h", "not a duration"),
        ("hm", "not a duration"),
    ],
)
def test_refused_durations(text: str, problem: str) -> None:
    with pytest.raises(InvalidValue) as info:
        parse_duration(text)
    assert info.value.message.startswith(f"invalid duration '{text}': ")
    assert problem in info.value.message
    assert info.value.hint == DURATION_HINT


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0s"),
        (1, "1s"),
        (40, "40s"),
        (59, "59s"),
        (60, "1m"),
        (119, "1m"),
        (2700, "45m"),
        (3599, "59m"),
        (3600, "1h00m"),
        (3900, "1h05m"),
        (5400, "1h30m"),
        (7200, "2h00m"),
        (45000, "12h30m"),
        (360000, "100h00m"),
    ],
)
def test_format_duration(seconds: int, shown: str) -> None:
    assert format_duration(seconds) == shown


@pytest.mark.parametrize("minutes", [1, 5, 45, 59, 60, 61, 119, 600, 6000])
def test_formatted_whole_minutes_read_back(minutes: int) -> None:
    assert parse_duration(format_duration(minutes * 60)) == timedelta(minutes=minutes)


def test_format_duration_refuses_negative_seconds() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        format_duration(-1)


# ------------------------------------------------------------ dates and months

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25", date(2026, 11, 25)),
        ("25.11.2026", date(2026, 11, 25)),
        ("05.01.2026", date(2026, 1, 5)),
        ("29.02.2024", date(2024, 2, 29)),
        ("today", TODAY),
        ("Today", TODAY),
        ("yesterday", date(2026, 2, 28)),
        (" yesterday ", date(2026, 2, 28)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "it is empty"),
        ("--from", "looks like an option"),
        ("2026-13-01", "month must be 01-12"),
        ("2026-02-29", "day 29 does not exist in 2026-02"),
        ("31.11.2026", "day 31 does not exist in 2026-11"),
        ("25.13.2026", "month must be 01-12"),
        ("5.11.2026", "not a date"),
        ("25.11.26", "not a date"),
        ("2026/11/25", "not a date"),
        ("2026-11-5", "not a date"),
        ("25-11-2026", "not a date"),
        ("2026-11", "not a date"),
        ("tomorrow", "not a date"),
        ("-1d", "not a date"),
        ("2026-11-25 10:00", "not a date"),
    ],
)
def test_refused_dates(text: str, problem: str) -> None:
    with pytest.raises(InvalidValue) as info:
        parse_date(text, today=TODAY)
    assert info.value.message.startswith(f"invalid date '{text}': ")
    assert problem in info.value.message
    assert info.value.hint == DATE_HINT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11", (2026, 11)),
        ("2026-01", (2026, 1)),
        ("1999-12", (1999, 12)),
        (" 2026-11 ", (2026, 11)),
    ],
)
def test_months(text: str, expected: tuple[int, int]) -> None:
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-13", "month must be 01-12"),
        ("2026-00", "month must be 01-12"),
        ("0000-05", "year must be 1970-2999"),
        ("3000-01", "year must be 1970-2999"),
        ("2026-1", "expected YYYY-MM"),
        ("11.2026", "expected YYYY-MM"),
        ("2026-11-01", "expected YYYY-MM"),
        ("2026/11", "expected YYYY-MM"),
        ("", "expected YYYY-MM"),
        ("ноябрь", "expected YYYY-MM"),
    ],
)
def test_refused_months(text: str, problem: str) -> None:
    with pytest.raises(InvalidValue) as info:
        parse_month(text)
    assert info.value.message == f"invalid month '{text}': {problem}"
    assert info.value.hint == "use YYYY-MM, e.g. 2026-11"
    assert info.value.hint == MONTH_HINT
