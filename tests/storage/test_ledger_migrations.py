"""Old formats keep opening: a hand-written format-1 ledger, and the ordered migration runner."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ledger_testkit import FIXTURES, all_sessions, env, files, ledger_path, msk, snapshot

from kvsupport.core.models import Client, Order, Segment, Session
from kvsupport.ops import sessions as session_ops
from kvsupport.storage import codec
from kvsupport.storage.jsonfiles import migrations
from kvsupport.storage.jsonfiles.files import SHARED_LAYOUT, LedgerFiles
from kvsupport.storage.jsonfiles.store import open_ledger

V1 = FIXTURES / "ledger-v1"


def _install(fixture: Path) -> None:
    """Copy a fixture ledger to the test's ledger path (never open the fixture itself)."""
    shutil.copytree(fixture, ledger_path().parent)


def _json(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_bytes())
    return doc


def test_format_1_fixture_opens_and_reads_back() -> None:
    _install(V1)
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == []
        assert ledger.generation == 7
        clients = ledger.clients()
        assert list(clients) == ["romashka", "тсж-лесная"]
        assert clients["romashka"] == Client(
            code="romashka",
            name="ООО «Ромашка»",
            inn="7707083893",
            kpp="773601001",
            ogrn="1027700132195",
            address="г. Москва, ул. Цветочная, д. 1",
            phone="+74951234567",
            email="buh@romashka.example",
            teamviewer_ids=("123 456 789",),
            license_until=date(2025, 12, 31),
        )
        assert clients["тсж-лесная"] == Client(code="тсж-лесная", name="ТСЖ «Лесная»", fee_paid=True)

        sessions = all_sessions(ledger)
        assert [s.id for s in sessions] == [1, 2, 3, 4, 5]
        assert sessions[0].invoice == "2025-0001"
        assert sessions[0].consent == "письмо от 03.03.2025"
        assert sessions[1].segments == (
            Segment(msk(2025, 3, 5, 9), msk(2025, 3, 5, 9, 10)),
            Segment(msk(2025, 3, 5, 9, 25), msk(2025, 3, 5, 9, 40)),
        )
        assert sessions[1].note == "связь обрывалась"
        assert sessions[2].backup_confirmed
        assert sessions[2].allow_overlap
        assert sessions[3].order == 1
        running = ledger.running(None)
        assert running is not None
        assert (running.id, running.client) == (5, "тсж-лесная")
        assert running.segments[-1] == Segment(msk(2025, 4, 2, 11, 30))
        assert ledger.last_stopped_id(None) == 4
        assert ledger.session_months() == ["2025-03", "2025-04"]

        assert ledger.orders() == [
            Order(
                1,
                "romashka",
                "line",
                msk(2025, 4, 1, 15),
                problem="Не сходится сальдо",
                status="done",
                session=4,
            ),
            Order(2, "тсж-лесная", "backup", msk(2025, 4, 10, 10), phone="+74997654321"),
        ]
        (invoice,) = ledger.invoices()
        assert invoice.number == "2025-0001"
        assert invoice.total == Decimal("1300.00")
        assert invoice.client_code == "romashka"
        assert invoice.lines[0].session == 1
        assert invoice.lines[0].billable_minutes == 60


def _with_issue_13(invoice: dict[str, Any]) -> dict[str, Any]:
    """A stored invoice with the keys issues 13 and 15 added, as it encodes today: no act
    date or replaced invoice, each line's VAT (none here); no payments, never drafted."""
    lines = [line | {"vat_amount": "0.00"} for line in invoice["lines"]]
    issue_15: dict[str, Any] = {
        "payments": [],
        "drafted_at": None,
        "reminded_at": None,
    }  # paid ones: by hand, before
    return invoice | {"lines": lines, "act_date": None, "replaces": None} | issue_15


def test_format_1_fixture_is_in_the_shape_the_code_writes_today(tmp_path: Path) -> None:
    """Every record decodes and encodes back to the same JSON; the documents have today's keys."""
    manifest = _json(V1 / "ledger.json")
    # issue 13 added a client's kind, signatory and contract: a record without them is a company's;
    # issue 12 an archived flag and the codes a client had
    client_added: dict[str, object] = {
        "kind": "company",
        "signatory": None,
        "contract": None,
        "archived": False,
        "former_codes": [],
    }
    for code, row in manifest["clients"].items():
        # a client's one TeamViewer ID became a list of them: the old string reads as a list of one
        old_id = row.get("teamviewer_id")
        today = {k: v for k, v in row.items() if k != "teamviewer_id"} | {
            "teamviewer_ids": [old_id] if old_id else []
        }
        assert codec.encode_client(codec.decode_client(row, code)) == today | client_added
    for row in manifest["orders"]:
        assert codec.encode_order(codec.decode_order(row, "orders")) == row
    # format 3 added who worked a session: a record without it reads as nobody's
    added = {"consultant": None}
    running = manifest["running"]
    assert codec.encode_session(codec.decode_session(running, "running")) == running | added
    for entry in manifest["parts"].values():
        part = _json(V1 / "ledger.parts" / entry["file"])
        assert part["version"] == 1
        assert len(part["records"]) == entry["count"]
        for row in part["records"]:
            if part["kind"] == "sessions":
                assert codec.encode_session(codec.decode_session(row, entry["file"])) == row | added
            else:
                assert codec.encode_invoice(codec.decode_invoice(row, entry["file"])) == _with_issue_13(row)

    # what the code writes now has the same keys at every level
    fresh = tmp_path / "fresh" / "ledger.json"
    with open_ledger(fresh, write=True) as ledger:
        ledger.put_client(Client(code="romashka", name="ООО «Ромашка»"))
        ledger.put_session(
            Session(1, "romashka", "line", (Segment(msk(2025, 3, 3, 10), msk(2025, 3, 3, 11)),))
        )
    written = _json(fresh)
    assert list(written) == [*manifest, "journal"]  # format 4 added the journal of changes
    assert set(written["parts"]["sessions/2025-03"]) == set(manifest["parts"]["sessions/2025-03"])
    part = _json(LedgerFiles(fresh).parts / written["parts"]["sessions/2025-03"]["file"])
    assert list(part) == list(_json(V1 / "ledger.parts" / manifest["parts"]["sessions/2025-03"]["file"]))


def test_format_1_fixture_takes_new_changes() -> None:
    _install(V1)
    shared = files()._replace(layout=SHARED_LAYOUT)
    old_files = snapshot(shared.parts) | snapshot(shared.backups)
    old_parts = {p.name for p in shared.parts.iterdir()}
    outcome = session_ops.stop(env(), msk(2025, 4, 2, 11, 50))
    assert outcome.session.id == 5
    added = session_ops.add(
        env(), "romashka", "line", msk(2025, 4, 3, 9), msk(2025, 4, 3, 9, 30), session_ops.Details()
    )
    assert added.session.id == 6  # the counter carried on
    with open_ledger(ledger_path()) as ledger:
        assert ledger.check() == []
        assert [s.id for s in all_sessions(ledger)] == [1, 2, 3, 4, 5, 6]
        assert ledger.running(None) is None
        assert ledger.generation == 9
        assert list(ledger.clients()) == ["romashka", "тсж-лесная"]
    # format 2: the companions moved into a directory of the ledger's own; the old shared
    # ones are left exactly as they were (another ledger of the same stem may use them)
    assert old_parts <= {p.name for p in files().parts.iterdir()}  # backups still need them
    assert snapshot(shared.parts) | snapshot(shared.backups) == old_files
    assert _json(files().main)["version"] == migrations.CURRENT_VERSION
    assert files().home.is_dir()


def _step(label: str, trail: list[str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def step(doc: dict[str, Any]) -> dict[str, Any]:
        trail.append(f"{label} saw version {doc['version']}")
        doc["steps"] = [*doc.get("steps", []), label]
        return doc

    return step


def test_migrate_manifest_applies_registered_steps_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    trail: list[str] = []
    current = migrations.CURRENT_VERSION
    # registered out of order on purpose: the version, not the insertion order, decides
    monkeypatch.setitem(migrations.MANIFEST_STEPS, current + 1, _step("second", trail))
    monkeypatch.setitem(migrations.MANIFEST_STEPS, current, _step("first", trail))
    original = _json(V1 / "ledger.json")
    doc = json.loads(json.dumps(original))

    upgraded = migrations.migrate_manifest(doc, current=current + 2)

    assert trail == [f"first saw version {current}", f"second saw version {current + 1}"]
    assert upgraded["steps"] == ["first", "second"]
    assert upgraded["version"] == current + 2
    assert doc == original  # the caller's document is not changed in place
    # a document already at a later version runs only the steps after it
    trail.clear()
    partly = migrations.migrate_manifest({**original, "version": current + 1}, current=current + 2)
    assert trail == [f"second saw version {current + 1}"]
    assert partly["steps"] == ["second"]
    # up to date: nothing runs
    trail.clear()
    up_to_date = {**original, "version": current}
    assert migrations.migrate_manifest(dict(up_to_date)) == up_to_date
    assert trail == []
    # parts have their own registry: a manifest step is not a part step
    with pytest.raises(KeyError):
        migrations.migrate_part({"version": current}, current=current + 1)


def test_migrate_part_applies_its_own_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    trail: list[str] = []
    current = migrations.CURRENT_VERSION
    monkeypatch.setattr(migrations, "PART_STEPS", {current: _step("part", trail)})
    upgraded = migrations.migrate_part({"version": current, "records": []}, current=current + 1)
    assert upgraded == {"version": current + 1, "records": [], "steps": ["part"]}
    assert trail == [f"part saw version {current}"]


@pytest.mark.parametrize("version", [0, -1, None, "1"])
def test_migrate_refuses_an_unknown_version(version: object) -> None:
    with pytest.raises(ValueError, match="unknown format version"):
        migrations.migrate_manifest({"version": version})
