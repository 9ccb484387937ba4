"""The consultant's day in Russian (SPEC §10): sessions, clients, orders, usage errors, help.

The tests marked ``russian`` read the interface with ``LANG=ru_RU.UTF-8`` (the ``russian``
fixture; they skip while the compiled catalogue does not translate it yet). Whatever the
language, a script reads the same JSON, CSV and exit codes; and English stays as it was:
Typer's usage errors in Click's own words.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from cli_testkit import Result, Runner, month_of, normalise, now_local, stamp

NBSP = "\u00a0"  # figures and their units never part: «1 321,67 ₽», «1 ч 01 мин»
ROMASHKA = "backup для romashka (ООО «Ромашка»)"


def nb(text: str) -> str:
    """``text`` with each ``~`` a no-break space: ``nb("1~321,67~₽")`` is «1 321,67 ₽» as printed."""
    return text.replace("~", NBSP)


@pytest.fixture
def t0() -> datetime:
    """A whole minute three hours ago: sessions logged from here are in the past."""
    return (now_local() - timedelta(hours=3)).replace(second=0, microsecond=0)


def at(moment: datetime, minutes: int = 0) -> str:
    """``moment`` plus ``minutes``, as typed after ``--at``."""
    return stamp(moment + timedelta(minutes=minutes))


def clock(moment: datetime) -> str:
    """How a Russian confirmation says a moment: ``10:00`` today, ``24.11.2026 10:00`` before."""
    if moment.date() == now_local().date():
        return f"{moment:%H:%M}"
    return f"{moment:%d.%m.%Y %H:%M}"


# ------------------------------------------------------------------ sessions


@pytest.mark.russian
def test_start_status_stop_speak_russian_with_russian_figures(
    run: Runner, romashka: str, t0: datetime, russian: dict[str, str | None]
) -> None:
    started = run(
        "session", "start", romashka, "backup", "--at", at(t0), "--problem", "пени", "--consent", "письмо",
        env_extra=russian,
    )  # fmt: skip
    assert started.code == 0, started.stderr
    assert started.stdout == ""
    assert started.stderr == f"начат сеанс 1: {ROMASHKA} в {clock(t0)}\n"

    status = run("session", "status", env_extra=russian)
    assert status.code == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0] == f"сеанс 1: {ROMASHKA}, с {clock(t0)}"
    assert lines[1].startswith(f"  пока отработано 3{NBSP}ч 0")
    assert f"{NBSP}мин × 1{NBSP}300,00{NBSP}₽/ч = " in lines[1]
    assert lines[1].endswith(f"{NBSP}₽")
    assert "  телефон +7 495 123-45-67" in lines
    assert nb("  минимум в 60~мин отработан") in lines

    stopped = run("session", "stop", "--at", at(t0, 61), env_extra=russian)
    assert stopped.code == 0, stopped.stderr
    charge = nb("отработано 1~ч 01~мин, к оплате 61~мин × 1~300,00~₽/ч = 1~321,67~₽")
    assert (
        stopped.stderr == f"остановлен сеанс 1 ({ROMASHKA}) в {clock(t0 + timedelta(minutes=61))}: {charge}\n"
    )
    assert run("session", "status", env_extra=russian).stdout == "нет идущего сеанса\n"


@pytest.mark.russian
def test_list_and_show_say_dates_durations_and_money_in_russian(
    run: Runner, romashka: str, t0: datetime, russian: dict[str, str | None]
) -> None:
    added = run(
        "session", "add", romashka, "backup", "--start", at(t0), "--duration", "61m",
        "--problem", "пени", "--consent", "письмо", env_extra=russian,
    )  # fmt: skip
    assert added.code == 0, added.stderr
    charge = nb("отработано 1~ч 01~мин, к оплате 61~мин × 1~300,00~₽/ч = 1~321,67~₽")
    assert added.stderr == f"добавлен сеанс 1: {charge}\n"

    listed = run("session", "list", "--month", month_of(t0), env_extra=russian)
    assert listed.code == 0, listed.stderr
    header, _rule, row = listed.stdout.splitlines()
    for word in ("Дата", "Время", "Клиент", "Услуга", "Отраб.", "К опл.", "Сумма", "Счёт"):
        assert word in header
    assert f"{t0:%d.%m.%Y}" in row
    assert f" 61{NBSP}мин │ 61{NBSP}мин │" in row  # minutes, as billed: as narrow as the English
    assert f"1{NBSP}321,67" in row

    shown = run("session", "show", "1", env_extra=russian)
    assert shown.code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == f"сеанс 1: backup для romashka, {t0:%d.%m.%Y}"
    assert "проблема:    пени" in lines
    assert "телефон:     +7 495 123-45-67 (клиента)" in lines
    assert "отрезки:" in lines
    assert nb("отработано:  61~мин 0~с (3660~с)") in lines
    assert nb("округлено:   61~мин (вверх, шаг 1~мин)") in lines
    assert nb("ставка:      1~300,00~₽/ч") in lines
    amount = nb("1~300,00 × 61 / 60 = 1~321,67~₽")
    assert f"сумма:       {amount} (до копеек, по правилам математического округления)" in lines


@pytest.mark.russian
def test_cancel_says_what_went_and_that_undo_brings_it_back(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    assert run("session", "start", romashka, "line", "--at", "-5m").code == 0
    cancelled = run("session", "cancel", env_extra=russian)
    assert cancelled.code == 0, cancelled.stderr
    first, hint = cancelled.stderr.splitlines()
    assert first.startswith("отменён сеанс 1 (line для romashka (ООО «Ромашка»)), начатый в ")
    assert first.endswith(f"5{NBSP}мин не записано")
    assert hint == "подсказка: kvsupport undo вернёт как было"
    undone = run("undo", env_extra=russian)
    assert undone.code == 0, undone.stderr
    assert undone.stderr.startswith("отменено: ")


@pytest.mark.russian
def test_an_import_counts_its_sessions_in_russian(
    run: Runner, romashka: str, t0: datetime, russian: dict[str, str | None]
) -> None:
    for minutes in (0, 30):
        assert (
            run("session", "add", romashka, "line", "--start", at(t0, minutes), "--duration", "10m").code == 0
        )
    exported = run("export", "--format", "csv")
    assert exported.code == 0, exported.stderr
    for session in ("1", "2"):
        assert run("session", "delete", session).code == 0
    imported = run("import", "-", stdin=exported.stdout, env_extra=russian)
    assert imported.code == 0, imported.stderr
    assert imported.stderr == "импортировано 2 сеанса из stdin\n"  # two: the second of three forms


# ------------------------------------------------------------------ clients and orders


@pytest.mark.russian
def test_client_and_order_listings_speak_russian(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    clients = run("client", "list", env_extra=russian)
    assert clients.code == 0, clients.stderr
    header = clients.stdout.splitlines()[0]
    for word in ("Код", "Наименование", "ИНН", "Телефон", "Лицензия до", "Разовые оплачены"):
        assert word in header

    shown = run("client", "show", romashka, env_extra=russian)
    assert shown.code == 0, shown.stderr
    assert "код:                      romashka" in shown.stdout.splitlines()
    assert "разовые платежи оплачены: нет" in shown.stdout.splitlines()
    assert "вид:                      организация" in shown.stdout.splitlines()

    ordered = run("order", "add", romashka, "remote", "--at", "+2h", env_extra=russian)
    assert ordered.code == 0, ordered.stderr
    assert ordered.stderr.startswith("заявка 1: remote для romashka на ")
    orders = run("order", "list", env_extra=russian)
    assert orders.code == 0, orders.stderr
    header, _rule, row = orders.stdout.splitlines()
    for word in ("№", "Когда", "Клиент", "Проблема", "Статус"):
        assert word in header
    assert row.rstrip().endswith("открыта")

    cancelled = run("order", "cancel", "1", env_extra=russian)
    assert cancelled.stderr.startswith("отменена заявка 1 (romashka, ")


# ------------------------------------------------------------------ what scripts read


def _twice(run: Runner, russian: dict[str, str | None], *args: str) -> tuple[Result, Result]:
    return run(*args), run(*args, env_extra=russian)


@pytest.mark.russian
def test_json_csv_and_exit_codes_are_the_same_in_both_languages(
    run: Runner, romashka: str, t0: datetime, russian: dict[str, str | None]
) -> None:
    # a session over midnight: its time in a listing carries a second date, in ISO in both languages
    before_midnight = (now_local() - timedelta(days=2)).replace(hour=23, minute=30, second=0, microsecond=0)
    evidence = ("--consent", "письмо от 20.11")
    setup: list[tuple[str, ...]] = [
        (
            "session",
            "add",
            romashka,
            "backup",
            "--start",
            at(t0),
            "--duration",
            "61m",
            "--problem",
            "пени",
            *evidence,
        ),
        ("session", "add", romashka, "line", "--start", stamp(before_midnight), "--duration", "1h"),
        ("order", "add", romashka, "remote", "--at", "+3h"),
    ]
    for args in setup:
        assert run(*args).code == 0
    read: list[tuple[str, ...]] = [
        ("session", "list", "--all", "--format", "json"),
        ("session", "list", "--all", "--format", "csv"),
        ("session", "show", "1", "--format", "json"),
        ("client", "list", "--format", "csv"),
        ("client", "list", "--format", "json"),
        ("client", "show", romashka, "--format", "json"),
        ("order", "list", "--format", "json"),
        ("order", "list", "--format", "csv"),
        ("export", "--format", "csv"),
    ]
    for args in read:
        english, in_russian = _twice(run, russian, *args)
        assert english.code == 0, english.stderr
        assert (in_russian.code, in_russian.stdout) == (english.code, english.stdout), args
    assert run("session", "start", romashka, "line", "--at", "-5m").code == 0
    english, in_russian = _twice(run, russian, "session", "status", "--format", "json")
    assert normalise(in_russian.stdout) == normalise(english.stdout)  # the running session ticks on
    refused: list[tuple[str, ...]] = [
        ("session", "show", "99"),
        ("session", "list", "--foo"),
        ("session", "stop", "--at", "x"),
    ]
    for args in refused:
        english, in_russian = _twice(run, russian, *args)
        assert english.code != 0
        assert (in_russian.code, in_russian.stdout) == (english.code, english.stdout), args
        assert in_russian.stderr.startswith("ошибка: "), in_russian.stderr


# ------------------------------------------------------------------ usage errors and help


@pytest.mark.russian
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("session", "lst"),
            [
                "ошибка: нет такой команды: 'lst'",
                "подсказка: возможно, вы имели в виду 'list'? см. «kvsupport session --help»",
            ],
        ),
        (
            ("session", "show"),
            ["ошибка: не указан аргумент 'ID'", "подсказка: см. «kvsupport session show --help»"],
        ),
        (
            ("session", "show", "abc"),
            [
                "ошибка: недопустимое значение 'ID': 'abc' — не целое число",
                "подсказка: см. «kvsupport session show --help»",
            ],
        ),
        (
            ("session", "list", "-f", "xml"),
            [
                "ошибка: недопустимое значение '--format' / '-f': 'xml' — не из списка: "
                "'text', 'json', 'csv', 'xlsx'",
                "подсказка: см. «kvsupport session list --help»",
            ],
        ),
        (
            ("session", "show", "1", "2"),
            ["ошибка: лишний аргумент: 2", "подсказка: см. «kvsupport session show --help»"],
        ),
        (
            ("client", "add", "x"),
            ["ошибка: не указан параметр '--name'", "подсказка: см. «kvsupport client add --help»"],
        ),
        (("session", "stop", "--allow-long=3"), ["ошибка: параметр --allow-long не принимает значения"]),
        (("session", "start", "--at"), ["ошибка: параметру --at нужно значение"]),
        (("sesion",), ["ошибка: нет такой команды: 'sesion'", "подсказка: см. «kvsupport --help»"]),
    ],
)
def test_typers_usage_errors_are_said_in_russian(
    run: Runner, args: tuple[str, ...], expected: list[str], russian: dict[str, str | None]
) -> None:
    result = run(*args, env_extra=russian)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == expected


@pytest.mark.russian
@pytest.mark.parametrize(("typed", "nearest"), [("--grpe", "--grep"), ("--formt", "--format или --from")])
def test_an_unknown_option_names_the_nearest_ones_in_the_hint(
    run: Runner, typed: str, nearest: str, russian: dict[str, str | None]
) -> None:
    result = run("session", "list", typed, env_extra=russian)
    assert result.code == 2
    error, hint = result.stderr.splitlines()
    assert error == f"ошибка: нет такого параметра: {typed}"
    assert hint == f"подсказка: возможно, вы имели в виду {nearest}? см. «kvsupport session list --help»"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("session", "list", "--foo"),
            [
                "error: No such option: --foo (Possible options: --format, --from, --to)",
                "hint: see 'kvsupport session list --help'",
            ],
        ),
        (
            ("session", "lst"),
            ["error: No such command 'lst'. Did you mean 'list'?", "hint: see 'kvsupport session --help'"],
        ),
        (("sesion",), ["error: No such command 'sesion'.", "hint: see 'kvsupport --help'"]),
        (("session", "start", "--at"), ["error: Option '--at' requires an argument."]),
        (("session", "show"), ["error: Missing argument 'ID'.", "hint: see 'kvsupport session show --help'"]),
        (
            ("session", "show", "abc"),
            [
                "error: Invalid value for 'ID': 'abc' is not a valid int.",
                "hint: see 'kvsupport session show --help'",
            ],
        ),
        (
            ("session", "show", "1", "2"),
            ["error: Got unexpected extra argument(s) (2)", "hint: see 'kvsupport session show --help'"],
        ),
        (
            ("client", "add", "x"),
            ["error: Missing option '--name'.", "hint: see 'kvsupport client add --help'"],
        ),
        (("session", "stop", "--allow-long=3"), ["error: Option '--allow-long' does not take a value."]),
    ],
)
def test_typers_usage_errors_stay_clicks_own_words_in_english(
    run: Runner, args: tuple[str, ...], expected: list[str]
) -> None:
    result = run(*args)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == expected


@pytest.mark.russian
def test_help_reads_russian(run: Runner, russian: dict[str, str | None]) -> None:
    wide = {**russian, "COLUMNS": "200"}
    root = run("--help", env_extra=wide)
    assert root.code == 0, root.stderr
    for text in (
        "Время, начисления и счета за платную дистанционную поддержку программы «Квартплата».",
        'Пример: kvsupport session start romashka backup --problem "не считает пени"',
        "Сеансы поддержки: начать, остановить, исправить.",
        "Показать эту справку и выйти.",
        "Параметры",
        "Команды",
    ):
        assert text in root.stdout, text
    group = run("session", "--help", env_extra=wide)
    assert "Остановить идущий сеанс и показать, сколько он стоит." in group.stdout
    start = run("session", "start", "--help", env_extra=wide)
    for text in (
        "Начать сеанс сейчас (или раньше: --at).",
        "Пример: kvsupport session start romashka backup",
        "Аргументы",
        "Код клиента.",
        "Ключ услуги: line, backup, remote…",
        "[по умолчанию: text]",
    ):
        assert text in start.stdout, text
    assert "Usage: kvsupport session start" in start.stdout  # Typer does not let it be translated
