"""Bad invocations across the nouns: documented exit code, one ``error:`` line, nothing changed (SPEC §5)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from cli_testkit import Runner, snapshot

# argv, exit code, a word the first error line must contain
BAD: list[Any] = [
    (("session", "start", "nobody", "line"), 1, "nobody"),
    (("session", "start", "romashka", "nosuch"), 1, "nosuch"),
    (("session", "start", "romashka", "line", "--at", "25:00"), 2, "25:00"),
    (("session", "start", "romashka", "line", "--order", "abc"), 2, "--order"),
    (("session", "start", "romashka", "line", "--format", "yaml"), 2, "yaml"),
    (("session", "status", "--format", "csv"), 2, "csv"),
    (("session", "stop"), 1, "no session is running"),
    (("session", "cancel"), 1, "no session is running"),
    (("session", "resume", "99"), 1, "99"),
    (("session", "add", "romashka", "line", "--start", "-2h"), 2, "--duration"),
    (("session", "add", "romashka", "line", "--start", "-2h", "--duration", "1.5h"), 2, "1.5h"),
    (("session", "add", "romashka", "line", "--start", "-1h", "--end", "-2h"), 2, "end"),
    (("session", "list", "--month", "2026-13"), 2, "2026-13"),
    (("session", "list", "--month", "11.26"), 2, "11.26"),
    (("session", "list", "--format", "yaml"), 2, "yaml"),
    (("session", "list", "--client", "nobody"), 1, "nobody"),
    (("session", "show", "99"), 1, "99"),
    (("session", "show", "first"), 2, "first"),
    (("session", "edit", "1"), 2, "nothing to change"),
    (("session", "edit", "99", "--note", "x"), 1, "99"),
    (("session", "edit", "1", "--service", "nosuch"), 1, "nosuch"),
    (("session", "delete", "99"), 1, "99"),
    (("session", "frobnicate"), 2, "frobnicate"),
    (("client", "add"), 2, "CODE"),
    (("client", "add", "x", "--name", "X", "--inn", "7707083894"), 2, "INN"),
    (("client", "add", "x", "--name", "X", "--kpp", "12345"), 2, "KPP"),
    (("client", "add", "-x", "--name", "X"), 2, "-x"),
    (("client", "add", "romashka", "--name", "Дубль"), 1, "romashka"),
    (("client", "add", "x", "--name", "X", "--license-until", "2026-02-30"), 2, "2026-02-30"),
    (("client", "show", "nobody"), 1, "nobody"),
    (("client", "edit", "nobody", "--name", "N"), 1, "nobody"),
    (("client", "list", "--format", "xml"), 2, "xml"),
    (("tariff", "show", "--on", "2016-12-31"), 1, "2016-12-31"),
    (("tariff", "show", "--on", "31-12-2026"), 2, "31-12-2026"),
    (("tariff", "list", "--format", "xml"), 2, "xml"),
    (("tariff", "check", "/nope.toml"), 1, "/nope.toml"),
    (("--tariffs", "/nope.toml", "tariff", "list"), 1, "/nope.toml"),
    (("--tariffs", "/nope.toml", "session", "start", "romashka", "line"), 1, "/nope.toml"),
    (("--tariffs", "/nope.toml", "session", "list"), 1, "/nope.toml"),
    (("config", "set", "nope", "1"), 2, "nope"),
    (("config", "set", "supplier.bik", "12345"), 2, "BIK"),
    (("config", "set", "supplier.inn", "7707083894"), 2, "INN"),
    (("config", "set", "timezone", "Mars/Olympus"), 2, "Mars/Olympus"),
    (("config", "set", "invoice.due_days", "many"), 2, "invoice.due_days"),
    (("config", "show", "--format", "xml"), 2, "xml"),
    pytest.param(("ledger", "restore", "nope.json"), 1, "nope.json", marks=pytest.mark.file_ledger),
    (("ledger", "backups", "--format", "xml"), 2, "xml"),
]


def _argv(case: object) -> tuple[str, ...]:
    values = getattr(case, "values", case)
    assert isinstance(values, tuple)
    argv: tuple[str, ...] = values[0]
    return argv


@pytest.fixture
def state(one_session: int, ledger_dir: Path) -> list[Path]:
    """A ledger with a client and a stopped session; the paths a bad call must leave alone."""
    return [ledger_dir, Path(os.environ["KVSUPPORT_CONFIG"])]


@pytest.mark.parametrize(("argv", "code", "word"), BAD, ids=[" ".join(_argv(case)) for case in BAD])
def test_bad_invocation(run: Runner, state: list[Path], argv: tuple[str, ...], code: int, word: str) -> None:
    before = snapshot(*state)
    result = run(*argv)
    assert result.code == code, result.stderr
    assert result.stdout == ""
    assert result.first_error.startswith("error: ")
    assert word in result.first_error
    assert "Traceback" not in result.stderr
    for line in result.stderr.splitlines()[1:]:
        assert line.startswith(("error: ", "hint: ")), line
    assert snapshot(*state) == before


BROKEN_TARIFFS = """\
[[tariff]]
effective = 2017-01-01
title = "Сломанный"
vat = "maybe"

[tariff.services.backup]
title = "Копия"
hourly_rate = 1300.5
minimum_minutes = -1
rounding = "sideways"
requires = ["magic"]
"""


def test_tariff_check_lists_every_problem(run: Runner, state: list[Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(BROKEN_TARIFFS, "utf-8")
    before = snapshot(*state, broken)
    result = run("tariff", "check", str(broken))
    assert result.code == 1
    assert result.stdout == ""
    errors = result.error_lines
    assert result.stderr.splitlines()[: len(errors)] == errors
    assert len(errors) == 5
    for line, key in zip(
        errors, ["vat", "hourly_rate", "minimum_minutes", "rounding", "requires"], strict=True
    ):
        assert str(broken) in line
        assert key in line
    assert "Traceback" not in result.stderr
    assert snapshot(*state, broken) == before


def test_a_broken_tariff_file_in_use_stops_sessions(run: Runner, state: list[Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(BROKEN_TARIFFS, "utf-8")
    before = snapshot(*state)
    result = run("session", "start", "romashka", "line", env_extra={"KVSUPPORT_TARIFFS": str(broken)})
    assert result.code == 1
    assert result.stdout == ""
    assert result.first_error.startswith(f"error: {broken}")
    assert len(result.error_lines) == 5
    assert snapshot(*state) == before


@pytest.mark.parametrize("argv", [("session", "status"), ("session", "list"), ("client", "list")])
def test_a_config_with_an_unknown_key_is_refused(
    run: Runner, state: list[Path], tmp_path: Path, argv: tuple[str, ...]
) -> None:
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    config.write_text('timezone = "Europe/Moscow"\ncolour = "blue"\n', "utf-8")
    before = snapshot(*state)
    result = run(*argv)
    assert result.code == 1
    assert result.stdout == ""
    assert result.first_error.startswith(f"error: {config}")
    assert "colour" in result.first_error
    assert snapshot(*state) == before


@pytest.mark.file_ledger
def test_an_unreadable_ledger_is_refused_and_left_alone(
    run: Runner, state: list[Path], ledger_dir: Path
) -> None:
    manifest = ledger_dir / "ledger.json"
    manifest.write_bytes(manifest.read_bytes()[:40])
    before = snapshot(*state)
    for argv in (("session", "status"), ("session", "start", "romashka", "line"), ("client", "list")):
        result = run(*argv)
        assert result.code == 1, argv
        assert result.stdout == ""
        assert result.first_error.startswith("error: ")
        assert str(manifest) in result.stderr
        assert "Traceback" not in result.stderr
    assert snapshot(*state) == before


# ------------------------------------------------------------------ Ctrl-C (finding 9d)

ROWS = "client,service,start,duration\n" + "".join(
    f"romashka,line,2025-01-{day:02d} 10:00,5m\n" for day in range(1, 6)
)


def _interrupt(*_args: object, **_kwargs: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.russian
def test_ctrl_c_inside_a_write_says_nothing_was_changed(
    run: Runner,
    run_typer: Runner,
    romashka: str,
    ledger_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    russian: dict[str, str | None],
) -> None:
    """Interrupted after a session is put but before the commit: rolled back, and said."""
    from kvsupport.core.models import Segment, Session
    from kvsupport.ops import transfer

    real = transfer.build_sessions

    def interrupted_midway(env: Any, store: Any, *args: Any, **kwargs: Any) -> Any:
        found = real(env, store, *args, **kwargs)
        first = found[0][0]
        store.put_session(Session(store.new_session_id(), "romashka", "line", (Segment(*first.segments[0]),)))
        raise KeyboardInterrupt

    monkeypatch.setattr(transfer, "build_sessions", interrupted_midway)
    before = snapshot(ledger_dir)
    result = run("import", "-", stdin=ROWS)
    assert (result.code, result.stdout, result.stderr) == (130, "", "interrupted: nothing was changed\n")
    assert snapshot(ledger_dir) == before
    said = run("import", "-", stdin=ROWS, env_extra=russian)
    assert (said.code, said.stderr) == (130, "прервано: ничего не изменено\n")
    # a read on the fast path, and on the Typer app
    from kvsupport.ops import sessions

    monkeypatch.setattr(sessions, "status", _interrupt)
    for runner in (run, run_typer):
        status = runner("session", "status")
        assert (status.code, status.stdout, status.stderr) == (130, "", "interrupted: nothing was changed\n")
    assert snapshot(ledger_dir) == before


def test_ctrl_c_after_the_commit_does_not_say_nothing_was_changed(
    run: Runner, romashka: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kvsupport.cli import transfer

    monkeypatch.setattr(transfer, "say", _interrupt)  # the confirmation, after the commit
    result = run("import", "-", stdin=ROWS)
    assert result.code == 130
    assert result.stderr.splitlines() == [
        "interrupted: the change may have been stored",
        "hint: a change is stored whole or not at all: see whether it is ('kvsupport ledger changes') "
        "before running the command again",
    ]
    listed = run("session", "list", "--all", "--format", "json")
    assert len(listed.json()) == 5  # it was
