"""Messages of the core and the storage through the command line, in Russian.

An unreadable ledger file, a tariff file with two problems, an invalid INN and a
malformed time: Russian words, the paths, keys and typed values as they are, and
the same exit codes as in English. Skipped (the ``russian`` fixture) until the
compiled catalogue translates the interface.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_testkit import Runner

ENGLISH = {"LANG": "C.UTF-8"}

TWO_PROBLEMS = """\
[[tariff]]
effective = 2017-01-01
title = ""

[tariff.services.backup]
title = "Передача резервной копии"
hourly_rate = 1300.5
"""


@pytest.mark.russian
@pytest.mark.file_ledger
def test_an_unreadable_ledger_file_in_russian(run: Runner, russian: dict[str, str | None]) -> None:
    ledger = Path(os.environ["KVSUPPORT_LEDGER"])
    ledger.parent.mkdir(parents=True, exist_ok=True)
    ledger.write_bytes(b'{"format": "kvsupport-ledger", "version": 1, "clients": {')

    result = run("client", "list", env_extra=russian)

    assert result.code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"ошибка: {ledger}: ошибка JSON в строке 1, столбце ")
    # written by hand, never committed: it has no backups, so the hint points at none
    assert lines[1] == (
        "подсказка: ничего не изменено; резервных копий этого файла kvsupport не хранит: "
        "это точно тот журнал?"
    )
    assert run("client", "list", env_extra=ENGLISH).code == result.code
    assert ledger.read_bytes() == b'{"format": "kvsupport-ledger", "version": 1, "clients": {'


@pytest.mark.russian
def test_a_tariff_file_with_two_problems_in_russian(
    run: Runner, russian: dict[str, str | None], tmp_path: Path
) -> None:
    tariffs = tmp_path / "two.toml"
    tariffs.write_text(TWO_PROBLEMS, "utf-8")

    result = run("--tariffs", str(tariffs), "tariff", "check", env_extra=russian)

    assert result.code == 1
    assert result.stdout == ""
    where = f"{tariffs}: tariff[0] (effective 2017-01-01)"
    assert result.stderr.splitlines() == [
        f"ошибка: {where}: title: нужна непустая строка",
        f"ошибка: {where}: services.backup.hourly_rate: нужна строка или целое число, а не дробное "
        "(в дробном числе копейки не хранятся точно; запишите сумму строкой)",
        "подсказка: все проблемы покажет «kvsupport tariff check»",
    ]
    english = run("--tariffs", str(tariffs), "tariff", "check", env_extra=ENGLISH)
    assert english.code == result.code
    assert f"error: {where}: title: must be a non-empty string" in english.stderr


@pytest.mark.russian
def test_an_invalid_inn_in_russian(run: Runner, russian: dict[str, str | None]) -> None:
    result = run("client", "add", "romashka", "--name", "Ромашка", "--inn", "7707083894", env_extra=russian)

    assert result.code == 2
    assert result.stderr.splitlines() == [
        "ошибка: неверный ИНН «7707083894»: не сходится контрольное число",
        "подсказка: вероятно, опечатка в цифре; сверьте с документами клиента",
    ]
    english = run("client", "add", "romashka", "--name", "Ромашка", "--inn", "7707083894", env_extra=ENGLISH)
    assert english.code == result.code
    assert run("client", "list", "--format", "json", env_extra=ENGLISH).json() == []


@pytest.mark.russian
def test_a_malformed_time_lists_the_accepted_forms_in_russian(
    run: Runner, romashka: str, russian: dict[str, str | None]
) -> None:
    result = run("session", "start", romashka, "line", "--at", "9.30", env_extra=russian)

    assert result.code == 2
    first, hint = result.stderr.splitlines()[:2]
    assert first.startswith("ошибка: неверное время «9.30»: ")
    assert hint.startswith("подсказка: укажите ЧЧ:ММ, сегодня ЧЧ:ММ, вчера ЧЧ:ММ,")
    english = run("session", "start", romashka, "line", "--at", "9.30", env_extra=ENGLISH)
    assert english.code == result.code
    assert english.stderr.startswith("error: invalid time '9.30': ")
