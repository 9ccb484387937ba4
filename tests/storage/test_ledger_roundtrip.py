"""Round trips through the ledger: what is saved reads back equal, in the right files."""

from __future__ import annotations

import json
from datetime import UTC, date, timedelta, timezone
from decimal import Decimal

import pytest
from ledger_testkit import (
    all_sessions,
    env,
    files,
    ledger_path,
    listing,
    msk,
    part_files,
    seed_ledger,
    session,
)

from kvsupport.core.billing import build_invoice
from kvsupport.core.models import Client, Invoice, InvoiceLine, Order, Segment, Session
from kvsupport.errors import LedgerError
from kvsupport.ops import sessions as session_ops
from kvsupport.storage import codec
from kvsupport.storage.jsonfiles.store import open_ledger, read_snapshot


def _invoice(number: str, period: str, issued: date) -> Invoice:
    seg = Segment(msk(2025, 3, 4, 10), msk(2025, 3, 4, 10, 45))
    lines = (
        InvoiceLine(
            kind="session",
            session=1,
            date=date(2025, 3, 4),
            title="Дистанционная техподдержка: прямое подключение к компьютеру",
            minutes=45,
            billable_minutes=60,
            rate=Decimal("1300.00"),
            amount=Decimal("1300"),
            tariff="2017-01-01",
            vat="20",
            service="remote",
            segments=(seg,),
        ),
        InvoiceLine(
            kind="fee",
            session=None,
            date=date(2025, 3, 4),
            title="Подключение к системе дистанционного обслуживания",
            minutes=0,
            billable_minutes=0,
            rate=Decimal("4000.00"),
            amount=Decimal("4000.00"),
            tariff="2017-01-01",
            vat="20",
            fee_key="remote-connection",
        ),
    )
    return build_invoice(
        number=number,
        issued_on=issued,
        period=period,
        client={"code": "тсж-лесная", "name": "ТСЖ «Лесная»", "inn": "7707083893"},
        supplier={"name": "ИП Иванов И. И.", "bik": "044525225", "account": "40702810900000000001"},
        lines=lines,
        words="Пять тысяч триста рублей 00 копеек",
    )


def test_clients_round_trip() -> None:
    saved = [
        Client(
            code="тсж-лесная",
            name="ТСЖ «Лесная», д. 5",
            inn="7707083893",
            kpp="773601001",
            ogrn="1027700132195",
            address='г. Москва, ул. Лесная, д. 5, кв. "7"',
            phone="+74951234567",
            email="lesnaya@example.ru",
            teamviewer_ids=("123 456 789",),
            license_until=date(2026, 12, 31),
            fee_paid=False,
            fees_charged={"remote-connection": "2025-0001"},
        ),
        Client(code="romashka", name="ООО «Ромашка»", fee_paid=True),
        Client(code="c_2", name="\\ backslash\nnewline\ttab"),
    ]
    with open_ledger(ledger_path(), write=True) as ledger:
        for client in saved:
            ledger.put_client(client)
    with open_ledger(ledger_path()) as ledger:
        back = ledger.clients()
    assert list(back) == ["тсж-лесная", "romashka", "c_2"]  # the order they were added in
    assert list(back.values()) == saved
    # the manifest is UTF-8 text a person can read, not \u escapes
    assert "ТСЖ «Лесная»" in ledger_path().read_text("utf-8")


def test_sessions_round_trip_multi_segment_running_and_cyrillic() -> None:
    other_offset = timezone(timedelta(hours=5))
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_client(Client(code="тсж-лесная", name="ТСЖ «Лесная»"))
        stored = Session(
            id=ledger.new_session_id(),
            client="тсж-лесная",
            service="backup",
            segments=(
                Segment(msk(2025, 3, 4, 10), msk(2025, 3, 4, 10, 20)),
                Segment(msk(2025, 3, 4, 10, 30).astimezone(other_offset), msk(2025, 3, 4, 11, 5)),
            ),
            problem="Не открывается база «Квартплата»",
            phone="+74951234567",
            consent="письмо от 03.03.2025",
            backup_confirmed=True,
            order=7,
            note="связь обрывалась",
            invoice="2025-0001",
            allow_overlap=True,
        )
        ledger.put_session(stored)
        running = Session(
            id=ledger.new_session_id(),
            client="тсж-лесная",
            service="line",
            segments=(Segment(msk(2025, 3, 5, 9), msk(2025, 3, 5, 9, 10)), Segment(msk(2025, 3, 5, 9, 15))),
        )
        ledger.put_session(running)
    with open_ledger(ledger_path()) as ledger:
        assert ledger.session(stored.id) == stored
        assert ledger.running(None) == running
        assert all_sessions(ledger) == [stored, running]
        back = ledger.session(stored.id)
    # equal datetimes may differ in offset: the stored text must keep each one
    assert codec.encode_session(back) == codec.encode_session(stored)
    assert back.segments[1].start.utcoffset() == timedelta(hours=5)


def test_orders_round_trip() -> None:
    with open_ledger(ledger_path(), write=True) as ledger:
        first = Order(ledger.new_order_id(), "romashka", "remote", msk(2025, 3, 5, 10), problem="Не печатает")
        second = Order(
            ledger.new_order_id(), "тсж-лесная", "backup", msk(2025, 3, 6, 15), phone="+7 495", status="done"
        )
        ledger.put_order(second)
        ledger.put_order(first)
    with open_ledger(ledger_path(), write=True) as ledger:
        assert ledger.orders() == [first, second]
        cancelled = first._replace(status="cancelled", session=3)
        ledger.put_order(cancelled)
    with open_ledger(ledger_path()) as ledger:
        assert ledger.orders() == [cancelled, second]
        assert ledger.new_order_id() == 3  # ids are never reused


def test_invoices_round_trip() -> None:
    march = _invoice("2025-0001", "2025-03", date(2025, 3, 31))
    april = _invoice("2025-0002", "2025-04", date(2025, 4, 30))
    assert march.vat_mode == "included"
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.add_invoice(april)
        ledger.add_invoice(march)
        assert ledger.next_invoice_seq(2025) == 1
    with open_ledger(ledger_path(), write=True) as ledger:
        assert ledger.invoices() == [march, april]
        assert ledger.invoice("2025-0002") == april
        assert ledger.invoices(["2025-04"]) == [april]
        assert ledger.next_invoice_seq(2025) == 2
        ledger.put_invoice(march._replace(status="paid", paid_on=date(2025, 4, 2)))
    with open_ledger(ledger_path()) as ledger:
        back = ledger.invoice("2025-0001")
    assert back == march._replace(status="paid", paid_on=date(2025, 4, 2))
    assert codec.encode_invoice(back)["total"] == "5300.00"
    assert codec.encode_invoice(back)["lines"] == codec.encode_invoice(march)["lines"]
    assert {n.split(".")[0] for n in part_files(files())} >= {"invoices-2025-03", "invoices-2025-04"}


def test_sessions_of_many_months_land_in_separate_parts() -> None:
    months = [(2024 + (m // 12), m % 12 + 1) for m in range(14)]  # 2024-01 .. 2025-02
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_client(Client(code="romashka", name="ООО «Ромашка»"))
        for year, month in months:
            for day in (2, 15):
                ledger.put_session(session(ledger.new_session_id(), "romashka", msk(year, month, day, 10)))
    names = sorted(part_files(files()))
    assert [n.split(".")[0] for n in names] == [f"sessions-{y:04d}-{m:02d}" for y, m in months]
    for name, (year, month) in zip(names, months, strict=True):
        doc = json.loads((files().parts / name).read_bytes())
        assert doc["month"] == f"{year:04d}-{month:02d}"
        assert [r["segments"][0]["start"][:7] for r in doc["records"]] == [doc["month"]] * 2
    with open_ledger(ledger_path()) as ledger:
        assert ledger.session_months() == [f"{y:04d}-{m:02d}" for y, m in months]
        assert [s.id for s in all_sessions(ledger)] == list(range(1, 29))
        assert [s.id for s in ledger.sessions_between(msk(2024, 5, 1), msk(2024, 6, 1))] == [9, 10]


def test_session_start_rewrites_only_the_manifest_and_stop_adds_one_part() -> None:
    ledger_files = seed_ledger()
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_session(session(ledger.new_session_id(), "romashka", msk(2025, 5, 6, 12)))
    parts_before = {p.name: p.stat().st_mtime_ns for p in ledger_files.parts.iterdir()}
    manifest_before = ledger_files.main.read_bytes()
    backups_before = listing(ledger_files.backups)

    # March, April and May hold sessions; a running one is open-ended, so it starts after them
    started = session_ops.start(env(), "romashka", "line", msk(2025, 5, 20, 14), session_ops.Details())
    assert started.session.is_running

    assert {p.name: p.stat().st_mtime_ns for p in ledger_files.parts.iterdir()} == parts_before
    assert ledger_files.main.read_bytes() != manifest_before
    assert len(listing(ledger_files.backups) - backups_before) == 1

    stopped = session_ops.stop(env(), msk(2025, 5, 20, 14, 40))
    after = {p.name for p in ledger_files.parts.iterdir()}
    added = after - set(parts_before)
    assert set(parts_before) <= after  # the old May part is kept: a backup refers to it
    assert len(added) == 1
    (name,) = added
    assert name.startswith("sessions-2025-05.")
    doc = json.loads((ledger_files.parts / name).read_bytes())
    assert [r["id"] for r in doc["records"]] == [4, stopped.session.id]
    with open_ledger(ledger_path()) as ledger:
        assert ledger.running(None) is None
        assert ledger.session(stopped.session.id) == stopped.session
        assert ledger.check() == []


def test_a_session_moved_to_another_month_is_stored_once_in_its_new_part() -> None:
    ledger_files = seed_ledger()  # sessions 1, 2 in March; 3 in April
    edited = session_ops.edit(
        env(), 2, session_ops.Changes(start=msk(2025, 2, 27, 23), end=msk(2025, 2, 28, 0, 30))
    )
    assert edited.session.started_at == msk(2025, 2, 27, 23)
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == []
        assert ledger.session_months() == ["2025-02", "2025-03", "2025-04"]
        assert [s.id for s in ledger.sessions_between(msk(2025, 2, 1), msk(2025, 3, 1))] == [2]
        assert [s.id for s in ledger.sessions_between(msk(2025, 3, 1), msk(2025, 4, 1))] == [1]
        assert ledger.session(2) == edited.session
    index = json.loads(ledger_files.main.read_bytes())["parts"]
    assert (index["sessions/2025-03"]["min_id"], index["sessions/2025-03"]["max_id"]) == (1, 1)


def test_deleting_the_last_session_of_a_month_drops_its_part_from_the_index() -> None:
    ledger_files = seed_ledger()
    april = json.loads(ledger_files.main.read_bytes())["parts"]["sessions/2025-04"]["file"]
    session_ops.delete(env(), 3)
    with open_ledger(ledger_path()) as ledger:
        assert ledger.session_months() == ["2025-03"]
        assert [s.id for s in all_sessions(ledger)] == [1, 2]
        assert ledger.check() == []
    manifest = json.loads(ledger_files.main.read_bytes())
    assert "sessions/2025-04" not in manifest["parts"]
    assert (ledger_files.parts / april).exists()  # the backup before the delete still needs it
    assert [april, manifest["generation"]] in manifest["retired"]


def test_the_invoice_index_follows_every_change_and_lists_without_reading_invoices() -> None:
    march = _invoice("2025-0001", "2025-03", date(2025, 3, 31))
    april = _invoice("2025-0002", "2025-04", date(2025, 4, 30))
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.add_invoice(april)
        ledger.add_invoice(march)
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_invoice(march._replace(status="paid", paid_on=date(2025, 4, 2)))
    manifest = json.loads(files().main.read_bytes())
    index_file = files().parts / manifest["parts"]["index/invoices"]["file"]
    rows = {r["number"]: r for r in json.loads(index_file.read_bytes())["records"]}
    assert rows["2025-0001"] == {
        "number": "2025-0001",
        "date": "2025-03-31",
        "period": "2025-03",
        "status": "paid",
        "total": "5300.00",
        "vat": {"mode": "included", "amount": "883.34"},  # 216.67 + 666.67: VAT per line (issue 13)
        "paid_on": "2025-04-02",
        "void_reason": None,
        "due_on": None,
        "client_code": "тсж-лесная",
        "client_name": "ТСЖ «Лесная»",
        "balance": "0.00",  # marked paid without a payment (as before issue 15): nothing left
        "last_payment_on": "2025-04-02",
    }
    assert rows["2025-0002"]["status"] == "issued"
    # Listing reads the index only: the invoice files may even be unreadable.
    for key in ("invoices/2025-03", "invoices/2025-04"):
        (files().parts / manifest["parts"][key]["file"]).write_text("{broken", "utf-8")
    with open_ledger(ledger_path()) as ledger:
        assert [r.number for r in ledger.invoice_summaries()] == ["2025-0001", "2025-0002"]
        assert [r.number for r in ledger.invoice_summaries(statuses=["issued"])] == ["2025-0002"]
        assert ledger.invoice_summaries(client="romashka") == []


def test_an_invoice_index_out_of_date_is_built_again_and_one_edited_by_hand_is_a_problem() -> None:
    march = _invoice("2025-0001", "2025-03", date(2025, 3, 31))
    with open_ledger(ledger_path(), write=True) as ledger:  # as issuing stores it: session, fee, invoice
        ledger.add_invoice(march)
        ledger.put_client(
            Client(code="тсж-лесная", name="ТСЖ «Лесная»", fees_charged={"remote-connection": "2025-0001"})
        )
        billed = session(ledger.new_session_id(), "тсж-лесная", msk(2025, 3, 4, 10), 45, "remote")
        ledger.put_session(billed._replace(invoice="2025-0001"))

    # A writer that changes an invoice without the index (an older kvsupport, another
    # backend): the index's checksum of invoice files no longer matches, so it is rebuilt.
    manifest = json.loads(files().main.read_bytes())
    part_file = files().parts / manifest["parts"]["invoices/2025-03"]["file"]
    doc = json.loads(part_file.read_bytes())
    doc["records"][0]["status"] = "paid"
    renamed = part_file.with_name("invoices-2025-03.g99-abcdef.json")
    renamed.write_text(json.dumps(doc), "utf-8")
    manifest["parts"]["invoices/2025-03"]["file"] = renamed.name
    files().main.write_text(json.dumps(manifest), "utf-8")
    with open_ledger(ledger_path()) as ledger:
        assert [r.status for r in ledger.invoice_summaries()] == ["paid"]
        assert ledger.check() == []
    with open_ledger(ledger_path(), write=True) as ledger:  # the next change stores the new index
        voided = _invoice("2025-0002", "2025-04", date(2025, 4, 30))._replace(status="void")
        ledger.add_invoice(voided._replace(void_reason="a test"))
    manifest = json.loads(files().main.read_bytes())
    assert manifest["parts"]["index/invoices"]["count"] == 2

    # An index file that disagrees while its checksum matches was edited: a problem.
    index_file = files().parts / manifest["parts"]["index/invoices"]["file"]
    index_doc = json.loads(index_file.read_bytes())
    index_doc["records"][0]["total"] = "1.00"
    index_file.write_text(json.dumps(index_doc), "utf-8")
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == [f"{index_file}: invoice 2025-0001: out of step with invoices/2025-03"]

    # An index file that cannot be read is built again: it is derived data.
    index_file.write_text("{broken", "utf-8")
    with open_ledger(ledger_path()) as ledger:
        assert [r.number for r in ledger.invoice_summaries()] == ["2025-0001", "2025-0002"]
        assert ledger.invoice("2025-0002").number == "2025-0002"


def test_an_index_of_an_older_kvsupport_is_stored_again_by_any_change() -> None:
    """After an upgrade the index's rows are of an older shape: the first change of any
    kind (here a client's) stores it rebuilt, so reports stop rebuilding it on every run."""
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.add_invoice(_invoice("2025-0001", "2025-03", date(2025, 3, 31)))
    manifest = json.loads(files().main.read_bytes())
    manifest["parts"]["index/invoices"]["rows"] = 1  # as an older kvsupport wrote it
    files().main.write_text(json.dumps(manifest), "utf-8")
    old_file = manifest["parts"]["index/invoices"]["file"]

    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_client(Client(code="romashka", name="ТСЖ «Ромашка»"))
    entry = json.loads(files().main.read_bytes())["parts"]["index/invoices"]
    assert entry["file"] != old_file
    assert entry["count"] == 1
    with open_ledger(ledger_path()) as ledger:
        assert [r.number for r in ledger.invoice_summaries()] == ["2025-0001"]


def test_a_local_month_holds_exactly_the_sessions_that_start_in_it_whatever_their_offset() -> None:
    utc, plus5 = UTC, timezone(timedelta(hours=5))
    starts = {
        1: msk(2025, 3, 31, 23, 30),  # March in Moscow
        2: msk(2025, 4, 1, 0, 10),  # April
        3: msk(2025, 4, 1, 0, 30).astimezone(utc),  # written "2025-03-31T21:30+00:00": April in Moscow
        4: msk(2025, 3, 31, 23, 0).astimezone(plus5),  # written "2025-04-01T01:00+05:00": March
        5: msk(2025, 2, 28, 23, 59),  # February
        6: msk(2025, 5, 1, 0, 0),  # May, at its first instant
    }
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_client(Client(code="romashka", name="ООО «Ромашка»"))
        for sid, start in starts.items():
            ledger.put_session(session(sid, "romashka", start, minutes=5))
        ledger.put_session(session(7, "romashka", msk(2025, 4, 30, 23, 59), minutes=None))  # running
    with open_ledger(ledger_path()) as ledger:
        months = {m: [s.id for s in session_ops.select(env(), ledger, month=(2025, m))] for m in (2, 3, 4, 5)}
    assert months == {2: [5], 3: [4, 1], 4: [2, 3, 7], 5: [6]}


def test_a_snapshot_is_read_unlocked_and_sees_one_state() -> None:
    seed_ledger()  # sessions 1, 2 in March, 3 in April
    snapshot = read_snapshot(ledger_path())
    # the lock is free: a writer goes ahead at once (else this waits 30 s and fails)
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_session(session(ledger.new_session_id(), "romashka", msk(2025, 3, 10, 9)))
        ledger.delete_session(3)
    assert [s.id for s in all_sessions(snapshot)] == [1, 2, 3]
    with open_ledger(ledger_path()) as ledger:
        assert [s.id for s in all_sessions(ledger)] == [1, 2, 4]


def test_a_snapshot_whose_part_was_swept_says_to_run_again() -> None:
    seed_ledger()
    snapshot = read_snapshot(ledger_path())
    for part in files().parts.iterdir():  # as if KEEP_BACKUPS changes swept them meanwhile
        part.unlink()
    with pytest.raises(LedgerError) as caught:
        all_sessions(snapshot)
    assert caught.value.message.endswith("changed a great deal while it was being read")
    assert caught.value.hint == "run the command again"
