"""The money commands in Russian (issue 11, SPEC §10): ``invoice``, ``invoice list``, ``bank
import``, ``report``, ``tariff``, ``config``, ``ledger`` read Russian with ``LANG=ru_RU.UTF-8`` —
messages, headers, status words, figures (``1 300,00 ₽``, ``2:01``, ``03.11.2026``), plural
forms — while their JSON and CSV and their exit codes stay byte for byte what English gives.

These tests need the compiled Russian catalogue (the ``russian`` fixture skips them until
``python tools/catalogue.py compile`` has run on the merged catalogue).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bank_statements import incoming, outgoing, write_statement
from cli_testkit import Result, Runner
from money_testkit import ok

from kvsupport import i18n

pytestmark = pytest.mark.russian

ENGLISH = {"LANG": "C.UTF-8"}
NBSP = "\u00a0"


@pytest.fixture
def ru(russian: dict[str, str | None]) -> dict[str, str | None]:
    """``env_extra`` for Russian; skips while the catalogue lacks this module's texts."""
    before = i18n.current()
    try:
        i18n.use("ru")
        ready = i18n._("nothing is overdue") != "nothing is overdue"
    finally:
        i18n.use(before)
    if not ready:
        pytest.skip("the compiled Russian catalogue lacks the money commands' texts")
    return russian


def plain(text: str) -> str:
    """``text`` with its no-break spaces (``1 300,00 ₽``, ``5 дн.``) as spaces, to compare."""
    return text.replace(NBSP, " ")


def same_in_both(run: Runner, ru: dict[str, str | None], *args: str) -> Result:
    """Run ``args`` in English and in Russian: the same exit code and the same stdout."""
    english = run(*args, env_extra=ENGLISH)
    russian = run(*args, env_extra=ru)
    assert (russian.code, russian.stdout) == (english.code, english.stdout), args
    return russian


def void_november(run: Runner, ru: dict[str, str | None], *numbers: str) -> None:
    for number in numbers:
        ok(run("invoice", "void", number, "--reason", "ошибка в реквизитах", env_extra=ru))


def test_issuing_says_how_many_invoices_in_russian_plural_forms(
    run: Runner, month_end: Path, ru: dict[str, str | None]
) -> None:
    void_november(run, ru, "2026-0005")
    dry = ok(run("invoice", "--month", "2026-11", "--date", "2026-11-30", "--dry-run", env_extra=ru))
    lines = plain(dry.stderr).splitlines()
    assert "будет выставлен 1 счёт за ноябрь 2026: 2026-0006 tiho 1 300,00 ₽" in lines
    assert lines[-1] == "пробный прогон: ничего не сохранено, номер не занят"

    void_november(run, ru, "2026-0003", "2026-0004")
    issued = ok(run("invoice", "--month", "2026-11", "--date", "2026-11-30", env_extra=ru))
    assert plain(issued.stderr).splitlines()[-1] == (
        "выставлено 3 счёта за ноябрь 2026: "
        "2026-0006 romashka 2 621,67 ₽; 2026-0007 lesnaya 1 300,00 ₽; 2026-0008 tiho 1 300,00 ₽"
    )
    again = ok(run("invoice", "--month", "2026-11", env_extra=ru))
    assert again.stderr.splitlines()[-1] == "за ноябрь 2026 выставлять нечего"


def test_voiding_and_paying_speak_russian(run: Runner, month_end: Path, ru: dict[str, str | None]) -> None:
    voided = ok(run("invoice", "void", "2026-0005", "--reason", "дубль", env_extra=ru))
    first = plain(voided.stderr).splitlines()[0]
    assert first.startswith("счёт 2026-0005 аннулирован (tiho, 1 300,00 ₽): сеанс ")
    assert first.endswith(" можно выставить снова; номер повторно не используется")

    part = ok(run("invoice", "pay", "2026-0003", "--date", "2026-12-01", "--amount", "1000", env_extra=ru))
    assert plain(part.stderr) == (
        "счёт 2026-0003: 01.12.2026 получено 1 000,00 ₽; осталось оплатить 1 621,67 ₽ (оплачен частично)\n"
    )
    paid = ok(run("invoice", "pay", "2026-0003", "--date", "2026-12-02", env_extra=ru))
    assert plain(paid.stderr) == "счёт 2026-0003 оплачен 02.12.2026: 2 621,67 ₽\n"

    refused = run("invoice", "show", "2026-0005", "--format", "svg", env_extra=ru)
    assert refused.code == run("invoice", "show", "2026-0005", "--format", "svg", env_extra=ENGLISH).code == 1
    assert refused.stdout == ""
    assert refused.first_error == "ошибка: счёт 2026-0005 аннулирован: оплачивать его не нужно"


def test_the_invoice_list_reads_russian_and_its_data_does_not(
    run: Runner, month_end: Path, ru: dict[str, str | None]
) -> None:
    ok(run("invoice", "pay", "2026-0003", "--date", "2026-12-01", "--amount", "1000"))
    ok(run("invoice", "pay", "2026-0004", "--date", "2026-12-01"))
    text = plain(ok(run("invoice", "list", env_extra={**ru, "COLUMNS": "200"})).stdout)
    header = text.splitlines()[0]
    for word in ("Номер", "Дата", "Период", "Клиент", "Сумма, ₽", "Остаток, ₽", "Статус", "Оплачен"):
        assert word in header
    rows = {line.split()[0]: line for line in text.splitlines()[2:]}
    # the October invoices were due 2026-11-07: overdue whenever this runs
    assert "просрочен на " in rows["2026-0001"]
    assert " дн." in rows["2026-0001"]
    assert "30.11.2026" in rows["2026-0003"]
    assert " 11.2026 " in rows["2026-0003"]  # the period, like the dates
    assert " 2 621,67 │" in rows["2026-0003"]  # the unit is in the header
    assert " 1 621,67 │" in rows["2026-0003"]
    assert "оплачен частично" in rows["2026-0003"]
    assert "оплачен" in rows["2026-0004"]
    assert "01.12.2026" in rows["2026-0004"]
    assert "выставлен" in rows["2026-0005"]
    assert "issued" not in text
    assert "partly_paid" not in text

    overdue = plain(ok(run("invoice", "list", "--overdue", env_extra={**ru, "COLUMNS": "200"})).stdout)
    assert "Дней просрочки" in overdue.splitlines()[0]
    for args in (("--format", "json"), ("--format", "csv"), ("--overdue", "--format", "csv")):
        listed = same_in_both(run, ru, "invoice", "list", *args)
        assert "partly_paid" in listed.stdout or "--overdue" in args


def test_nothing_overdue_is_said_in_russian(run: Runner, month_end: Path, ru: dict[str, str | None]) -> None:
    ok(run("invoice", "pay", "2026-0005", "--date", "2026-12-01"))  # tiho's one invoice: never overdue now
    nothing = ok(run("invoice", "list", "--overdue", "--client", "tiho", env_extra=ru))
    assert (nothing.stdout, nothing.stderr) == ("", "просроченных счетов нет\n")


STATEMENT = (
    incoming("41", "3921.67", "Оплата по счетам № 2026-0001 и 2026-0003 за техподдержку. Без НДС"),
    outgoing("201", "1500.00"),
    incoming("7", "1000.00", "Оплата по сч. 2026-2 частично", payer="lesnaya", kind="Банковский ордер"),
    incoming("8", "1300.00", "Оплата по счету N 2026-4 от 30.11.26г", payer="lesnaya", received="04.12.2026"),
    incoming("12", "1300.00", "Оплата по счету № 2026-0005 от 30.11.2026", payer="stranger"),
    incoming("13", "999.00", "Пожертвование", payer="stranger"),
)


def test_a_bank_import_reads_russian(
    run: Runner, month_end: Path, tmp_path: Path, ru: dict[str, str | None]
) -> None:
    path = write_statement(tmp_path / "kl_to_1c.txt", *STATEMENT)
    dry = same_in_both(run, ru, "bank", "import", str(path), "--dry-run", "--format", "json")
    assert dry.json()["recorded"] == 3
    assert plain(dry.stderr).splitlines() == [
        "будет записано 3 платежа на 6 221,67 ₽; 1 вероятный, 1 не сопоставлен",
        "пробный прогон: ничего не сохранено",
    ]

    result = ok(run("bank", "import", str(path), env_extra=ru))
    out = plain(result.stdout)
    assert "5 входящих платежей; пропущен 1 другой документ (исходящие, другие счета)" in out
    assert "Оплачены (совпали номер счёта, ИНН плательщика и сумма):" in out
    assert "→ 2026-0001: 1 300,00 ₽, оплачен" in out
    assert "→ 2026-0002: 1 000,00 ₽, оплачен частично, осталось 321,67 ₽" in out
    assert "#5 03.12.2026 № 13 999,00 ₽ от " in out
    assert "записать в оплату 2026-0005: --accept 4" in out
    assert plain(result.stderr) == "записано 3 платежа на 6 221,67 ₽; 1 вероятный, 1 не сопоставлен\n"

    again = ok(run("bank", "import", str(path), env_extra=ru))
    assert "3 платежа уже были импортированы: оставлены как есть (#1, #2, #3)" in again.stdout
    assert again.stderr == "записывать нечего: 1 вероятный, 1 не сопоставлен\n"


def test_the_report_reads_russian_hours_and_money(
    run: Runner, month_end: Path, ru: dict[str, str | None]
) -> None:
    text = plain(ok(run("report", "--month", "2026-11", env_extra={**ru, "COLUMNS": "200"})).stdout)
    assert text.startswith("Ноябрь 2026 по клиентам")
    for header in ("Отраб., ч", "К опл., ч", "Сумма, ₽", "Беспл.", "Не выст., ₽"):
        assert header in text.splitlines()[1]
    romashka = next(line for line in text.splitlines() if line.lstrip().startswith("romashka"))
    # 61 + 45 min worked; 61 + 60 (the one-hour minimum) billed: ч:мм, never 2.02
    assert "1:46" in romashka
    assert "2:01" in romashka
    assert " 2 621,67 " in romashka
    assert "₽" not in romashka  # the headers carry the units
    total = next(line for line in text.splitlines() if line.lstrip().startswith("Итого"))
    assert " 5 221,67 " in total  # 2621.67 + 1300 + 1300
    assert "Не оплачено 5 счетов на 7 843,34 ₽ (подробно: kvsupport invoice list --unpaid)" in text
    assert "Самый ранний" in text
    assert "02.11.2026" in text

    for args in (("--format", "json"), ("--format", "csv"), ("--by", "service", "--format", "csv")):
        same_in_both(run, ru, "report", "--month", "2026-11", *args)


def test_a_wrong_grouping_is_refused_in_russian_with_the_same_exit_code(
    run: Runner, month_end: Path, ru: dict[str, str | None]
) -> None:
    refused = same_in_both(run, ru, "report", "--by", "day")
    assert refused.code == 2
    assert refused.first_error == "ошибка: --by «day»: укажите client, service или consultant"


def test_tariffs_config_and_ledger_read_russian(
    run: Runner, month_end: Path, ru: dict[str, str | None]
) -> None:
    shown = plain(ok(run("tariff", "show", "--on", "2026-11-25", env_extra={**ru, "COLUMNS": "200"})).stdout)
    assert "действует с 01.01.2017, без НДС" in shown
    assert "Цена, ₽/ч" in shown  # the units in the headers, the figures alone in the cells
    assert "Разовый, ₽" in shown
    assert " 1 300,00 │" in shown
    assert " 4 000,00" in shown
    assert "вверх до 1 мин" in shown
    same_in_both(run, ru, "tariff", "show", "--on", "2026-11-25", "--format", "json")
    same_in_both(run, ru, "tariff", "list", "--format", "csv")
    assert ok(run("tariff", "check", env_extra=ru)).stderr.endswith(": 1 версия, ошибок нет\n")

    config = ok(run("config", "show", env_extra=ru)).stdout
    assert "(по умолчанию)" in config
    same_in_both(run, ru, "config", "show", "--format", "json")

    checked = ok(run("ledger", "check", env_extra=ru))
    assert checked.stderr.endswith(": в порядке — 3 клиента, 6 сеансов, 5 счетов, 0 заявок\n")
    ok(run("client", "add", "lotos", "--name", "ТСЖ «Лотос»", env_extra=ru))  # a change on either backend
    changes = ok(run("ledger", "changes", env_extra={**ru, "COLUMNS": "200"})).stdout
    assert all(word in changes.splitlines()[0] for word in ("№", "Когда", "Кто", "Что"))
    same_in_both(run, ru, "ledger", "changes", "--format", "json")
    same_in_both(run, ru, "ledger", "changes", "--format", "csv")


def test_help_of_the_money_commands_is_russian(run: Runner, ru: dict[str, str | None]) -> None:
    shown = run("invoice", "--help", env_extra={**ru, "COLUMNS": "200"})
    assert shown.code == 0
    assert "Пример: kvsupport invoice --month 2026-11 --dry-run" in shown.stdout
    assert "Выставить счета за закончившийся месяц" in shown.stdout
    assert "Example:" not in shown.stdout
    bank = run("bank", "import", "--help", env_extra={**ru, "COLUMNS": "200"})
    assert "Записать и вероятное совпадение N" in bank.stdout
