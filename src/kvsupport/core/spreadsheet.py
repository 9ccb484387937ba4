"""CSV cells a spreadsheet will not run as formulas (CSV injection, OWASP).

A client named ``=HYPERLINK("http://…","Оплатить")`` or a note ``-2+3+cmd|'/c calc'!A0``
reaches an accountant's Excel or LibreOffice as a live formula when it is
exported as it is. OWASP's advice ("CSV Injection"): a cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single quote in
front, which spreadsheets read as "this is text". Plain numbers are data and
stay as they are, so ``-15`` or ``-1300.00`` is still a number in the sheet;
``-2+3`` is not a plain number and is quoted.

The quote is reversible: :func:`formula_safe` adds one quote to a cell whose
text after its leading quotes would start a formula, and
:func:`from_formula_safe` takes exactly that one quote away again, so
``export | import`` gives back every value unchanged, including one that
itself started with quotes.
"""

from __future__ import annotations

import re
from functools import lru_cache

TRIGGERS = frozenset("=+-@\t\r")
"""First characters that make a spreadsheet read a cell as a formula."""

QUOTE = "'"

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)")


def _starts_formula(text: str) -> bool:
    """Whether ``text`` (leading quotes removed) would be read as a formula."""
    return bool(text) and text[0] in TRIGGERS and _PLAIN_NUMBER.fullmatch(text) is None


@lru_cache(maxsize=4096)  # an export repeats its phones and notes: 0.2 s of 200k rows was this
def formula_safe(cell: str) -> str:
    """``cell`` as a spreadsheet reads it as text: ``"=1+2"`` → ``"'=1+2"``; ``"-15"`` and
    ``"Ромашка"`` unchanged; ``"'=1"`` → ``"''=1"`` (so the quote can be taken off again)."""
    if cell and (cell[0] in TRIGGERS or cell[0] == QUOTE) and _starts_formula(cell.lstrip(QUOTE)):
        return QUOTE + cell
    return cell


def from_formula_safe(cell: str) -> str:
    """The value :func:`formula_safe` was given: the one quote it added taken off."""
    if cell[:1] == QUOTE and _starts_formula(cell.lstrip(QUOTE)):
        return cell[1:]
    return cell
