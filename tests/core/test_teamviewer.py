"""TeamViewer's two connection logs, read, and turned into proposed sessions.

The sample lines copy the exact shapes of the public samples: plaso's
``test_data/teamviewer/Connections.txt`` (fields padded with spaces to 32
columns, a leading empty line) and ``connections_incoming.txt`` (TAB-separated,
trailing TAB), and mentat-is/gulp's reconnect (40 s, a 7 s break, 10 min).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kvsupport.core.teamviewer import (
    Connection,
    decode_log,
    parse_connection_log,
    propose_sessions,
    read_connection_log,
)
from kvsupport.errors import InvalidValue

MOSCOW = ZoneInfo("Europe/Moscow")
GUIDS = [f"{{{n:08x}-7dc5-4bb9-8d54-ca80953f65f8}}" for n in range(1, 40)]


def outgoing_line(partner: str, start: str, end: str, guid: str, account: str = "IEUser") -> str:
    """A ``Connections.txt`` row exactly as plaso's sample pads it."""
    return "".join(f.ljust(32) for f in (partner, start, end, account, "RemoteControl")) + guid


def incoming_line(partner: str, name: str, start: str, end: str, guid: str, account: str = "mmox") -> str:
    """A ``Connections_incoming.txt`` row: seven TAB-separated fields and a trailing TAB."""
    return "\t".join((partner, name, start, end, account, "RemoteControl", guid)) + "\t"


def log(*lines: str, newline: str = "\r\n") -> str:
    return newline + newline.join(lines) + newline


def utc(day: int, month: int, year: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


PLASO_OUTGOING = (
    "\n1660360496                      20-02-2024 13:10:33             20-02-2024 13:11:52             "
    "IEUser                          RemoteControl                   {b35110b2-7dc5-4bb9-8d54-ca80953f65f8}"
)
PLASO_INCOMING = (
    "\n1660360496\tTestUserRedacted\t16-02-2024 14:16:32\t16-02-2024 14:18:36\tIEUser\tRemoteControl\t"
    "{b3a4df33-d027-44d5-b50f-4e61115494d4}\t"
)
GULP_INCOMING = (
    "565955529\ta1l4m\t04-07-2024 04:34:16\t04-07-2024 04:34:56\tmmox\tRemoteControl\t"
    "{6460e19e-cffe-46d9-9fa6-1803f93f15f4}\t\n"
    "565955529\ta1l4m\t04-07-2024 04:35:03\t04-07-2024 04:45:11\tmmox\tRemoteControl\t"
    "{0d0d8937-8f4a-4597-9348-3aea91681992}\t\n"
)


# ------------------------------------------------------------------ reading


def test_plaso_outgoing_sample_is_read_as_one_outgoing_row() -> None:
    parsed = parse_connection_log(PLASO_OUTGOING)
    assert parsed.kind == "outgoing"
    assert parsed.problems == ()
    assert parsed.connections == (
        Connection(
            line=2,
            partner_id="1660360496",
            display_name="",
            start=utc(20, 2, 2024, 13, 10, 33),
            end=utc(20, 2, 2024, 13, 11, 52),
            local_account="IEUser",
            connection_type="RemoteControl",
            guid="{b35110b2-7dc5-4bb9-8d54-ca80953f65f8}",
        ),
    )


def test_plaso_incoming_sample_is_read_with_its_display_name() -> None:
    parsed = parse_connection_log(PLASO_INCOMING)
    assert parsed.kind == "incoming"
    (row,) = parsed.connections
    assert (row.line, row.partner_id, row.display_name, row.local_account) == (
        2,
        "1660360496",
        "TestUserRedacted",
        "IEUser",
    )
    assert (row.start, row.end) == (utc(16, 2, 2024, 14, 16, 32), utc(16, 2, 2024, 14, 18, 36))
    assert row.seconds == 124


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("Бухгалтерия ТСЖ «Ромашка»", lambda t: t.encode("utf-8")),
        ("Бухгалтерия ТСЖ «Ромашка»", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
        ("Бухгалтерия ТСЖ «Ромашка»", lambda t: t.encode("cp1251")),
        ("Бухгалтерия ТСЖ «Ромашка»", lambda t: t.encode("utf-16")),
        ("James Moriarty", lambda t: t.encode("ascii")),
    ],
    ids=["utf-8", "utf-8 with BOM", "cp1251", "utf-16", "ascii with a space"],
)
def test_display_names_with_spaces_and_cyrillic_in_any_encoding(name: str, encode: object) -> None:
    text = log(incoming_line("123456789", name, "24-11-2026 07:15:00", "24-11-2026 08:05:10", GUIDS[0]))
    assert callable(encode)
    parsed = read_connection_log(encode(text))
    assert parsed.problems == ()
    assert [c.display_name for c in parsed.connections] == [name]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Ромашка".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "Ромашка".encode(), "utf-8"),
        ("Ромашка".encode("cp1251"), "cp1251"),
        ("Ромашка".encode("utf-16"), "utf-16"),
    ],
)
def test_decoding(data: bytes, encoding: str) -> None:
    assert decode_log(data) == ("Ромашка", encoding)


def test_stamps_are_read_in_the_given_zone() -> None:
    text = log(outgoing_line("123456789", "24-11-2026 10:15:00", "24-11-2026 11:20:00", GUIDS[0]))
    (in_utc,) = parse_connection_log(text).connections
    (in_moscow,) = parse_connection_log(text, tz=MOSCOW).connections
    assert in_utc.start == utc(24, 11, 2026, 10, 15)
    assert in_moscow.start == utc(24, 11, 2026, 7, 15)
    assert in_moscow.start.utcoffset() == timedelta(hours=3)


def test_outgoing_row_whose_account_holds_spaces() -> None:
    text = log(
        outgoing_line("123456789", "24-11-2026 10:15:00", "24-11-2026 11:20:00", GUIDS[0], "Иван Петров")
    )
    (row,) = parse_connection_log(text).connections
    assert (row.local_account, row.connection_type) == ("Иван Петров", "RemoteControl")


def test_outgoing_row_separated_by_tabs_is_outgoing() -> None:
    text = "123456789\t24-11-2026 10:15:00\t24-11-2026 11:20:00\tIEUser\tRemoteControl\t" + GUIDS[0]
    parsed = parse_connection_log(text)
    assert parsed.kind == "outgoing"
    assert [c.partner_id for c in parsed.connections] == ["123456789"]


def test_incoming_row_written_with_spaces_keeps_its_display_name() -> None:
    text = (
        "123456789  ТСЖ Ромашка  24-11-2026 10:15:00  24-11-2026 11:20:00  IEUser  RemoteControl  " + GUIDS[0]
    )
    parsed = parse_connection_log(text)
    assert parsed.kind == "incoming"
    assert parsed.connections[0].display_name == "ТСЖ Ромашка"


def test_guid_is_kept_in_lower_case_with_braces() -> None:
    text = log(outgoing_line("123456789", "24-11-2026 10:15:00", "24-11-2026 11:20:00", GUIDS[0].upper()))
    assert parse_connection_log(text).connections[0].guid == GUIDS[0]


GOOD = outgoing_line("123456789", "24-11-2026 10:15:00", "24-11-2026 11:20:00", GUIDS[0])


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ("garbage in the log", "line 3: not a connection row"),
        (GOOD.replace("24-11-2026 11:20:00", "31-11-2026 11:20:00"), "'31-11-2026 11:20:00' is not a time"),
        (GOOD.replace("24-11-2026 11:20:00", "24-11-2026 25:20:00"), "'24-11-2026 25:20:00' is not a time"),
        (
            GOOD.replace("24-11-2026 11:20:00", "24-11-2026 09:00:00"),
            "ends (24-11-2026 09:00:00) before it starts",
        ),
        ("1\t2\t3", "expected 7 TAB-separated fields (incoming log) or 6 (outgoing log), found 3"),
        (
            incoming_line("123456789", "ТСЖ", "24-11-2026 10:15:00", "24-11-2026 11:20:00", GUIDS[1]),
            "line 3: a row of an incoming log (with a display name) in an outgoing log",
        ),
        (
            "12345678x\t24-11-2026 10:15:00\t24-11-2026 11:20:00\tIEUser\tRemoteControl\t" + GUIDS[1],
            "partner ID '12345678x' is not a number",
        ),
        (
            "123456789\t24-11-2026 10:15:00\t24-11-2026 11:20:00\tIEUser\tRemoteControl\tnot-a-guid",
            "connection ID 'not-a-guid' is not a {GUID}",
        ),
    ],
)
def test_a_malformed_line_is_a_problem_naming_it_and_the_good_rows_stay(bad: str, problem: str) -> None:
    parsed = parse_connection_log(log(GOOD, bad, "", "   "))
    assert [c.line for c in parsed.connections] == [2]
    assert len(parsed.problems) == 1
    assert parsed.problems[0].line == 3
    assert problem in str(parsed.problems[0])


def test_a_file_that_is_no_connection_log_is_refused() -> None:
    with pytest.raises(InvalidValue, match="not a TeamViewer connection log: line 1: not a connection row"):
        parse_connection_log("[Settings]\nLogOutgoingConnections=1\n")


def test_an_empty_log_is_refused_clearly() -> None:
    with pytest.raises(InvalidValue, match="the TeamViewer connection log is empty"):
        read_connection_log(b"\r\n\r\n")


# ------------------------------------------------------------------ sessions


def connections(*rows: tuple[str, str, str], partner: str = "123456789") -> tuple[Connection, ...]:
    """Incoming rows of one partner from (start, end, name) triples, on 24-11-2026."""
    lines = [
        incoming_line(partner, name, f"24-11-2026 {start}", f"24-11-2026 {end}", GUIDS[i])
        for i, (start, end, name) in enumerate(rows)
    ]
    return parse_connection_log(log(*lines)).connections


def test_gulp_reconnect_is_one_session_with_two_segments() -> None:
    rows = parse_connection_log(GULP_INCOMING).connections
    proposal = propose_sessions(rows, minimum=timedelta(seconds=30))
    (session,) = proposal.sessions
    assert session.partner_id == "565955529"
    assert session.display_name == "a1l4m"
    assert [(s.start, s.end, s.ref, s.line) for s in session.segments] == [
        (utc(4, 7, 2024, 4, 34, 16), utc(4, 7, 2024, 4, 34, 56), "{6460e19e-cffe-46d9-9fa6-1803f93f15f4}", 1),
        (utc(4, 7, 2024, 4, 35, 3), utc(4, 7, 2024, 4, 45, 11), "{0d0d8937-8f4a-4597-9348-3aea91681992}", 2),
    ]
    assert session.worked_seconds == 40 + 608
    assert proposal.skipped == ()


def test_gulp_first_40_seconds_fall_under_the_default_minute() -> None:
    proposal = propose_sessions(parse_connection_log(GULP_INCOMING).connections)
    assert [[s.line for s in session.segments] for session in proposal.sessions] == [[2]]
    assert [s.connection.line for s in proposal.skipped] == [1]


@pytest.mark.parametrize(
    ("gap", "sessions"),
    [
        (timedelta(minutes=9, seconds=59), [2]),
        (timedelta(minutes=10), [2]),
        (timedelta(minutes=10, seconds=1), [1, 1]),
    ],
)
def test_merge_gap_is_inclusive(gap: timedelta, sessions: list[int]) -> None:
    second_start = (datetime(2026, 11, 24, 10, 30, tzinfo=UTC) + gap).strftime("%H:%M:%S")
    rows = connections(("10:00:00", "10:30:00", "ТСЖ"), (second_start, "12:00:00", "ТСЖ"))
    proposal = propose_sessions(rows)
    assert [len(s.segments) for s in proposal.sessions] == sessions


def test_merge_gap_can_be_set() -> None:
    rows = connections(("10:00:00", "10:30:00", "ТСЖ"), ("10:45:00", "11:00:00", "ТСЖ"))
    assert len(propose_sessions(rows).sessions) == 2
    assert len(propose_sessions(rows, merge_gap=timedelta(minutes=15)).sessions) == 1


@pytest.mark.parametrize(
    ("end", "kept"),
    [("10:00:59", False), ("10:01:00", True), ("10:05:00", True)],
)
def test_rows_shorter_than_the_minimum_are_skipped_and_reported(end: str, kept: bool) -> None:
    (row,) = connections(("10:00:00", end, "ТСЖ"))
    proposal = propose_sessions((row,))
    assert len(proposal.sessions) == int(kept)
    if not kept:
        assert proposal.skipped[0].connection == row
        assert proposal.skipped[0].reason == "shorter than the minimum of 1 min: taken as accidental"


def test_minimum_can_be_set_in_seconds() -> None:
    rows = connections(("10:00:00", "10:00:40", "ТСЖ"))
    assert propose_sessions(rows, minimum=timedelta(seconds=30)).skipped == ()
    (skip,) = propose_sessions(rows, minimum=timedelta(seconds=90)).skipped
    assert skip.reason == "shorter than the minimum of 90 s: taken as accidental"


def test_a_skipped_short_row_does_not_bridge_two_sessions() -> None:
    rows = connections(
        ("10:00:00", "10:30:00", "ТСЖ"), ("10:36:00", "10:36:20", "ТСЖ"), ("10:42:00", "11:00:00", "ТСЖ")
    )
    proposal = propose_sessions(rows)
    assert [len(s.segments) for s in proposal.sessions] == [1, 1]
    assert [s.connection.line for s in proposal.skipped] == [3]


def test_partners_are_kept_apart_and_sessions_come_in_order_of_start() -> None:
    text = log(
        incoming_line("222222222", "ЖСК Лесная", "24-11-2026 12:00:00", "24-11-2026 12:30:00", GUIDS[0]),
        incoming_line("111111111", "ТСЖ «Ромашка»", "24-11-2026 10:00:00", "24-11-2026 10:20:00", GUIDS[1]),
        incoming_line("222222222", "ЖСК Лесная", "24-11-2026 12:35:00", "24-11-2026 13:00:00", GUIDS[2]),
        incoming_line("111111111", "ТСЖ «Ромашка»", "24-11-2026 12:10:00", "24-11-2026 12:20:00", GUIDS[3]),
    )
    proposal = propose_sessions(parse_connection_log(text).connections)
    assert [(s.partner_id, s.display_name, len(s.segments)) for s in proposal.sessions] == [
        ("111111111", "ТСЖ «Ромашка»", 1),
        ("222222222", "ЖСК Лесная", 2),
        ("111111111", "ТСЖ «Ромашка»", 1),
    ]


def test_a_repeated_guid_is_skipped_naming_the_first_line() -> None:
    line = incoming_line("123456789", "ТСЖ", "24-11-2026 10:00:00", "24-11-2026 10:30:00", GUIDS[0])
    proposal = propose_sessions(parse_connection_log(log(line, line)).connections)
    assert len(proposal.sessions[0].segments) == 1
    assert [(s.connection.line, s.reason) for s in proposal.skipped] == [(3, "the same connection as line 2")]


def test_overlapping_rows_of_one_partner_are_not_counted_twice() -> None:
    rows = connections(
        ("10:00:00", "11:00:00", "ТСЖ"),  # remote control
        ("10:20:00", "10:40:00", "ТСЖ"),  # a file transfer inside it
        ("10:50:00", "11:30:00", "ТСЖ"),  # overlaps its end
    )
    proposal = propose_sessions(rows)
    (session,) = proposal.sessions
    assert [(s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in session.segments] == [
        ("10:00", "11:00"),
        ("11:00", "11:30"),
    ]
    assert session.worked_seconds == 90 * 60
    assert [(s.connection.line, s.reason) for s in proposal.skipped] == [
        (3, "inside the connection of line 2")
    ]


def test_outgoing_rows_make_sessions_without_a_display_name() -> None:
    text = log(
        outgoing_line("123456789", "24-11-2026 10:00:00", "24-11-2026 10:40:00", GUIDS[0]),
        outgoing_line("123456789", "24-11-2026 10:43:00", "24-11-2026 11:10:00", GUIDS[1]),
    )
    (session,) = propose_sessions(parse_connection_log(text).connections).sessions
    assert session.display_name == ""
    assert [s.ref for s in session.segments] == GUIDS[:2]
    assert (session.start, session.end) == (utc(24, 11, 2026, 10, 0), utc(24, 11, 2026, 11, 10))
