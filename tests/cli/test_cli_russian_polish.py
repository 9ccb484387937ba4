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


# ------------------------------------------------- dates and months inside sentences


def test_dates_inside_russian_messages_are_written_the_russian_way(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    assert run("client", "edit", romashka, "--license-until", "2025-12-02").code == 0
    added = run(
        "session",
        "add",
        romashka,
        "line",
        "--start",
        "20.11.2026 10:00",
        "--duration",
        "12м",
        env_extra=russian,
    )
    assert added.code == 0, added.stderr
    assert (
        "предупреждение: лицензия клиента romashka закончилась 02.12.2025: бесплатная консультационная линия"
        in added.stderr
    )
    tariff = run(
        "session",
        "add",
        romashka,
        "direct",
        "--start",
        "20.11.2026 12:00",
        "--duration",
        "1ч",
        env_extra=russian,
    )
    assert tariff.first_error.startswith("ошибка: услуги «direct» нет в тарифе, действующем на 20.11.2026 (")
    overlap = run(
        "session",
        "add",
        romashka,
        "line",
        "--start",
        "20.11.2026 10:05",
        "--duration",
        "1ч",
        env_extra=russian,
    )
    assert overlap.first_error == "ошибка: пересекается с сеансом 1 (romashka, line, 20.11.2026 10:00–10:12)"
    past = run("order", "add", romashka, "line", "--at", "20.11.2026 09:00", env_extra=russian)
    assert past.first_error == "ошибка: 20.11.2026 09:00 — уже в прошлом"
    no_day = run("session", "list", "--from", "31.02.2027", env_extra=russian)
    assert no_day.first_error == "ошибка: неверная дата «31.02.2027»: дня 31 в феврале 2027 нет"


def test_the_same_messages_in_english_keep_iso_dates(run: Runner, romashka: str) -> None:
    assert run("client", "edit", romashka, "--license-until", "2025-12-02").code == 0
    added = run("session", "add", romashka, "line", "--start", "20.11.2026 10:00", "--duration", "12m")
    assert "warning: romashka's licence ended 2025-12-02: the free line" in added.stderr
    overlap = run("session", "add", romashka, "line", "--start", "20.11.2026 10:05", "--duration", "1h")
    assert overlap.first_error == "error: overlaps session 1 (romashka, line, 2026-11-20 10:00–10:12)"
    no_day = run("session", "list", "--from", "31.02.2027")
    assert no_day.first_error == "error: invalid date '31.02.2027': day 31 does not exist in 2027-02"


def test_a_month_in_a_russian_sentence_is_named(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    added = run("session", "add", romashka, "line", "--start", "20.11.2026 10:00", "--duration", "12м")
    assert added.code == 0, added.stderr
    empty = run("session", "list", "--month", "2026-10", env_extra=russian)
    assert empty.stderr == "сеансов за октябрь 2026 нет\n"
    report = run("report", "--month", "11.2026", env_extra=russian)
    assert report.stdout.splitlines()[0].rstrip() == "Ноябрь 2026 по клиентам"
    nothing = run("invoice", "--month", "2026-11", "--dry-run", env_extra=russian)
    assert nothing.stderr.splitlines()[-1] == "за ноябрь 2026 выставлять нечего"
    english = run("invoice", "--month", "2026-11", "--dry-run")
    assert english.stderr.splitlines()[-1] == "nothing to invoice for 2026-11"
    assert run("report", "--month", "11.2026").stdout.splitlines()[0].rstrip() == "2026-11 by client"
