"""A real PostgreSQL server for the tests: one fresh schema per test.

``KVSUPPORT_TEST_PG`` names a database the tests may create schemas in (a libpq
URL such as ``postgresql://postgres@/kvtest?host=/tmp/pg&port=54329``); ``.ci/run``
starts a server and sets it. Without it the PostgreSQL tests skip — unless
``KVSUPPORT_TEST_PG_REQUIRED`` is set (CI sets it): then a missing server fails
them, so a green CI run always ran them.

Each test's ledger is a schema of its own, named in the URL's ``search_path``:
kvsupport creates its tables there with ``ledger init`` and the schema is dropped
afterwards. The whole database is never touched.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest

SERVER = "KVSUPPORT_TEST_PG"
REQUIRED = "KVSUPPORT_TEST_PG_REQUIRED"


def server() -> str:
    """The server's URL, or skip (fail under CI) when there is none."""
    url = os.environ.get(SERVER, "").strip()
    if not url:
        if os.environ.get(REQUIRED):
            pytest.fail(f"{REQUIRED} is set but {SERVER} names no PostgreSQL server")
        pytest.skip(f"no PostgreSQL server for the tests ({SERVER} is not set)")
    return url


def with_schema(url: str, schema: str) -> str:
    """``url`` with ``search_path`` set to ``schema`` (libpq's ``options``)."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-c search_path={schema}')}"


def _connect(url: str) -> Any:
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get(REQUIRED):
            pytest.fail(f"the PostgreSQL server of {SERVER} is not reachable: {exc}")
        pytest.skip(f"the PostgreSQL server of {SERVER} is not reachable")


@contextmanager
def fresh_ledger(init: bool = True) -> Iterator[str]:
    """A ledger location in a new, empty schema (with kvsupport's tables when ``init``);
    the schema is dropped afterwards."""
    url = server()
    schema = f"kvt_{secrets.token_hex(6)}"
    with _connect(url) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    location = with_schema(url, schema)
    try:
        if init:
            from kvsupport.storage.postgres.store import initialised

            with initialised(location):
                pass
        yield location
    finally:
        with _connect(url) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def dump(location: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a test ledger's schema, in a stable order: what
    "nothing changed in the database" compares."""
    with _connect(location) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                "ORDER BY table_name"
            ).fetchall()
        ]
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in tables:
            if table == "kvsupport_schema":
                continue
            rows = conn.execute(f"SELECT * FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
