"""Strict parsing of times, durations, dates and months typed by the user.

Written by hand on purpose. The popular parsers guess, and guess wrong for us:
``dateutil`` and ``pendulum`` silently read ``-15m`` as something other than
"15 minutes ago" (months, or a date fragment), and ``dateparser`` costs about
120 ms to import, which every ``session start`` would pay. Here every accepted
form is listed below, ``m`` always means minutes, and anything else is refused
with an :class:`~kvsupport.errors.InvalidValue` that quotes the text and lists
the accepted forms.

Pure: no clock (callers pass ``now`` or ``today``), no files, stdlib only.

Moments (:func:`parse_moment`), always returned as aware datetimes:

* ``now``;
* ``HH:MM`` or ``H:MM`` -- that wall time on the local date of ``now``;
* ``YYYY-MM-DD HH:MM[:SS]`` and ISO 8601 ``YYYY-MM-DDTHH:MM[:SS[.ffffff]]``
  -- local wall time;
* the same followed by ``Z`` or ``±HH:MM`` -- kept with that offset;
* ``-15m``, ``-1h``, ``-1h30m``, ``-90m``, ``+10m`` -- ``now`` plus or minus an
  exact elapsed duration (across a clock change too), shown in the local zone.
  The sign is required; units are ``h`` and ``m`` only, whole numbers only.

A local wall time that does not exist (the hour skipped when clocks go
forward) is refused; one that occurs twice (clocks going back) means the
first occurrence.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from kvsupport.errors import InvalidValue

__all__ = [
    "format_duration",
    "parse_date",
    "parse_duration",
    "parse_moment",
    "parse_month",
]

MOMENT_HINT = "use HH:MM, YYYY-MM-DD HH:MM, ISO 8601 or a relative time such as -15m"
DURATION_HINT = "use hours and minutes such as 1h30m, 90m, 2h or H:MM such as 1:30"
DATE_HINT = "use YYYY-MM-DD, DD.MM.YYYY, today or yesterday"
MONTH_HINT = "use YYYY-MM, e.g. 2026-11"

# Patterns are plain strings matched with _full(): re compiles (and caches) only
# those a call needs, which keeps the import of this module cheap.
_CLOCK = r"(\d{1,2}):(\d{2})"
_DATETIME = (
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"
    r"(Z|[+-]\d{2}:\d{2})?"
)
_RELATIVE = r"([+-])(?:(\d{1,6})h)?(?:(\d{1,6})m)?"
_HOURS_MINUTES = r"(?:(\d{1,6})h)?(?:(\d{1,6})m)?"
_H_MM = r"(\d{1,6}):(\d{2})"
# What an unsigned relative time looks like (15m, 1h30, 2d), to explain the refusal.
_LOOSE_RELATIVE = r"(?:[\d.,]+[hmds])+[\d.,]*"
_ISO_DATE = r"(\d{4})-(\d{2})-(\d{2})"
_DOTTED_DATE = r"(\d{2})\.(\d{2})\.(\d{4})"
_MONTH = r"(\d{4})-(\d{2})"


def _full(pattern: str, text: str) -> re.Match[str] | None:
    # re.ASCII: ``\d`` must not match Arabic-Indic or other Unicode digits.
    return re.fullmatch(pattern, text, re.ASCII)


# --------------------------------------------------------------------- moments


def parse_moment(text: str, *, now: datetime, tz: tzinfo | None) -> datetime:
    """Read a point in time typed by the user (``--at``, ``--from``, ...).

    ``now`` must be aware. ``tz`` is the user's zone; ``None`` means the
    system's local zone. Returns an aware datetime: in the local zone, or with
    the offset written in the text. Raises :class:`InvalidValue`.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("parse_moment needs an aware 'now'")
    raw = text.strip()
    if not raw:
        raise InvalidValue("invalid time '': it is empty", hint=MOMENT_HINT)
    if raw.startswith("--"):
        raise InvalidValue(f"invalid time '{raw}': looks like an option, not a time", hint=MOMENT_HINT)
    if raw.lower() == "now":
        return _to_local(now, tz)
    if raw[0] in "+-":
        delta = _relative(raw)
        try:
            moment = now.astimezone(UTC) + delta
        except OverflowError:
            moment = datetime.max.replace(tzinfo=UTC)
        if not FIRST_YEAR < moment.year < LAST_YEAR:
            raise InvalidValue(f"invalid time '{raw}': too far away", hint=MOMENT_HINT)
        return _to_local(moment, tz)
    if match := _full(_CLOCK, raw):
        hour, minute = _hour_minute(raw, match.group(1), match.group(2))
        today = _to_local(now, tz).date()
        return _localize(raw, datetime.combine(today, time(hour, minute)), tz)
    if match := _full(_DATETIME, raw):
        return _datetime(raw, match, tz)
    raise InvalidValue(f"invalid time '{raw}': {_guess_problem(raw)}", hint=MOMENT_HINT)


def _guess_problem(raw: str) -> str:
    if _full(_LOOSE_RELATIVE, raw):
        return "a relative time needs a sign, e.g. -15m for 15 minutes ago"
    return "not a time this program understands"


def _relative(raw: str) -> timedelta:
    match = _full(_RELATIVE, raw)
    if match is None or (match.group(2) is None and match.group(3) is None):
        raise InvalidValue(f"invalid time '{raw}': {_relative_problem(raw)}", hint=MOMENT_HINT)
    sign = -1 if match.group(1) == "-" else 1
    return sign * _hours_minutes_delta(raw, "time", match.group(2), match.group(3), MOMENT_HINT)


def _relative_problem(raw: str) -> str:
    body = raw[1:]
    if not body:
        return "a sign alone is not a time"
    if body[0] in "+-":
        return "use one sign, e.g. -15m"
    if "." in body or "," in body:
        return "use whole hours and minutes, e.g. -1h30m instead of -1.5h"
    if body.isdigit():
        return "missing unit: write h for hours or m for minutes, e.g. -15m"
    if any(char.isalpha() and char not in "hm" for char in body):
        return "only h (hours) and m (minutes) are allowed, e.g. -1h30m"
    return "expected a sign, then hours and/or minutes such as -15m, -1h or -1h30m"


def _hours_minutes_delta(
    raw: str, what: str, hours_text: str | None, minutes_text: str | None, hint: str
) -> timedelta:
    hours = int(hours_text) if hours_text is not None else 0
    minutes = int(minutes_text) if minutes_text is not None else 0
    if hours_text is not None and minutes > 59:
        raise InvalidValue(
            f"invalid {what} '{raw}': minutes must be 0-59 after hours (or give minutes alone)",
            hint=hint,
        )
    return timedelta(hours=hours, minutes=minutes)


def _hour_minute(raw: str, hour_text: str, minute_text: str) -> tuple[int, int]:
    hour, minute = int(hour_text), int(minute_text)
    if hour > 23:
        raise InvalidValue(f"invalid time '{raw}': hours must be 00-23", hint=MOMENT_HINT)
    if minute > 59:
        raise InvalidValue(f"invalid time '{raw}': minutes must be 00-59", hint=MOMENT_HINT)
    return hour, minute


def _datetime(raw: str, match: re.Match[str], tz: tzinfo | None) -> datetime:
    year, month, day, hour_text, minute_text, second_text, fraction, offset = match.groups()
    day_ = _valid_date(raw, "time", int(year), int(month), int(day), MOMENT_HINT)
    hour, minute = _hour_minute(raw, hour_text, minute_text)
    second = int(second_text) if second_text is not None else 0
    if second > 59:
        raise InvalidValue(f"invalid time '{raw}': seconds must be 00-59", hint=MOMENT_HINT)
    micro = int(fraction.ljust(6, "0")) if fraction is not None else 0
    wall = datetime.combine(day_, time(hour, minute, second, micro))
    if offset is None:
        return _localize(raw, wall, tz)
    if offset == "Z":
        return wall.replace(tzinfo=UTC)
    offset_hours, offset_minutes = int(offset[1:3]), int(offset[4:6])
    if offset_hours > 23 or offset_minutes > 59:
        raise InvalidValue(
            f"invalid time '{raw}': the offset must be between -23:59 and +23:59",
            hint=MOMENT_HINT,
        )
    sign = -1 if offset[0] == "-" else 1
    fixed = timezone(sign * timedelta(hours=offset_hours, minutes=offset_minutes))
    return wall.replace(tzinfo=fixed)


#: Years a typed date may have: a support ledger's, with room on both sides. Python's
#: own limits (1-9999) would let ``0001-01-01 00:00+05:00`` overflow in later arithmetic.
FIRST_YEAR, LAST_YEAR = 1970, 2999


def _valid_date(raw: str, what: str, year: int, month: int, day: int, hint: str) -> date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidValue(f"invalid {what} '{raw}': year must be {FIRST_YEAR}-{LAST_YEAR}", hint=hint)
    if not 1 <= month <= 12:
        raise InvalidValue(f"invalid {what} '{raw}': month must be 01-12", hint=hint)
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue(
            f"invalid {what} '{raw}': day {day:02d} does not exist in {year:04d}-{month:02d}",
            hint=hint,
        ) from None


def _to_local(moment: datetime, tz: tzinfo | None) -> datetime:
    """The same instant, shown in the user's zone (the system's when ``tz`` is None)."""
    try:
        return moment.astimezone(tz) if tz is not None else moment.astimezone()
    except OverflowError:
        raise InvalidValue(f"invalid time: {moment.isoformat()} is out of range", hint=MOMENT_HINT) from None


def _localize(raw: str, wall: datetime, tz: tzinfo | None) -> datetime:
    """Make a naive local wall time aware; refuse a wall time skipped by a clock change."""
    if tz is None:
        return wall.astimezone()
    aware = wall.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall:
        raise InvalidValue(
            f"invalid time '{raw}': it does not exist in the local zone (the clocks skip it)",
            hint=MOMENT_HINT,
        )
    return aware


# ------------------------------------------------------------------- durations


def parse_duration(text: str) -> timedelta:
    """Read a positive duration: ``1h30m``, ``90m``, ``2h``, ``45m`` or ``H:MM`` (``1:30``).

    No sign, no days, no decimals, ``m`` is minutes. With hours, minutes must
    be 0-59. Raises :class:`InvalidValue`; a zero duration is refused.
    """
    raw = text.strip()
    if not raw:
        raise InvalidValue("invalid duration '': it is empty", hint=DURATION_HINT)
    if raw.startswith("--"):
        raise InvalidValue(
            f"invalid duration '{raw}': looks like an option, not a duration", hint=DURATION_HINT
        )
    if raw[0] in "+-":
        raise InvalidValue(f"invalid duration '{raw}': a duration has no sign", hint=DURATION_HINT)
    if match := _full(_H_MM, raw):
        if int(match.group(2)) > 59:
            raise InvalidValue(f"invalid duration '{raw}': minutes must be 00-59", hint=DURATION_HINT)
        delta = timedelta(hours=int(match.group(1)), minutes=int(match.group(2)))
    elif (match := _full(_HOURS_MINUTES, raw)) and (match.group(1) or match.group(2)):
        delta = _hours_minutes_delta(raw, "duration", match.group(1), match.group(2), DURATION_HINT)
    else:
        raise InvalidValue(f"invalid duration '{raw}': {_duration_problem(raw)}", hint=DURATION_HINT)
    if delta <= timedelta(0):
        raise InvalidValue(f"invalid duration '{raw}': must be more than zero", hint=DURATION_HINT)
    return delta


def _duration_problem(raw: str) -> str:
    if "." in raw or "," in raw:
        return "use whole hours and minutes, e.g. 1h30m instead of 1.5h"
    if raw.isdigit():
        return "missing unit: write h for hours or m for minutes, e.g. 45m"
    if any(char.isalpha() and char not in "hm" for char in raw):
        return "only h (hours) and m (minutes) are allowed"
    return "not a duration this program understands"


def format_duration(seconds: int) -> str:
    """Show a duration compactly: ``40s`` below a minute, ``45m`` below an hour,
    ``1h05m`` / ``12h00m`` from an hour on (minutes always two digits).

    Truncates: the seconds are dropped from a minute on (``59m59s`` is
    ``59m``). Every result from ``1m`` on reads back with :func:`parse_duration`.
    ``seconds`` must not be negative (``ValueError``: a programming error).
    """
    if seconds < 0:
        raise ValueError(f"format_duration needs a non-negative number of seconds, not {seconds}")
    if seconds < 60:
        return f"{seconds}s"
    hours, minutes = divmod(seconds // 60, 60)
    if hours == 0:
        return f"{minutes}m"
    return f"{hours}h{minutes:02d}m"


# ------------------------------------------------------------- dates and months


def parse_date(text: str, *, today: date) -> date:
    """Read a calendar date: ``YYYY-MM-DD``, ``DD.MM.YYYY``, ``today`` or ``yesterday``.

    ``today`` is the caller's local date. Raises :class:`InvalidValue`.
    """
    raw = text.strip()
    if not raw:
        raise InvalidValue("invalid date '': it is empty", hint=DATE_HINT)
    word = raw.lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    if raw.startswith("--"):
        raise InvalidValue(f"invalid date '{raw}': looks like an option, not a date", hint=DATE_HINT)
    if match := _full(_ISO_DATE, raw):
        year, month, day = match.groups()
    elif match := _full(_DOTTED_DATE, raw):
        day, month, year = match.groups()
    else:
        raise InvalidValue(f"invalid date '{raw}': not a date this program understands", hint=DATE_HINT)
    return _valid_date(raw, "date", int(year), int(month), int(day), DATE_HINT)


def parse_month(text: str) -> tuple[int, int]:
    """Read a calendar month written ``YYYY-MM``; return ``(year, month)``.

    Raises :class:`InvalidValue` for anything else (``2026-1``, ``11.2026``).
    """
    raw = text.strip()
    match = _full(_MONTH, raw)
    if match is None:
        raise InvalidValue(f"invalid month '{raw}': expected YYYY-MM", hint=MONTH_HINT)
    year, month = int(match.group(1)), int(match.group(2))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidValue(f"invalid month '{raw}': year must be {FIRST_YEAR}-{LAST_YEAR}", hint=MONTH_HINT)
    if not 1 <= month <= 12:
        raise InvalidValue(f"invalid month '{raw}': month must be 01-12", hint=MONTH_HINT)
    return year, month
