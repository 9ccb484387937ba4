"""Tests for kvsupport.core.words: totals in words and amounts in figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kvsupport.core.words import amount_in_words, format_amount

NBSP = "\u00a0"

# --- amount_in_words: examples ------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1300.00", "Одна тысяча триста рублей 00 копеек"),
        ("21.01", "Двадцать один рубль 01 копейка"),
        ("0", "Ноль рублей 00 копеек"),
        ("0.00", "Ноль рублей 00 копеек"),
        ("-0.00", "Ноль рублей 00 копеек"),
        ("1000000", "Один миллион рублей 00 копеек"),
        ("2.02", "Два рубля 02 копейки"),
        ("111.11", "Сто одиннадцать рублей 11 копеек"),
        ("4000", "Четыре тысячи рублей 00 копеек"),
        ("0.01", "Ноль рублей 01 копейка"),
        ("1.5", "Один рубль 50 копеек"),
        ("1.000", "Один рубль 00 копеек"),
    ],
)
def test_russian_examples(amount: str, expected: str) -> None:
    assert amount_in_words(Decimal(amount)) == expected


@pytest.mark.parametrize(
    ("rubles", "expected"),
    [
        (1, "Один рубль"),
        (2, "Два рубля"),
        (4, "Четыре рубля"),
        (5, "Пять рублей"),
        (11, "Одиннадцать рублей"),
        (12, "Двенадцать рублей"),
        (14, "Четырнадцать рублей"),
        (19, "Девятнадцать рублей"),
        (20, "Двадцать рублей"),
        (21, "Двадцать один рубль"),
        (22, "Двадцать два рубля"),
        (25, "Двадцать пять рублей"),
        (101, "Сто один рубль"),
        (111, "Сто одиннадцать рублей"),
        (1000, "Одна тысяча рублей"),
        (1001, "Одна тысяча один рубль"),
        (2000, "Две тысячи рублей"),
        (5000, "Пять тысяч рублей"),
        (21000, "Двадцать одна тысяча рублей"),
        (1_000_000, "Один миллион рублей"),
        (2_000_000, "Два миллиона рублей"),
        (5_000_000, "Пять миллионов рублей"),
        (1_000_000_000, "Один миллиард рублей"),
    ],
)
def test_russian_rubles_plural(rubles: int, expected: str) -> None:
    assert amount_in_words(Decimal(rubles)) == f"{expected} 00 копеек"


@pytest.mark.parametrize(
    ("kopecks", "expected"),
    [
        (1, "01 копейка"),
        (2, "02 копейки"),
        (4, "04 копейки"),
        (5, "05 копеек"),
        (11, "11 копеек"),
        (12, "12 копеек"),
        (14, "14 копеек"),
        (19, "19 копеек"),
        (20, "20 копеек"),
        (21, "21 копейка"),
        (22, "22 копейки"),
        (25, "25 копеек"),
        (99, "99 копеек"),
    ],
)
def test_russian_kopecks_plural(kopecks: int, expected: str) -> None:
    amount = Decimal(5) + Decimal(kopecks) / 100
    assert amount_in_words(amount) == f"Пять рублей {expected}"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1300", "One thousand three hundred roubles 00 kopecks"),
        ("1.01", "One rouble 01 kopeck"),
        ("21.21", "Twenty-one roubles 21 kopecks"),
        ("0", "Zero roubles 00 kopecks"),
        ("101.50", "One hundred and one roubles 50 kopecks"),
        (
            "1234567.89",
            "One million two hundred and thirty-four thousand five hundred and "
            "sixty-seven roubles 89 kopecks",
        ),
    ],
)
def test_english_examples(amount: str, expected: str) -> None:
    assert amount_in_words(Decimal(amount), "en") == expected


# --- amount_in_words: refusals ------------------------------------------------


@pytest.mark.parametrize("amount", [4000, 40.0, "4000", None])
def test_words_refuses_non_decimal(amount: object) -> None:
    with pytest.raises(TypeError, match="Decimal"):
        amount_in_words(amount)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", ["-0.01", "-1", "-1300.00"])
def test_words_refuses_negative(amount: str) -> None:
    with pytest.raises(ValueError, match="negative"):
        amount_in_words(Decimal(amount))


@pytest.mark.parametrize("amount", ["1.005", "0.001", "999.999"])
def test_words_refuses_more_than_two_decimals(amount: str) -> None:
    with pytest.raises(ValueError, match="two decimal places"):
        amount_in_words(Decimal(amount))


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e40"])
def test_words_refuses_non_finite_or_huge(amount: str) -> None:
    with pytest.raises(ValueError, match="amount"):
        amount_in_words(Decimal(amount))


@pytest.mark.parametrize("language", ["de", "RU", ""])
def test_unknown_language(language: str) -> None:
    with pytest.raises(ValueError, match="language"):
        amount_in_words(Decimal("1"), language)
    with pytest.raises(ValueError, match="language"):
        format_amount(Decimal("1"), language)


# --- format_amount ------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "ru", "en"),
    [
        ("0", "0,00", "0.00"),
        ("-0.00", "0,00", "0.00"),
        ("5", "5,00", "5.00"),
        ("999.99", "999,99", "999.99"),
        ("1000", f"1{NBSP}000,00", "1,000.00"),
        ("1300", f"1{NBSP}300,00", "1,300.00"),
        ("1321.67", f"1{NBSP}321,67", "1,321.67"),
        ("1234567.8", f"1{NBSP}234{NBSP}567,80", "1,234,567.80"),
        ("-1300.5", f"-1{NBSP}300,50", "-1,300.50"),
        ("-0.01", "-0,01", "-0.01"),
    ],
)
def test_format_amount(amount: str, ru: str, en: str) -> None:
    assert format_amount(Decimal(amount)) == ru
    assert format_amount(Decimal(amount), "ru") == ru
    assert format_amount(Decimal(amount), "en") == en


def test_format_amount_uses_ascii_minus() -> None:
    assert "\u2212" not in format_amount(Decimal("-5"))
    assert format_amount(Decimal("-5")).startswith("-")


@pytest.mark.parametrize("amount", [1300, 1300.0, "1300", None])
def test_format_refuses_non_decimal(amount: object) -> None:
    with pytest.raises(TypeError, match="Decimal"):
        format_amount(amount)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", ["999.999", "0.001", "-1.005"])
def test_format_refuses_more_than_two_decimals(amount: str) -> None:
    with pytest.raises(ValueError, match="two decimal places"):
        format_amount(Decimal(amount))


# --- properties ---------------------------------------------------------------

_UNITS = {
    "ноль": 0,
    "один": 1,
    "одна": 1,
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "тринадцать": 13,
    "четырнадцать": 14,
    "пятнадцать": 15,
    "шестнадцать": 16,
    "семнадцать": 17,
    "восемнадцать": 18,
    "девятнадцать": 19,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "шестьдесят": 60,
    "семьдесят": 70,
    "восемьдесят": 80,
    "девяносто": 90,
    "сто": 100,
    "двести": 200,
    "триста": 300,
    "четыреста": 400,
    "пятьсот": 500,
    "шестьсот": 600,
    "семьсот": 700,
    "восемьсот": 800,
    "девятьсот": 900,
}
_SCALES = {
    "тысяча": 10**3,
    "тысячи": 10**3,
    "тысяч": 10**3,
    "миллион": 10**6,
    "миллиона": 10**6,
    "миллионов": 10**6,
    "миллиард": 10**9,
    "миллиарда": 10**9,
    "миллиардов": 10**9,
}
_RUBLE_FORMS = ("рубль", "рубля", "рублей")
_KOPECK_FORMS = ("копейка", "копейки", "копеек")


def _parse_russian_number(words: list[str]) -> int:
    """Read Russian cardinal number words (below 10**12) back as an integer."""
    assert words, "no number words"
    total = 0
    group = 0
    for word in words:
        if word in _UNITS:
            group += _UNITS[word]
        elif word in _SCALES:
            assert group > 0, f"scale word {word!r} without a count"
            total += group * _SCALES[word]
            group = 0
        else:
            raise AssertionError(f"not a Russian number word: {word!r}")
    return total + group


def test_parser_itself() -> None:
    words = ["девятьсот", "девяносто", "девять", "миллионов", "двенадцать", "тысяч", "сто", "один"]
    assert _parse_russian_number(words) == 999_012_101
    assert _parse_russian_number(["ноль"]) == 0


def _russian_form(n: int, forms: tuple[str, str, str]) -> str:
    """Pick the one / few / many form for ``n`` by the Russian rule."""
    if 11 <= n % 100 <= 14:
        return forms[2]
    if n % 10 == 1:
        return forms[0]
    if 2 <= n % 10 <= 4:
        return forms[1]
    return forms[2]


_KOPECK_AMOUNTS = st.integers(min_value=0, max_value=10**11)


def _split(kopecks: int) -> tuple[Decimal, int, int]:
    rubles, rest = divmod(kopecks, 100)
    return Decimal(kopecks) / 100, rubles, rest


@settings(max_examples=300, deadline=None, database=None)
@given(_KOPECK_AMOUNTS)
def test_words_agree_with_figures(kopecks: int) -> None:
    amount, rubles, rest = _split(kopecks)
    words = amount_in_words(amount).split(" ")
    assert len(words) >= 4
    number, ruble_word, kopeck_digits, kopeck_word = words[:-3], *words[-3:]
    assert _parse_russian_number([w.lower() for w in number]) == rubles
    assert ruble_word in _RUBLE_FORMS
    assert kopeck_digits == f"{rest:02d}"
    assert kopeck_word in _KOPECK_FORMS


@settings(max_examples=300, deadline=None, database=None)
@given(_KOPECK_AMOUNTS)
def test_plural_forms_follow_russian_rule(kopecks: int) -> None:
    amount, rubles, rest = _split(kopecks)
    words = amount_in_words(amount).split(" ")
    assert words[-3] == _russian_form(rubles, _RUBLE_FORMS)
    assert words[-1] == _russian_form(rest, _KOPECK_FORMS)


@settings(max_examples=200, deadline=None, database=None)
@given(_KOPECK_AMOUNTS, st.sampled_from(["ru", "en"]))
def test_capitalised_single_spaced(kopecks: int, language: str) -> None:
    text = amount_in_words(_split(kopecks)[0], language)
    first = text.split(" ")[0]
    assert first[0].isupper()
    assert first[1:] == first[1:].lower()
    assert text == " ".join(text.split())
    assert text == text.strip()


@settings(max_examples=300, deadline=None, database=None)
@given(st.integers(min_value=-(10**11), max_value=10**11))
def test_format_amount_round_trip(kopecks: int) -> None:
    amount = Decimal(kopecks) / 100
    ru = format_amount(amount)
    assert ru.count(",") == 1
    assert len(ru.split(",")[1]) == 2
    assert Decimal(ru.replace(NBSP, "").replace(",", ".")) == amount
    en = format_amount(amount, "en")
    assert Decimal(en.replace(",", "")) == amount
    assert en == ru.replace(",", ".").replace(NBSP, ",")


def test_russian_words_agree_with_num2words_on_thousands_of_amounts() -> None:
    """Russian amounts are spelled by hand (num2words loads ~60 languages to do it);
    they must agree with num2words, which is right on them (MEASURED.md)."""
    import random

    from num2words import num2words

    rng = random.Random(20261202)
    amounts = [Decimal(x) for x in ("0.00", "0.01", "1.00", "2.00", "5.00", "11.00", "12.00", "14.00")]
    amounts += [Decimal(x) for x in ("21.00", "101.00", "111.00", "1000.00", "1001.00", "2000.00")]
    amounts += [Decimal(x) for x in ("11000.00", "21000.00", "1000000.00", "2000000.00", "999999999999.99")]
    amounts += [Decimal(rng.randrange(0, 10 ** rng.randrange(2, 15))) / 100 for _ in range(3000)]
    for amount in amounts:
        amount = amount.quantize(Decimal("0.01"))
        theirs = " ".join(
            str(
                num2words(amount, lang="ru", to="currency", currency="RUB", cents=False, separator="")
            ).split()
        )
        assert amount_in_words(amount) == theirs[:1].upper() + theirs[1:], amount
