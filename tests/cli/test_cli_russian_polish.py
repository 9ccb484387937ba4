"""What a Russian consultant reads, polished: figures and months the Russian way inside
Russian sentences, tables that keep their columns at 80 columns, and Russian input.

Each test reads the interface with ``LANG=ru_RU.UTF-8`` (the ``russian`` fixture); the
JSON and CSV a script reads stay the same in both languages.
"""

from __future__ import annotations

import pytest
from cli_testkit import Runner

pytestmark = pytest.mark.russian


def test_a_decimal_duration_is_refused_with_a_russian_decimal_comma(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    result = run(
        "session", "add", romashka, "line", "--start", "-3h", "--duration", "1,5 ч", env_extra=russian
    )
    assert result.code == 2
    assert result.first_error == (
        "ошибка: неверная длительность «1,5 ч»: укажите целые часы и минуты, например 1ч30м вместо 1,5 ч"
    )


def test_a_month_by_its_russian_name_in_russian(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    result = run("report", "--month", "ноябрь", env_extra=russian)
    assert result.code == 0, result.stderr
    refused = run("report", "--month", "ноябрьь", env_extra=russian)
    assert refused.code == 2
    assert refused.stderr.splitlines() == [
        "ошибка: неверный месяц «ноябрьь»: нужно ГГГГ-ММ, ММ.ГГГГ или название месяца",
        "подсказка: укажите ГГГГ-ММ, ММ.ГГГГ или название месяца, например 2026-11, 11.2026, "
        "«ноябрь 2026» или «ноябрь»",
    ]
