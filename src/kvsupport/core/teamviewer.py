"""TeamViewer's connection logs, read into connections, and connections into proposed sessions.

TeamViewer on Windows writes one line per finished connection into two files
(research notes §1; samples: plaso's ``test_data/teamviewer/``, mentat-is/gulp):

- the supporter's ``%AppData%\\TeamViewer\\Connections.txt`` (*outgoing*): six
  fields padded with spaces to 32 columns -- partner ID, start, end, local
  account, connection type, ``{GUID}``::

    1660360496                      20-02-2024 13:10:33             20-02-2024 13:11:52 ...

- the host's ``Connections_incoming.txt`` (*incoming*): seven TAB-separated
  fields and a trailing TAB -- partner ID, display name (spaces and Cyrillic
  allowed), start, end, local account, connection type, ``{GUID}``.

Stamps are ``DD-MM-YYYY HH:MM:SS``; public forensic parsers read them as UTC,
so the zone is a parameter defaulting to UTC. The kind of file is detected from
its lines (a row whose partner ID is followed directly by a stamp is outgoing);
bytes are read as UTF-8 (with or without a BOM), UTF-16 when a UTF-16 BOM says
so, else cp1251. Written by hand: plaso's word grammar would refuse display
names with spaces or Cyrillic, and every row must keep its line number.

A malformed line is a :class:`LineProblem` naming its line, never silently
dropped; empty lines are ignored. :func:`propose_sessions` then merges rows of
one partner separated by at most ``merge_gap`` into one session with several
segments (TeamViewer's own billing merges connections the same way), skips rows
shorter than ``minimum`` and reports them.

Pure: bytes or text in, values out; no files, no clock.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Literal, NamedTuple

from kvsupport.errors import InvalidValue
from kvsupport.i18n import _

__all__ = [
    "Connection",
    "ConnectionLog",
    "LineProblem",
    "Proposal",
    "ProposedSegment",
    "ProposedSession",
    "Skipped",
    "decode_log",
    "parse_connection_log",
    "propose_sessions",
    "read_connection_log",
    "teamviewer_ids",
]

LogKind = Literal["outgoing", "incoming"]

DEFAULT_MERGE_GAP = timedelta(minutes=10)
DEFAULT_MINIMUM = timedelta(minutes=1)

_STAMP = r"\d{1,2}-\d{1,2}-\d{4}\s+\d{1,2}:\d{2}:\d{2}"
_GUID = r"\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?"
# Space-padded rows. The account may hold spaces ("John Smith"), the connection
# type never does, so the account is whatever lies between the end stamp and the
# last two words. An incoming row written with spaces has a display name between
# the partner ID and the first stamp.
_OUTGOING = re.compile(rf"(\d+)\s+({_STAMP})\s+({_STAMP})\s+(?:(.*?)\s+)?(\S+)\s+({_GUID})")
_INCOMING = re.compile(rf"(\d+)\s+(.*?)\s+({_STAMP})\s+({_STAMP})\s+(?:(.*?)\s+)?(\S+)\s+({_GUID})")
_STAMP_PARTS = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})")
_ID = re.compile(r"\d+")
_TYPED_ID = re.compile(r"\d[\d ]*")
_GUID_ONLY = re.compile(_GUID)


class LineProblem(NamedTuple):
    """A line of the log that is not a connection row, and why."""

    line: int
    message: str

    def __str__(self) -> str:
        return _("line {line}: {message}").format(line=self.line, message=self.message)


class Connection(NamedTuple):
    """One row of a connection log: one connection, start to end."""

    line: int
    partner_id: str
    display_name: str  # "" in the outgoing log, which has none
    start: datetime
    end: datetime
    local_account: str
    connection_type: str  # RemoteControl, FileTransfer, ...
    guid: str  # lower case, with braces: "{b35110b2-7dc5-4bb9-8d54-ca80953f65f8}"

    @property
    def seconds(self) -> int:
        """How long the connection lasted, in whole seconds."""
        return int((self.end - self.start).total_seconds())


class ConnectionLog(NamedTuple):
    """What a connection log holds: its kind, its rows, and the lines that are not rows."""

    kind: LogKind
    encoding: str
    connections: tuple[Connection, ...]
    problems: tuple[LineProblem, ...]


class ProposedSegment(NamedTuple):
    """One connection as a segment of a proposed session; ``ref`` is its GUID."""

    start: datetime
    end: datetime
    ref: str
    line: int


class ProposedSession(NamedTuple):
    """Connections of one partner close enough together to be one session."""

    partner_id: str
    display_name: str
    segments: tuple[ProposedSegment, ...]

    @property
    def start(self) -> datetime:
        """When the first segment started."""
        return self.segments[0].start

    @property
    def end(self) -> datetime:
        """When the last segment ended."""
        return self.segments[-1].end

    @property
    def worked_seconds(self) -> int:
        """Time connected, breaks between segments left out."""
        return sum(int((s.end - s.start).total_seconds()) for s in self.segments)


class Skipped(NamedTuple):
    """A connection left out of the proposal, and why (a message for the user)."""

    connection: Connection
    reason: str


class Proposal(NamedTuple):
    """The sessions a log proposes, in order of start, and the rows left out."""

    sessions: tuple[ProposedSession, ...]
    skipped: tuple[Skipped, ...]


def decode_log(data: bytes) -> tuple[str, str]:
    """The text of a log and the encoding it was read with.

    A UTF-8 BOM or valid UTF-8 → ``utf-8``; a UTF-16 BOM → ``utf-16``; anything
    else → ``cp1251`` (Windows' ANSI code page for Russian), where a byte it does
    not define becomes U+FFFD rather than an error.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace"), "cp1251"


def read_connection_log(data: bytes, *, tz: tzinfo = UTC) -> ConnectionLog:
    """Decode (:func:`decode_log`) and parse (:func:`parse_connection_log`) a log file's bytes."""
    text, encoding = decode_log(data)
    return parse_connection_log(text, tz=tz, encoding=encoding)


def parse_connection_log(text: str, *, tz: tzinfo = UTC, encoding: str = "") -> ConnectionLog:
    """Every row of a ``Connections.txt`` or ``Connections_incoming.txt``, stamps read in ``tz``.

    The kind of log is the kind of its first row; a row of the other kind is a
    problem. Raises :class:`InvalidValue` when no line at all is a connection
    row (not a TeamViewer connection log, or an empty one).
    """
    kind: LogKind | None = None
    rows: list[Connection] = []
    problems: list[LineProblem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip(" \r\n\x00\ufeff")
        if not line.strip():
            continue
        parsed = _row(line, number, tz)
        if isinstance(parsed, LineProblem):
            problems.append(parsed)
            continue
        row_kind, row = parsed
        if kind is None:
            kind = row_kind
        if row_kind != kind:
            problems.append(LineProblem(number, _other_kind(row_kind)))
            continue
        rows.append(row)
    if kind is None:
        if problems:
            raise InvalidValue(
                _("not a TeamViewer connection log: {problem}").format(problem=problems[0]),
                hint=_("give Connections.txt or Connections_incoming.txt"),
            )
        raise InvalidValue(_("the TeamViewer connection log is empty"))
    return ConnectionLog(kind, encoding, tuple(rows), tuple(problems))


def _other_kind(row_kind: LogKind) -> str:
    if row_kind == "incoming":
        return _("a row of an incoming log (with a display name) in an outgoing log")
    return _("a row of an outgoing log (without a display name) in an incoming log")


def _row(line: str, number: int, tz: tzinfo) -> tuple[LogKind, Connection] | LineProblem:
    """One line as a connection, or the problem with it."""
    if "\t" in line:
        fields = [f.strip() for f in line.split("\t")]
        while fields and not fields[-1]:
            fields.pop()  # the trailing TAB
        if len(fields) == 7:
            kind: LogKind = "incoming"
            partner, name, start, end, account, ctype, guid = fields
        elif len(fields) == 6:
            kind = "outgoing"
            partner, start, end, account, ctype, guid = fields
            name = ""
        else:
            return LineProblem(
                number,
                _("expected 7 TAB-separated fields (incoming log) or 6 (outgoing log), found {n}").format(
                    n=len(fields)
                ),
            )
    elif match := _OUTGOING.fullmatch(line):
        kind = "outgoing"
        partner, start, end, account, ctype, guid = match.groups(default="")
        name = ""
    elif match := _INCOMING.fullmatch(line):
        kind = "incoming"
        partner, name, start, end, account, ctype, guid = match.groups(default="")
    else:
        return LineProblem(
            number,
            _("not a connection row (partner ID, start, end, account, type, {{GUID}}): '{text}'").format(
                text=_clip(line)
            ),
        )
    return _checked(kind, number, partner, name, start, end, account, ctype, guid, tz)


def _checked(
    kind: LogKind,
    number: int,
    partner: str,
    name: str,
    start_text: str,
    end_text: str,
    account: str,
    ctype: str,
    guid: str,
    tz: tzinfo,
) -> tuple[LogKind, Connection] | LineProblem:
    if not _ID.fullmatch(partner):
        return LineProblem(number, _("partner ID '{text}' is not a number").format(text=_clip(partner)))
    if not _GUID_ONLY.fullmatch(guid):
        return LineProblem(number, _("connection ID '{text}' is not a {{GUID}}").format(text=_clip(guid)))
    start = _stamp(start_text, tz)
    end = _stamp(end_text, tz)
    if start is None or end is None:
        text = start_text if start is None else end_text
        return LineProblem(number, _("'{text}' is not a time DD-MM-YYYY HH:MM:SS").format(text=_clip(text)))
    if end < start:
        return LineProblem(
            number,
            _("the connection ends ({end}) before it starts ({start})").format(
                end=end_text, start=start_text
            ),
        )
    ref = "{" + guid.strip("{}").lower() + "}"
    return kind, Connection(number, partner, name, start, end, account, ctype, ref)


def _stamp(text: str, tz: tzinfo) -> datetime | None:
    """``DD-MM-YYYY HH:MM:SS`` as a moment in ``tz``, or None when it is no real time."""
    match = _STAMP_PARTS.fullmatch(text.strip())
    if match is None:
        return None
    day, month, year, hour, minute, second = map(int, match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def propose_sessions(
    connections: Iterable[Connection],
    *,
    merge_gap: timedelta = DEFAULT_MERGE_GAP,
    minimum: timedelta = DEFAULT_MINIMUM,
) -> Proposal:
    """Group connections into proposed sessions, one partner at a time.

    - A connection shorter than ``minimum`` is skipped as accidental.
    - A connection whose GUID was already seen is skipped as a repeat.
    - Connections of one partner whose break is at most ``merge_gap`` are one
      session with a segment each (the minimum charge then applies once).
    - A connection overlapping the previous one of the same partner (a file
      transfer inside a remote-control connection) starts where that one ended;
      one lying wholly inside it is skipped.

    Sessions come in order of start; skipped rows in order of their lines.
    """
    seen: dict[str, int] = {}
    skipped: list[Skipped] = []
    by_partner: dict[str, list[Connection]] = {}
    for row in sorted(connections, key=lambda c: c.line):
        if row.guid in seen:
            reason = _("the same connection as line {line}").format(line=seen[row.guid])
            skipped.append(Skipped(row, reason))
            continue
        seen[row.guid] = row.line
        if row.end - row.start < minimum:
            reason = _("shorter than the minimum of {minimum}: taken as accidental").format(
                minimum=_span_text(minimum)
            )
            skipped.append(Skipped(row, reason))
            continue
        by_partner.setdefault(row.partner_id, []).append(row)

    sessions: list[ProposedSession] = []
    for partner, rows in by_partner.items():
        rows.sort(key=lambda c: (c.start, c.line))
        current: list[ProposedSegment] = []
        name = ""
        for row in rows:
            if current and row.start - current[-1].end > merge_gap:
                sessions.append(ProposedSession(partner, name, tuple(current)))
                current, name = [], ""
            if current and row.end <= current[-1].end:
                reason = _("inside the connection of line {line}").format(line=current[-1].line)
                skipped.append(Skipped(row, reason))
                continue
            start = max(row.start, current[-1].end) if current else row.start
            current.append(ProposedSegment(start, row.end, row.guid, row.line))
            name = name or row.display_name
        if current:
            sessions.append(ProposedSession(partner, name, tuple(current)))
    sessions.sort(key=lambda s: (s.start, s.partner_id))
    skipped.sort(key=lambda s: s.connection.line)
    return Proposal(tuple(sessions), tuple(skipped))


def _span_text(span: timedelta) -> str:
    """``1 min``, ``90 s``: a minimum as the user set it."""
    seconds = int(span.total_seconds())
    if seconds % 60 == 0:
        return _("{n} min").format(n=seconds // 60)
    return _("{n} s").format(n=seconds)


def teamviewer_ids(typed: Iterable[str]) -> tuple[str, ...]:
    """TeamViewer IDs as typed (each value may list several, comma-separated; spaces
    inside an ID, as TeamViewer shows it, ``1 660 360 496``, are dropped), as digits,
    each once, in the order given. ``()`` when every value is empty: the IDs are cleared.

    Raises :class:`InvalidValue` naming an ID that is not 8-11 digits (plaso's grammar
    of the partner ID).
    """
    found: list[str] = []
    for value in typed:
        for part in value.split(","):
            text = part.strip()
            if not text:
                continue
            digits = text.replace(" ", "")
            if not _TYPED_ID.fullmatch(text) or not 8 <= len(digits) <= 11:
                raise InvalidValue(
                    _("invalid TeamViewer ID '{text}': expected 8 to 11 digits").format(text=_clip(text)),
                    hint=_("give several as --teamviewer-id ID --teamviewer-id ID, or ID,ID"),
                )
            if digits not in found:
                found.append(digits)
    return tuple(found)
