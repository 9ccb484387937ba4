"""How the PostgreSQL ledger fails: one clear error naming the server, nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

import psycopg
import pytest

import pgkit
from kvsupport.core.models import Client
from kvsupport.errors import InvalidValue, LedgerError
from kvsupport.storage import initialise, open_store
from kvsupport.storage.postgres import store as pg


def _clients(location: str) -> list[str]:
    with open_store(location) as s:
        return list(s.clients())


def test_a_server_that_is_not_there_is_one_error_naming_it() -> None:
    pgkit.server()  # the rest of the suite has a server; this one is made up
    location = "postgresql://postgres@127.0.0.1:1/kvtest?connect_timeout=2"
    with pytest.raises(LedgerError) as caught:
        _clients(location)
    assert caught.value.message.startswith("postgresql://postgres@127.0.0.1:1/kvtest")
    assert "cannot reach the ledger's server" in caught.value.message
    assert caught.value.hint is not None


def test_a_database_without_the_schema_says_to_run_ledger_init() -> None:
    with pgkit.fresh_ledger(init=False) as location:
        with pytest.raises(LedgerError, match="no kvsupport ledger in this database") as caught:
            _clients(location)
        assert "ledger init" in str(caught.value.hint)
        assert initialise(location) == ["0001_ledger.sql", "0002_journal.sql", "0003_payments.sql"]
        assert initialise(location) == []  # again: nothing to do
        assert _clients(location) == []


def test_a_password_in_the_address_is_refused_and_never_shown() -> None:
    with pytest.raises(InvalidValue) as caught:
        _clients("postgresql://kv:secret@db.example.ru/kvsupport")
    assert "secret" not in caught.value.message
    assert "~/.pgpass" in str(caught.value.hint)


@pytest.mark.parametrize(
    "query", ["password=Secr3t", "sslmode=disable&password=Secr3t", "password=Secr3t&options=-c%20x%3Dy"]
)
def test_a_password_in_the_query_is_refused_and_never_shown(query: str) -> None:
    """libpq takes ``?password=`` as well as ``user:password@``: both are refused, and no
    message shows it."""
    location = f"postgresql://kv@db.example.ru/kvsupport?{query}"
    with pytest.raises(InvalidValue) as caught:
        _clients(location)
    assert "Secr3t" not in caught.value.message
    assert "password" not in caught.value.message.split(": ", 1)[0]
    assert "~/.pgpass" in str(caught.value.hint)
    assert "Secr3t" not in pg.safe_location(location)
    assert pg.safe_location("postgresql://kv@db/k?passwordless=1") == "postgresql://kv@db/k?passwordless=1"


def test_a_newer_schema_is_refused_and_left_as_it_is() -> None:
    with pgkit.fresh_ledger() as location:
        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute("INSERT INTO kvsupport_schema (version, name, checksum) VALUES (99, 'future', 'x')")
        before = pgkit.dump(location)
        with pytest.raises(LedgerError, match="newer than this kvsupport knows") as caught:
            _clients(location)
        assert "upgrade kvsupport" in str(caught.value.hint)
        assert pgkit.dump(location) == before


def test_an_older_schema_gains_the_new_steps_on_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    with pgkit.fresh_ledger() as location:
        newer = pg.CURRENT_SCHEMA + 1
        step = (newer, f"{newer:04d}_test.sql", "ALTER TABLE clients ADD COLUMN note text;")
        steps = [*pg.migrations(), step]
        monkeypatch.setattr(pg, "migrations", lambda: steps)
        monkeypatch.setattr(pg, "CURRENT_SCHEMA", newer)
        assert _clients(location) == []  # upgraded on the way in
        with psycopg.connect(location, autocommit=True) as conn:
            rows = conn.execute("SELECT version, name FROM kvsupport_schema ORDER BY version").fetchall()
            columns = conn.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = 'clients'"
            ).fetchall()
        assert rows == [(v, name) for v, name, _ in steps]
        assert ("note",) in columns


def test_a_connection_lost_in_the_middle_of_a_change_stores_none_of_it() -> None:
    with pgkit.fresh_ledger() as location:

        def change_while_the_server_drops_us() -> None:
            with open_store(location, write=True) as s:
                s.put_client(Client(code="first", name="Первый"))
                conn: Any = getattr(s, "conn")  # noqa: B009 - the backend's own connection
                with psycopg.connect(location, autocommit=True) as killer:
                    killer.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
                s.put_client(Client(code="second", name="Второй"))

        with pytest.raises(LedgerError) as caught:
            change_while_the_server_drops_us()
        assert "the ledger's server failed" in caught.value.message
        assert "nothing was changed" in str(caught.value.hint)
        assert _clients(location) == []


@pytest.mark.process
def test_kill_9_of_a_command_in_the_middle_of_its_transaction_stores_none_of_it() -> None:
    with pgkit.fresh_ledger() as location:
        code = (
            "import sys, time\n"
            "from kvsupport.core.models import Client\n"
            "from kvsupport.storage import open_store\n"
            "with open_store(sys.argv[1], write=True) as s:\n"
            "    for i in range(1000):\n"
            "        s.put_client(Client(code=f'c{i}', name='X'))\n"
            "    print('written', flush=True)\n"
            "    time.sleep(60)\n"
        )
        with subprocess.Popen(
            [sys.executable, "-c", code, location], stdout=subprocess.PIPE, text=True
        ) as child:
            assert child.stdout is not None
            assert child.stdout.readline() == "written\n"
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=10)
        assert _clients(location) == []
        with open_store(location, write=True) as s:  # and the lock went with it
            s.put_client(Client(code="after", name="После"))
        assert _clients(location) == ["after"]
