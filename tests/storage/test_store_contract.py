"""What every ledger backend promises (``kvsupport.storage.api.Store``), on both.

Each test runs on a file ledger and on a PostgreSQL ledger (a fresh schema of a
real server: ``tests/pgkit.py``); the PostgreSQL half skips without a server
locally and fails under CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from ledger_testkit import all_sessions, msk, session

import pgkit
from kvsupport.core.billing import build_invoice
from kvsupport.core.models import Client, InvoiceLine, Order, Segment, Session
from kvsupport.errors import LedgerError, NotFound, Refused
from kvsupport.storage import is_database, open_store
from kvsupport.storage.api import Counters, Store


@pytest.fixture(params=["file", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty ledger of each backend."""
    if request.param == "file":
        yield str(tmp_path / "contract" / "ledger.json")
        return
    with pgkit.fresh_ledger() as url:
        yield url


def _invoice(number: str, session_id: int, client: str = "romashka", period: str = "2025-03") -> object:
    line = InvoiceLine(
        kind="session",
        session=session_id,
        date=date(2025, 3, 3),
        title="Дистанционная техподдержка",
        minutes=61,
        billable_minutes=61,
        rate=Decimal("1300.00"),
        amount=Decimal("1321.67"),
        tariff="2017-01-01",
        vat="none",
        service="backup",
        segments=(Segment(msk(2025, 3, 3, 10), msk(2025, 3, 3, 11, 1)),),
    )
    return build_invoice(
        number=number,
        issued_on=date(2025, 3, 31),
        period=period,
        client={"code": client, "name": "ООО «Ромашка»"},
        supplier={"name": "ООО «Бонус»"},
        lines=(line,),
        words="Одна тысяча триста двадцать один рубль 67 копеек",
    )


def _open(store: Store, client: str, consultant: str) -> Session:
    """A new running session of ``consultant``, started 2025-05-01 09:00."""
    return session(store.new_session_id(), client, msk(2025, 5, 1, 9), None)._replace(consultant=consultant)


def _seed(location: str) -> None:
    with open_store(location, write=True) as s:
        s.put_client(Client(code="romashka", name="ООО «Ромашка»", phone="+74951234567"))
        s.put_client(Client(code="лесная", name="ТСЖ «Лесная»"))
        for client, start in (("romashka", msk(2025, 3, 3, 10)), ("лесная", msk(2025, 3, 4, 11))):
            s.put_session(session(s.new_session_id(), client, start)._replace(consultant="ivan"))
        s.put_session(session(s.new_session_id(), "romashka", msk(2025, 4, 1, 9))._replace(consultant="olga"))


def test_a_new_ledger_is_empty_and_counts_nothing(location: str) -> None:
    with open_store(location) as s:
        assert s.is_empty()
        assert s.clients() == {}
        assert all_sessions(s) == []
        assert s.orders() == []
        assert s.invoice_summaries() == []
        assert s.counts() == (0, 0, 0, 0)
        assert s.check() == []


def test_clients_keep_the_order_they_were_added_in_and_change_in_place(location: str) -> None:
    _seed(location)
    with open_store(location, write=True) as s:
        s.put_client(s.client("romashka")._replace(name="ООО «Ромашка-2»"))
    with open_store(location) as s:
        assert list(s.clients()) == ["romashka", "лесная"]
        assert s.client("romashka").name == "ООО «Ромашка-2»"
        with pytest.raises(NotFound, match="unknown client 'nope'"):
            s.client("nope")


def test_sessions_by_time_range_and_by_id(location: str) -> None:
    _seed(location)
    with open_store(location) as s:
        assert [x.id for x in s.sessions_between(msk(2025, 3, 1), msk(2025, 4, 1))] == [1, 2]
        assert [x.id for x in s.sessions_between(msk(2025, 4, 1), msk(2025, 5, 1))] == [3]
        assert s.session(2).client == "лесная"
        assert s.session(2).started_at == msk(2025, 3, 4, 11)
        assert s.session(2).started_at.utcoffset() == msk(2025, 3, 4).utcoffset()  # the offset typed
        touching = {x.id for x in s.sessions_touching(msk(2025, 3, 3, 10, 15), msk(2025, 3, 3, 10, 20))}
        assert 1 in touching
        assert 3 not in touching
        with pytest.raises(NotFound, match="no session 9"):
            s.session(9)


def test_one_running_session_per_consultant_and_each_ones_last_stopped(location: str) -> None:
    _seed(location)
    with open_store(location, write=True) as s:
        s.put_session(_open(s, "romashka", "ivan"))
        s.put_session(_open(s, "лесная", "olga"))
    with open_store(location) as s:
        ivan, olga = s.running("ivan"), s.running("olga")
        assert ivan is not None
        assert olga is not None
        assert (ivan.id, olga.id) == (4, 5)
        assert s.running("petr") is None
        assert [x.id for x in s.sessions_touching(msk(2025, 6, 1), None)] == [4, 5]  # open-ended
    with open_store(location, write=True) as s:
        running = s.running("ivan")
        assert running is not None
        stopped = running._replace(segments=(Segment(running.started_at, msk(2025, 5, 1, 10)),))
        s.put_session(stopped)
    with open_store(location) as s:
        assert s.running("ivan") is None
        assert s.last_stopped_id("ivan") == 4
        assert s.last_stopped_id("olga") is None
        assert s.session(4).ended_at == msk(2025, 5, 1, 10)


def test_a_second_running_session_of_one_consultant_is_refused(location: str) -> None:
    _seed(location)
    with open_store(location, write=True) as s:
        s.put_session(_open(s, "romashka", "ivan"))
    with pytest.raises(LedgerError, match="running"), open_store(location, write=True) as s:
        s.put_session(_open(s, "лесная", "ivan"))
    with open_store(location) as s:
        assert s.counts().sessions == 4  # the refused change left nothing, its id was not used either
        assert s.counters().session == 4


def test_delete_and_a_failed_unit_of_work_changes_nothing(location: str) -> None:
    _seed(location)

    def change_then_fail() -> None:
        with open_store(location, write=True) as s:
            s.delete_session(1)
            s.put_client(Client(code="x", name="X"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        change_then_fail()
    with open_store(location) as s:
        assert [x.id for x in all_sessions(s)] == [1, 2, 3]
        assert "x" not in s.clients()
    with open_store(location, write=True) as s:
        s.delete_session(1)
    with open_store(location) as s:
        assert [x.id for x in all_sessions(s)] == [2, 3]


def test_orders_by_number(location: str) -> None:
    _seed(location)
    with open_store(location, write=True) as s:
        first = Order(s.new_order_id(), "romashka", "remote", msk(2025, 6, 1, 10))
        s.put_order(first)
        s.put_order(Order(s.new_order_id(), "лесная", "remote", msk(2025, 6, 2, 10)))
        s.put_order(first._replace(status="cancelled"))
    with open_store(location) as s:
        assert [(o.id, o.status) for o in s.orders()] == [(1, "cancelled"), (2, "open")]


def test_invoices_are_unique_frozen_and_listed_by_their_figures(location: str) -> None:
    _seed(location)
    with open_store(location, write=True) as s:
        s.add_invoice(_invoice("2025-0001", 1))  # type: ignore[arg-type]
        s.put_session(s.session(1)._replace(invoice="2025-0001"))
    with pytest.raises(LedgerError, match="taken"), open_store(location, write=True) as s:
        s.add_invoice(_invoice("2025-0001", 2))  # type: ignore[arg-type]
    with open_store(location, write=True) as s:
        stored = s.invoice("2025-0001")
        with pytest.raises(LedgerError, match="total"):
            s.put_invoice(stored._replace(total=Decimal("1.00")))
        s.put_invoice(stored._replace(status="paid", paid_on=date(2025, 4, 2)))
    with open_store(location) as s:
        (row,) = s.invoice_summaries()
        assert (row.number, row.status, row.total, row.paid_on) == (
            "2025-0001",
            "paid",
            Decimal("1321.67"),
            date(2025, 4, 2),
        )
        assert s.invoice_summaries(statuses=["issued"]) == []
        assert s.invoice_summaries(client="лесная") == []
        assert s.has_invoice("2025-0001")
        assert not s.has_invoice("2025-0002")
        assert [[i.number for i in batch] for batch in s.invoice_batches(["2025-0001"])] == [["2025-0001"]]
        assert s.invoices(["2025-03"])[0].lines[0].amount == Decimal("1321.67")
        with pytest.raises(NotFound):
            s.invoice("2025-0002")


def test_numbers_are_gapless_and_a_rolled_back_unit_gives_its_number_back(location: str) -> None:
    with open_store(location, write=True) as s:
        assert [s.next_invoice_seq(2025) for _ in range(3)] == [1, 2, 3]
        assert s.next_invoice_seq(2026) == 1

    def take_then_fail() -> None:
        with open_store(location, write=True) as s:
            assert s.next_invoice_seq(2025) == 4
            raise RuntimeError("the issue failed")

    with pytest.raises(RuntimeError):
        take_then_fail()
    with open_store(location, write=True) as s:
        assert s.next_invoice_seq(2025) == 4


def test_counters_carry_over_and_a_clean_ledger_checks_clean(location: str, tmp_path: Path) -> None:
    _seed(location)
    with open_store(location) as s:
        assert s.check() == []
        assert s.counts() == (2, 3, 0, 0)
        counters = s.counters()
        assert (counters.session, counters.order) == (3, 0)
    wanted = Counters(40, 7, {2025: 12, 0: 3}, {"ivan": 2})
    with open_store(location, write=True) as s:
        s.set_counters(wanted)
    with open_store(location) as s:
        assert s.counters() == wanted
        assert s.last_stopped_id("ivan") == 2
        assert not s.is_empty()


def _everything(store: Store) -> tuple[object, ...]:
    return (
        list(store.clients().values()),
        store.orders(),
        all_sessions(store),
        [
            inv
            for batch in store.invoice_batches(r.number for r in store.invoice_summaries())
            for inv in batch
        ],
        store.counters(),
    )


def test_a_ledger_copied_to_the_other_backend_and_back_is_the_same(location: str, tmp_path: Path) -> None:
    from kvsupport.ops import ledger as ledger_ops
    from kvsupport.ops.env import Env

    _seed(location)
    with open_store(location, write=True) as s:
        s.add_invoice(_invoice("2025-0001", 1))  # type: ignore[arg-type]
        s.put_session(s.session(1)._replace(invoice="2025-0001"))
        s.put_order(Order(s.new_order_id(), "romashka", "remote", msk(2025, 6, 1, 10)))
        s.put_session(_open(s, "лесная", "olga"))
    with open_store(location) as s:
        before = _everything(s)
    with ExitStack() as stack:
        database = [stack.enter_context(pgkit.fresh_ledger()) for _ in range(2)]
        files = [str(tmp_path / name / "ledger.json") for name in ("there", "back")]
        there, back = (files[0], database[1]) if is_database(location) else (database[0], files[1])
        assert ledger_ops.copy(Env(), location, there) == (2, 4, 1, 1)
        with pytest.raises(Refused, match="not empty"):
            ledger_ops.copy(Env(), location, there)
        assert ledger_ops.copy(Env(), there, back) == (2, 4, 1, 1)
        for copy in (there, back):
            with open_store(copy) as s:
                assert _everything(s) == before, copy
                assert s.check() == []


# -- issue 12: client codes -------------------------------------------------------


def _seed_renaming(location: str) -> None:
    with open_store(location, write=True) as store:
        store.put_client(Client(code="first", name="First"))
        store.put_client(Client(code="romashka", name="Ромашка"))
        store.put_client(Client(code="last", name="Last"))
        store.put_session(session(store.new_session_id(), "romashka", msk(2025, 3, 3, 10)))
        store.put_session(session(store.new_session_id(), "last", msk(2025, 3, 4, 10)))
        order = Order(id=store.new_order_id(), client="romashka", service="remote", at=msk(2025, 4, 1, 10))
        store.put_order(order)


def test_rename_client_keeps_the_place_and_the_caller_moves_the_records(location: str) -> None:
    _seed_renaming(location)
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


def test_a_rename_client_that_fails_changes_nothing(location: str) -> None:
    _seed_renaming(location)
    with pytest.raises(NotFound), open_store(location, write=True) as store:
        store.rename_client("nobody", Client(code="x", name="X"))
    with open_store(location) as store:
        assert list(store.clients()) == ["first", "romashka", "last"]


def test_a_client_is_found_whatever_the_case_of_its_code(location: str) -> None:
    _seed_renaming(location)
    with open_store(location) as store:
        assert store.client("Romashka").code == "romashka"
        with pytest.raises(NotFound) as refused:
            store.client("romashko")
        assert refused.value.hint == "did you mean romashka? (all: kvsupport client list)"
