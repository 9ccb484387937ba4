"""Strict time input: every accepted form, the reference-date rules, clock changes, refusals."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import kvsupport.i18n
from kvsupport.core.timeinput import (
    DATE_HINT,
    DURATION_HINT,
    MOMENT_HINT,
    MONTH_HINT,
    Moment,
    add_elapsed,
    current_minute,
    elapsed,
    format_duration,
    parse_date,
    parse_duration,
    parse_moment,
    parse_month,
    read_moment,
)
from kvsupport.errors import InvalidValue

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
PLUS3 = timezone(timedelta(hours=3))
NOW = datetime(2026, 11, 25, 14, 7, tzinfo=PLUS3)


def msk(year: int, month: int, day: int, hour: int, minute: int, second: int = 0, micro: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=MSK)


def wall(moment: datetime) -> datetime:
    """The naive wall time of an aware moment."""
    return moment.replace(tzinfo=None)


def naive(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second)  # noqa: DTZ001


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# ---------------------------------------------------------------------- moments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", msk(2026, 11, 25, 14, 7)),
        ("NOW", msk(2026, 11, 25, 14, 7)),
        ("сейчас", msk(2026, 11, 25, 14, 7)),
        ("Сейчас", msk(2026, 11, 25, 14, 7)),
        ("-15m", msk(2026, 11, 25, 13, 52)),
        ("-1h", msk(2026, 11, 25, 13, 7)),
        ("-1h30m", msk(2026, 11, 25, 12, 37)),
        ("-90m", msk(2026, 11, 25, 12, 37)),
        ("-2h5m", msk(2026, 11, 25, 12, 2)),
        ("-0m", msk(2026, 11, 25, 14, 7)),
        ("-15h", msk(2026, 11, 24, 23, 7)),
        ("+10m", msk(2026, 11, 25, 14, 17)),
        ("+1h", msk(2026, 11, 25, 15, 7)),
        ("-15м", msk(2026, 11, 25, 13, 52)),
        ("-1ч30м", msk(2026, 11, 25, 12, 37)),
        ("-1 ч 30 мин", msk(2026, 11, 25, 12, 37)),
        ("-90 мин", msk(2026, 11, 25, 12, 37)),
        ("-2 часа", msk(2026, 11, 25, 12, 7)),
        ("-1h 30m", msk(2026, 11, 25, 12, 37)),
        ("-15min", msk(2026, 11, 25, 13, 52)),
        ("10:00", msk(2026, 11, 25, 10, 0)),
        ("9:05", msk(2026, 11, 25, 9, 5)),
        ("09:05", msk(2026, 11, 25, 9, 5)),
        ("00:00", msk(2026, 11, 25, 0, 0)),
        ("23:59", msk(2026, 11, 25, 23, 59)),
        ("  10:00  ", msk(2026, 11, 25, 10, 0)),
        ("today 10:00", msk(2026, 11, 25, 10, 0)),
        ("Today 10:00", msk(2026, 11, 25, 10, 0)),
        ("сегодня 10:00", msk(2026, 11, 25, 10, 0)),
        ("СЕГОДНЯ  10:00", msk(2026, 11, 25, 10, 0)),
        ("yesterday 23:30", msk(2026, 11, 24, 23, 30)),
        ("вчера 23:30", msk(2026, 11, 24, 23, 30)),
        ("Вчера 9:05", msk(2026, 11, 24, 9, 5)),
        ("позавчера 10:00", msk(2026, 11, 23, 10, 0)),
        ("tomorrow 09:00", msk(2026, 11, 26, 9, 0)),
        ("завтра 9:00", msk(2026, 11, 26, 9, 0)),
        ("24.11.2026 10:00", msk(2026, 11, 24, 10, 0)),
        ("4.1.2026 9:05", msk(2026, 1, 4, 9, 5)),
        ("01.01.2026 00:00", msk(2026, 1, 1, 0, 0)),
        ("29.02.2024 12:00", msk(2024, 2, 29, 12, 0)),
        ("24.11 10:00", msk(2026, 11, 24, 10, 0)),
        ("31.12 23:59", msk(2026, 12, 31, 23, 59)),
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
    assert result.utcoffset() == timedelta(hours=3)
    assert wall(result) == wall(expected)  # the same wall time


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
    assert wall(parse_moment("-30m", now=now, tz=MSK)) == naive(2026, 11, 30, 23, 40)


def test_relative_time_crosses_into_the_previous_year() -> None:
    now = datetime(2027, 1, 1, 0, 5, tzinfo=MSK)
    assert wall(parse_moment("-1ч", now=now, tz=MSK)) == naive(2026, 12, 31, 23, 5)


def test_clock_time_uses_the_local_date_of_now() -> None:
    """23:30 UTC on the 25th is already the 26th in Moscow."""
    now = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    assert parse_moment("10:00", now=now, tz=MSK) == msk(2026, 11, 26, 10, 0)
    assert parse_moment("сегодня 10:00", now=now, tz=MSK) == msk(2026, 11, 26, 10, 0)
    assert parse_moment("24.11 10:00", now=now, tz=MSK) == msk(2026, 11, 24, 10, 0)


def test_relative_time_is_shown_in_the_local_zone() -> None:
    now = datetime(2026, 11, 25, 11, 7, tzinfo=UTC)
    result = parse_moment("-15m", now=now, tz=MSK)
    assert result.utcoffset() == timedelta(hours=3)
    assert wall(result) == naive(2026, 11, 25, 13, 52)


# ------------------------------------------------------------------ whole minutes

NOW_WITH_SECONDS = datetime(2026, 11, 25, 11, 7, 42, 500000, tzinfo=UTC)  # 14:07:42.5 in Moscow


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", naive(2026, 11, 25, 14, 7)),
        ("сейчас", naive(2026, 11, 25, 14, 7)),
        ("-15m", naive(2026, 11, 25, 13, 52)),
        ("-61m", naive(2026, 11, 25, 13, 6)),
        ("-1ч30м", naive(2026, 11, 25, 12, 37)),
        ("+10m", naive(2026, 11, 25, 14, 17)),
        ("-0m", naive(2026, 11, 25, 14, 7)),
        ("14:07", naive(2026, 11, 25, 14, 7)),
        ("2026-11-25 14:05:30", naive(2026, 11, 25, 14, 5, 30)),  # typed seconds are kept
    ],
)
def test_clock_and_relative_times_are_whole_minutes(text: str, expected: datetime) -> None:
    assert wall(parse_moment(text, now=NOW_WITH_SECONDS, tz=MSK)) == expected


def test_minus_61m_then_a_stop_a_moment_later_is_61_minutes() -> None:
    """The README's promise: worked and billed agree (issue 12, item 2)."""
    start = parse_moment("-61m", now=NOW_WITH_SECONDS, tz=MSK)
    stop = parse_moment("now", now=NOW_WITH_SECONDS + timedelta(seconds=12), tz=MSK)
    assert elapsed(start, stop) == timedelta(minutes=61)


@pytest.mark.parametrize("zone", [MSK, BERLIN, NEW_YORK, None])
def test_current_minute_drops_seconds_and_keeps_the_instant_otherwise(zone: ZoneInfo | None) -> None:
    result = current_minute(NOW_WITH_SECONDS, tz=zone)
    assert utc(result) == datetime(2026, 11, 25, 11, 7, tzinfo=UTC)
    assert (result.second, result.microsecond) == (0, 0)


def test_current_minute_in_the_repeated_hour_stays_in_its_occurrence() -> None:
    """New York, 2026-11-01 01:30:20 EST (the second 01:30) is 06:30 UTC, not 05:30."""
    now = datetime(2026, 11, 1, 6, 30, 20, tzinfo=UTC)
    result = current_minute(now, tz=NEW_YORK)
    assert utc(result) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert result.utcoffset() == timedelta(hours=-5)


# ------------------------------------------------------- the reference date rules

# Berlin, 2026-11-25 00:20 CET: shortly after midnight.
AFTER_MIDNIGHT = datetime(2026, 11, 25, 0, 20, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("text", "past", "expected", "shifted"),
    [
        ("23:30", True, naive(2026, 11, 24, 23, 30), True),  # the midnight rule
        ("23:30", False, naive(2026, 11, 25, 23, 30), False),  # an order may lie ahead
        ("00:10", True, naive(2026, 11, 25, 0, 10), False),
        ("00:20", True, naive(2026, 11, 25, 0, 20), False),
        ("00:21", True, naive(2026, 11, 25, 0, 21), False),  # a minute ahead: the caller's slack
        ("12:20", True, naive(2026, 11, 25, 12, 20), False),  # exactly 12 h ahead: today's
        ("12:21", True, naive(2026, 11, 24, 12, 21), True),  # more than 12 h ahead: yesterday's
        ("вчера 23:30", True, naive(2026, 11, 24, 23, 30), False),  # said, not assumed
        ("сегодня 23:30", True, naive(2026, 11, 25, 23, 30), False),  # said: the caller refuses it
        ("today 23:30", True, naive(2026, 11, 25, 23, 30), False),
        ("2026-11-25 23:30", True, naive(2026, 11, 25, 23, 30), False),
        ("25.11.2026 23:30", True, naive(2026, 11, 25, 23, 30), False),
        ("25.11 23:30", True, naive(2026, 11, 25, 23, 30), False),  # this year's: the date is today
        ("-30m", True, naive(2026, 11, 24, 23, 50), False),
    ],
)
def test_a_bare_time_typed_after_midnight(text: str, past: bool, expected: datetime, shifted: bool) -> None:
    result = read_moment(text, now=AFTER_MIDNIGHT, tz=BERLIN, past=past)
    assert wall(result.at) == expected
    assert result.shifted is shifted
    assert result.at.utcoffset() == timedelta(hours=1)


def test_read_moment_returns_a_named_tuple() -> None:
    result = read_moment("23:30", now=AFTER_MIDNIGHT, tz=BERLIN, past=True)
    assert isinstance(result, Moment)
    at, shifted = result
    assert (at, shifted) == (result.at, True)
    assert parse_moment("23:30", now=AFTER_MIDNIGHT, tz=BERLIN, past=True) == at


# New Year's night, 00:20 in Berlin.
NEW_YEAR = datetime(2027, 1, 1, 0, 20, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("text", "past", "on", "expected", "shifted"),
    [
        ("31.12 23:30", True, None, naive(2026, 12, 31, 23, 30), True),
        ("31.12 23:30", False, None, naive(2027, 12, 31, 23, 30), False),
        ("01.01 00:10", True, None, naive(2027, 1, 1, 0, 10), False),
        ("01.01 10:00", True, None, naive(2027, 1, 1, 10, 0), False),  # today: the caller refuses it
        ("31.12 10:00", True, date(2026, 12, 31), naive(2026, 12, 31, 10, 0), False),
        ("31.12 10:00", False, date(2026, 12, 31), naive(2026, 12, 31, 10, 0), False),
        ("23:30", True, None, naive(2026, 12, 31, 23, 30), True),
    ],
)
def test_day_and_month_without_a_year(
    text: str, past: bool, on: date | None, expected: datetime, shifted: bool
) -> None:
    result = read_moment(text, now=NEW_YEAR, tz=BERLIN, past=past, on=on)
    assert (wall(result.at), result.shifted) == (expected, shifted)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15:00", naive(2026, 11, 20, 15, 0)),
        ("00:00", naive(2026, 11, 20, 0, 0)),
        ("23:59", naive(2026, 11, 20, 23, 59)),
        ("вчера 10:00", naive(2026, 11, 24, 10, 0)),  # a day word means the calendar, not the session
        ("20.11 16:00", naive(2026, 11, 20, 16, 0)),
        ("-10m", naive(2026, 11, 25, 0, 10)),  # relative to now, whatever the reference
    ],
)
@pytest.mark.parametrize("past", [False, True])
def test_on_a_reference_date(text: str, expected: datetime, past: bool) -> None:
    """The date of the session an edit belongs to: a bare time is on that date, never moved."""
    result = read_moment(text, now=AFTER_MIDNIGHT, tz=BERLIN, on=date(2026, 11, 20), past=past)
    assert (wall(result.at), result.shifted) == (expected, False)


@pytest.mark.parametrize(
    ("after", "text", "expected", "shifted"),
    [
        (naive(2026, 11, 24, 15, 0), "16:10", naive(2026, 11, 24, 16, 10), False),  # issue 12, item 1
        (naive(2026, 11, 24, 15, 0), "15:00", naive(2026, 11, 24, 15, 0), False),
        (naive(2026, 11, 24, 15, 0), "23:59", naive(2026, 11, 24, 23, 59), False),
        (naive(2026, 11, 24, 23, 0), "00:30", naive(2026, 11, 25, 0, 30), True),  # past midnight
        (naive(2026, 11, 24, 23, 0), "10:59", naive(2026, 11, 25, 10, 59), True),  # 11 h 59 min later
        (naive(2026, 11, 24, 23, 0), "11:00", naive(2026, 11, 24, 11, 0), False),  # 12 h: the start's day
        (naive(2026, 11, 24, 23, 0), "22:00", naive(2026, 11, 24, 22, 0), False),  # before: refused later
        (naive(2026, 11, 24, 10, 0), "09:30", naive(2026, 11, 24, 9, 30), False),
        (naive(2026, 12, 31, 23, 0), "00:15", naive(2027, 1, 1, 0, 15), True),  # into the next year
        (naive(2026, 11, 24, 15, 0), "сегодня 10:00", naive(2027, 1, 2, 10, 0), False),
        (naive(2026, 12, 31, 15, 0), "31.12 16:00", naive(2026, 12, 31, 16, 0), False),
    ],
)
def test_after_a_reference_moment(after: datetime, text: str, expected: datetime, shifted: bool) -> None:
    """The start of the session an end, a stop or a resume belongs to."""
    now = datetime(2027, 1, 2, 12, 0, tzinfo=BERLIN)
    result = read_moment(text, now=now, tz=BERLIN, after=after.replace(tzinfo=BERLIN), past=True)
    assert (wall(result.at), result.shifted) == (expected, shifted)


def test_after_is_read_in_the_local_zone() -> None:
    """A stored start of 22:30 UTC is 23:30 in Berlin: 00:30 is the next day's."""
    after = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)
    result = read_moment("00:30", now=NOW, tz=BERLIN, after=after)
    assert (wall(result.at), result.shifted) == (naive(2026, 11, 25, 0, 30), True)


def test_on_and_after_together_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="not both"):
        read_moment("10:00", now=NOW, tz=MSK, on=date(2026, 11, 20), after=NOW)


@pytest.mark.parametrize(
    "kwargs",
    [{"now": datetime(2026, 11, 25, 14, 7)}, {"now": NOW, "after": datetime(2026, 11, 25, 14, 7)}],  # noqa: DTZ001
    ids=["now", "after"],
)
def test_naive_now_or_after_is_a_programming_error(kwargs: dict[str, datetime]) -> None:
    with pytest.raises(ValueError, match="aware"):
        read_moment("10:00", tz=MSK, **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------- clock changes


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
    result = parse_moment("-1ч", now=now, tz=BERLIN)
    assert utc(now) - utc(result) == timedelta(hours=1)
    assert (result.hour, result.minute) == (1, 30)
    assert result.utcoffset() == timedelta(hours=1)


# The gaps and folds of 2026: New York springs forward on 8 March (02:00 -> 03:00)
# and falls back on 1 November (02:00 -> 01:00); Berlin on 29 March and 25 October.
GAP_DAYS = [
    (NEW_YORK, datetime(2026, 3, 8, 12, 0, tzinfo=NEW_YORK)),
    (BERLIN, datetime(2026, 3, 29, 12, 0, tzinfo=BERLIN)),
]


@pytest.mark.parametrize(("zone", "now"), GAP_DAYS, ids=["new-york", "berlin"])
@pytest.mark.parametrize(
    "text",
    ["02:30", "02:00", "02:59", "сегодня 02:30", "today 02:00"],
)
def test_wall_time_skipped_by_the_clock_change_is_refused(zone: ZoneInfo, now: datetime, text: str) -> None:
    with pytest.raises(InvalidValue, match="does not exist in the local zone") as info:
        parse_moment(text, now=now, tz=zone)
    assert info.value.message.startswith(f"invalid time '{text}': ")
    assert info.value.hint == MOMENT_HINT


@pytest.mark.parametrize(
    ("zone", "text"),
    [
        (NEW_YORK, "2026-03-08 02:30"),
        (NEW_YORK, "08.03.2026 02:30"),
        (NEW_YORK, "08.03 02:30"),
        (NEW_YORK, "2026-03-08T02:00:00"),
        (BERLIN, "2026-03-29 02:30"),
        (BERLIN, "29.03.2026 02:15"),
    ],
)
def test_skipped_wall_time_with_a_date_is_refused(zone: ZoneInfo, text: str) -> None:
    with pytest.raises(InvalidValue, match="the clocks skip it"):
        parse_moment(text, now=datetime(2026, 6, 1, 12, 0, tzinfo=zone), tz=zone)


def test_skipped_wall_time_on_a_reference_date_is_refused() -> None:
    with pytest.raises(InvalidValue, match="the clocks skip it"):
        parse_moment("02:30", now=NOW, tz=NEW_YORK, on=date(2026, 3, 8))


def test_skipped_wall_time_on_the_next_day_is_refused_not_moved() -> None:
    """A session started at 23:00 the evening before New York springs forward: 02:30 does not exist."""
    after = datetime(2026, 3, 7, 23, 0, tzinfo=NEW_YORK)
    with pytest.raises(InvalidValue, match="the clocks skip it"):
        parse_moment("02:30", now=NOW, tz=NEW_YORK, after=after)


@pytest.mark.parametrize(
    ("zone", "text", "offset"),
    [
        (NEW_YORK, "2026-03-08 01:59", -5),
        (NEW_YORK, "2026-03-08 03:00", -4),
        (NEW_YORK, "2026-11-01 00:59", -4),
        (NEW_YORK, "2026-11-01 01:00", -4),  # repeated: the first occurrence
        (NEW_YORK, "2026-11-01 01:30", -4),
        (NEW_YORK, "01.11.2026 01:59", -4),
        (NEW_YORK, "2026-11-01 02:00", -5),
        (BERLIN, "2026-03-29 01:59", 1),
        (BERLIN, "2026-03-29 03:00", 2),
        (BERLIN, "2026-10-25 02:30", 2),  # repeated: the first occurrence
        (BERLIN, "25.10.2026 02:59", 2),
        (BERLIN, "2026-10-25 03:00", 1),
    ],
)
def test_offsets_around_clock_changes(zone: ZoneInfo, text: str, offset: int) -> None:
    result = parse_moment(text, now=NOW, tz=zone)
    assert result.utcoffset() == timedelta(hours=offset)


def test_wall_time_repeated_by_the_clock_change_means_the_first() -> None:
    now = datetime(2026, 10, 25, 12, 0, tzinfo=BERLIN)
    result = parse_moment("02:30", now=now, tz=BERLIN)
    assert result.utcoffset() == timedelta(hours=2)  # still summer time
    assert utc(result) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_moments_on_a_fall_back_night_compare_and_subtract_in_real_time() -> None:
    """Python compares two datetimes of one ZoneInfo on the wall clock; the results here do not share one."""
    start = parse_moment("2026-11-01 01:30", now=NOW, tz=NEW_YORK)  # EDT
    end = parse_moment("2026-11-01 01:10", now=NOW, tz=NEW_YORK) + timedelta(hours=1)  # 01:10 EST
    assert wall(end) == naive(2026, 11, 1, 2, 10)  # fixed offset: moves in real time
    assert end > start
    assert end - start == timedelta(minutes=40)


# ----------------------------------------------------------- elapsed arithmetic


@pytest.mark.parametrize(
    ("zone", "start", "delta", "end", "offset"),
    [
        # New York falls back at 2026-11-01 02:00 EDT: 23:30 EDT + 4 h of real time is 02:30 EST;
        # on the wall clock (03:30) it would have been 5 h.
        (NEW_YORK, naive(2026, 10, 31, 23, 30), timedelta(hours=4), naive(2026, 11, 1, 2, 30), -5),
        (NEW_YORK, naive(2026, 11, 1, 1, 30), timedelta(minutes=30), naive(2026, 11, 1, 1, 0), -5),
        (NEW_YORK, naive(2026, 11, 1, 0, 30), timedelta(hours=1), naive(2026, 11, 1, 1, 30), -4),
        # ...and springs forward at 2026-03-08 02:00 EST: 23:30 EST + 4 h is 04:30 EDT (wall: 03:30, 3 h).
        (NEW_YORK, naive(2026, 3, 7, 23, 30), timedelta(hours=4), naive(2026, 3, 8, 4, 30), -4),
        (BERLIN, naive(2026, 10, 25, 1, 30), timedelta(hours=1), naive(2026, 10, 25, 2, 30), 2),
        (BERLIN, naive(2026, 10, 25, 1, 30), timedelta(hours=2), naive(2026, 10, 25, 2, 30), 1),
        (BERLIN, naive(2026, 3, 29, 1, 30), timedelta(hours=1), naive(2026, 3, 29, 3, 30), 2),
        (BERLIN, naive(2026, 11, 20, 10, 0), timedelta(minutes=90), naive(2026, 11, 20, 11, 30), 1),
    ],
)
def test_add_elapsed_adds_real_time(
    zone: ZoneInfo, start: datetime, delta: timedelta, end: datetime, offset: int
) -> None:
    begin = parse_moment(f"{start:%Y-%m-%d %H:%M}", now=NOW, tz=zone)
    result = add_elapsed(begin, delta, tz=zone)
    assert wall(result) == end
    assert result.utcoffset() == timedelta(hours=offset)
    assert elapsed(begin, result) == delta
    assert result - begin == delta
    assert result > begin


def test_add_elapsed_on_a_zoneinfo_start() -> None:
    """A start with a ZoneInfo (not a fixed offset) is added to in real time too."""
    start = datetime(2026, 10, 31, 23, 30, tzinfo=NEW_YORK)
    assert start + timedelta(hours=4) - start == timedelta(hours=4)  # what Python says...
    assert utc(start + timedelta(hours=4)) - utc(start) == timedelta(hours=5)  # ...and what it stores
    result = add_elapsed(start, timedelta(hours=4), tz=NEW_YORK)
    assert utc(result) - utc(start) == timedelta(hours=4)


def test_add_elapsed_needs_an_aware_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_elapsed(naive(2026, 11, 20, 10, 0), timedelta(hours=1), tz=MSK)


def test_add_elapsed_out_of_range_is_refused_not_crashed() -> None:
    with pytest.raises(InvalidValue, match="out of range"):
        add_elapsed(datetime(9999, 12, 31, 20, 0, tzinfo=UTC), timedelta(hours=999999), tz=MSK)


def test_elapsed_between_two_zoneinfo_moments_is_real_time() -> None:
    start = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)  # EDT
    end = datetime(2026, 11, 1, 3, 0, tzinfo=NEW_YORK)  # EST
    assert end - start == timedelta(hours=1, minutes=30)  # the wall clock
    assert elapsed(start, end) == timedelta(hours=2, minutes=30)


# ------------------------------------------------------------- the system zone


def test_no_zone_means_the_system_local_zone() -> None:
    result = parse_moment("2026-11-24 10:00", now=NOW, tz=None)
    assert result.tzinfo is not None
    assert result == datetime.combine(date(2026, 11, 24), time(10, 0)).astimezone()
    assert wall(result) == naive(2026, 11, 24, 10, 0)


def test_no_zone_relative_and_now() -> None:
    assert utc(parse_moment("-15m", now=NOW, tz=None)) == utc(NOW) - timedelta(minutes=15)
    assert parse_moment("now", now=NOW, tz=None) == NOW
    assert parse_moment("now", now=NOW, tz=None).tzinfo is not None


def test_no_zone_refuses_a_skipped_time_of_the_system_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a zone object the C library's mktime() shifts 02:30 to 01:30; the round trip sees it."""
    import time as clock

    monkeypatch.setenv("TZ", "America/New_York")
    clock.tzset()
    try:
        with pytest.raises(InvalidValue, match="the clocks skip it"):
            parse_moment("2026-03-08 02:30", now=NOW, tz=None)
        assert parse_moment("2026-03-08 03:30", now=NOW, tz=None).utcoffset() == timedelta(hours=-4)
    finally:
        monkeypatch.undo()
        clock.tzset()


# -------------------------------------------------------------- moment refusals


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
        ("31.11.2026 10:00", "day 31 does not exist in 2026-11"),
        ("29.02.2026 10:00", "day 29 does not exist in 2026-02"),
        ("29.02 10:00", "day 29 does not exist in 2026-02"),
        ("24.13 10:00", "month must be 01-12"),
        ("24.11.2026 24:00", "hours must be 00-23"),
        ("24.11.2026 10:60", "minutes must be 00-59"),
        ("24.11.1969 10:00", "year must be 1970-2999"),
        ("24.11.26 10:00", "not a time"),
        ("24.11.2026", "not a time"),
        ("24.11.2026 10.00", "not a time"),
        ("24.11.2026T10:00", "not a time"),
        ("124.11 10:00", "not a time"),
        ("вчера 25:00", "hours must be 00-23"),
        ("yesterday 10:75", "minutes must be 00-59"),
        ("yesterday", "give a time after 'yesterday', e.g. 'yesterday 10:00'"),
        ("вчера", "give a time after 'вчера', e.g. 'вчера 10:00'"),
        ("Сегодня", "give a time after 'сегодня'"),
        ("позавчера", "give a time after 'позавчера'"),
        ("10:00 вчера", "not a time"),
        ("вчера10:00", "not a time"),
        ("-15", "missing unit"),
        ("+15", "missing unit"),
        ("-m", "expected a sign, then hours and/or minutes"),
        ("-h", "expected a sign, then hours and/or minutes"),
        ("-", "a sign alone is not a time"),
        ("+-15m", "use one sign"),
        ("15m", "a relative time needs a sign"),
        ("15м", "a relative time needs a sign"),
        ("1h30m", "a relative time needs a sign"),
        ("1h30", "a relative time needs a sign"),
        ("1 ч 30 мин", "a relative time needs a sign"),
        ("2d", "a relative time needs a sign"),
        ("-1h30", "expected a sign, then hours and/or minutes"),
        ("-30m1h", "expected a sign, then hours and/or minutes"),
        ("- 15m", "expected a sign, then hours and/or minutes"),
        ("-1:30", "write a relative time with units, e.g. -1h30m"),
        ("-1H", "units are h or ч for hours and m, min, м or мин for minutes, in lower case"),
        ("-15M", "units are h or ч"),
        ("-15М", "units are h or ч"),
        ("-1d", "units are h or ч"),
        ("-1 д", "units are h or ч"),
        ("-30s", "units are h or ч"),
        ("-15minutes", "units are h or ч"),
        ("-1.5h", "use whole hours and minutes"),
        ("-1,5h", "use whole hours and minutes"),
        ("-1,5ч", "use whole hours and minutes"),
        ("-1h90m", "minutes must be 0-59 after hours"),
        ("-1ч90м", "minutes must be 0-59 after hours"),
        ("\u221215m", "not a time"),  # a Unicode minus sign
        ("\u0661\u0660:\u0660\u0660", "not a time"),  # Arabic-Indic digits
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
    assert info.value.hint == (
        "use HH:MM, today HH:MM, yesterday HH:MM, DD.MM HH:MM, DD.MM.YYYY HH:MM, YYYY-MM-DD HH:MM, "
        "ISO 8601 or a relative time such as -15m or -1h30m"
    )


def test_refusal_quotes_the_text_as_typed_with_its_inner_spaces() -> None:
    with pytest.raises(InvalidValue) as info:
        parse_moment("  вчера   25:00 ", now=NOW, tz=MSK)
    assert info.value.message == "invalid time 'вчера   25:00': hours must be 00-23"


def test_relative_time_out_of_range_is_refused_not_crashed() -> None:
    now = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    with pytest.raises(InvalidValue, match="invalid time"):
        parse_moment("+999999h", now=now, tz=UTC)


class _Marked(gettext.NullTranslations):
    """A catalogue that marks every message it translates: «msgid»."""

    def gettext(self, message: str) -> str:
        return f"«{message}»"


@pytest.fixture
def marked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kvsupport.i18n, "_translation", _Marked())


@pytest.mark.usefixtures("marked")
@pytest.mark.parametrize(
    ("call", "message", "hint"),
    [
        (
            lambda: parse_moment("25:00", now=NOW, tz=MSK),
            "«invalid time '{raw}': {problem}»".format(raw="25:00", problem="«hours must be 00-23»"),
            MOMENT_HINT,
        ),
        (
            lambda: parse_moment("вчера", now=NOW, tz=MSK),
            "«invalid time '{raw}': {problem}»".format(
                raw="вчера", problem="«give a time after '{word}', e.g. '{word} 10:00'»".format(word="вчера")
            ),
            MOMENT_HINT,
        ),
        (
            lambda: parse_duration("1,5ч"),
            "«invalid duration '{raw}': {problem}»".format(
                raw="1,5ч", problem="«use whole hours and minutes, e.g. 1h30m instead of 1.5h»"
            ),
            DURATION_HINT,
        ),
        (
            lambda: parse_date("31.11.2026", today=date(2026, 11, 1)),
            "«invalid date '{raw}': {problem}»".format(
                raw="31.11.2026",
                problem="«day {day} does not exist in {month}»".format(day=31, month="2026-11"),
            ),
            DATE_HINT,
        ),
        (
            lambda: parse_month("13.2026"),
            "«invalid month '{raw}': {problem}»".format(raw="13.2026", problem="«month must be 01-12»"),
            MONTH_HINT,
        ),
    ],
    ids=["time", "day-word", "duration", "date", "month"],
)
def test_refusals_go_through_the_catalogue(call: Callable[[], object], message: str, hint: str) -> None:
    """Every part of a refusal is an English msgid, translated when it is raised (the lead's catalogue)."""
    with pytest.raises(InvalidValue) as info:
        call()
    assert info.value.message == message
    assert info.value.hint == f"«{hint}»"


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
        ("1h 30m", 90),
        ("1 h 30 min", 90),
        ("1h30min", 90),
        ("90min", 90),
        ("1ч30м", 90),
        ("1 ч 30 мин", 90),
        ("1ч 30м", 90),
        ("1ч30мин", 90),
        ("90 мин", 90),
        ("90мин", 90),
        ("2 ч", 120),
        ("2ч", 120),
        ("1 час", 60),
        ("2 часа", 120),
        ("5 часов", 300),
        ("1 час 5 минут", 65),
        ("1 минута", 1),
        ("2 минуты", 2),
        ("30 минут", 30),
        ("  1  ч  30  мин  ", 90),
        ("1\u00a0ч\u00a030\u00a0мин", 90),  # no-break spaces, as a word processor writes them
        ("1 ч. 30 мин.", 90),  # abbreviated as Russian writes them
        ("1ч.30мин.", 90),
        ("30 мин.", 30),
        ("2 ч.", 120),
        ("1 минуту", 1),
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
        ("0 мин", "must be more than zero"),
        ("-15m", "a duration has no sign"),
        ("+15m", "a duration has no sign"),
        ("-15м", "a duration has no sign"),
        ("1d", "units are h or ч"),
        ("30s", "units are h or ч"),
        ("1 д", "units are h or ч"),
        ("1Ч", "units are h or ч"),
        ("1H", "units are h or ч"),
        ("hm", "units are h or ч"),
        ("1 hour", "units are h or ч"),
        ("1.5h", "use whole hours and minutes"),
        ("1,5h", "use whole hours and minutes"),
        ("1,5 ч", "use whole hours and minutes"),
        ("90", "missing unit"),
        ("1h90m", "minutes must be 0-59 after hours"),
        ("1ч90мин", "minutes must be 0-59 after hours"),
        ("1:60", "minutes must be 00-59"),
        ("1:5", "not a duration"),
        ("1h30", "not a duration"),
        ("1 ч 30", "not a duration"),
        ("1 час30", "not a duration"),
        ("30m1h", "not a duration"),
        ("30 мин 1 ч", "not a duration"),
        ("m", "not a duration"),
        ("h", "not a duration"),
        ("ч", "not a duration"),
        ("мин", "not a duration"),
        ("1 ч ч", "not a duration"),
        ("1 м. 30", "use whole hours and minutes"),  # a dot only after ч and мин
        ("1 ч.. 30 мин", "use whole hours and minutes"),
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
        ("5.1.2026", date(2026, 1, 5)),
        ("29.02.2024", date(2024, 2, 29)),
        ("25.11", date(2026, 11, 25)),
        ("1.3", date(2026, 3, 1)),
        ("today", TODAY),
        ("Today", TODAY),
        ("сегодня", TODAY),
        ("Сегодня", TODAY),
        ("yesterday", date(2026, 2, 28)),
        (" yesterday ", date(2026, 2, 28)),
        ("вчера", date(2026, 2, 28)),
        ("tomorrow", date(2026, 3, 2)),
        ("завтра", date(2026, 3, 2)),
        ("позавчера", date(2026, 2, 27)),
        ("Позавчера", date(2026, 2, 27)),
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
        ("29.02", "day 29 does not exist in 2026-02"),
        ("32.11", "day 32 does not exist in 2026-11"),
        ("25.13.2026", "month must be 01-12"),
        ("25.11.1969", "year must be 1970-2999"),
        ("25.11.26", "not a date"),
        ("125.11.2026", "not a date"),
        ("2026/11/25", "not a date"),
        ("2026-11-5", "not a date"),
        ("25-11-2026", "not a date"),
        ("2026-11", "not a date"),
        ("-1d", "not a date"),
        ("2026-11-25 10:00", "not a date"),
        ("вчера 10:00", "not a date"),
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
        ("11.2026", (2026, 11)),
        ("01.2026", (2026, 1)),
        ("1.2026", (2026, 1)),
        ("12.1999", (1999, 12)),
        ("ноябрь 2026", (2026, 11)),
        ("Ноябрь 2026", (2026, 11)),
        ("ноября 2026", (2026, 11)),
        ("ноябрь 2026 г.", (2026, 11)),
        ("ноябрь 2026г", (2026, 11)),
        ("ноября 2026 года", (2026, 11)),
        ("нояб. 2026", (2026, 11)),
        ("дек 2025", (2025, 12)),
        ("май 2026", (2026, 5)),
        ("сентябре 2026", (2026, 9)),
        ("november 2026", (2026, 11)),
        ("Nov 2026", (2026, 11)),
        ("sept 2026", (2026, 9)),
    ],
)
def test_months(text: str, expected: tuple[int, int]) -> None:
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("ноябрь", date(2026, 12, 2), (2026, 11)),
        ("декабрь", date(2026, 12, 2), (2026, 12)),  # the month under way
        ("январь", date(2026, 12, 2), (2026, 1)),
        ("ноябрь", date(2027, 1, 10), (2026, 11)),  # the latest November that has begun
        ("Февраль", date(2027, 1, 10), (2026, 2)),
        ("november", date(2026, 12, 2), (2026, 11)),
        ("11.2026", date(2030, 1, 1), (2026, 11)),  # a year typed is the year
    ],
)
def test_a_month_named_without_a_year_is_the_latest_begun(
    text: str, today: date, expected: tuple[int, int]
) -> None:
    assert parse_month(text, today=today) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-13", "month must be 01-12"),
        ("2026-00", "month must be 01-12"),
        ("13.2026", "month must be 01-12"),
        ("00.2026", "month must be 01-12"),
        ("0000-05", "year must be 1970-2999"),
        ("3000-01", "year must be 1970-2999"),
        ("11.3000", "year must be 1970-2999"),
        ("2026-1", "expected YYYY-MM, MM.YYYY or the month's name"),
        ("11.26", "expected YYYY-MM, MM.YYYY or the month's name"),
        ("2026.11", "expected YYYY-MM, MM.YYYY or the month's name"),
        ("11/2026", "expected YYYY-MM, MM.YYYY or the month's name"),
        ("2026-11-01", "expected YYYY-MM, MM.YYYY or the month's name"),
        ("01.11.2026", "expected YYYY-MM, MM.YYYY or the month's name"),
        ("2026/11", "expected YYYY-MM, MM.YYYY or the month's name"),
        ("", "expected YYYY-MM, MM.YYYY or the month's name"),
        ("ноябрь", "give the year too, e.g. 'ноябрь 2026'"),  # no today: no year to assume
        ("ноябрьь 2026", "expected YYYY-MM, MM.YYYY or the month's name"),
        ("ноябрь 26", "expected YYYY-MM, MM.YYYY or the month's name"),
        ("2026 ноябрь", "expected YYYY-MM, MM.YYYY or the month's name"),
        ("ноябрь 3000", "year must be 1970-2999"),
    ],
)
def test_refused_months(text: str, problem: str) -> None:
    with pytest.raises(InvalidValue) as info:
        parse_month(text)
    assert info.value.message == f"invalid month '{text}': {problem}"
    assert (
        info.value.hint
        == "use YYYY-MM, MM.YYYY or the month's name, e.g. 2026-11, 11.2026, november 2026 or november"
    )
    assert info.value.hint == MONTH_HINT
