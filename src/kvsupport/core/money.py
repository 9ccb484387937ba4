"""Money policy: ``Decimal`` end to end, quantized to kopecks at one point.

Every amount kvsupport computes passes through :func:`to_kopecks` exactly once,
when a charge is priced (``core.billing``); everything downstream adds
already-quantized amounts, so sums are exact. Floats are refused at the edge by
:func:`parse_money`: ``0.1 + 0.2`` is not a price.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kvsupport.core.readable import quoted
from kvsupport.i18n import _

KOPECK = Decimal("0.01")
ZERO = Decimal("0.00")
#: A bound far above any price, far below where Decimal's 28 digits stop holding kopecks.
MAX_AMOUNT = Decimal(10) ** 12
#: The only spelling of an amount as text: digits, and a point with one or two more.
#: ``Decimal`` alone would take ``"1e3"``, ``"١٣٠٠"`` (Arabic-Indic digits), ``"Infinity"``.
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")


def to_kopecks(value: Decimal) -> Decimal:
    """Round half-up to kopecks: ``to_kopecks(Decimal("1321.666"))`` → ``1321.67``."""
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def parse_money(value: object) -> Decimal:
    """Read a price from a file or the command line: a string or an integer.

    ``parse_money("1300.00")`` → ``Decimal("1300.00")``. A float, a bool, a
    negative amount or more than two decimals raise ``ValueError`` saying why.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        kind = type(value).__name__
        if kind == "float":
            raise ValueError(
                _(
                    "must be a string or an integer, not a float (a float cannot hold kopecks exactly; "
                    "write it as a string)"
                )
            )
        raise ValueError(_("must be a string or an integer, not a {kind}").format(kind=kind))
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("-") and _PLAIN.fullmatch(text[1:]):
            raise ValueError(_("{value} is negative").format(value=quoted(value)))
        if re.fullmatch(r"[0-9]+\.[0-9]{3,}", text):
            raise ValueError(_("{value} has more than two decimals").format(value=quoted(value)))
        if not _PLAIN.fullmatch(text):
            raise ValueError(
                _(
                    "{value} is not an amount: write digits with at most two decimals after a point, "
                    'e.g. "1300.00"'
                ).format(value=quoted(value))
            )
    try:
        amount = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise ValueError(_("{value} is not an amount").format(value=quoted(value))) from None
    if not amount.is_finite():
        raise ValueError(_("{value} is not an amount").format(value=quoted(value)))
    if amount < 0:
        raise ValueError(_("{value} is negative").format(value=quoted(value)))
    if amount >= MAX_AMOUNT:
        raise ValueError(
            _("{value} is too large (prices are below {limit})").format(
                value=quoted(value), limit=f"{MAX_AMOUNT:,.0f}"
            )
        )
    if amount != amount.quantize(KOPECK):
        raise ValueError(_("{value} has more than two decimals").format(value=quoted(value)))
    return amount.quantize(KOPECK)


def money_str(amount: Decimal) -> str:
    """The JSON form of an amount: ``money_str(Decimal("1300"))`` → ``"1300.00"``."""
    return f"{amount.quantize(KOPECK):f}"
