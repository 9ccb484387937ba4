"""Fixtures of the CLI tests: kvsupport run in this process, or the installed script in a subprocess.

``run`` and ``run_typer`` call ``kvsupport.cli.entry.main`` in the test process
(``in_process``); ``run_process`` starts the installed console script, for what
only a process shows. ``KVSUPPORT_TEST_SUBPROCESS=1`` sends every run to a
subprocess. The autouse fixture of ``tests/conftest.py`` has already pointed
``KVSUPPORT_*`` into ``tmp_path``; every run here inherits that environment.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import money_testkit
import pytest
from cli_testkit import STAGING, EnvExtra, Result, Runner, install_ledger, invoke

import pgkit


@pytest.fixture(autouse=True, params=["file", "postgres"])
def ledger_backend(request: pytest.FixtureRequest, isolated_files: Path) -> Iterator[str]:
    """Every CLI test runs on a file ledger and on a PostgreSQL one (a fresh schema of a
    real server, ``tests/pgkit.py``): the same command lines must give the same results.
    Tests of a file ledger's own files are marked ``file_ledger`` and run on files only."""
    if request.param == "file":
        yield "file"
        return
    if request.node.get_closest_marker("file_ledger"):
        pytest.skip("a test of the file ledger's own files")
    staging = os.environ["KVSUPPORT_LEDGER"]  # where prepared file ledgers are copied first
    with pgkit.fresh_ledger() as url:
        os.environ["KVSUPPORT_LEDGER"] = url
        os.environ[STAGING] = staging
        try:
            yield "postgres"
        finally:
            os.environ["KVSUPPORT_LEDGER"] = staging
            os.environ.pop(STAGING, None)


@pytest.fixture
def run(isolated_files: Path) -> Runner:
    """``run(*args, env_extra=None, stdin=None) -> Result``: kvsupport as the console script runs it."""

    def runner(*args: str, env_extra: EnvExtra | None = None, stdin: str | None = None) -> Result:
        return invoke(args, fast=True, env_extra=env_extra, stdin=stdin)

    return runner


@pytest.fixture
def run_typer(isolated_files: Path) -> Runner:
    """Like ``run``, with ``KVSUPPORT_NO_FAST_PATH=1``: the Typer app serves every command."""

    def runner(*args: str, env_extra: EnvExtra | None = None, stdin: str | None = None) -> Result:
        return invoke(args, fast=False, env_extra=env_extra, stdin=stdin)

    return runner


@pytest.fixture
def run_process(isolated_files: Path) -> Runner:
    """Like ``run``, always through a subprocess of the installed console script."""

    def runner(*args: str, env_extra: EnvExtra | None = None, stdin: str | None = None) -> Result:
        return invoke(args, fast=True, env_extra=env_extra, stdin=stdin, process=True)

    return runner


MINIMAL_SUPPLIER = (
    "supplier.name",
    "ООО «Бонус»",
    "supplier.inn",
    "7707083893",
    "supplier.account",
    "40702810938000012345",
)


@pytest.fixture(scope="session")
def moscow_config_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A config file written by ``kvsupport config set timezone Europe/Moscow …`` (once),
    with the least of the supplier's requisites that an invoice is issued with: its name,
    INN and account (issue 12: without them ``kvsupport invoice`` refuses)."""
    where = tmp_path_factory.mktemp("moscow")
    config = where / "config.toml"
    result = invoke(
        ("config", "set", "timezone", "Europe/Moscow", *MINIMAL_SUPPLIER),
        env_extra={
            "KVSUPPORT_CONFIG": str(config),
            "KVSUPPORT_LEDGER": str(where / "ledger.json"),
            "KVSUPPORT_TARIFFS": None,
            "HOME": str(where),
            "XDG_DATA_HOME": str(where / "data"),
            "XDG_CONFIG_HOME": str(where / "config"),
        },
    )
    assert result.code == 0, result.stderr
    return config.read_bytes()


@pytest.fixture
def moscow(isolated_files: Path, moscow_config_bytes: bytes) -> Path:
    """This test's config file, with ``timezone = "Europe/Moscow"`` (and see
    :func:`moscow_config_bytes`)."""
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(moscow_config_bytes)
    return config


@pytest.fixture
def ledger_dir(isolated_files: Path) -> Path:
    """The directory of this test's file ledger (``KVSUPPORT_LEDGER``; on PostgreSQL, where
    a prepared ledger is put before :func:`install_ledger` copies it into the database)."""
    return Path(os.environ.get(STAGING) or os.environ["KVSUPPORT_LEDGER"]).parent


ROMASHKA = (
    "client",
    "add",
    "romashka",
    "--name",
    "ООО «Ромашка»",
    "--inn",
    "7707083893",
    "--phone",
    "+7 495 123-45-67",
)


def build_ledger(where: Path, config_bytes: bytes, *commands: tuple[str, ...]) -> Path:
    """A ledger directory under ``where`` made by running ``commands``; the directory."""
    config = where / "config.toml"
    config.write_bytes(config_bytes)
    ledger = where / "ledger" / "ledger.json"
    env: EnvExtra = {
        "KVSUPPORT_CONFIG": str(config),
        "KVSUPPORT_LEDGER": str(ledger),
        "KVSUPPORT_TARIFFS": None,
        "HOME": str(where),
        "XDG_DATA_HOME": str(where / "data"),
        "XDG_CONFIG_HOME": str(where / "config"),
    }
    for args in commands:
        result = invoke(args, env_extra=env)
        assert result.code == 0, result.stderr
    return ledger.parent


@pytest.fixture(scope="session")
def romashka_ledger(tmp_path_factory: pytest.TempPathFactory, moscow_config_bytes: bytes) -> Path:
    """A ledger directory holding the client ``romashka`` (phone on record), made once."""
    return build_ledger(tmp_path_factory.mktemp("romashka"), moscow_config_bytes, ROMASHKA)


@pytest.fixture(scope="session")
def one_session_ledger(tmp_path_factory: pytest.TempPathFactory, moscow_config_bytes: bytes) -> Path:
    """``romashka`` and session 1: 15 minutes of ``line`` three hours ago, made once."""
    return build_ledger(
        tmp_path_factory.mktemp("one-session"),
        moscow_config_bytes,
        ROMASHKA,
        ("session", "add", "romashka", "line", "--start", "-3h", "--duration", "15m"),
    )


@pytest.fixture
def romashka(moscow: Path, ledger_dir: Path, romashka_ledger: Path) -> str:
    """Moscow time and a client ``romashka`` with a phone on record; its code.

    The ledger is a copy of one ``kvsupport client add`` made once per test run.
    """
    install_ledger(romashka_ledger, ledger_dir)
    return "romashka"


@pytest.fixture
def one_session(moscow: Path, ledger_dir: Path, one_session_ledger: Path) -> int:
    """Moscow time, ``romashka`` and a stopped session (copied, see ``one_session_ledger``); its id."""
    install_ledger(one_session_ledger, ledger_dir)
    return 1


FAULTS = Path(__file__).resolve().parent / "faults"


@pytest.fixture
def enospc() -> EnvExtra:
    """``env_extra`` for a run on a full disk: every ``os.write`` to a file fails with
    ENOSPC (Python-level fault injection, see ``faults/sitecustomize.py``)."""
    return {"PYTHONPATH": str(FAULTS), "KVSUPPORT_TEST_FAULT": "enospc"}


# ---------------------------------------------------------------- money in (issue 15)


@pytest.fixture(scope="session")
def month_end_config(tmp_path_factory: pytest.TempPathFactory, moscow_config_bytes: bytes) -> bytes:
    """The supplier of :mod:`money_testkit`, set once."""
    where = tmp_path_factory.mktemp("money-config")
    build_ledger(where, moscow_config_bytes, *money_testkit.config_commands())
    return (where / "config.toml").read_bytes()


@pytest.fixture(scope="session")
def month_end_ledger(tmp_path_factory: pytest.TempPathFactory, month_end_config: bytes) -> Path:
    """Three clients, October and November invoiced: 2026-0001…0005 (made once)."""
    return build_ledger(tmp_path_factory.mktemp("money"), month_end_config, *money_testkit.MONTH_END)


@pytest.fixture
def month_end(
    isolated_files: Path, month_end_config: bytes, ledger_dir: Path, month_end_ledger: Path
) -> Path:
    """A copy of ``month_end_ledger`` as this test's ledger, with its config."""
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(month_end_config)
    install_ledger(month_end_ledger, ledger_dir)
    return config
