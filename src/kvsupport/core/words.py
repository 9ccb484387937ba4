"""Money for invoices: the total in words and the amount in figures.

A Russian invoice («Счёт на оплату») writes its total twice: in figures,
``1 300,00`` (U+00A0 NO-BREAK SPACE between groups, a decimal comma, always two
decimals), and in words, «Одна тысяча триста рублей 00 копеек» (capitalised,
kopecks in digits). Both functions here take a :class:`~decimal.Decimal` only:
``num2words`` reads an ``int`` as kopecks, so ``4000`` would come out as
«сорок рублей». Amounts are quantized to kopecks once, elsewhere; anything
finer is refused rather than rounded again.

Pure: no files, no clock, no terminal. Russian amounts are spelled here (see
``_ru_number``); ``num2words`` spells the English ones, imported only then (it
loads ~60 languages: ~34 ms).
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

    if language == "ru":
        rubles, kopecks = divmod(int(value * 100), 100)
        text = (
            f"{_ru_number(rubles)} {_ru_form(rubles, _RUBLE)} {kopecks:02d} {_ru_form(kopecks, _KOPECK_RU)}"
        )
    else:
        from num2words import num2words

        rubles, kopecks = divmod(int(value * 100), 100)
        number = str(num2words(rubles, lang="en")).replace(",", "")
        rouble = "rouble" if rubles == 1 else "roubles"
        kopeck = "kopeck" if kopecks == 1 else "kopecks"
        text = f"{number} {rouble} {kopecks:02d} {kopeck}"

    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


# Russian amounts in words, by hand: num2words spells them right, but loads ~60
# languages (~34 ms) to do it, a third of the time budget of a month's invoices,
# while the grammar of an amount is this small. tests/core/test_words.py compares
# the two over thousands of amounts.
_UNITS = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_UNITS_FEMININE = ("", "одна", "две", *_UNITS[3:])
_TEENS = (
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
)
_TENS = (
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
)
_HUNDREDS = (
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
)
#: (one, few, many) of each power of a thousand, and whether its numeral is feminine
_SCALES = (
    (("", "", ""), False),
    (("тысяча", "тысячи", "тысяч"), True),
    (("миллион", "миллиона", "миллионов"), False),
    (("миллиард", "миллиарда", "миллиардов"), False),
)
_RUBLE = ("рубль", "рубля", "рублей")
_KOPECK_RU = ("копейка", "копейки", "копеек")


def _ru_form(n: int, forms: tuple[str, str, str]) -> str:
    """The form of a noun after ``n``: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль."""
    if 11 <= n % 100 <= 14:
        return forms[2]
    if n % 10 == 1:
        return forms[0]
    return forms[1] if 2 <= n % 10 <= 4 else forms[2]


def _ru_triple(n: int, feminine: bool) -> list[str]:
    words = [_HUNDREDS[n // 100]]
    tens, units = divmod(n % 100, 10)
    if tens == 1:
        words.append(_TEENS[units])
    else:
        words += [_TENS[tens], (_UNITS_FEMININE if feminine else _UNITS)[units]]
    return [w for w in words if w]


def _ru_number(n: int) -> str:
    """A whole number in Russian words, masculine: 1321 → «одна тысяча триста двадцать один»."""
    if n == 0:
        return "ноль"
    words: list[str] = []
    for power in range(len(_SCALES) - 1, -1, -1):
        triple = n // 1000**power % 1000
        if triple:
            (forms, feminine) = _SCALES[power]
            words += _ru_triple(triple, feminine)
            if power:
                words.append(_ru_form(triple, forms))
    return " ".join(words)


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
