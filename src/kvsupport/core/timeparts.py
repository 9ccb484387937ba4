"""Durations, dates and months typed by the user, and the grammar the moment parser shares.

Callers import from :mod:`kvsupport.core.timeinput`, which re-exports
:func:`parse_duration`, :func:`format_duration`, :func:`parse_date` and
:func:`parse_month`; this module keeps that one under its size. Hand-written
for the reasons given there. Pure, stdlib only.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from kvsupport.core import readable
from kvsupport.errors import InvalidValue
from kvsupport.i18n import N_, _

DURATION_HINT = N_("use hours and minutes such as 1h30m, 90m, 2h, 1 h 30 min or H:MM such as 1:30")
DATE_HINT = N_("use DD.MM.YYYY, DD.MM, YYYY-MM-DD, today or yesterday")
MONTH_HINT = N_("use YYYY-MM, MM.YYYY or the month's name, e.g. 2026-11, 11.2026, november 2026 or november")

#: Years a typed date may have: a support ledger's, with room on both sides. Python's
#: own limits (1-9999) would let ``0001-01-01 00:00+05:00`` overflow in later arithmetic.
FIRST_YEAR, LAST_YEAR = 1970, 2999

# Patterns are plain strings matched with full(): re compiles (and caches) only
# those a call needs, which keeps the import cheap. Input is normalised first
# (stripped, runs of whitespace, no-break spaces too, made one space).
# «ч.» and «мин.» are how Russian abbreviates them in writing: the dot is allowed after those.
HOURS = r"(?:h|ч\.?|час|часа|часов)"
MINUTES = r"(?:m|min|м|мин\.?|минута|минуту|минуты|минут)"
UNITS = rf"(?:(\d{{1,6}}) ?{HOURS} ?)?(?:(\d{{1,6}}) ?{MINUTES})?"
H_MM = r"(\d{1,6}):(\d{2})"
_ISO_DATE = r"(\d{4})-(\d{2})-(\d{2})"
_DOTTED_DATE = r"(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?"
_MONTH = r"(\d{4})-(\d{2})"
_DOTTED_MONTH = r"(\d{1,2})\.(\d{4})"
# A month by name, with or without a year: «ноябрь», «ноября 2026», «нояб. 2026 г.», «november 2026».
_NAMED_MONTH = r"([a-zа-яё]+)\.?(?: (\d{4})(?: ?г\.?| года?)?)?"

#: Words for a day, and how many days from today they are.
DAY_WORDS = {
    "today": 0,
    "сегодня": 0,
    "yesterday": -1,
    "вчера": -1,
    "tomorrow": 1,
    "завтра": 1,
    "позавчера": -2,
}
UNIT_WORDS = frozenset(
    ("h", "ч", "час", "часа", "часов", "m", "min", "м", "мин", "минута", "минуту", "минуты", "минут")
)


def _month_words() -> dict[str, int]:
    """Every word that names a month: English (``november``, ``nov``), Russian in the
    cases a consultant types (``ноябрь``, ``ноября``, ``ноябре``) and abbreviated
    (``ноя``, ``нояб``)."""
    names = [
        "january jan",
        "february feb",
        "march mar",
        "april apr",
        "may",
        "june jun",
        "july jul",
        "august aug",
        "september sep sept",
        "october oct",
        "november nov",
        "december dec",
        "январь января январе янв",
        "февраль февраля феврале фев февр",
        "март марта марте мар",
        "апрель апреля апреле апр",
        "май мая мае",
        "июнь июня июне июн",
        "июль июля июле июл",
        "август августа августе авг",
        "сентябрь сентября сентябре сен сент",
        "октябрь октября октябре окт",
        "ноябрь ноября ноябре ноя нояб",
        "декабрь декабря декабре дек",
    ]
    return {word: n % 12 + 1 for n, words in enumerate(names) for word in words.split()}


#: Names of months (lower case) and their numbers: ``ноябрь`` 11 (:func:`parse_month`).
MONTH_WORDS = _month_words()


def full(pattern: str, text: str) -> re.Match[str] | None:
    """``pattern`` matched against the whole of ``text``."""
    # re.ASCII: ``\d`` must not match Arabic-Indic or other Unicode digits.
    return re.fullmatch(pattern, text, re.ASCII)


def normal(text: str) -> str:
    """``text`` stripped, with every run of whitespace (no-break spaces too) made one space."""
    return " ".join(text.split())


class Bad(Exception):
    """A problem with a typed value, before it is known what kind of value it was.

    The public parsers turn it into an :class:`InvalidValue` that quotes the text.
    """

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def unknown_unit(body: str) -> bool:
    """Whether a run of letters in ``body`` is not a unit (``d``, ``s``, ``H``, ``hm``)."""
    return any(word not in UNIT_WORDS for word in re.findall(r"[^\W\d_]+", body))


def units_problem() -> str:
    """Why a unit was refused: the units there are."""
    return _("units are h or ч for hours and m, min, м or мин for minutes, in lower case")


def hours_minutes(hours_text: str | None, minutes_text: str | None) -> timedelta:
    """The duration of matched hours and minutes; with hours, minutes must be 0-59."""
    hours = int(hours_text) if hours_text is not None else 0
    minutes = int(minutes_text) if minutes_text is not None else 0
    if hours_text is not None and minutes > 59:
        raise Bad(_("minutes must be 0-59 after hours (or give minutes alone)"))
    return timedelta(hours=hours, minutes=minutes)


def valid_date(year: int, month: int, day: int) -> date:
    """The date, or :class:`Bad` naming the part out of range."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Bad(_("year must be {first}-{last}").format(first=FIRST_YEAR, last=LAST_YEAR))
    if not 1 <= month <= 12:
        raise Bad(_("month must be 01-12"))
    try:
        return date(year, month, day)
    except ValueError:
        raise Bad(
            _("day {day} does not exist {in_month}").format(
                day=f"{day:02d}", in_month=readable.in_month(year, month)
            )
        ) from None


# ------------------------------------------------------------------- durations


def parse_duration(text: str) -> timedelta:
    """Read a positive duration.

    Accepted: ``1h30m``, ``90m``, ``2h``, ``45m``, ``1ч30м``, ``1 ч 30 мин``,
    ``90 мин``, ``1 ч. 30 мин.``, ``2 часа``, ``1h 30min`` and ``H:MM`` (``1:30``). Units:
    ``h``, ``ч``/``ч.``, ``час``/``часа``/``часов`` for hours; ``m``, ``min``, ``м``,
    ``мин``/``мин.``, ``минута``/``минуту``/``минуты``/``минут`` for minutes. No sign, no days, no decimals.
    With hours, minutes must be 0-59. Raises :class:`InvalidValue`; a zero
    duration is refused.
    """
    raw = text.strip()
    try:
        return _duration(normal(raw))
    except Bad as bad:
        raise InvalidValue(
            _("invalid duration '{raw}': {problem}").format(raw=raw, problem=bad.problem),
            hint=_(DURATION_HINT),
        ) from None


def _duration(raw: str) -> timedelta:
    if not raw:
        raise Bad(_("it is empty"))
    if raw.startswith("--"):
        raise Bad(_("looks like an option, not a duration"))
    if raw[0] in "+-":
        raise Bad(_("a duration has no sign"))
    if match := full(H_MM, raw):
        if int(match.group(2)) > 59:
            raise Bad(_("minutes must be 00-59"))
        delta = timedelta(hours=int(match.group(1)), minutes=int(match.group(2)))
    elif (match := full(UNITS, raw)) and (match.group(1) or match.group(2)):
        delta = hours_minutes(match.group(1), match.group(2))
    else:
        raise Bad(_duration_problem(raw))
    if delta <= timedelta(0):
        raise Bad(_("must be more than zero"))
    return delta


def _duration_problem(raw: str) -> str:
    if "." in raw or "," in raw:
        return _("use whole hours and minutes, e.g. 1h30m instead of 1.5h")
    if raw.isdigit():
        return _("missing unit: write h for hours or m for minutes, e.g. 45m")
    if unknown_unit(raw):
        return units_problem()
    return _("not a duration this program understands")


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
    """Read a calendar date: ``DD.MM.YYYY`` (``D.M.YYYY`` too), ``DD.MM`` (this
    year), ``YYYY-MM-DD``, ``today``/``сегодня``, ``yesterday``/``вчера``,
    ``позавчера`` (the day before yesterday), ``tomorrow``/``завтра``.

    ``today`` is the caller's local date. Raises :class:`InvalidValue`.
    """
    raw = text.strip()
    try:
        return _date(normal(raw), today)
    except Bad as bad:
        raise InvalidValue(
            _("invalid date '{raw}': {problem}").format(raw=raw, problem=bad.problem), hint=_(DATE_HINT)
        ) from None


def _date(raw: str, today: date) -> date:
    if not raw:
        raise Bad(_("it is empty"))
    word = raw.lower()
    if word in DAY_WORDS:
        return today + timedelta(days=DAY_WORDS[word])
    if raw.startswith("--"):
        raise Bad(_("looks like an option, not a date"))
    if match := full(_ISO_DATE, raw):
        year, month, day = match.groups()
    elif match := full(_DOTTED_DATE, raw):
        day, month, year = match.groups()
        year = year or str(today.year)
    else:
        raise Bad(_("not a date this program understands"))
    return valid_date(int(year), int(month), int(day))


def parse_month(text: str, *, today: date | None = None) -> tuple[int, int]:
    """Read a calendar month written ``YYYY-MM`` or ``MM.YYYY`` (``M.YYYY`` too), or by
    its name (:data:`MONTH_WORDS`, any case): ``ноябрь 2026``, ``ноября 2026 г.``,
    ``нояб. 2026``, ``november 2026``; return ``(year, month)``.

    A name without a year (``ноябрь``) needs ``today``, the caller's local date: it
    means the latest such month that has begun (``ноябрь`` typed in January 2027 is
    November 2026). Raises :class:`InvalidValue` for anything else (``2026-1``,
    ``2026-11-01``).
    """
    raw = text.strip()
    try:
        return _month(normal(raw), today)
    except Bad as bad:
        raise InvalidValue(
            _("invalid month '{raw}': {problem}").format(raw=raw, problem=bad.problem), hint=_(MONTH_HINT)
        ) from None


def _month(raw: str, today: date | None) -> tuple[int, int]:
    if match := full(_MONTH, raw):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := full(_DOTTED_MONTH, raw):
        month, year = int(match.group(1)), int(match.group(2))
    elif (match := full(_NAMED_MONTH, raw.lower())) and match.group(1) in MONTH_WORDS:
        month = MONTH_WORDS[match.group(1)]
        if match.group(2) is not None:
            year = int(match.group(2))
        elif today is None:
            raise Bad(_("give the year too, e.g. '{month} 2026'").format(month=match.group(1)))
        else:
            year = today.year if month <= today.month else today.year - 1
    else:
        raise Bad(_("expected YYYY-MM, MM.YYYY or the month's name"))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Bad(_("year must be {first}-{last}").format(first=FIRST_YEAR, last=LAST_YEAR))
    if not 1 <= month <= 12:
        raise Bad(_("month must be 01-12"))
    return year, month
