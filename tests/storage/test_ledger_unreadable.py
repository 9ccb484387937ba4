"""A ledger that cannot be read is reported precisely and never overwritten; a missing one is empty."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ledger_testkit import all_sessions, env, files, kvsupport_cli, ledger_path, msk, seed_ledger, snapshot

from kvsupport.core.billing import build_invoice
from kvsupport.core.models import Invoice
from kvsupport.errors import LedgerError
from kvsupport.ops import clients as client_ops
from kvsupport.ops import sessions as session_ops
from kvsupport.storage.jsonfiles.files import LedgerFiles
from kvsupport.storage.jsonfiles.store import open_ledger


def _manifest(ledger_files: LedgerFiles) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(ledger_files.main.read_bytes())
    return doc


def _write_manifest(ledger_files: LedgerFiles, doc: object) -> None:
    ledger_files.main.write_text(json.dumps(doc, ensure_ascii=False, indent=2), "utf-8")


def _march_part(ledger_files: LedgerFiles) -> Path:
    name: str = _manifest(ledger_files)["parts"]["sessions/2025-03"]["file"]
    return ledger_files.parts / name


def _edit(change: Callable[[dict[str, Any]], None]) -> Callable[[LedgerFiles], Path]:
    def breaker(ledger_files: LedgerFiles) -> Path:
        doc = _manifest(ledger_files)
        change(doc)
        _write_manifest(ledger_files, doc)
        return ledger_files.main

    return breaker


def _raw(data: Callable[[bytes], bytes]) -> Callable[[LedgerFiles], Path]:
    def breaker(ledger_files: LedgerFiles) -> Path:
        ledger_files.main.write_bytes(data(ledger_files.main.read_bytes()))
        return ledger_files.main

    return breaker


def _array(ledger_files: LedgerFiles) -> Path:
    _write_manifest(ledger_files, [1, 2])
    return ledger_files.main


def _corrupt_part(ledger_files: LedgerFiles) -> Path:
    part = _march_part(ledger_files)
    raw = part.read_bytes()
    part.write_bytes(raw[: len(raw) * 2 // 3])
    return part


def _remove_part(ledger_files: LedgerFiles) -> Path:
    part = _march_part(ledger_files)
    part.unlink()
    return part


def _bad_part_record(ledger_files: LedgerFiles) -> Path:
    part = _march_part(ledger_files)
    doc = json.loads(part.read_bytes())
    doc["records"][1]["segments"][0]["start"] = "вчера"
    part.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return part


def _part_edit(change: Callable[[dict[str, Any]], None]) -> Callable[[LedgerFiles], Path]:
    def breaker(ledger_files: LedgerFiles) -> Path:
        part = _march_part(ledger_files)
        doc = json.loads(part.read_bytes())
        change(doc)
        part.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
        return part

    return breaker


def _drop_version(doc: dict[str, Any]) -> None:
    del doc["version"]


def _open_stored_segment(doc: dict[str, Any]) -> None:
    doc["records"][1]["segments"][0]["end"] = None


def _remove_manifest(ledger_files: LedgerFiles) -> Path:
    ledger_files.main.unlink()
    return ledger_files.main


def _set(key: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc[key] = value

    return change


def _drop_format(doc: dict[str, Any]) -> None:
    del doc["format"]


def _bad_client(doc: dict[str, Any]) -> None:
    doc["clients"]["romashka"]["license_until"] = "31.12.2026"


def _bad_running(doc: dict[str, Any]) -> None:
    doc["running"] = {
        "": {
            "id": 9,
            "client": "romashka",
            "service": "line",
            "segments": [{"start": "2025-05-01T10:00:00", "end": None}],  # no UTC offset
        }
    }


def _invoice(number: str) -> Invoice:
    return build_invoice(
        number=number,
        issued_on=date(2025, 3, 31),
        period="2025-03",
        client={"code": "romashka", "name": "ООО «Ромашка»"},
        supplier={"name": "ИП Иванов"},
        lines=(),
        words="Ноль рублей 00 копеек",
    )


def _add_client() -> None:
    client_ops.add(env(), "новый", client_ops.ClientFields(name="ООО «Новый»"))


def _add_march_session() -> None:
    start = msk(2025, 3, 20, 10)
    session_ops.add(env(), "romashka", "line", start, msk(2025, 3, 20, 11), session_ops.Details())


def _edit_session_2() -> None:
    session_ops.edit(env(), 2, session_ops.Changes(note="перезвонить"))


def _stop() -> None:
    session_ops.stop(env(), msk(2025, 5, 1, 11))


@dataclass(frozen=True)
class Case:
    breaker: Callable[[LedgerFiles], Path]  # breaks the ledger; returns the file to blame
    operation: Callable[[], None]  # a write that must refuse
    words: str  # in the message
    hint: str = "ledger backups"
    json_position: bool = False  # the message gives line and column


CASES = {
    "empty": Case(_raw(lambda raw: b""), _add_client, "empty"),
    "blank": Case(_raw(lambda raw: b"  \n\n"), _add_client, "empty"),
    "truncated": Case(
        _raw(lambda raw: raw[: len(raw) // 2]), _add_client, "invalid JSON", json_position=True
    ),
    "invalid": Case(
        _raw(lambda raw: raw.replace(b'"generation": ', b'"generation" ', 1)),
        _add_client,
        "invalid JSON",
        json_position=True,
    ),
    "not-utf8": Case(_raw(lambda raw: raw.replace("Ромашка".encode(), b"\xff\xfe", 1)), _add_client, "UTF-8"),
    "array": Case(_array, _add_client, "not a kvsupport ledger"),
    "no-format": Case(_edit(_drop_format), _add_client, "not a kvsupport ledger"),
    "other-format": Case(_edit(_set("format", "watson-frames")), _add_client, "not a kvsupport ledger"),
    "newer": Case(_edit(_set("version", 99)), _add_client, "newer", hint="upgrade"),
    "version-text": Case(_edit(_set("version", "1")), _add_client, "version"),
    "version-zero": Case(_edit(_set("version", 0)), _add_client, "version"),
    "clients-wrong-shape": Case(_edit(_set("clients", [])), _add_client, "clients"),
    "parts-wrong-shape": Case(_edit(_set("parts", {"sessions/2025-03": "x"})), _add_client, "parts"),
    "retired-wrong-shape": Case(_edit(_set("retired", ["orphan.json"])), _add_client, "retired[0]"),
    "bad-client": Case(_edit(_bad_client), _add_client, "clients.romashka.license_until"),
    "bad-running": Case(_edit(_bad_running), _stop, "segments[0].start"),
    "running-wrong-shape": Case(_edit(_set("running", {"id": 9})), _stop, "running.id"),
    "corrupt-part": Case(_corrupt_part, _add_march_session, "invalid JSON", json_position=True),
    "missing-part": Case(_remove_part, _add_march_session, "cannot read part"),
    "bad-part-record": Case(_bad_part_record, _add_march_session, "records[1].segments[0].start"),
    "bad-part-record-edit": Case(_bad_part_record, _edit_session_2, "records[1].segments[0].start"),
    "open-segment-in-part": Case(_part_edit(_open_stored_segment), _add_march_session, "malformed"),
    "part-without-version": Case(_part_edit(_drop_version), _add_march_session, "version"),
    "part-newer": Case(_part_edit(_set("version", 99)), _add_march_session, "version"),
    "part-wrong-shape": Case(_part_edit(_set("records", {})), _add_march_session, "records"),
    "manifest-missing-parts-exist": Case(_remove_manifest, _add_client, "missing"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_unreadable_ledger_is_refused_and_left_untouched(case: Case) -> None:
    ledger_files = seed_ledger()
    blamed = case.breaker(ledger_files)
    broken = blamed.read_bytes() if blamed.exists() else None
    before = snapshot(ledger_files.main.parent)

    with pytest.raises(LedgerError) as caught:
        case.operation()

    error = caught.value
    assert str(blamed) in error.message
    assert case.words in error.message
    assert error.hint is not None
    assert case.hint in error.hint
    if case.json_position and broken is not None:
        with pytest.raises(json.JSONDecodeError) as decode:
            json.loads(broken)
        assert f"line {decode.value.lineno}, column {decode.value.colno}" in error.message
    assert snapshot(ledger_files.main.parent) == before


def test_a_malformed_invoice_is_reported_in_its_file() -> None:
    seed_ledger()
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.add_invoice(_invoice("2025-0001"))
        ledger.add_invoice(_invoice("2025-0002"))
    ledger_files = files()
    index = _manifest(ledger_files)["parts"]
    part = ledger_files.parts / index["invoices/2025-03"]["file"]
    doc = json.loads(part.read_bytes())
    doc["records"][1]["total"] = "много"
    part.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    with open_ledger(ledger_path()) as ledger:
        assert ledger.invoice("2025-0001").number == "2025-0001"
        with pytest.raises(LedgerError) as caught:
            ledger.invoice("2025-0002")
        assert caught.value.message.startswith(f"{part}: records[1].total: not an amount")
        with pytest.raises(LedgerError) as listed:
            ledger.invoices()
        assert listed.value.message == caught.value.message


@pytest.mark.process
def test_cli_refuses_a_broken_ledger_with_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken" / "ledger.json"
    broken.parent.mkdir()
    broken.write_bytes(b'{"format": "kvsupport-ledger", "version": 1, "clients": {')
    monkeypatch.setenv("KVSUPPORT_LEDGER", str(broken))
    before = snapshot(broken.parent)

    result = kvsupport_cli("client", "add", "x", "--name", "X")

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {broken}: invalid JSON at line 1, column ")
    assert "Traceback" not in result.stderr
    assert "\nhint: " in result.stderr
    assert "backups" in result.stderr
    # the lock file may be created beside it; the ledger itself is not touched
    after = snapshot(broken.parent)
    after.pop("ledger.json.d/lock", None)
    assert after == before


def test_missing_ledger_is_a_new_empty_ledger(tmp_path: Path) -> None:
    with open_ledger(ledger_path()) as ledger:
        assert ledger.clients() == {}
        assert all_sessions(ledger) == []
        assert ledger.orders() == []
        assert ledger.invoices() == []
        assert ledger.running(None) is None
        assert ledger.generation == 0
        assert ledger.check() == []
    assert not ledger_path().parent.exists()  # reading created nothing

    client_ops.add(env(), "romashka", client_ops.ClientFields(name="ООО «Ромашка»"))
    with open_ledger(ledger_path()) as ledger:
        assert list(ledger.clients()) == ["romashka"]
        assert ledger.generation == 1


@pytest.mark.process
def test_session_status_on_a_missing_ledger_creates_nothing(tmp_path: Path) -> None:
    assert not ledger_path().parent.exists()
    before = sorted(str(p) for p in tmp_path.rglob("*"))

    status = session_ops.status(env())
    assert status.running is None
    assert status.next_order is None
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before

    result = kvsupport_cli("session", "status")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
    assert not files().main.parent.exists()
