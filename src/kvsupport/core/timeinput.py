"""Strict parsing of times, durations, dates and months typed by the user.

Written by hand on purpose. The popular parsers guess, and guess wrong for us:
``dateutil`` and ``pendulum`` silently read ``-15m`` as something other than
"15 minutes ago" (months, or a date fragment), and ``dateparser`` costs about
120 ms to import, which every ``session start`` would pay. None of them knows
``1 ч 30 мин`` or the session-relative rules below. Here every accepted form is
listed, ``m`` always means minutes, and anything else is refused with an
:class:`~kvsupport.errors.InvalidValue` that quotes the text and lists the
accepted forms.

Pure: no clock (callers pass ``now`` or ``today``), no files, stdlib only.
Every form is accepted whatever the interface language; words (``now``,
``вчера``) are matched without regard to case, units must be lower case, and
runs of spaces count as one.

Moments (:func:`read_moment`; :func:`parse_moment` when the caller needs no flag):

* ``now`` or ``сейчас`` -- the current minute;
* ``HH:MM`` or ``H:MM`` -- that wall time on the reference date (below);
* ``today HH:MM``, ``yesterday HH:MM``, ``tomorrow HH:MM``, and ``сегодня``,
  ``вчера``, ``позавчера``, ``завтра`` -- on that day, whatever the reference;
* ``DD.MM.YYYY HH:MM`` and ``DD.MM HH:MM`` (in the reference date's year); day
  and month may have one digit;
* ``YYYY-MM-DD HH:MM[:SS]`` and ISO 8601 ``YYYY-MM-DDTHH:MM[:SS[.ffffff]]``
  -- local wall time; followed by ``Z`` or ``±HH:MM``, kept with that offset;
* ``-15m``, ``-1h``, ``-1h30m``, ``-90m``, ``+10m``, ``-15м``, ``-1ч30м``,
  ``-1 ч 30 мин`` -- the current minute plus or minus an exact elapsed duration
  (across a clock change too). The sign is required; whole numbers only.

The reference date of a bare ``HH:MM``:

* ``on=DATE``: that date (the date of the session an edit belongs to);
* ``after=MOMENT``: MOMENT's local date -- or the next day's, when the time is
  earlier than MOMENT on its date and less than 12 hours after it on the next
  (``--start 23:00 --end 00:30`` passes midnight; ``--end 09:30`` after a 10:00
  start stays on the start's date, and the caller refuses it);
* neither: today. With ``past=True`` (a start, a stop: moments that cannot lie
  ahead) yesterday's, when today's is more than 12 hours ahead: typed at 00:20,
  ``23:30`` is last night's.

``DD.MM HH:MM`` takes the reference date's year; with ``past=True`` and no
reference, last year's when this year's date is still ahead. Whenever such a
rule moves the date, :attr:`Moment.shifted` is true, so the command can echo it.

``now`` and relative times are whole minutes (the seconds of the clock are
dropped), so ``--at -61m`` and a stop a moment later are 61 minutes; a typed
time keeps the seconds typed.

A local wall time that does not exist (the hour skipped when clocks go
forward) is refused; one that occurs twice (clocks going back) means the
first occurrence. A local moment is returned with a fixed UTC offset
(:class:`datetime.timezone`), the one its zone has at that instant -- exactly
what the ledger stores. Python compares and subtracts two datetimes that share
one ``ZoneInfo`` on the wall clock, wrong across a clock change; with fixed
offsets every later comparison is exact. Add a duration with
:func:`add_elapsed`, never ``start + delta``.

Durations (:func:`parse_duration`), dates (:func:`parse_date`) and months
(:func:`parse_month`) are described on their functions.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import NamedTuple

from kvsupport.core.timeparts import (
    DATE_HINT,
    DAY_WORDS,
    DURATION_HINT,
    FIRST_YEAR,
    H_MM,
    LAST_YEAR,
    MONTH_HINT,
    UNITS,
    Bad,
    format_duration,
    full,
    hours_minutes,
    normal,
    parse_date,
    parse_duration,
    parse_month,
    units_problem,
    unknown_unit,
    valid_date,
)
from kvsupport.errors import InvalidValue
from kvsupport.i18n import N_, _

__all__ = [
    "DATE_HINT",
    "DURATION_HINT",
    "FIRST_YEAR",
    "LAST_YEAR",
    "MOMENT_HINT",
    "MONTH_HINT",
    "Moment",
    "add_elapsed",
    "current_minute",
    "elapsed",
    "format_duration",
    "parse_date",
    "parse_duration",
    "parse_moment",
    "parse_month",
    "read_moment",
]

# English msgids: translated when a refusal is raised (the tests compare with them).
MOMENT_HINT = N_(
    "use HH:MM, today HH:MM, yesterday HH:MM, DD.MM HH:MM, DD.MM.YYYY HH:MM, YYYY-MM-DD HH:MM, "
    "ISO 8601 or a relative time such as -15m or -1h30m"
)

#: How far a bare ``HH:MM`` may be moved to the neighbouring day (the midnight rules).
NEAREST = timedelta(hours=12)

# Patterns are plain strings matched with full(): re compiles (and caches) only
# those a call needs, which keeps the import of this module cheap. Input is
# normalised first (stripped, runs of whitespace made one space).
_CLOCK = r"(\d{1,2}):(\d{2})"
_DAY_CLOCK = r"(today|yesterday|tomorrow|сегодня|вчера|позавчера|завтра) (\d{1,2}):(\d{2})"
_DATETIME = (
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"
    r"(Z|[+-]\d{2}:\d{2})?"
)
_DOTTED_DATETIME = r"(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))? (\d{1,2}):(\d{2})"
_RELATIVE = rf"([+-]){UNITS}"
# What an unsigned relative time looks like (15m, 1h30, 2d, 1 ч 30 мин), to explain the refusal.
_LOOSE_RELATIVE = r"(?:[\d.,]+ ?[a-zA-Zа-яА-Я]+ ?)+[\d.,]*"

_NOW_WORDS = ("now", "сейчас")


# --------------------------------------------------------------------- moments


class Moment(NamedTuple):
    """A point in time read from the user's text.

    ``shifted`` is true when a rule moved the date away from the plain reading
    (yesterday's ``23:30`` typed after midnight; the next day's end of a
    session passing midnight; last year's ``31.12 23:30`` typed in January):
    the command should echo the date back.
    """

    at: datetime
    shifted: bool = False


def parse_moment(
    text: str,
    *,
    now: datetime,
    tz: tzinfo | None,
    on: date | None = None,
    after: datetime | None = None,
    past: bool = False,
) -> datetime:
    """Read a point in time typed by the user (``--at``, ``--start``, ...); see :func:`read_moment`."""
    return read_moment(text, now=now, tz=tz, on=on, after=after, past=past).at


def read_moment(
    text: str,
    *,
    now: datetime,
    tz: tzinfo | None,
    on: date | None = None,
    after: datetime | None = None,
    past: bool = False,
) -> Moment:
    """Read a point in time typed by the user, and whether a rule moved its date.

    ``now`` must be aware. ``tz`` is the user's zone; ``None`` means the
    system's local zone. ``on``/``after`` give the reference date of a bare
    ``HH:MM`` (at most one of them); ``past`` says the moment cannot lie ahead
    (the module docstring has the rules). Returns an aware datetime with a fixed
    offset: the local zone's, or the one written in the text. Raises
    :class:`InvalidValue`.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("read_moment needs an aware 'now'")
    if on is not None and after is not None:
        raise ValueError("read_moment takes 'on' or 'after', not both")
    if after is not None and (after.tzinfo is None or after.utcoffset() is None):
        raise ValueError("read_moment needs an aware 'after'")
    raw = text.strip()
    try:
        return _moment(normal(raw), now, tz, on, after, past)
    except Bad as bad:
        raise InvalidValue(
            _("invalid time '{raw}': {problem}").format(raw=raw, problem=bad.problem), hint=_(MOMENT_HINT)
        ) from None


def _moment(
    raw: str, now: datetime, tz: tzinfo | None, on: date | None, after: datetime | None, past: bool
) -> Moment:
    if not raw:
        raise Bad(_("it is empty"))
    if raw.startswith("--"):
        raise Bad(_("looks like an option, not a time"))
    word = raw.lower()
    if word in _NOW_WORDS:
        return Moment(current_minute(now, tz=tz))
    if raw[0] in "+-":
        return Moment(_relative(raw, now, tz))
    if match := full(_CLOCK, raw):
        return _clock(match.group(1), match.group(2), now, tz, on, after, past)
    if match := full(_DAY_CLOCK, word):
        day_ = _local(now, tz).date() + timedelta(days=DAY_WORDS[match.group(1)])
        hour, minute = _hour_minute(match.group(2), match.group(3))
        return Moment(_localize(datetime.combine(day_, time(hour, minute)), tz))
    if match := full(_DOTTED_DATETIME, raw):
        return _dotted(match, now, tz, on, after, past)
    if match := full(_DATETIME, raw):
        return Moment(_datetime(match, tz))
    raise Bad(_guess_problem(raw))


def current_minute(now: datetime, *, tz: tzinfo | None) -> datetime:
    """``now`` without its seconds, in the local zone: the time ``now`` stands for.

    Truncated in UTC, so a minute in the hour repeated by a clock change stays
    the instant it was.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("current_minute needs an aware 'now'")
    return _local(now.astimezone(UTC).replace(second=0, microsecond=0), tz)


def _clock(
    hour_text: str,
    minute_text: str,
    now: datetime,
    tz: tzinfo | None,
    on: date | None,
    after: datetime | None,
    past: bool,
) -> Moment:
    hour, minute = _hour_minute(hour_text, minute_text)
    clock = time(hour, minute)
    if on is not None:
        return Moment(_localize(datetime.combine(on, clock), tz))
    if after is not None:
        wall_after = _local(after, tz).replace(tzinfo=None)
        base = wall_after.date()
        same_day = _localize_or_none(datetime.combine(base, clock), tz)
        if same_day is not None and same_day >= after:
            return Moment(same_day)
        next_day = datetime.combine(base + timedelta(days=1), clock)
        if next_day - wall_after < NEAREST:  # on the wall clock: a skipped next-day time is refused
            return Moment(_localize(next_day, tz), shifted=True)
        return Moment(_localize(datetime.combine(base, clock), tz))
    today = _local(now, tz).date()
    moment = _localize(datetime.combine(today, clock), tz)
    if past and moment - now > NEAREST:
        return Moment(_localize(datetime.combine(today - timedelta(days=1), clock), tz), shifted=True)
    return Moment(moment)


def _dotted(
    match: re.Match[str],
    now: datetime,
    tz: tzinfo | None,
    on: date | None,
    after: datetime | None,
    past: bool,
) -> Moment:
    day_text, month_text, year_text, hour_text, minute_text = match.groups()
    hour, minute = _hour_minute(hour_text, minute_text)
    shifted = False
    if year_text is not None:
        year = int(year_text)
    else:
        reference = on if on is not None else _local(after if after is not None else now, tz).date()
        year = reference.year
        if past and on is None and after is None:
            # Last year's when this year's date is still ahead (01.01, typing "31.12 23:30").
            this_year = valid_date(year, int(month_text), int(day_text))
            if this_year > reference:
                year, shifted = year - 1, True
    day_ = valid_date(year, int(month_text), int(day_text))
    return Moment(_localize(datetime.combine(day_, time(hour, minute)), tz), shifted)


def _guess_problem(raw: str) -> str:
    if full(_LOOSE_RELATIVE, raw):
        return _("a relative time needs a sign, e.g. -15m for 15 minutes ago")
    word = raw.split(" ", 1)[0].lower()
    if word in DAY_WORDS:
        return _("give a time after '{word}', e.g. '{word} 10:00'").format(word=word)
    return _("not a time this program understands")


def _relative(raw: str, now: datetime, tz: tzinfo | None) -> datetime:
    match = full(_RELATIVE, raw)
    if match is None or (match.group(2) is None and match.group(3) is None):
        raise Bad(_relative_problem(raw))
    sign = -1 if match.group(1) == "-" else 1
    delta = sign * hours_minutes(match.group(2), match.group(3))
    try:
        moment = current_minute(now, tz=UTC) + delta
    except OverflowError:
        moment = datetime.max.replace(tzinfo=UTC)
    if not FIRST_YEAR < moment.year < LAST_YEAR:
        raise Bad(_("too far away"))
    return _local(moment, tz)


def _relative_problem(raw: str) -> str:
    body = raw[1:]
    if not body:
        return _("a sign alone is not a time")
    if body[0] in "+-":
        return _("use one sign, e.g. -15m")
    if "." in body or "," in body:
        return _("use whole hours and minutes, e.g. -1h30m instead of -1.5h")
    if body.isdigit():
        return _("missing unit: write h for hours or m for minutes, e.g. -15m")
    if full(H_MM, body):
        return _("write a relative time with units, e.g. -1h30m")
    if unknown_unit(body):
        return units_problem()
    return _("expected a sign, then hours and/or minutes such as -15m, -1h or -1h30m")


def _hour_minute(hour_text: str, minute_text: str) -> tuple[int, int]:
    hour, minute = int(hour_text), int(minute_text)
    if hour > 23:
        raise Bad(_("hours must be 00-23"))
    if minute > 59:
        raise Bad(_("minutes must be 00-59"))
    return hour, minute


def _datetime(match: re.Match[str], tz: tzinfo | None) -> datetime:
    year, month, day, hour_text, minute_text, second_text, fraction, offset = match.groups()
    day_ = valid_date(int(year), int(month), int(day))
    hour, minute = _hour_minute(hour_text, minute_text)
    second = int(second_text) if second_text is not None else 0
    if second > 59:
        raise Bad(_("seconds must be 00-59"))
    micro = int(fraction.ljust(6, "0")) if fraction is not None else 0
    wall = datetime.combine(day_, time(hour, minute, second, micro))
    if offset is None:
        return _localize(wall, tz)
    if offset == "Z":
        return wall.replace(tzinfo=UTC)
    offset_hours, offset_minutes = int(offset[1:3]), int(offset[4:6])
    if offset_hours > 23 or offset_minutes > 59:
        raise Bad(_("the offset must be between -23:59 and +23:59"))
    sign = -1 if offset[0] == "-" else 1
    return wall.replace(tzinfo=timezone(sign * timedelta(hours=offset_hours, minutes=offset_minutes)))


def _fixed(moment: datetime) -> datetime:
    offset = moment.utcoffset()
    assert offset is not None
    return moment.replace(tzinfo=timezone(offset), fold=0)


def _local(moment: datetime, tz: tzinfo | None) -> datetime:
    """The same instant in the user's zone (the system's when ``tz`` is None), fixed offset."""
    try:
        return _fixed(moment.astimezone(tz) if tz is not None else moment.astimezone())
    except OverflowError:
        raise Bad(_("{moment} is out of range").format(moment=moment.isoformat())) from None


def _localize(wall: datetime, tz: tzinfo | None) -> datetime:
    """Make a naive local wall time aware; refuse a wall time skipped by a clock change."""
    aware = _localize_or_none(wall, tz)
    if aware is None:
        raise Bad(_("it does not exist in the local zone (the clocks skip it)"))
    return aware


def _localize_or_none(wall: datetime, tz: tzinfo | None) -> datetime | None:
    # The round trip through UTC shows a skipped wall time: it comes back an hour off.
    # The system zone (tz None) goes through mktime(), which shifts it the same way.
    aware = wall.replace(tzinfo=tz) if tz is not None else wall.astimezone()
    back = aware.astimezone(UTC).astimezone(tz) if tz is not None else aware.astimezone(UTC).astimezone()
    if back.replace(tzinfo=None) != wall:
        return None
    return _fixed(aware)


# ----------------------------------------------------------- elapsed arithmetic


def add_elapsed(start: datetime, delta: timedelta, *, tz: tzinfo | None) -> datetime:
    """``start`` plus ``delta`` of real, elapsed time, shown in ``tz`` (``None``: the system's zone).

    ``start + delta`` on a ``ZoneInfo`` datetime moves the wall clock, so
    ``23:30 + 4h`` on the night the clocks go back would be 5 hours of real
    time. Here the sum is taken in UTC; the result has the fixed offset ``tz``
    has at that instant (see the module docstring).
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("add_elapsed needs an aware 'start'")
    try:
        return _local(start.astimezone(UTC) + delta, tz)
    except (OverflowError, Bad):
        raise InvalidValue(
            _("{start} plus {duration} is out of range").format(
                start=start.isoformat(), duration=format_duration(int(delta.total_seconds()))
            )
        ) from None


def elapsed(start: datetime, end: datetime) -> timedelta:
    """The real time from ``start`` to ``end``, computed in UTC (not on the wall clock)."""
    return end.astimezone(UTC) - start.astimezone(UTC)
