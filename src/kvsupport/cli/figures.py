"""Figures as the consultant reads them, in the interface's language (SPEC §10).

In Russian: money ``1 408,33 ₽``, durations ``1 ч 05 мин``, dates ``03.11.2026``,
hours in reports ``2:24`` (ч:мм — never ``2.40``, which reads as 2 h 40 min). In
English the forms kvsupport always printed: ``1408.33 RUB``, ``1h05m``,
``2026-11-03``, hours as ``2.40``. Only what a person reads goes through here:
JSON and CSV keep their machine forms (``"1408.33"``, ISO 8601) in every
language, so a script never breaks on a colleague's locale.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from kvsupport.core import readable
from kvsupport.core.money import money_str, to_kopecks
from kvsupport.i18n import NC_, current, pgettext

NBSP = "\u00a0"  # binds figures and units: «1 408,33 ₽», «1 ч 05 мин» never break apart


def russian() -> bool:
    """True when the interface speaks Russian."""
    return current() == "ru"


def number(amount: Decimal) -> str:
    """``1 408,33`` in Russian (a no-break space between thousands), ``1408.33`` else."""
    text = money_str(amount)
    if not russian():
        return text
    whole, _, cents = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return f"{sign}{NBSP.join(groups) or '0'},{cents}"


def money(amount: Decimal) -> str:
    """``1 408,33 ₽`` in Russian, ``1408.33 RUB`` in English."""
    return f"{number(amount)}{NBSP}₽" if russian() else f"{money_str(amount)} RUB"


def rate(amount: Decimal) -> str:
    """An hourly rate: ``1 300,00 ₽/ч`` or ``1300.00/h``."""
    return f"{number(amount)}{NBSP}₽/ч" if russian() else f"{money_str(amount)}/h"


def duration(seconds: int) -> str:
    """``1 ч 05 мин``, ``45 мин``, ``40 с`` in Russian; ``1h05m``, ``45m``, ``40s`` in English
    (minutes truncated, as worked time is counted)."""
    if not russian():
        from kvsupport.core.timeinput import format_duration

        return format_duration(seconds)
    if seconds < 60:
        return f"{seconds}{NBSP}с"
    hours, minutes = divmod(seconds // 60, 60)
    if hours == 0:
        return f"{minutes}{NBSP}мин"
    return f"{hours}{NBSP}ч {minutes:02d}{NBSP}мин"


def minutes(count: int) -> str:
    """A number of minutes: ``61 мин`` or ``61 min``."""
    return f"{count}{NBSP}мин" if russian() else f"{count} min"


def minutes_cell(count: int) -> str:
    """Minutes in a listing's cell: ``61 мин`` in Russian (minutes, as a session is billed:
    «к оплате 61 мин × …»; as narrow as the English, so a Russian listing keeps as many
    columns at 80), ``61`` (the column says minutes) in English."""
    return minutes(count) if russian() else str(count)


def money_cell(amount: object) -> str:
    """An amount in a listing's cell (a record's ``"1321.67"``): ``1 321,67`` in Russian,
    ``1321.67`` in English."""
    return number(Decimal(str(amount)))


def hours(count_minutes: int) -> str:
    """Hours of a report: ``2:24`` (ч:мм) in Russian; ``2.40`` (decimal hours) in English."""
    if russian():
        h, m = divmod(count_minutes, 60)
        return f"{h}:{m:02d}"
    return money_str(to_kopecks(Decimal(count_minutes) / 60))  # half up, like money


def day(value: date) -> str:
    """``03.11.2026`` in Russian, ``2026-11-03`` in English."""
    return readable.day(value)


def day_and_time(moment: datetime) -> str:
    """``03.11.2026 10:00`` or ``2026-11-03 10:00`` (``moment`` already in local time)."""
    return readable.day_and_time(moment)


def period(text: str) -> str:
    """A month of the ledger (``2026-11``) in a sentence or a title: ``ноябрь 2026`` in
    Russian, ``2026-11`` in English."""
    return readable.period(text)


#: the context of a header over a column of sums shown without their unit: the unit is in
#: the header instead («Сумма, ₽» over «1 408,33»), which keeps a Russian table narrow
SUMS = "a column of sums"
NC_("a column of sums", "Total")
NC_("a column of sums", "Balance")
NC_("a column of sums", "Amount")
NC_("a column of sums", "Unbilled")


def sums_header(header: str) -> str:
    """The header of a column of sums (its English msgid) in the interface's language,
    with the unit in Russian: ``Сумма, ₽``; in English the header as it was."""
    return pgettext(SUMS, header)
