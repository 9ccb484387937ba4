"""Bad input that used to be let through or explained badly (issue 9 §D)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_testkit import Runner, assert_refused, snapshot

from kvsupport.storage.paths import PACKAGED_TARIFFS

BACKUP = ("--problem", "не считает пени", "--consent", "письмо от 01.10.2026")


def stored(run: Runner) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = run("export", "--format", "json").json()
    return rows


def test_a_10000_hour_session_is_refused(run: Runner, romashka: str, ledger_dir: Path) -> None:
    before = snapshot(ledger_dir)
    result = run("session", "add", "romashka", "line", "--start", "2025-01-01 10:00", "--duration", "10000h")
    assert_refused(result, 2, "10000h00m", "longer than the limit of 24 h")
    assert "--allow-long" in result.stderr
    assert "session.max_hours" in result.stderr
    assert snapshot(ledger_dir) == before


def test_allow_long_and_the_configured_limit(run: Runner, romashka: str) -> None:
    day_and_more = ("session", "add", "romashka", "line", "--start", "2026-10-01 10:00", "--duration", "25h")
    assert run(*day_and_more).code == 2
    assert run(*day_and_more, "--allow-long").code == 0
    assert run("config", "set", "session.max_hours", "48").code == 0
    later = ("session", "add", "romashka", "line", "--start", "2026-10-05 10:00", "--duration", "47h")
    assert run(*later).code == 0
    assert len(stored(run)) == 2
    assert_refused(run("config", "set", "session.max_hours", "0"), 2, "session.max_hours", "1-8784")


def test_stopping_a_forgotten_session_is_refused_over_the_limit(run: Runner, romashka: str) -> None:
    assert run("session", "start", "romashka", "line", "--at", "-30h").code == 0
    for runner_env in ({}, {"KVSUPPORT_NO_FAST_PATH": "1"}):
        assert_refused(run("session", "stop", env_extra=runner_env), 2, "longer than the limit of 24 h")
    assert run("session", "status", "--format", "json").json()["running"] is not None
    stopped = run("session", "stop", "--allow-long")
    assert stopped.code == 0, stopped.stderr


def test_editing_times_is_held_to_the_limit(run: Runner, romashka: str) -> None:
    assert (
        run("session", "add", "romashka", "line", "--start", "2026-10-01 10:00", "--duration", "1h").code == 0
    )
    assert_refused(run("session", "edit", "1", "--end", "2026-10-03 10:00"), 2, "lasts 48h00m")
    assert run("session", "edit", "1", "--end", "2026-10-03 10:00", "--allow-long").code == 0
    assert run("session", "edit", "1", "--note", "long indeed").code == 0  # no new times: no check


def test_import_of_a_too_long_session_names_the_line(run: Runner, romashka: str) -> None:
    text = (
        "client,service,start,duration\n"
        "romashka,line,2026-10-01 10:00,15m\n"
        "romashka,line,2025-01-01 10:00,10000h\n"
    )
    result = run("import", "-", "--format", "csv", stdin=text)
    assert_refused(result, 2, "stdin: line 3", "longer than the limit of 24 h")
    assert stored(run) == []
    assert run("import", "-", "--format", "csv", "--allow-long", stdin=text).code == 0
    assert len(stored(run)) == 2


@pytest.mark.parametrize(("problem", "consent"), [("   ", "письмо"), ("пени", "  "), ("\n", "\t")])
def test_whitespace_is_no_problem_and_no_consent(
    run: Runner, romashka: str, problem: str, consent: str
) -> None:
    result = run(
        "session", "add", "romashka", "backup", "--start", "2026-10-05 10:00", "--duration", "45m",
        "--problem", problem, "--consent", consent,
    )  # fmt: skip
    assert result.code in (1, 2), result.stderr  # refused: missing (1) or a control character (2)
    assert result.first_error.startswith("error: ")
    assert stored(run) == []


def test_whitespace_consent_is_missing_consent(run: Runner, romashka: str) -> None:
    result = run(
        "session", "start", "romashka", "backup", "--problem", "пени", "--consent", "   ",
    )  # fmt: skip
    assert_refused(result, 1, "needs consent")


@pytest.mark.parametrize("rate", ["1e3", "1E3", "13e2", "Infinity", "1300,00", "+1300", "１３００", "0x51"])
def test_a_tariff_rate_must_be_plain_digits(run: Runner, tmp_path: Path, rate: str) -> None:
    tariffs = tmp_path / "prices.toml"
    text = PACKAGED_TARIFFS.read_text("utf-8").replace(
        'hourly_rate = "1300.00"', f'hourly_rate = "{rate}"', 1
    )
    assert f'"{rate}"' in text
    tariffs.write_text(text, "utf-8")
    result = run("tariff", "check", str(tariffs))
    assert result.code == 1
    assert "hourly_rate" in result.first_error
    assert "not an amount" in result.first_error


@pytest.mark.parametrize("value", ["-1", "-5", "--x", "-"])
def test_a_config_value_starting_with_a_dash_reaches_the_check(run: Runner, value: str) -> None:
    result = run("config", "set", "invoice.due_days", value)
    assert_refused(result, 2, "invoice.due_days", "whole number of days")
    assert "No such option" not in result.stderr


def test_a_dash_value_is_stored_where_it_is_valid(run: Runner) -> None:
    assert run("config", "set", "supplier.name", "-Бонус-").code == 0
    assert run("config", "show", "--format", "json").json()["supplier.name"] == "-Бонус-"


@pytest.mark.file_ledger  # a record broken by editing the ledger's file
def test_no_message_says_a_int(run: Runner, romashka: str, ledger_dir: Path) -> None:
    part = next(ledger_dir.rglob("*.json"))
    text = part.read_text("utf-8")
    assert '"generation":' in text or '"clients":' in text
    # a client record whose fee_paid is a number and whose name is a number
    broken = text.replace('"name":"ООО «Ромашка»"', '"name":5')
    assert broken != text, text[:300]
    part.write_text(broken, "utf-8")
    result = run("client", "show", "romashka")
    assert result.code == 1
    assert " a int" not in result.stderr
    assert " a str" not in result.stderr
    assert "must be text" in result.stderr
