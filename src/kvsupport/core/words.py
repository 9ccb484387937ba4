"""Money for invoices: the total in words and the amount in figures.

A Russian invoice («Счёт на оплату») writes its total twice: in figures,
``1 300,00`` (U+00A0 NO-BREAK SPACE between groups, a decimal comma, always two
decimals), and in words, «Одна тысяча триста рублей 00 копеек» (capitalised,
kopecks in digits). Both functions here take a :class:`~decimal.Decimal` only:
``num2words`` reads an ``int`` as kopecks, so ``4000`` would come out as
«сорок рублей». Amounts are quantized to kopecks once, elsewhere; anything
finer is refused rather than rounded again.

Pure: no files, no clock, no terminal. ``num2words`` is imported inside
:func:`amount_in_words` because it costs ~18 ms to import.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = ["LANGUAGES", "amount_in_words", "format_amount"]

LANGUAGES = ("ru", "en")
"""The languages both functions accept."""

_KOPECK = Decimal("0.01")
_NBSP = "\u00a0"


def _checked(amount: object, language: str) -> Decimal:
    """Return ``amount`` quantized to kopecks, or raise if it is no valid amount.

    ``TypeError`` when it is not a ``Decimal``; ``ValueError`` when it is not
    finite, has more than two decimal places, is too large to quantize, or when
    ``language`` is unknown.
    """
    if not isinstance(amount, Decimal):
        raise TypeError(
            f"amount must be a Decimal, not {type(amount).__name__} (an int would be read as kopecks)"
        )
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    if not amount.is_finite():
        raise ValueError(f"amount must be a finite number, not {amount}")
    try:
        quantized = amount.quantize(_KOPECK)
    except InvalidOperation:
        raise ValueError(f"amount is too large: {amount}") from None
    if quantized != amount:
        raise ValueError(f"amount has more than two decimal places: {amount}")
    # Decimal("-0.00") is not negative money: drop the sign of zero.
    return quantized if quantized else abs(quantized)


def amount_in_words(amount: Decimal, language: str = "ru") -> str:
    """Write a non-negative amount of roubles in words, kopecks in two digits.

    >>> amount_in_words(Decimal("1300"))
    'Одна тысяча триста рублей 00 копеек'

    English uses the singular only for exactly one («One rouble 01 kopeck») and
    British number words ("one hundred and one"), without commas.

    Raises ``TypeError`` for anything but a ``Decimal``, and ``ValueError`` for
    a negative amount, more than two decimal places, or an unknown language.
    """
    value = _checked(amount, language)
    if value < 0:
        raise ValueError(f"amount must not be negative: {amount}")

    from num2words import num2words

    if language == "ru":
        text = str(num2words(value, lang="ru", to="currency", currency="RUB", cents=False, separator=""))
    else:
        rubles, kopecks = divmod(int(value * 100), 100)
        number = str(num2words(rubles, lang="en")).replace(",", "")
        rouble = "rouble" if rubles == 1 else "roubles"
        kopeck = "kopeck" if kopecks == 1 else "kopecks"
        text = f"{number} {rouble} {kopecks:02d} {kopeck}"

    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def format_amount(amount: Decimal, language: str = "ru") -> str:
    """Write an amount in figures with grouped thousands and two decimals.

    >>> format_amount(Decimal("1234567.8"))
    '1\\xa0234\\xa0567,80'

    Russian groups with U+00A0 NO-BREAK SPACE and uses a decimal comma;
    English gives ``1,234,567.80``. A negative amount gets an ASCII ``-``.

    Raises ``TypeError`` for anything but a ``Decimal``, and ``ValueError`` for
    more than two decimal places or an unknown language.
    """
    value = _checked(amount, language)
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,.2f}"
    if language == "ru":
        text = text.replace(",", _NBSP).replace(".", ",")
    return sign + text
