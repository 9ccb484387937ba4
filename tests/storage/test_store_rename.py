"""``Store.rename_client`` on both backends: the client keeps its place, its records follow.

The PostgreSQL half runs against the server named by ``KVSUPPORT_TEST_POSTGRES``
(libpq keywords, default: the development server ``host=/tmp/pgdev port=54329
user=postgres``) in a database of its own, and is skipped when none answers.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from ledger_testkit import msk, session

from kvsupport.core.models import Client, Order
from kvsupport.errors import NotFound
from kvsupport.storage import open_store

SERVER = os.environ.get("KVSUPPORT_TEST_POSTGRES", "host=/tmp/pgdev port=54329 user=postgres")


def _database() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.Error:
        pytest.skip(f"no PostgreSQL server at {SERVER!r}")
    name = f"kvtest_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        params = dict(part.split("=", 1) for part in SERVER.split())
        user, host, port = params.get("user", "postgres"), params["host"], params["port"]
        location = f"postgresql://{user}@/{name}?host={host}&port={port}"
        from kvsupport.storage.postgres.store import initialised

        with initialised(location):
            pass
        yield location
    finally:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["files", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty ledger of each backend."""
    if request.param == "files":
        yield str(tmp_path / "ledger" / "ledger.json")
    else:
        yield from _database()


def _seed(location: str) -> None:
    with open_store(location, write=True) as store:
        store.put_client(Client(code="first", name="First"))
        store.put_client(Client(code="romashka", name="Ромашка"))
        store.put_client(Client(code="last", name="Last"))
        store.put_session(session(store.new_session_id(), "romashka", msk(2025, 3, 3, 10)))
        store.put_session(session(store.new_session_id(), "last", msk(2025, 3, 4, 10)))
        order = Order(id=store.new_order_id(), client="romashka", service="remote", at=msk(2025, 4, 1, 10))
        store.put_order(order)


def test_rename_keeps_the_place_and_the_caller_moves_the_records(location: str) -> None:
    _seed(location)
    with open_store(location, write=True) as store:
        renamed = store.client("romashka")._replace(code="romashka-spb", former_codes=("romashka",))
        store.rename_client("romashka", renamed)
        for s in [s for batch in store.session_batches() for s in batch if s.client == "romashka"]:
            store.put_session(s._replace(client="romashka-spb"))
    with open_store(location) as store:
        assert list(store.clients()) == ["first", "romashka-spb", "last"]
        assert store.client("ROMASHKA-SPB").former_codes == ("romashka",)
        assert [s.client for s in store.sessions_between(msk(2025, 3, 1), msk(2025, 4, 1))] == [
            "romashka-spb",
            "last",
        ]
        with pytest.raises(NotFound):
            store.client("romashka")
        assert store.check() == ["order 1: unknown client 'romashka'"]  # orders are the caller's too


def test_a_rename_that_fails_changes_nothing(location: str) -> None:
    _seed(location)
    with pytest.raises(NotFound), open_store(location, write=True) as store:
        store.rename_client("nobody", Client(code="x", name="X"))
    with open_store(location) as store:
        assert list(store.clients()) == ["first", "romashka", "last"]


def test_a_client_is_found_whatever_the_case_of_its_code(location: str) -> None:
    _seed(location)
    with open_store(location) as store:
        assert store.client("Romashka").code == "romashka"
        with pytest.raises(NotFound) as refused:
            store.client("romashko")
        assert refused.value.hint == "did you mean romashka? (all: kvsupport client list)"
