"""The fast path (``cli/fast.py``) and the Typer app say and do the same for the hot commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import typer
from cli_testkit import Runner, database, invoke, normalise, snapshot

import kvsupport.cli.app
import kvsupport.cli.session
import pgkit
from kvsupport.cli.fast import ALIASES, ROOT_FLAGS, ROOT_VALUES, VERBS, parse

Argv = tuple[str, ...]

RUNNING: list[Argv] = [("session", "start", "romashka", "remote", "--backup-confirmed", "--at", "-10m")]
STOPPED: list[Argv] = [*RUNNING, ("session", "stop", "--at", "-5m")]
RESUMED: list[Argv] = [*STOPPED, ("session", "resume", "--at", "-2m")]

# (setup runs, the command compared): each pair starts from identical ledgers.
CASES: dict[str, tuple[list[Argv], Argv]] = {
    "status-idle": ([], ("session", "status")),
    "status-idle-json": ([], ("session", "status", "--format", "json")),
    "status-running": (RUNNING, ("session", "status")),
    "status-running-json": (RUNNING, ("session", "status", "-f", "json")),
    "start": ([], ("session", "start", "romashka", "line")),
    "start-json": ([], ("session", "start", "romashka", "line", "--at", "-3m", "--format=json")),
    "start-quiet": ([], ("-q", "session", "start", "romashka", "line", "--at", "-3m")),
    "start-backup": (
        [],
        ("session", "start", "romashka", "backup", "--problem", "пени", "--consent", "письмо", "--at", "-5m"),
    ),
    "start-missing-consent": ([], ("session", "start", "romashka", "backup", "--problem", "пени")),
    "start-unknown-client": ([], ("session", "start", "nobody", "line")),
    "start-unknown-service": ([], ("session", "start", "romashka", "nosuch")),
    "start-no-service": ([], ("session", "start", "romashka")),
    "start-while-running": (RUNNING, ("session", "start", "romashka", "line")),
    "start-overlap": (STOPPED, ("session", "start", "romashka", "line", "--at", "-7m")),
    "start-allow-overlap": (
        STOPPED,
        ("session", "start", "romashka", "line", "--at", "-7m", "--allow-overlap"),
    ),
    "start-future": ([], ("session", "start", "romashka", "line", "--at", "+1h")),
    "start-bad-time": ([], ("session", "start", "romashka", "line", "--at", "25:00")),
    "start-bad-format": ([], ("session", "start", "romashka", "line", "--format", "csv")),
    "start-bad-order": ([], ("session", "start", "--order", "x")),
    "start-unknown-order": ([], ("session", "start", "--order", "7")),
    "start-extra-arg": ([], ("session", "start", "romashka", "line", "extra")),
    "start-unknown-option": ([], ("session", "start", "romashka", "line", "--verbose")),
    "stop": (RUNNING, ("session", "stop")),
    "stop-note-json": (RUNNING, ("session", "stop", "--note", "готово", "--format", "json")),
    "stop-idle": ([], ("session", "stop")),
    "stop-before-start": (RUNNING, ("session", "stop", "--at", "-20m")),
    "cancel": (RUNNING, ("session", "cancel")),
    "cancel-resumed": (RESUMED, ("session", "cancel", "--format", "json")),
    "cancel-idle": ([], ("session", "cancel")),
    "resume": (STOPPED, ("session", "resume")),
    "resume-id-json": (STOPPED, ("session", "resume", "1", "--format", "json")),
    "resume-idle": ([], ("session", "resume")),
    "resume-bad-id": (STOPPED, ("session", "resume", "one")),
    "resume-while-running": (RESUMED, ("session", "resume")),
    "root-ledger-option": (RUNNING, ("--ledger", "LEDGER", "session", "status")),
    "root-bad-config": ([], ("--config", "BADCONFIG", "session", "status")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_fast_path_and_typer_agree(run: Runner, romashka: str, ledger_dir: Path, case: str) -> None:
    setup, argv = CASES[case]
    for args in setup:
        assert run(*args).code == 0
    ledger = os.environ["KVSUPPORT_LEDGER"]
    with ExitStack() as stack:
        if database() is None:
            twin = ledger_dir.with_name("ledger-typer")
            shutil.copytree(ledger_dir, twin)
            twin_ledger = str(twin / "ledger.json")
        else:  # a second schema of the same server, a copy of this one
            twin_ledger = stack.enter_context(pgkit.fresh_ledger())
            assert run("ledger", "copy", ledger, twin_ledger).code == 0
        _compare(argv, ledger, twin_ledger, ledger_dir)


def _compare(argv: Argv, ledger: str, twin_ledger: str, ledger_dir: Path) -> None:

    bad_config = ledger_dir.parent / "bad-config.toml"
    bad_config.write_text('timezone = "Europe/Moscow"\ncolour = "blue"\n', "utf-8")

    def argv_for(path: str) -> tuple[str, ...]:
        tokens = {"LEDGER": path, "BADCONFIG": str(bad_config)}
        return tuple(tokens.get(a, a) for a in argv)

    before = snapshot(ledger_dir)
    with ThreadPoolExecutor(2) as pool:
        fast_run = pool.submit(invoke, argv_for(ledger), fast=True)
        slow_run = pool.submit(
            invoke, argv_for(twin_ledger), fast=False, env_extra={"KVSUPPORT_LEDGER": twin_ledger}
        )
        fast, slow = fast_run.result(), slow_run.result()

    assert fast.code == slow.code
    assert normalise(fast.stdout) == normalise(slow.stdout)
    assert normalise(fast.stderr) == normalise(slow.stderr)
    assert "Traceback" not in fast.stderr + slow.stderr
    if fast.code != 0:
        assert fast.first_error.startswith("error:")
        assert fast.stdout == ""
        assert snapshot(ledger_dir) == before
        return

    if "status" in argv:
        return  # read-only
    # and the ledgers they leave behind hold the same sessions
    listing = ("session", "list", "--all", "--format", "json")
    with ThreadPoolExecutor(2) as pool:
        fast_list = pool.submit(invoke, listing)
        slow_list = pool.submit(invoke, listing, env_extra={"KVSUPPORT_LEDGER": twin_ledger})
        after_fast, after_slow = fast_list.result(), slow_list.result()
    assert after_fast.code == after_slow.code == 0
    assert normalise(after_fast.stdout) == normalise(after_slow.stdout)


@pytest.mark.process
def test_fast_path_really_answers_without_typer(run: Runner, romashka: str) -> None:
    """A call the fast path takes never imports Typer (else the parity above proves little)."""
    code = (
        "import sys, runpy\n"
        "sys.argv = ['kvsupport', 'session', 'status']\n"
        "try:\n"
        "    runpy.run_module('kvsupport', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('TYPER' if 'typer' in sys.modules else 'NO-TYPER')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "no session is running"
    assert done.stderr.endswith("NO-TYPER")


SERVED = [
    ("session", "status"),
    ("-q", "--ledger", "/tmp/x.json", "session", "status", "-f", "json"),
    ("session", "start", "romashka", "line", "--at", "-3m", "--format=json"),
    ("session", "start", "--order", "7"),
    ("session", "start", "c", "backup", "--at", "--problem"),
    ("session", "stop", "--note", "готово", "--at=-1m"),
    ("session", "resume", "12"),
    ("session", "cancel"),
]
LEFT_TO_TYPER = [
    ("session", "start", "--help"),
    ("session", "start", "c", "line", "--verbose"),
    ("session", "start", "c", "line", "extra"),
    ("session", "start", "c", "line", "--at", "--problem", "x"),
    ("session", "start", "c", "line", "--format", "csv"),
    ("session", "start", "--order", "x"),
    ("session", "start", "c", "line", "--at"),
    ("session", "start", "c", "line", "--at", "-1m", "--at", "-2m"),
    ("session", "resume", "one"),
    ("session", "stop", "-q"),
    ("--version",),
    ("session", "list"),
    ("client", "list"),
    (),
]


@pytest.mark.parametrize("argv", SERVED, ids=" ".join)
def test_fast_path_serves(argv: Argv) -> None:
    assert parse(list(argv)) is not None


@pytest.mark.parametrize("argv", LEFT_TO_TYPER, ids=" ".join)
def test_fast_path_leaves_to_typer(argv: Argv) -> None:
    assert parse(list(argv)) is None


# ------------------------------------------------------- the same grammar


def _options(command: Any) -> tuple[set[str], set[str], int]:
    """A Typer command's value options, flags and positional count (``--help`` left out)."""
    values: set[str] = set()
    flags: set[str] = set()
    positionals = 0
    for param in command.params:
        if isinstance(param, typer.core.TyperArgument):
            positionals += param.nargs
            continue
        opts = set(param.opts) | set(param.secondary_opts)
        (flags if param.is_flag else values).update(opts)
    return values - {"--help", "-h"}, flags - {"--help", "-h"}, positionals


@pytest.mark.parametrize("verb", list(VERBS))
def test_fast_path_accepts_exactly_the_typer_options(verb: str) -> None:
    group = typer.main.get_command(kvsupport.cli.session.app)
    assert isinstance(group, typer.core.TyperGroup)
    values, flags, positionals = _options(group.commands[verb])
    grammar = VERBS[verb]
    aliases = {alias for alias, name in ALIASES.items() if name in grammar.values}
    assert set(grammar.values) | aliases == values
    assert set(grammar.flags) == flags
    assert grammar.positionals == positionals


def test_fast_path_serves_exactly_the_hot_verbs() -> None:
    group = typer.main.get_command(kvsupport.cli.session.app)
    assert isinstance(group, typer.core.TyperGroup)
    assert set(VERBS) <= set(group.commands)
    assert set(VERBS) == {"start", "stop", "status", "resume", "cancel"}


def test_fast_path_root_options_are_the_root_command_options() -> None:
    root = typer.main.get_command(kvsupport.cli.app.app)
    values, flags, _ = _options(root)
    assert set(ROOT_VALUES) <= values
    assert set(ROOT_FLAGS) <= flags
    # what the fast path leaves to Typer: only --version (and completion)
    assert values - set(ROOT_VALUES) == set()
    assert flags - set(ROOT_FLAGS) <= {"--version", "--install-completion", "--show-completion"}


@pytest.mark.parametrize("verb", list(VERBS))
def test_help_of_a_hot_verb_falls_to_typer(run: Runner, verb: str) -> None:
    result = run("session", verb, "--help")
    assert result.code == 0
    assert result.stderr == ""
    assert f"Usage: kvsupport session {verb}" in result.stdout
    assert result.stdout.count("Usage:") == 1


def test_bare_group_prints_its_help_once(run: Runner) -> None:
    result = run("session")
    assert result.code == 0
    assert result.stderr == ""
    assert result.stdout.count("Usage: kvsupport session") == 1
    for verb in ("start", "stop", "status", "resume", "cancel", "add", "list", "show", "edit", "delete"):
        assert verb in result.stdout
