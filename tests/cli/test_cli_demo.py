"""A newcomer's first five minutes: ``kvsupport demo``, help everywhere, clean pipes (issue 5).

``demo`` builds last month in a temporary directory (``TMPDIR`` points into
``tmp_path`` here) and prints its invoices; it must never create or touch the
user's own ledger.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from cli_testkit import Result, Runner, console_script, invoke, now_local, snapshot
from typer.testing import CliRunner

from kvsupport.cli.app import app

MONTHS = [
    *("январь", "февраль", "март", "апрель", "май", "июнь"),
    *("июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"),
]


def last_month() -> tuple[int, int]:
    today = now_local().date()
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


@pytest.fixture
def tmpdir_env(tmp_path: Path) -> dict[str, str]:
    """``TMPDIR`` for the demo: a directory of this test's own."""
    where = tmp_path / "tmp"
    where.mkdir()
    return {"TMPDIR": str(where)}


def demo_dirs(env: dict[str, str]) -> list[Path]:
    return sorted(Path(env["TMPDIR"]).glob("kvsupport-demo-*"))


def run_demo(run: Runner, env: dict[str, str], *args: str) -> tuple[Result, Path]:
    before = demo_dirs(env)
    result = run(*args, "demo", env_extra=env)
    assert result.code == 0, result.stderr
    (made,) = set(demo_dirs(env)) - set(before)
    return result, made


# ---------------------------------------------------------------------- demo


def test_demo_prints_last_months_invoices(run: Runner, tmpdir_env: dict[str, str]) -> None:
    result, made = run_demo(run, tmpdir_env)
    year, month = last_month()
    number_year = now_local().year  # the invoices are dated today
    out = result.stdout.replace("\xa0", " ")  # amounts are printed as 1\xa0300,00
    assert out.count("Счёт на оплату № ") == 2
    assert f"Счёт на оплату № {number_year}-0001 от " in out
    assert f"Счёт на оплату № {number_year}-0002 от " in out
    assert out.count(f"за {MONTHS[month - 1]} {year} г.") == 2
    # romashka: backup 61 min 1 321,67 + first remote 90 min 1 950,00 + connection fee 4 000,00
    first, second = out.split(f"Счёт на оплату № {number_year}-0002")
    for line_sum in ("1 321,67", "1 950,00", "4 000,00"):
        assert line_sum in first
    assert "Всего наименований 3, на сумму 7 271,67 руб." in first
    assert "Семь тысяч двести семьдесят один рубль 67 копеек" in first
    # lesnaya: a dropped remote link resumed, 20 + 30 min, one minimum 1 300,00, and the fee
    assert "отработано 50 мин, к оплате 1 ч 00 мин" in second
    assert "Всего наименований 2, на сумму 5 300,00 руб." in second
    assert "Пять тысяч триста рублей 00 копеек" in second
    assert "Без налога (НДС)" in first
    assert "Без налога (НДС)" in second
    assert "Консультационная линия" not in out  # the free line call is never invoiced
    assert "\x1b" not in out

    period = f"{year:04d}-{month:02d}"
    assert (
        f"issued for {period}: {number_year}-0001 romashka 7271.67, {number_year}-0002 lesnaya 5300.00"
        in result.stderr.splitlines()
    )
    assert f"the sample ledger is in {made}" in result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert "Счёт" not in result.stderr


def test_the_demo_ledger_can_be_explored(run: Runner, tmpdir_env: dict[str, str]) -> None:
    _, made = run_demo(run, tmpdir_env)
    assert {p.name for p in made.iterdir()} >= {"ledger.json", "config.toml"}
    env = {"KVSUPPORT_LEDGER": str(made / "ledger.json"), "KVSUPPORT_CONFIG": str(made / "config.toml")}
    listed = run("session", "list", "--all", "--format", "json", env_extra=env)
    assert listed.code == 0, listed.stderr
    rows: list[dict[str, Any]] = listed.json()
    assert [(r["client"], r["service"], r["minutes"], r["amount"]) for r in rows] == [
        ("romashka", "backup", 61, "1321.67"),
        ("romashka", "remote", 90, "1950.00"),
        ("lesnaya", "remote", 50, "1300.00"),
        ("lesnaya", "line", 12, "0.00"),
    ]
    assert len(rows[2]["segments"]) == 2
    assert [r["invoice"] is None for r in rows] == [False, False, False, True]
    issued = run("invoice", "list", "--format", "json", env_extra=env)
    assert [(i["client_code"], i["total"], i["status"]) for i in issued.json()] == [
        ("romashka", "7271.67", "issued"),
        ("lesnaya", "5300.00", "issued"),
    ]


def test_demo_leaves_the_users_ledger_alone(
    run: Runner, romashka: str, ledger_dir: Path, tmpdir_env: dict[str, str], isolated_files: Path
) -> None:
    home = isolated_files / "home"
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    before = snapshot(ledger_dir, home, config)
    run_demo(run, tmpdir_env)
    assert snapshot(ledger_dir, home, config) == before
    assert run("session", "list", "--all", "--format", "json").stdout == "[]\n"


@pytest.mark.file_ledger
def test_demo_creates_no_ledger_where_none_was(
    run: Runner, isolated_files: Path, tmpdir_env: dict[str, str]
) -> None:
    home = isolated_files / "home"
    ledger = Path(os.environ["KVSUPPORT_LEDGER"])
    run_demo(run, tmpdir_env)
    assert not ledger.parent.exists()
    assert not Path(os.environ["KVSUPPORT_CONFIG"]).exists()
    # nor under the platform's default user directories (no KVSUPPORT_* at all)
    bare = {**tmpdir_env, "KVSUPPORT_LEDGER": None, "KVSUPPORT_CONFIG": None}
    result = run("demo", env_extra=bare)
    assert result.code == 0, result.stderr
    assert list(home.rglob("*")) == []
    assert len(demo_dirs(tmpdir_env)) == 2  # a fresh sample each time


def test_demo_ignores_a_broken_user_setup(
    run: Runner, isolated_files: Path, tmpdir_env: dict[str, str], tmp_path: Path
) -> None:
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    config.write_text('colour = "blue"\n', "utf-8")
    tariffs = tmp_path / "tariffs.toml"
    tariffs.write_text("[[tariff]]\neffective = 'soon'\n", "utf-8")
    result, _ = run_demo(run, {**tmpdir_env, "KVSUPPORT_TARIFFS": str(tariffs)})
    assert "Всего наименований 3, на сумму 7\xa0271,67 руб." in result.stdout


def test_quiet_demo_prints_only_the_invoices(run: Runner, tmpdir_env: dict[str, str]) -> None:
    result, _ = run_demo(run, tmpdir_env, "-q")
    assert result.stderr == ""
    assert result.stdout.count("Счёт на оплату № ") == 2


# ---------------------------------------------------------------------- help


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command under ``command`` with its path, groups included."""
    yield path, command
    if hasattr(command, "list_commands"):
        ctx = typer.Context(command)
        for name in command.list_commands(ctx):
            yield from walk(command.get_command(ctx, name), (*path, name))


COMMANDS = list(walk(typer.main.get_command(app)))
LEAVES = [path for path, command in COMMANDS if not hasattr(command, "list_commands")]
# groups that only group (``kvsupport invoice`` itself issues the month's invoices)
GROUPS = [
    path
    for path, command in COMMANDS
    if path and hasattr(command, "list_commands") and not command.invoke_without_command
]


def test_the_walk_finds_every_noun() -> None:
    assert len(LEAVES) >= 35
    for path in (
        ("client", "add"),
        ("order", "cancel"),
        ("report",),
        ("import", "file"),
        ("export",),
        ("demo",),
    ):
        assert path in LEAVES
    assert ("import", "teamviewer") in LEAVES
    assert set(GROUPS) >= {
        ("session",),
        ("client",),
        ("order",),
        ("tariff",),
        ("config",),
        ("ledger",),
        ("import",),
    }
    assert ("invoice",) not in GROUPS


# every command that runs: the leaves, the root and ``invoice`` (a group that issues)
RUNNABLE = [*LEAVES, (), *[p for p, c in COMMANDS if p and getattr(c, "invoke_without_command", False)]]


@pytest.mark.parametrize("path", RUNNABLE, ids=lambda path: " ".join(path) or "kvsupport")
def test_every_command_help_has_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "250", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    examples = re.findall(r"^\s*Example: (.+?)\s*$", result.output, re.MULTILINE)
    assert len(examples) == 1, result.output
    assert f"kvsupport {' '.join(path)}".rstrip() in examples[0]


@pytest.mark.parametrize("path", [(), *GROUPS], ids=lambda path: " ".join(path) or "kvsupport")
def test_a_bare_group_prints_its_help(run: Runner, path: tuple[str, ...]) -> None:
    result = run(*path)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    assert f"Usage: kvsupport {' '.join((*path, ''))}".rstrip() in result.stdout
    (_, group), *_ = [(p, c) for p, c in COMMANDS if p == path]
    for name in group.list_commands(typer.Context(group)):
        assert re.search(rf"^│ {re.escape(name)} ", result.stdout, re.MULTILINE), name


# ---------------------------------------------------------- clean in a pipe

COLOURFUL = {"NO_COLOR": None, "FORCE_COLOR": None, "TERM": "xterm-256color", "COLORTERM": "truecolor"}


@pytest.mark.parametrize(
    "argv",
    [
        ("report",),
        ("report", "--by", "service", "--format", "csv"),
        ("order", "list"),
        ("client", "show", "romashka"),
        ("export", "--format", "json"),
        ("demo",),
        ("order", "--help"),
        ("report", "--by", "day"),
    ],
    ids=" ".join,
)
def test_no_ansi_escapes_in_a_pipe(
    one_session: int, tmpdir_env: dict[str, str], argv: tuple[str, ...]
) -> None:
    if argv == ("order", "list"):
        assert invoke(("order", "add", "romashka", "line", "--at", "+2h")).code == 0
    result = invoke(argv, env_extra={**COLOURFUL, **tmpdir_env})
    assert result.stdout or result.stderr
    assert "\x1b" not in result.stdout
    assert "\x1b" not in result.stderr


SGR = re.compile(rb"\x1b\[([0-9;]*)m")


def colour_codes(output: bytes) -> set[str]:
    """The SGR parameters in ``output`` that set a colour (not bold, italic, reset)."""
    found = set()
    for params in SGR.findall(output):
        for code in params.decode().split(";"):
            if code and (30 <= int(code) <= 49 or 90 <= int(code) <= 107):
                found.add(code)
    return found


def on_a_terminal(argv: tuple[str, ...], env_extra: dict[str, str | None]) -> tuple[int, bytes]:
    """Run ``kvsupport ARGV`` with stdout and stderr on a pseudo-terminal; exit code and output."""
    import pty
    import subprocess

    env = dict(os.environ)
    for key, value in env_extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    main, child = pty.openpty()
    process = subprocess.Popen([console_script(), *argv], stdin=child, stdout=child, stderr=child, env=env)
    os.close(child)
    output = b""
    while True:  # read while it runs: a full pty buffer would block the child
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child's side is closed and everything was read
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    return process.wait(timeout=60), output


@pytest.mark.process
@pytest.mark.parametrize(
    ("argv", "expected"),
    [(("client", "--help"), 0), (("report", "--by", "service"), 0), (("client", "show", "nobody"), 1)],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else str(value),
)
def test_colour_on_a_terminal_but_never_with_no_color(
    one_session: int, argv: tuple[str, ...], expected: int
) -> None:
    code, coloured = on_a_terminal(argv, COLOURFUL)
    assert code == expected
    if argv == ("client", "--help"):
        assert colour_codes(coloured)  # the test can see colour when there is some
    code, plain = on_a_terminal(argv, {**COLOURFUL, "NO_COLOR": "1"})
    assert code == expected
    assert plain.strip()
    assert colour_codes(plain) == set()
