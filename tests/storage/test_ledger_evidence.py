"""What issue 14 added to the records: segments' refs, a session's source and evidence,
an order's consent and evidence, an invoice line's evidence, several TeamViewer IDs.

Each is kept through the codec, so it lives in every backend that keeps records whole
(the file ledger here); a record without them reads as before, and is written as before.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from ledger_testkit import ledger_path, msk

from kvsupport.core.models import (
    AttachmentEvidence,
    Client,
    Evidence,
    InvoiceLine,
    LetterEvidence,
    Order,
    Segment,
    Session,
)
from kvsupport.storage import codec
from kvsupport.storage.codec import ShapeError
from kvsupport.storage.jsonfiles.store import open_ledger

EVIDENCE = Evidence(
    LetterEvidence(
        sender="tsj@example.ru",
        sender_name="ТСЖ «Ромашка»",
        date=msk(2026, 11, 24, 10, 15),
        subject="Не считаются пени",
        message_id="<1@example.ru>",
        sha256="ab" * 32,
        file_name="письмо.eml",
    ),
    (AttachmentEvidence("база.zip", 12_400_000, "cd" * 32, "application/zip"),),
)
TV = Session(
    id=7,
    client="romashka",
    service="remote",
    segments=(
        Segment(msk(2026, 11, 24, 10), msk(2026, 11, 24, 10, 20), "{00000001-7dc5-4bb9-8d54-ca80953f65f8}"),
        Segment(
            msk(2026, 11, 24, 10, 25), msk(2026, 11, 24, 10, 50), "{00000002-7dc5-4bb9-8d54-ca80953f65f8}"
        ),
    ),
    backup_confirmed=True,
    consultant="kvtest",
    source="teamviewer",
)
BY_LETTER = Session(
    id=8,
    client="romashka",
    service="backup",
    segments=(Segment(msk(2026, 11, 25, 10), msk(2026, 11, 25, 11)),),
    problem="пени",
    consent="письмо от 24.11.2026, tsj@example.ru",
    evidence=EVIDENCE,
)


@pytest.mark.parametrize("session", [TV, BY_LETTER], ids=["teamviewer", "letter"])
def test_session_round_trips_through_the_codec(session: Session) -> None:
    assert codec.decode_session(codec.encode_session(session), "s") == session


def test_a_record_without_the_new_keys_is_written_as_before() -> None:
    plain = BY_LETTER._replace(evidence=None)
    record = codec.encode_session(plain)
    assert "evidence" not in record
    assert "source" not in record
    assert record["segments"] == [{"start": "2026-11-25T10:00:00+03:00", "end": "2026-11-25T11:00:00+03:00"}]


def test_order_and_invoice_line_keep_the_letter() -> None:
    order = Order(
        3, "romashka", "backup", msk(2026, 12, 1, 10), "пени", None, consent="письмо", evidence=EVIDENCE
    )
    assert codec.decode_order(codec.encode_order(order), "o") == order
    money = Decimal("1300.00")
    line = InvoiceLine(
        "session", 8, date(2026, 11, 25), "backup", 60, 60, money, money, "2017-01-01", "none",
        service="backup", segments=TV.segments, vat_amount=Decimal("0.00"), evidence=EVIDENCE,
    )  # fmt: skip
    assert codec.decode_line(codec.encode_line(line), "l") == line


def test_several_teamviewer_ids_and_the_one_string_of_old_records() -> None:
    client = Client("romashka", "ООО «Ромашка»", teamviewer_ids=("1660360496", "123456789"))
    record = codec.encode_client(client)
    assert record["teamviewer_ids"] == ["1660360496", "123456789"]
    assert codec.decode_client(record, "c") == client
    old = {"code": "romashka", "name": "ООО «Ромашка»", "teamviewer_id": "123 456 789"}
    assert codec.decode_client(old, "c").teamviewer_ids == ("123 456 789",)
    assert codec.decode_client(old, "c").teamviewer_id == "123 456 789"
    assert codec.decode_client({"code": "x", "name": "X"}, "c").teamviewer_ids == ()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda r: r["segments"][0].update(ref=5), "s.segments[0].ref"),
        (lambda r: r["evidence"]["letter"].pop("sha256"), "s.evidence.letter.sha256"),
        (lambda r: r["evidence"]["attachments"][0].update(size=-1), "s.evidence.attachments[0].size"),
        (lambda r: r["evidence"].update(attachments={}), "s.evidence.attachments"),
        (lambda r: r["evidence"]["letter"].update(date="24.11.2026"), "s.evidence.letter.date"),
    ],
)
def test_a_damaged_record_names_its_place(change: object, where: str) -> None:
    record = codec.encode_session(BY_LETTER._replace(segments=TV.segments))
    change(record)  # type: ignore[operator]
    with pytest.raises(ShapeError) as caught:
        codec.decode_session(record, "s")
    assert caught.value.where == where


def test_the_file_ledger_keeps_them() -> None:
    with open_ledger(ledger_path(), write=True) as ledger:
        ledger.put_client(Client("romashka", "ООО «Ромашка»", teamviewer_ids=("1660360496",)))
        for session in (TV, BY_LETTER):
            while ledger.new_session_id() < session.id:
                pass
            ledger.put_session(session)
    with open_ledger(ledger_path()) as ledger:
        assert ledger.session(7) == TV
        assert ledger.session(8) == BY_LETTER
        assert ledger.clients()["romashka"].teamviewer_ids == ("1660360496",)
        assert ledger.check() == []
