"""Refusals of the core read as Russian when the interface is Russian.

Skipped (the ``russian`` fixture) until the compiled catalogue translates the interface.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kvsupport import i18n
from kvsupport.core.requisites import check_inn
from kvsupport.core.tariffs import tariffs_from_data
from kvsupport.core.timeinput import parse_moment
from kvsupport.errors import InvalidValue, TariffError

MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture
def in_russian(russian: dict[str, str | None]) -> Iterator[None]:
    """The interface in Russian for the test, English again after it."""
    before = i18n.current()
    i18n.use("ru")
    try:
        yield
    finally:
        i18n.use(before)


def refusal(call: object, *args: object, **kwargs: object) -> InvalidValue:
    assert callable(call)
    with pytest.raises(InvalidValue) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.mark.russian
def test_an_invalid_inn_in_russian(in_russian: None) -> None:
    error = refusal(check_inn, "7707083894")
    assert error.message == "неверный ИНН «7707083894»: не сходится контрольное число"
    assert error.hint == "вероятно, опечатка в цифре; сверьте с документами клиента"


@pytest.mark.russian
@pytest.mark.parametrize(
    ("text", "count"),
    [("7", "в нём 1 цифра,"), ("770", "в нём 3 цифры,"), ("770708389", "в нём 9 цифр,")],
)
def test_an_inn_of_the_wrong_length_counts_its_digits_in_russian(
    in_russian: None, text: str, count: str
) -> None:
    error = refusal(check_inn, text)
    assert error.message == f"неверный ИНН «{text}»: {count} а нужно 10 цифр (организация) или 12 цифр (ИП)"


@pytest.mark.russian
def test_a_malformed_time_lists_the_accepted_forms_in_russian(in_russian: None) -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=MSK)
    error = refusal(parse_moment, "25:00", now=now, tz=MSK)
    assert error.message == "неверное время «25:00»: часы — от 00 до 23"
    assert error.hint is not None
    assert error.hint.startswith("укажите ЧЧ:ММ, сегодня ЧЧ:ММ, вчера ЧЧ:ММ, ДД.ММ ЧЧ:ММ, ДД.ММ.ГГГГ ЧЧ:ММ")
    assert "-15м или -1ч30м" in error.hint


@pytest.mark.russian
def test_tariff_problems_keep_file_and_keys_in_russian(in_russian: None) -> None:
    data = {"tariff": [{"effective": date(2017, 1, 1), "title": "", "services": {}}]}
    with pytest.raises(TariffError) as caught:
        tariffs_from_data(data, "tariffs.toml")
    assert caught.value.problems == [
        "tariffs.toml: tariff[0] (effective 2017-01-01): title: нужна непустая строка",
        "tariffs.toml: tariff[0] (effective 2017-01-01): services: нужна хотя бы одна таблица "
        "[tariff.services.KEY]",
    ]
    assert caught.value.hint == "все проблемы покажет «kvsupport tariff check»"


def test_the_same_refusal_in_english_after_russian(russian: dict[str, str | None]) -> None:
    """The language is per call: once back in English the msgid is the message."""
    before = i18n.current()
    i18n.use("ru")
    try:
        assert refusal(check_inn, "7707083894").message.startswith("неверный ИНН")
    finally:
        i18n.use(before)
    assert refusal(check_inn, "7707083894").message == "invalid INN '7707083894': checksum does not match"
