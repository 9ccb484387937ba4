"""The commonest refusals of the operations, in Russian (SPEC §10): whole sentences in the
terms of the dealer's terms of service, with the exit code and the empty stdout of English.

They run once the lead has compiled the merged catalogue (the ``russian`` fixture skips
them before)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from cli_testkit import Result, Runner, minute_ago, stamp

pytestmark = pytest.mark.russian

Env = dict[str, str | None]


@pytest.fixture
def t0() -> datetime:
    """A whole minute three hours ago: sessions logged from here are in the past."""
    return minute_ago(timedelta(hours=3))


def refused_alike(english: Result, russian: Result) -> list[str]:
    """The Russian refusal exits as the English one does, prints nothing on stdout and
    nothing in English on stderr; its stderr lines."""
    assert english.code != 0, english.stderr
    assert (russian.code, russian.stdout) == (english.code, ""), russian.stderr
    assert "error:" not in russian.stderr, russian.stderr
    assert "Traceback" not in russian.stderr
    return russian.stderr.splitlines()


def sessions(run: Runner) -> list[object]:
    listed = run("session", "list", "--all", "--format", "json")
    assert listed.code == 0, listed.stderr
    found: list[object] = listed.json()
    return found


def test_stop_with_no_session_running(run: Runner, romashka: str, russian: Env) -> None:
    english = run("session", "stop")
    assert refused_alike(english, run("session", "stop", env_extra=russian)) == [
        "ошибка: нет идущего сеанса",
        "подсказка: начните сеанс: kvsupport session start CLIENT SERVICE",
    ]


def test_an_overlap_names_the_other_session(run: Runner, romashka: str, russian: Env, t0: datetime) -> None:
    assert run("session", "add", romashka, "line", "--start", stamp(t0), "--duration", "1h").code == 0
    args = (
        "session",
        "add",
        romashka,
        "line",
        "--start",
        stamp(t0 + timedelta(minutes=30)),
        "--duration",
        "1h",
    )
    end = t0 + timedelta(hours=1)
    span = f"{t0:%d.%m.%Y %H:%M}–" + (f"{end:%H:%M}" if end.date() == t0.date() else f"{end:%d.%m.%Y %H:%M}")
    assert refused_alike(run(*args), run(*args, env_extra=russian)) == [
        f"ошибка: пересекается с сеансом 1 (romashka, line, {span})",
        "подсказка: консультант ведёт один сеанс за раз; если это действительно так, укажите --allow-overlap",
    ]
    assert len(sessions(run)) == 1


def test_an_overlap_with_the_running_session_says_it_is_running(
    run: Runner, romashka: str, russian: Env
) -> None:
    assert run("session", "start", romashka, "line", "--at", "-60m").code == 0
    args = ("session", "add", romashka, "line", "--start", "-30m", "--duration", "10m")
    first = refused_alike(run(*args), run(*args, env_extra=russian))[0]
    assert first.startswith("ошибка: пересекается с сеансом 1 (romashka, line, "), first
    assert first.endswith("–идёт)"), first


def test_a_missing_consent_is_named(run: Runner, romashka: str, russian: Env) -> None:
    args = ("session", "start", romashka, "backup", "--problem", "не сходятся пени")
    assert refused_alike(run(*args), run(*args, env_extra=russian)) == [
        "ошибка: backup для клиента romashka: до начала сеанса нужно записать согласие на оплату",
        "подсказка: укажите --consent TEXT (явное согласие клиента на оплату, "
        "например «письмо от 20.11.2026»)",
    ]
    assert sessions(run) == []


def test_what_is_missing_is_listed_with_how_to_give_each(run: Runner, romashka: str, russian: Env) -> None:
    args = ("session", "start", romashka, "backup")
    assert refused_alike(run(*args), run(*args, env_extra=russian)) == [
        "ошибка: backup для клиента romashka: до начала сеанса нужно записать описание проблемы, "
        "согласие на оплату",
        "подсказка: укажите --problem TEXT (с чем обратился клиент); --consent TEXT (явное согласие "
        "клиента на оплату, например «письмо от 20.11.2026»)",
    ]


def test_an_unknown_client_is_named(run: Runner, romashka: str, russian: Env) -> None:
    args = ("session", "start", "nobody", "line")
    lines = refused_alike(run(*args), run(*args, env_extra=russian))
    assert lines[0] == "ошибка: неизвестный клиент «nobody»"


def test_an_import_names_the_unknown_client_of_its_line(run: Runner, romashka: str, russian: Env) -> None:
    rows = "client,service,start,duration\nnobody,line,2026-10-01 10:00,5m\n"
    english = run("import", "-", stdin=rows)
    assert refused_alike(english, run("import", "-", stdin=rows, env_extra=russian)) == [
        "ошибка: stdin: строка 2: неизвестный клиент «nobody»",
        "подсказка: ничего не импортировано",
    ]
    assert sessions(run) == []


@pytest.mark.parametrize(
    ("count", "not_shown"),
    [
        (51, "ещё 1 проблема не показана"),
        (53, "ещё 3 проблемы не показаны"),
        (55, "ещё 5 проблем не показано"),
    ],
)
def test_the_problems_not_shown_are_counted_in_russian_forms(
    run: Runner, romashka: str, russian: Env, count: int, not_shown: str
) -> None:
    rows = "client,service,start,duration\n" + "nobody,line,2026-10-01 10:00,5m\n" * count
    lines = refused_alike(run("import", "-", stdin=rows), run("import", "-", stdin=rows, env_extra=russian))
    assert sum(line.startswith("ошибка: ") for line in lines) == 50
    assert lines[-1] == f"подсказка: ничего не импортировано; {not_shown}"
