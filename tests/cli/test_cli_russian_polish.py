"""What a Russian consultant reads, polished: figures and months the Russian way inside
Russian sentences, tables that keep their columns at 80 columns, and Russian input.

Each test reads the interface with ``LANG=ru_RU.UTF-8`` (the ``russian`` fixture); the
JSON and CSV a script reads stay the same in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from cli_testkit import Runner, on_a_terminal

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


# ------------------------------------------------------------ tables at 80 columns


def at_80(env_extra: Mapping[str, str | None], *argv: str) -> list[str]:
    """``kvsupport ARGV`` on a pseudo-terminal 80 columns wide (where rich fits its tables),
    with ``env_extra`` (the language); the lines of its output."""
    return on_a_terminal(80, *argv, env_extra=env_extra).splitlines()


def _november(run: Runner, romashka: str) -> None:
    for start, minutes in (("10.11.2026 10:00", "65м"), ("12.11.2026 15:00", "12м")):
        added = run("session", "add", romashka, "backup", "--start", start, "--duration", minutes,
                    "--problem", "пени", "--consent", "письмо")  # fmt: skip
        assert added.code == 0, added.stderr
    assert (
        run("session", "add", romashka, "line", "--start", "13.11.2026 10:00", "--duration", "5м").code == 0
    )
    assert run("invoice", "--month", "2026-11", "--date", "2026-12-01").code == 0


@pytest.mark.process
def test_the_russian_report_keeps_every_column_at_80(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    _november(run, romashka)
    lines = at_80(russian, "report", "--month", "2026-11")
    assert max(len(line) for line in lines) <= 80
    assert lines[1].split(" ┃ ") == [
        "Клиент  ",
        "Сеансов",
        "Отраб., ч",
        "К опл., ч",
        "Сумма, ₽",
        "Беспл.",
        "Не выст., ₽",
    ]
    english = at_80({"LANG": "C.UTF-8"}, "report", "--month", "2026-11")
    assert len(english[1].split(" ┃ ")) == 7


@pytest.mark.process
def test_the_russian_invoice_list_keeps_its_period_at_80(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    _november(run, romashka)
    lines = at_80(russian, "invoice", "list")
    assert max(len(line) for line in lines) <= 80
    assert [h.strip() for h in lines[0].split("┃")] == [
        "Номер", "Дата", "Период", "Клиент", "Сумма, ₽", "Остаток, ₽", "Статус",
    ]  # fmt: skip
    assert [c.strip() for c in lines[2].split("│")] == [
        "2026-0001", "01.12.2026", "11.2026", "romashka", "2\u00a0708,33", "2\u00a0708,33", "выставлен",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--month", "2026-11", "--format", "csv"),
        ("report", "--month", "2026-11", "--format", "json"),
        ("invoice", "list", "--format", "csv"),
        ("invoice", "list", "--format", "json"),
        ("session", "list", "--month", "2026-11", "--format", "csv"),
    ],
)
def test_what_scripts_read_is_the_same_in_both_languages(
    run: Runner, romashka: str, russian: dict[str, str | None], args: tuple[str, ...]
) -> None:
    _november(run, romashka)
    english, in_russian = run(*args), run(*args, env_extra=russian)
    assert (in_russian.code, in_russian.stdout) == (english.code, english.stdout)
    assert english.code == 0


# ------------------------------------------------------------------ client show


def test_client_show_aligns_its_longer_russian_labels(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    assert run("client", "edit", romashka, "--license-until", "2025-12-02").code == 0
    lines = run("client", "show", romashka, env_extra=russian).stdout.splitlines()
    assert "лицензия истекла:         да" in lines
    assert "разовые платежи оплачены: нет" in lines  # not «платёж внесён»: the one-time fees
    assert (
        len(
            {
                len(line.split(": ", 1)[0] + ": ")
                + len(line.split(": ", 1)[1])
                - len(line.split(": ", 1)[1].lstrip())
                for line in lines
            }
        )
        == 1
    )
    english = run("client", "show", romashka).stdout.splitlines()
    assert "license ended:   yes" in english  # as it always was


# ------------------------------------------------------------------------ help


def _panel_lines(text: str) -> list[str]:
    return [line.strip("│ ").rstrip() for line in text.splitlines()]


@pytest.mark.parametrize(
    ("language", "sentence_end"),
    [
        ("ru", ("целиком;", "PDF;", "--amount.", "клиента,", "вложении;")),
        ("en", ("invoices;", "the", "SMTP).")),
    ],
)
def test_a_group_lists_its_commands_without_the_line_breaks_of_the_source(
    run: Runner, russian: dict[str, str | None], language: str, sentence_end: tuple[str, ...]
) -> None:
    env = {**(russian if language == "ru" else {"LANG": "C.UTF-8"}), "COLUMNS": "80"}
    shown = run("invoice", "--help", env_extra=env)
    assert shown.code == 0, shown.stderr
    lines = _panel_lines(shown.stdout)
    commands = lines[
        next(i for i, line in enumerate(lines) if line.startswith(("╭─ Команды", "╭─ Commands"))) :
    ]
    for line in commands:  # a line cut where the docstring's source line ended, not where 80 columns end
        assert not (line.endswith(sentence_end) and len(line) < 60), line
    assert "``" not in shown.stdout


@pytest.mark.process
def test_the_russian_session_list_keeps_the_columns_the_english_keeps_at_80(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    _november(run, romashka)
    lines = at_80(russian, "session", "list", "--month", "2026-11")
    english = at_80({"LANG": "C.UTF-8"}, "session", "list", "--month", "2026-11")
    assert max(len(line) for line in lines) <= 80
    headers = [h.strip() for h in lines[0].split("┃")]
    assert headers[:5] == ["№", "Дата", "Время", "Клиент", "Услуга"]
    assert len(headers) >= len(english[0].split("┃"))  # was one fewer: «1 ч 05 мин» is wide
    billed = headers.index("К опл.")
    first = [c.strip() for c in lines[2].split("│")]
    assert first[billed : billed + 2] == ["65\u00a0мин", "1\u00a0408,33"]


@pytest.mark.process
def test_the_russian_prices_fit_80_columns_whole(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    lines = at_80(russian, "tariff", "show", "--on", "2026-11-25")
    assert max(len(line) for line in lines) <= 80
    assert [h.strip() for h in lines[1].split("┃")] == [
        "Услуга", "Название", "Цена, ₽/ч", "Минимум, мин", "Округление", "Разовый, ₽",
    ]  # fmt: skip
    remote = [c.strip() for c in next(line for line in lines if line.startswith("remote")).split("│")]
    assert remote[0] == "remote"
    assert remote[2:] == [
        "1\u00a0300,00",
        "60",
        "вверх до 1\u00a0мин",
        "4\u00a0000,00",
    ]  # 1 and мин never part


@pytest.mark.process
@pytest.mark.file_ledger
@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_ledger_history_fits_80_columns(
    run: Runner, romashka: str, russian: dict[str, str | None], language: str
) -> None:
    added = run("session", "add", romashka, "line", "--start", "20.11.2026 10:00", "--duration", "5м")
    assert added.code == 0, added.stderr
    assert run("undo").code == 0
    env: Mapping[str, str | None] = russian if language == "ru" else {"LANG": "C.UTF-8"}
    listings: list[tuple[str, str]] = [("ledger", "changes"), ("ledger", "backups")]
    for argv in listings:
        lines = at_80(env, *argv)
        assert max(len(line) for line in lines) <= 80, lines  # the «What» is cut with «…», no cell folded
        rows = [[c.strip() for c in line.split("│")] for line in lines[2:]]
        assert all(len(row) == len(lines[0].split("┃")) for row in rows), lines
        if argv[1] == "backups":
            assert all(row[0].endswith(".json") for row in rows), lines  # a name is never cut
    changes = at_80(env, "ledger", "changes")
    assert changes[2].split("│")[0].strip() == "3"  # the undo, newest first


# -------------------------------------------------------------- quoting


def test_a_value_inside_a_russian_sentence_is_in_guillemets(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    by = run("report", "--by", "day", env_extra=russian)
    assert by.first_error == "ошибка: --by «day»: укажите client, service или consultant"
    swallowed = run("session", "start", romashka, "line", "--problem", "--at", env_extra=russian)
    assert swallowed.first_error.startswith("ошибка: --problem «--at» ")
    assert run("report", "--by", "day").first_error == "error: --by 'day': use client, service or consultant"
