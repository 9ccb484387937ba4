"""Import and export of sessions as CSV or JSON (SPEC §5), all or nothing.

One row per segment: ``id`` (joins the segments of one session), ``client``,
``service``, ``start``, ``end`` or ``duration``, and optionally ``problem``,
``phone``, ``consent``, ``backup_confirmed`` (yes/no), ``note``. Rows are
validated with pydantic; every row is checked (shape, client, tariff, SPEC §6
requirements, overlaps) before anything is stored, and every problem is
reported with its line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from kvsupport.core.billing import local_date
from kvsupport.core.clientcodes import find_code
from kvsupport.core.models import Segment, Session
from kvsupport.core.records import EXPORT_COLUMNS, export_rows
from kvsupport.core.rules import missing_requirements, overlaps_among, segments_in_order
from kvsupport.core.spreadsheet import from_formula_safe
from kvsupport.core.text import control_character
from kvsupport.errors import InvalidValue, KvsupportError, Problems
from kvsupport.i18n import N_, _, ngettext
from kvsupport.ops.env import Env
from kvsupport.ops.sessions import month_bounds, requirement_names
from kvsupport.storage.api import Store

COLUMNS = EXPORT_COLUMNS
MAX_REPORTED = 50
T = TypeVar("T")


class Row(BaseModel):
    """One imported row, as typed in the file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    id: str | None = None
    client: str
    service: str
    start: str
    end: str | None = None
    duration: str | None = None
    problem: str | None = None
    phone: str | None = None
    consent: str | None = None
    backup_confirmed: bool = False
    note: str | None = None
    allow_overlap: bool = False
    consultant: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("client", "service", "start", "end", "duration", "phone", "consent", "id")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        return _typed(value, multiline=False)

    @field_validator("problem", "note", mode="before")
    @classmethod
    def _lines(cls, value: object) -> object:
        # Excel and Windows end the lines inside a cell with CRLF: kept as newlines
        return _typed(value.replace("\r\n", "\n"), multiline=True) if isinstance(value, str) else value

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        # JSON export writes the id as a number; CSV gives text: both join segments.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("backup_confirmed", "allow_overlap", mode="before")
    @classmethod
    def _yes_no(cls, value: object) -> object:
        # Runs before ``_blank_is_none`` (pydantic applies "before" validators last-defined
        # first), so an empty CSV cell arrives here as "".
        if value is None or value == "":
            return False
        if isinstance(value, str):
            word = value.strip().lower()
            if word in ("yes", "y", "true", "1", "да"):
                return True
            if word in ("no", "n", "false", "0", "нет"):
                return False
            raise ValueError(_("use yes or no"))
        return value


def not_imported(problems: int, shown: int = MAX_REPORTED) -> str:
    """The hint of a refused import: nothing was imported, and how many of its ``problems``
    are beyond the ``shown`` ones."""
    hidden = problems - shown
    if hidden <= 0:
        return _("nothing was imported")
    return ngettext(
        "nothing was imported; {n} more problem not shown",
        "nothing was imported; {n} more problems not shown",
        hidden,
    ).format(n=hidden)


def _typed(value: T, *, multiline: bool) -> T:
    """Refuse a control character in an imported value, as on the command line."""
    if isinstance(value, str):
        found = control_character(value, multiline=multiline)
        if found is not None:
            raise ValueError(_("a control character ({char}) is not allowed").format(char=found))
    return value


_TOO_MANY_CELLS = object()  # a CSV row longer than its header
_TOO_FEW_CELLS = object()  # a CSV row shorter than its header

#: pydantic's words for the commonest problems of a row (lowercased, as they were always
#: shown), to be translated; any other problem is shown in pydantic's own words
_PYDANTIC = {
    "missing": N_("field required"),
    "extra_forbidden": N_("extra inputs are not permitted"),
    "string_type": N_("input should be a valid string"),
    "model_type": N_("input should be a valid dictionary or instance of row"),
}


class Fields(NamedTuple):
    """A checked row's values. A pydantic model instance takes ~2 KB (its ``__dict__``
    and fields-set); 20k of them were 40 MiB of an import's peak memory."""

    id: str | None
    client: str
    service: str
    start: str
    end: str | None
    duration: str | None
    problem: str | None
    phone: str | None
    consent: str | None
    backup_confirmed: bool
    note: str | None
    allow_overlap: bool
    consultant: str | None


class Located(NamedTuple):
    """A row with where it came from."""

    where: str
    row: Fields


def read_rows(text: str | bytes, fmt: str, source: str) -> tuple[list[Located], list[str]]:
    """Parse CSV or JSON into rows; every malformed row is a problem naming its line."""
    problems: list[str] = []
    rows: list[Located] = []
    for where, raw in _records(text, fmt, source):
        if raw is _TOO_MANY_CELLS:
            problems.append(_("{where}: more cells than the first line names columns").format(where=where))
            continue
        if raw is _TOO_FEW_CELLS:
            problems.append(_("{where}: fewer cells than the first line names columns").format(where=where))
            continue
        try:
            rows.append(Located(where, Fields(**Row.model_validate(raw).__dict__)))
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "row"
                if err["type"] == "value_error":  # a ValueError of a validator here: its words
                    message = str(err["ctx"]["error"])
                elif err["type"] in _PYDANTIC:
                    message = _(_PYDANTIC[err["type"]])
                else:
                    message = err["msg"].lower()
                problems.append(f"{where}: {field}: {message}")
    return rows, problems


def _records(text: str | bytes, fmt: str, source: str) -> Iterator[tuple[str, Any]]:
    if isinstance(text, bytes):  # an .xlsx workbook
        from kvsupport.ops.xlsxrows import xlsx_records

        for where, row in xlsx_records(text, source):
            yield where, _TOO_MANY_CELLS if row is None else row
        return
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidValue(
                _("{source}: invalid JSON at line {line}: {reason}").format(
                    source=source, line=exc.lineno, reason=exc.msg
                )
            ) from None
        except RecursionError:
            raise InvalidValue(_("{source}: invalid JSON: nested too deeply").format(source=source)) from None
        if not isinstance(data, list):
            raise InvalidValue(_("{source}: expected a JSON array of session rows").format(source=source))
        for i, item in enumerate(data, 1):
            yield _("{source}: item {n}").format(source=source, n=i), item
        return
    reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        if not reader.fieldnames:
            raise InvalidValue(
                _("{source}: empty CSV (the first line names the columns)").format(source=source)
            )
        unknown = [c for c in reader.fieldnames if c not in _KNOWN]
        if unknown:
            raise InvalidValue(
                _("{source}: line 1: unknown column {name!r}").format(source=source, name=unknown[0]),
                hint=_("columns: {names}, duration").format(names=", ".join(COLUMNS)),
            )
        for raw in reader:
            where = _("{source}: line {n}").format(source=source, n=reader.line_num)
            if None in raw:
                yield where, _TOO_MANY_CELLS
                continue
            if None in raw.values():  # the reader's filling of a short row (a cut-off line, a stray quote)
                yield where, _TOO_FEW_CELLS
                continue
            # the quote ``export`` put before a cell a spreadsheet would run as a formula
            yield where, {k: from_formula_safe(v) for k, v in raw.items()}
    except csv.Error as exc:
        raise InvalidValue(  # the csv reader's own count: DictReader's is one row behind
            _("{source}: line {line}: not readable as CSV: {reason}").format(
                source=source, line=reader.reader.line_num, reason=exc
            ),
            hint=_("nothing was imported"),
        ) from None


_KNOWN = frozenset((*COLUMNS, "duration"))


def _delimiter(text: str) -> str:
    """``;`` when the header reads as known columns only with it (Russian Excel saves
    «CSV» with semicolons, as the decimal comma takes the comma), else ``,``."""
    first = text.split("\n", 1)[0]
    if ";" not in first:
        return ","
    by_comma = next(csv.reader([first]), [])
    by_semicolon = next(csv.reader([first], delimiter=";"), [])
    if set(by_comma) <= _KNOWN or not set(by_semicolon) <= _KNOWN:
        return ","
    return ";"


def _segment(env: Env, item: Located, allow_long: bool) -> Segment:
    from kvsupport.core.timeinput import add_elapsed, parse_duration, parse_moment

    row = item.row
    start = parse_moment(row.start, now=env.now, tz=env.tz)
    if (row.end is None) == (row.duration is None):
        raise InvalidValue(_("give end or duration (one of them)"))
    end = (
        add_elapsed(start, parse_duration(row.duration), tz=env.tz)  # real time, across DST too
        if row.duration
        else parse_moment(row.end or "", now=env.now, tz=env.tz, after=start)  # HH:MM: the start's date
    )
    if end <= start:
        raise InvalidValue(_("end is not after start"))
    if end > env.now:
        raise InvalidValue(_("end is in the future"))
    from kvsupport.ops.sessions import check_length

    check_length(env, start, end, allow_long=allow_long)
    return Segment(start, end)


def build_sessions(
    env: Env, store: Store, rows: list[Located], *, allow_long: bool = False
) -> tuple[list[Session], list[str]]:
    """Sessions from rows (segments joined by ``id``), checked against the ledger."""
    problems: list[str] = []
    groups: dict[str, list[tuple[Located, Segment]]] = {}
    for n, item in enumerate(rows):
        try:
            segment = _segment(env, item, allow_long)
        except KvsupportError as exc:
            problems.append(f"{item.where}: {exc.message}")
            continue
        key = f"id:{item.row.id}" if item.row.id is not None else f"row:{n}"
        groups.setdefault(key, []).append((item, segment))
    sessions: list[Session] = []
    wheres: list[str] = []
    for members in groups.values():
        first = members[0][0]
        segments = tuple(sorted((seg for _, seg in members), key=lambda s: s.start))
        row = first.row
        if any(m.row.client != row.client or m.row.service != row.service for m, _ in members):
            problems.append(
                _("{where}: rows with id {id} name different clients or services").format(
                    where=first.where, id=row.id
                )
            )
            continue
        session = Session(
            id=0,
            client=find_code(store.clients(), row.client) or row.client,  # whatever its case
            service=row.service,
            segments=segments,
            problem=row.problem,
            phone=row.phone,
            consent=row.consent,
            backup_confirmed=row.backup_confirmed,
            note=row.note,
            allow_overlap=row.allow_overlap,
            consultant=row.consultant or env.consultant,
        )
        problem = _rule_problem(env, store, session)
        if problem:
            problems.append(f"{first.where}: {problem}")
        else:
            sessions.append(session)
            wheres.append(first.where)
    problems.extend(_overlaps(env, store, sessions, wheres))
    return sessions, problems


def _rule_problem(env: Env, store: Store, session: Session) -> str | None:
    client = store.clients().get(session.client)
    if client is None:
        return _("unknown client '{code}'").format(code=session.client)
    if client.archived:
        return _("client '{code}' is archived").format(code=client.code)
    try:
        _version, service = env.tariffs.service_on(session.service, local_date(session.started_at, env.tz))
    except KvsupportError as exc:
        return exc.message
    missing = missing_requirements(service, session, client)
    if missing:
        return _("{service} needs {missing}").format(
            service=session.service, missing=requirement_names(missing)
        )
    if not segments_in_order(session.segments):
        return _("its segments overlap each other")
    return None


def _overlaps(env: Env, store: Store, new: list[Session], wheres: list[str]) -> list[str]:
    """Overlaps among the new sessions and with stored ones (:func:`overlaps_among`);
    each problem names the line of the imported row (``wheres[i]`` of ``new[i]``)."""
    if not new:
        return []
    spans = [(s.started_at, s.ended_at or env.now) for s in new]
    problems = []
    for clash in overlaps_among(new, store.sessions_meeting(spans), env.now):
        mine = new[clash.new]
        if clash.other_stored is not None:
            problems.append(
                _(
                    "{where}: stored session {id} overlaps the imported {service} session of {client} at {at}"
                ).format(where=wheres[clash.new], id=clash.other_stored.id, **_named(env, mine))
            )
        elif clash.other_new is not None:
            other = _named(env, new[clash.other_new])
            problems.append(
                _(
                    "{where}: the imported {service} session of {client} at {at} overlaps "
                    "the imported {other_service} session of {other_client} at {other_at}"
                ).format(
                    where=wheres[clash.new],
                    **_named(env, mine),
                    other_service=other["service"],
                    other_client=other["client"],
                    other_at=other["at"],
                )
            )
    return problems


def _named(env: Env, session: Session) -> dict[str, str]:
    """The service, client and local start that name an imported session in a problem."""
    return {
        "service": session.service,
        "client": session.client,
        "at": f"{env.local(session.started_at):%Y-%m-%d %H:%M}",
    }


def import_sessions(
    env: Env, read: Callable[[], str | bytes], fmt: str, source: str, *, allow_long: bool = False
) -> int:
    """Store every session of the text that ``read`` returns, or none: each problem is
    reported with its line. Returns how many were stored.

    Memory is the budget of a big import: the text, the rows and the sessions are
    each let go as soon as the next stage has what it needs.
    """
    rows, problems = read_rows(read(), fmt, source)
    with env.store(write=True) as store:
        sessions, more = build_sessions(env, store, rows, allow_long=allow_long)
        del rows
        problems += more
        if problems:
            raise Problems(problems[:MAX_REPORTED], hint=not_imported(len(problems)), exit_code=2)
        sessions.sort(key=lambda s: s.started_at, reverse=True)
        stored = 0
        while sessions:  # oldest first, each session dropped once it is encoded
            store.put_session(sessions.pop()._replace(id=store.new_session_id()))
            stored += 1
        return stored


def export(env: Env, *, month: tuple[int, int] | None, client: str | None) -> Iterator[list[dict[str, Any]]]:
    """Rows of the finished sessions of ``month`` (all if None), optionally of one client,
    a list per stored month, oldest first; the ledger is not held while they go out.

    Holds one month in memory at a time: exporting ten years is a bulk copy.
    """
    with env.store(long_read=True) as store:
        if client is not None:
            client = store.client(client).code

        def rows(sessions: Iterable[Session]) -> list[dict[str, Any]]:
            return [
                row
                for s in sessions
                if not s.is_running and (client is None or s.client == client)
                for row in export_rows(s)
            ]

        if month is not None:
            yield rows(store.sessions_between(*month_bounds(env, *month)))
            return
        yield from store.export_batches(client)
