"""Invoice numbers as a purpose of payment writes them.

People type the number of the invoice they pay in many ways: «Оплата по счету N
2026-0001 от 30.11.26г», «сч. 2026-1», «счет №1 от 01.12.2026» (the year then
comes from the date), «по счетам №№ 2026-0003 и 2026-0004», «#20260001», or a
bare «2026-0001». :func:`invoice_references` finds them, with ``№``, ``N``,
``No``, ``#`` or an invoice word before them, and skips numbers that belong to
other papers («по договору N 15», «акт № 3»); each is compared with invoice
numbers as digit groups, so dashes and leading zeros do not matter.

Pure: text in, values out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

__all__ = ["Reference", "invoice_key", "invoice_references", "named_numbers"]


class Reference(NamedTuple):
    """An invoice number as the purpose writes it, and the numbers it may stand for,
    as digit groups, the likeliest first: «N 2026-0001» → ``((2026, 1),)``,
    «№1 от 01.12.2026» → ``((1,), (2026, 1))``."""

    text: str
    keys: tuple[tuple[int, ...], ...]


_MARK = r"(?:№\s*№?|N\s*°|No\.?|Nо\.?|N|#)"
_WORD = r"(?:сч(?:е|ё)т(?:а|у|ом|ам|ах|ов)?(?:\s*-\s*оферт\w*)?|сч\.?)"
_TOKEN = r"\d+(?:\s*[-\u2010-\u2015/]\s*\d+)*"
_LIST_SEP = r"\s*(?:,|;|\+|\bи\b|\band\b)\s*(?:" + _MARK + r"\s*)?"
_REFERENCE = re.compile(
    r"(?:(?<![\w/])" + _WORD + r"\s*(?:" + _MARK + r"\s*)?|(?<![\w/])" + _MARK + r"\s*)"
    r"(?P<tokens>" + _TOKEN + r"(?:" + _LIST_SEP + _TOKEN + r")*)"
    r"(?:\s*от\s*(?P<day>\d{1,2}\.\d{1,2}\.(?P<year>\d{4}|\d{2})))?",
    re.IGNORECASE,
)
# A number after «N» that belongs to another paper: «по договору N 15», «акт № 3».
_OTHER_PAPER = re.compile(
    r"(?<!\w)(?:договор\w*|дог\.?|контракт\w*|акт\w*|заказ\w*|заявк\w*|п/п|пп|поручени\w*|накладн\w*)\s*$",
    re.IGNORECASE,
)
# 2026-0001 anywhere, without a marker (not part of a date such as 2026-12-03).
_BARE = re.compile(r"(?<![\d.\-/])(20\d\d)\s*[-\u2010-\u2015/]\s*(\d{1,6})(?![\d.\-/])")
_TOKEN_IN_LIST = re.compile(_TOKEN)


def invoice_references(purpose: str, paid_on: dt.date) -> tuple[Reference, ...]:
    """The invoice numbers a purpose of payment names, in order.

    A number with one group and no year («счет №1») stands for that number, then
    for it in the year of the date written after it («от 01.12.2026»), else in the
    year of ``paid_on`` and the year before.
    """
    found: list[Reference] = []
    spans: list[tuple[int, int]] = []
    for match in _REFERENCE.finditer(purpose):
        if _OTHER_PAPER.search(purpose[: match.start()]) and not re.match(
            _WORD, match.group(), re.IGNORECASE
        ):
            continue
        year = match.group("year")
        years = [_full_year(year)] if year else [paid_on.year, paid_on.year - 1]
        for token in _TOKEN_IN_LIST.finditer(match.group("tokens")):
            found.append(Reference(" ".join(token.group().split()), _keys(token.group(), years)))
        spans.append(match.span())
    for match in _BARE.finditer(purpose):
        if not any(start <= match.start() < end for start, end in spans):
            found.append(Reference(match.group(), ((int(match.group(1)), int(match.group(2))),)))
    return tuple(found)


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _keys(token: str, years: Sequence[int]) -> tuple[tuple[int, ...], ...]:
    digits = re.findall(r"\d+", token)
    groups = tuple(int(d) for d in digits)
    keys = [groups]
    if len(groups) == 1:
        text = digits[0]
        if len(text) >= 5 and text.startswith("20"):
            keys.append((int(text[:4]), int(text[4:])))  # 20260001
        keys.extend((year, groups[0]) for year in years)
    elif len(groups) == 2 and groups[0] < 100 and len(digits[0]) == 2:
        keys.append((2000 + groups[0], groups[1]))  # 26-0001
    return tuple(dict.fromkeys(keys))


def invoice_key(number: str) -> tuple[int, ...]:
    """An invoice number as digit groups: ``invoice_key("2026-0001")`` → ``(2026, 1)``."""
    return tuple(int(d) for d in re.findall(r"\d+", number))


def named_numbers(references: Sequence[Reference], numbers: Iterable[str]) -> list[str]:
    """Those of ``numbers`` (invoice numbers) the references stand for, each once, in the
    order named. Each reference takes its likeliest key that some number has."""
    by_key: dict[tuple[int, ...], list[str]] = {}
    for number in numbers:
        key = invoice_key(number)
        for size in range(min(2, len(key)), len(key) + 1):  # «КВ1-2026-0001» is named by «2026-0001» too
            by_key.setdefault(key[-size:], []).append(number)
    named: dict[str, None] = {}
    for reference in references:
        for key in reference.keys:
            hits = by_key.get(key)
            if hits:
                named.update(dict.fromkeys(hits))
                break
    return list(named)
