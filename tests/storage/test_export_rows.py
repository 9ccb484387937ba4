"""``export`` takes its rows from the stored records: the same rows as decoding them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from kvsupport.core.models import Segment, Session
from kvsupport.core.records import export_rows
from kvsupport.storage import codec

MSK = timezone(timedelta(hours=3))
NY = timezone(timedelta(hours=-5))


def _session(**changes: Any) -> Session:
    base = Session(
        id=7,
        client="тсж-лесная",
        service="remote",
        segments=(
            Segment(datetime(2026, 11, 3, 10, 0, tzinfo=MSK), datetime(2026, 11, 3, 10, 40, tzinfo=MSK)),
            Segment(datetime(2026, 11, 3, 11, 0, tzinfo=MSK), datetime(2026, 11, 3, 11, 5, tzinfo=MSK)),
        ),
        problem="не сходится сальдо",
        phone="+74951234567",
        consent="письмо от 02.11.2026",
        backup_confirmed=True,
        note="=1+2",
        allow_overlap=False,
        consultant="anna",
    )
    return base._replace(**changes)


CASES = [
    _session(),
    _session(problem=None, phone=None, consent=None, note=None, consultant=None, backup_confirmed=False),
    _session(
        segments=(Segment(datetime(2026, 3, 8, 1, 30, tzinfo=NY), datetime(2026, 3, 8, 3, 30, tzinfo=NY)),)
    ),
    _session(segments=(Segment(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)),)),
    _session(
        segments=(
            Segment(datetime(2026, 1, 1, 9, 0, 0, 500, tzinfo=MSK), datetime(2026, 1, 1, 10, tzinfo=MSK)),
        )
    ),
    _session(allow_overlap=True, order=3, invoice="2026-0001"),
]


@pytest.mark.parametrize("session", CASES)
def test_rows_from_the_record_are_the_decoded_sessions_rows(session: Session) -> None:
    record = codec.encode_session(session)
    started, sid, rows = codec.session_export_rows(record, "sessions-2026-11.json: records[0]")
    assert rows == export_rows(codec.decode_session(record, "here"))
    assert [list(row) for row in rows] == [list(row) for row in export_rows(session)]  # the JSON key order
    assert (started, sid) == (session.started_at.timestamp(), session.id)


def test_a_time_not_as_kvsupport_writes_it_is_exported_as_decoded() -> None:
    record = codec.encode_session(_session())
    record["segments"][0]["start"] = "2026-11-03T07:00:00Z"  # edited by hand: the same instant
    _started, _sid, rows = codec.session_export_rows(record, "here")
    assert rows[0]["start"] == "2026-11-03T07:00:00+00:00"


def test_a_bad_record_is_refused_as_the_decoder_refuses_it() -> None:
    record = codec.encode_session(_session())
    record["segments"][1]["end"] = "2026-11-03T10:59:00+03:00"  # ends before it starts
    with pytest.raises(codec.ShapeError) as refused:
        codec.session_export_rows(record, "sessions-2026-11.json: records[4]")
    assert str(refused.value).startswith("sessions-2026-11.json: records[4].segments[1].end")
