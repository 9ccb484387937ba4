"""Dates, moments and months inside a sentence, in the interface's language (SPEC §10).

In Russian ``03.11.2026``, ``03.11.2026 10:00`` and ``ноябрь 2026``; in English the forms
kvsupport always printed: ``2026-11-03``, ``2026-11-03 10:00`` and ``2026-11``. Only what a
person reads goes through here: JSON, CSV and a value to type again (``--month 2026-11``)
keep their machine forms in every language. Here, not in the command line, so that the
messages of the core and the operations say a date the way the tables do. Stdlib only.
"""

from __future__ import annotations

from datetime import date, datetime

from kvsupport.i18n import current

#: month names as a Russian sentence writes a month after «за»: «за ноябрь 2026»
RUSSIAN_MONTHS = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)


#: the same after «в»: «в ноябре 2026»
RUSSIAN_MONTHS_IN = (
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
)


def day(value: date) -> str:
    """``03.11.2026`` in Russian, ``2026-11-03`` in English."""
    return f"{value:%d.%m.%Y}" if current() == "ru" else value.isoformat()


def day_and_time(moment: datetime, clock: str = "%H:%M") -> str:
    """``03.11.2026 10:00`` or ``2026-11-03 10:00`` (``moment`` already in local time)."""
    return f"{day(moment.date())} {moment:{clock}}"


def span(first: datetime, last: datetime | None, *, dated: bool, open_end: str, clock: str = "%H:%M") -> str:
    """``10:00–11:01`` (``dated``: with the start's date); an end on another day carries
    its date (``23:30–28.11.2026 00:30``); no end: ``open_end``. Local times."""
    shown = day_and_time(first, clock) if dated else f"{first:{clock}}"
    if last is None:
        return f"{shown}–{open_end}"
    until = f"{last:{clock}}" if last.date() == first.date() else day_and_time(last, clock)
    return f"{shown}–{until}"


def month(year: int, number: int) -> str:
    """``ноябрь 2026`` in Russian (the form after «за», «по»: the month's name is the
    same there), ``2026-11`` in English."""
    if current() == "ru" and 1 <= number <= 12:
        return f"{RUSSIAN_MONTHS[number - 1]} {year}"
    return f"{year:04d}-{number:02d}"


def period(text: str) -> str:
    """A period of the ledger (``2026-11``) as :func:`month` writes it; anything else as it is."""
    year, dash, number = text.partition("-")
    if dash and year.isdigit() and number.isdigit() and len(year) == 4 and len(number) == 2:
        return month(int(year), int(number))
    return text


def in_month(year: int, number: int) -> str:
    """``в ноябре 2026`` in Russian, ``in 2026-11`` in English: where something is."""
    if current() == "ru" and 1 <= number <= 12:
        return f"в {RUSSIAN_MONTHS_IN[number - 1]} {year}"
    return f"in {year:04d}-{number:02d}"


def quoted(value: object) -> str:
    """A value typed or read, quoted inside a sentence: «1300,555» in Russian, ``repr`` in
    English ('1300,555'), as it always was."""
    return f"«{value}»" if current() == "ru" and isinstance(value, str) else repr(value)
