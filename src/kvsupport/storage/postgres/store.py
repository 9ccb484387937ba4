"""A ledger in PostgreSQL: one transaction per command, records kept whole as jsonb.

``postgresql://user@host:port/db`` (libpq's environment and ``~/.pgpass`` give the
rest; a password in the location is refused: kvsupport never keeps one). Each
command is one unit of work:

- a read is one ``REPEATABLE READ READ ONLY`` transaction: it sees one state and
  holds nobody up;
- a write is one transaction that first takes a transaction-level advisory lock
  shared by every kvsupport writer of the database. Writers take turns exactly
  as they do on the file ledger's ``flock``, so the read-check-write of every
  command (one running session per consultant, no overlap, each session billed
  once) needs no retry loop; a change takes milliseconds, a support line's
  consultants never notice the wait. Invoice numbers come from a counter row
  (``UPDATE … RETURNING``) in the same transaction, so a rolled-back issue gives
  its number back: one gapless sequence per year for the whole line, and the
  ``invoices`` primary key as the last guard.

The schema is plain numbered SQL files (``schema/NNNN_*.sql``) applied in order,
each in its own transaction under an advisory lock, recorded with its checksum
in ``kvsupport_schema``; an older kvsupport refuses a newer schema.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import psycopg
from psycopg.types.json import Jsonb

from kvsupport import notices
from kvsupport.core.models import Client, Invoice, Order, Session
from kvsupport.core.records import export_rows
from kvsupport.core.rules import Spans
from kvsupport.errors import InvalidValue, LedgerError, NotFound
from kvsupport.i18n import _
from kvsupport.storage import codec, journal
from kvsupport.storage.api import Change, Counters, Counts, InvoiceSummary
from kvsupport.storage.consistency import Consistency
from kvsupport.storage.lookup import find_client

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
#: advisory lock keys ('kvsuppor' and 'kvschema' as 64-bit integers)
WRITE_LOCK = 0x6B7673757070_6F72
SCHEMA_LOCK = 0x6B7673636865_6D61
BATCH = 5000
FROZEN_FIELDS = ("date", "period", "client", "supplier", "lines", "total", "vat_mode", "vat_amount", "due_on")


def migrations() -> list[tuple[int, str, str]]:
    """The schema's steps in order: ``(version, file name, SQL)``."""
    steps = []
    for path in sorted(SCHEMA_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        steps.append((int(path.name[:4]), path.name, path.read_text("utf-8")))
    return steps


CURRENT_SCHEMA = max(version for version, _, _ in migrations())


def _query_password(query: str) -> bool:
    """True when the address's query names a password (libpq's ``password=``), empty or not."""
    return any(key == "password" for key, _value in parse_qsl(query, keep_blank_values=True))


def safe_location(location: str) -> str:
    """The location without a password (of the user part or of the query), for messages."""
    try:
        parts = urlsplit(location)
        password = parts.password
    except ValueError:
        return location
    query = parts.query
    if _query_password(query):
        query = "&".join(p for p in query.split("&") if p.split("=", 1)[0] != "password")
    elif password is None:
        return location
    netloc = parts.netloc
    if password is not None:
        host = parts.hostname or ""
        user = f"{parts.username}@" if parts.username else ""
        port = f":{parts.port}" if parts.port else ""
        netloc = f"{user}{host}{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _checked_location(location: str) -> str:
    try:
        parts = urlsplit(location)
    except ValueError as exc:
        raise InvalidValue(
            _("--ledger {location}: not a PostgreSQL address ({reason})").format(
                location=repr(location), reason=exc
            )
        ) from None
    if parts.password is not None or _query_password(parts.query):
        raise InvalidValue(
            _("--ledger {location}: a password is not given in the ledger's address").format(
                location=safe_location(location)
            ),
            hint=_("put it in ~/.pgpass (or PGPASSWORD); kvsupport never keeps a password"),
        )
    return location


def _connect(location: str) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(
            _checked_location(location), connect_timeout=10, application_name="kvsupport", autocommit=False
        )
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LedgerError(
            _("{location}: cannot reach the ledger's server: {reason}").format(
                location=safe_location(location), reason=first
            ),
            hint=_("is the server up, and the address right? a password goes in ~/.pgpass or PGPASSWORD"),
        ) from None


def schema_version(conn: psycopg.Connection[Any]) -> int | None:
    """The schema version applied (``None``: not a kvsupport ledger yet)."""
    row = conn.execute("SELECT to_regclass('kvsupport_schema') IS NOT NULL").fetchone()
    if row is None or not row[0]:
        return None
    found = conn.execute("SELECT max(version) FROM kvsupport_schema").fetchone()
    return int(found[0]) if found and found[0] is not None else None


def upgrade(conn: psycopg.Connection[Any], location: str) -> list[str]:
    """Apply every step of the schema not applied yet, each in its own transaction under
    the schema lock; the names applied. A database already at a newer version is
    refused and left as it is."""
    applied: list[str] = []
    for version, name, sql in migrations():
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS kvsupport_schema (version int PRIMARY KEY, name text NOT NULL, "
                "checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            current = schema_version(conn) or 0
            if current > CURRENT_SCHEMA:
                raise _newer(location, current)
            if version <= current:
                continue
            conn.execute(sql)
            checksum = hashlib.sha256(sql.encode("utf-8")).hexdigest()
            conn.execute(
                "INSERT INTO kvsupport_schema (version, name, checksum) VALUES (%s, %s, %s)",
                (version, name, checksum),
            )
            applied.append(name)
    return applied


def _newer(location: str, version: int) -> LedgerError:
    return LedgerError(
        _(
            "{location}: the ledger's schema is version {version}, newer than this kvsupport knows ({known})"
        ).format(location=safe_location(location), version=version, known=CURRENT_SCHEMA),
        hint=_("upgrade kvsupport; the ledger was left as it is"),
    )


def _lost(location: str, exc: Exception, write: bool) -> LedgerError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    hint = _("nothing was changed (the transaction was rolled back); run the command again")
    return LedgerError(
        _("{location}: the ledger's server failed: {reason}").format(
            location=safe_location(location), reason=first
        ),
        hint=hint if write else None,
    )


@contextmanager
def open_database(
    location: str, *, write: bool, rehearse: bool = False, consultant: str | None = None
) -> Iterator[DatabaseStore]:
    """One unit of work on the ledger at ``location`` (see the module's docstring).

    ``rehearse``: a dry run, a read-write transaction that is always rolled back (it takes
    numbers from the counters, which roll back with it)."""
    conn = _connect(location)
    try:
        try:
            version = schema_version(conn)
            if version is None:
                raise LedgerError(
                    _("{location}: there is no kvsupport ledger in this database").format(
                        location=safe_location(location)
                    ),
                    hint=_("create one: {command}").format(command="kvsupport --ledger URL ledger init"),
                )
            if version > CURRENT_SCHEMA:
                raise _newer(location, version)
            if version < CURRENT_SCHEMA:
                conn.commit()
                notices.changing()
                upgrade(conn, location)
            conn.commit()
            if not write and not rehearse:
                conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                conn.read_only = True
            store = DatabaseStore(conn, location, consultant)
            if write and not rehearse:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            yield store
            if write and not rehearse:
                store.write_journal()
                notices.changing()
                conn.commit()
            else:
                conn.rollback()
        except psycopg.Error as exc:
            _rollback_quietly(conn)
            raise _lost(location, exc, write) from None
        except BaseException:
            _rollback_quietly(conn)
            raise
    finally:
        conn.close()


def _rollback_quietly(conn: psycopg.Connection[Any]) -> None:
    with suppress(psycopg.Error):
        conn.rollback()


@contextmanager
def initialised(location: str) -> Iterator[list[str]]:
    """Create or upgrade the schema at ``location``; the names of the steps applied."""
    conn = _connect(location)
    try:
        try:
            notices.changing()
            yield upgrade(conn, location)
        except psycopg.Error as exc:
            _rollback_quietly(conn)
            raise _lost(location, exc, True) from None
    finally:
        conn.close()


class DatabaseStore:
    """:class:`~kvsupport.storage.api.Store` over one PostgreSQL transaction."""

    def __init__(self, conn: psycopg.Connection[Any], location: str, consultant: str | None = None) -> None:
        self.conn = conn
        self._location = location
        self._clients: dict[str, Client] | None = None
        self._orders: list[Order] | None = None
        self.consultant = consultant
        self.recorder = journal.Recorder()

    @property
    def location(self) -> str:
        """The server and database, without a password."""
        return safe_location(self._location)

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def _decode(self, decode: Any, record: Any, where: str) -> Any:
        try:
            return decode(record, where)
        except codec.ShapeError as exc:
            raise LedgerError(
                f"{self.location}: {exc}", hint=_("'kvsupport ledger check' names every problem")
            ) from None

    # -- clients ------------------------------------------------------------------

    def clients(self) -> Mapping[str, Client]:
        """Every client by code, in the order they were added."""
        if self._clients is None:
            self._clients = {
                code: self._decode(codec.decode_client, record, f"clients.{code}")
                for code, record in self._rows("SELECT code, record FROM clients ORDER BY position")
            }
        return self._clients

    def client(self, code: str) -> Client:
        """The client ``code`` (whatever its case), or NotFound naming the nearest codes."""
        return find_client(self.clients(), code)

    def put_client(self, client: Client) -> None:
        """Add or replace a client."""
        self.recorder.saw("client", client.code, self.raw_record("client", client.code))
        self.conn.execute(
            "INSERT INTO clients (code, position, record) "
            "VALUES (%s, (SELECT coalesce(max(position), 0) + 1 FROM clients), %s) "
            "ON CONFLICT (code) DO UPDATE SET record = EXCLUDED.record",
            (client.code, Jsonb(codec.encode_client(client))),
        )
        if self._clients is not None:
            self._clients[client.code] = client

    def rename_client(self, old: str, client: Client) -> None:
        """Put ``client`` in the place of the client ``old`` (its code changed); the
        sessions' client column follows (``ON UPDATE CASCADE``), their records are the
        caller's to rewrite."""
        self.recorder.saw("client", old, self.raw_record("client", old))  # undo: the old back, the new gone
        self.recorder.saw("client", client.code, self.raw_record("client", client.code))
        done = self.conn.execute(
            "UPDATE clients SET code = %s, record = %s WHERE code = %s",
            (client.code, Jsonb(codec.encode_client(client)), old),
        )
        if done.rowcount != 1:
            raise NotFound(_("unknown client '{code}'").format(code=old))
        self._clients = None

    # -- orders -------------------------------------------------------------------

    def orders(self) -> list[Order]:
        """Every order, oldest number first."""
        if self._orders is None:
            self._orders = [
                self._decode(codec.decode_order, record, f"orders.{oid}")
                for oid, record in self._rows("SELECT id, record FROM orders ORDER BY id")
            ]
        return self._orders

    def new_order_id(self) -> int:
        """The next order number (never reused)."""
        return self._next("order")

    def put_order(self, order: Order) -> None:
        """Add or replace an order."""
        self.recorder.saw("order", order.id, self.raw_record("order", str(order.id)))
        self.conn.execute(
            "INSERT INTO orders (id, record) VALUES (%s, %s) "
            "ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record",
            (order.id, Jsonb(codec.encode_order(order))),
        )
        self._orders = None

    def _next(self, series: str) -> int:
        row = self.conn.execute(
            "INSERT INTO counters (series, last) VALUES (%s, 1) "
            "ON CONFLICT (series) DO UPDATE SET last = counters.last + 1 RETURNING last",
            (series,),
        ).fetchone()
        assert row is not None
        return int(row[0])

    # -- sessions -----------------------------------------------------------------

    def new_session_id(self) -> int:
        """The next session id (never reused)."""
        return self._next("session")

    def _sessions(self, where: str, params: tuple[Any, ...] = ()) -> list[Session]:
        rows = self._rows(f"SELECT id, record FROM sessions WHERE {where} ORDER BY started_at, id", params)
        return [self._decode(codec.decode_session, record, f"sessions.{sid}") for sid, record in rows]

    def running(self, consultant: str | None) -> Session | None:
        """The session ``consultant`` has running (or one of nobody's: whoever asks)."""
        rows = self._rows(
            "SELECT id, record FROM sessions WHERE running AND consultant IN (%s, '') "
            "ORDER BY consultant = '' LIMIT 1",
            (consultant or "",),
        )
        return self._decode(codec.decode_session, rows[0][1], f"sessions.{rows[0][0]}") if rows else None

    def last_stopped_id(self, consultant: str | None) -> int | None:
        """The id of the session ``consultant`` stopped most recently."""
        rows = self._rows(
            "SELECT session FROM last_stopped WHERE consultant IN (%s, '') ORDER BY consultant = '' LIMIT 1",
            (consultant or "",),
        )
        return int(rows[0][0]) if rows else None

    def session(self, session_id: int) -> Session:
        """The session ``session_id``, or NotFound."""
        found = self._sessions("id = %s", (session_id,))
        if not found:
            raise NotFound(_("no session {id}").format(id=session_id), hint=_("see 'kvsupport session list'"))
        return found[0]

    def sessions_between(self, start: datetime, end: datetime) -> list[Session]:
        """Sessions whose first segment starts in ``start``..``end``, oldest first."""
        return self._sessions("started_at >= %s AND started_at < %s", (start, end))

    def sessions_touching(self, start: datetime, end: datetime | None) -> list[Session]:
        """Sessions whose span (first start to last end, open while running) meets
        ``start``..``end``."""
        if end is None:
            return self._sessions("running OR ended_at > %s", (start,))
        return self._sessions("(running OR ended_at > %s) AND started_at < %s", (start, end))

    def sessions_meeting(self, spans: Sequence[tuple[datetime, datetime]]) -> list[Session]:
        """Sessions that may meet one of ``spans``: the server selects those within the
        spans' whole range, and of them only those meeting a span are decoded."""
        wanted = Spans(spans)
        if wanted.first is None or wanted.last is None:
            return self._sessions("running")
        rows = self._rows(
            "SELECT id, record, started_at, ended_at, running FROM sessions "
            "WHERE (running OR ended_at > %s) AND started_at < %s ORDER BY id",
            (wanted.first, wanted.last),
        )
        return [
            self._decode(codec.decode_session, record, f"sessions.{sid}")
            for sid, record, started, ended, running in rows
            if running or wanted.meets(started, ended)
        ]

    def session_batches(self) -> Iterator[list[Session]]:
        """Every session, oldest first, in batches read from a server-side cursor."""
        with self.conn.cursor(name="kvsupport_sessions") as cursor:
            cursor.execute("SELECT id, record FROM sessions ORDER BY started_at, id")
            while True:
                rows = cursor.fetchmany(BATCH)
                if not rows:
                    return
                yield [self._decode(codec.decode_session, record, f"sessions.{sid}") for sid, record in rows]

    def export_batches(self, client: str | None = None) -> Iterator[list[dict[str, Any]]]:
        """The rows of ``export`` of every finished session, in batches of the cursor."""
        for batch in self.session_batches():
            yield [
                row
                for s in batch
                if not s.is_running and (client is None or s.client == client)
                for row in export_rows(s)
            ]

    def put_session(self, session: Session) -> None:
        """Store ``session``; a session that stops becomes its consultant's last stopped."""
        worker = session.consultant or ""
        was = self._rows("SELECT running, consultant, record FROM sessions WHERE id = %s", (session.id,))
        self.recorder.saw("session", session.id, was[0][2] if was else None)
        try:
            self.conn.execute(
                "INSERT INTO sessions "
                "(id, client, consultant, started_at, ended_at, running, invoice, record) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET "
                "client = EXCLUDED.client, consultant = EXCLUDED.consultant, "
                "started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, "
                "running = EXCLUDED.running, invoice = EXCLUDED.invoice, record = EXCLUDED.record",
                (
                    session.id,
                    session.client,
                    worker if not was else was[0][1],
                    session.started_at,
                    session.ended_at,
                    session.is_running,
                    session.invoice,
                    Jsonb(codec.encode_session(session)),
                ),
            )
        except psycopg.errors.UniqueViolation:
            if worker:
                message = _("{location}: another session of {worker} is running").format(
                    location=self.location, worker=worker
                )
            else:
                message = _("{location}: another session of this ledger is running").format(
                    location=self.location
                )
            raise LedgerError(message) from None
        except psycopg.errors.ForeignKeyViolation:
            raise NotFound(_("unknown client '{code}'").format(code=session.client)) from None
        if was and was[0][0] and not session.is_running:
            self.conn.execute(
                "INSERT INTO last_stopped (consultant, session) VALUES (%s, %s) "
                "ON CONFLICT (consultant) DO UPDATE SET session = EXCLUDED.session",
                (worker, session.id),
            )

    def delete_session(self, session_id: int) -> None:
        """Remove a session for good."""
        self.recorder.saw("session", session_id, self.raw_record("session", str(session_id)))
        self.conn.execute("DELETE FROM sessions WHERE id = %s", (session_id,))
        self.conn.execute("DELETE FROM last_stopped WHERE session = %s", (session_id,))

    # -- invoices -----------------------------------------------------------------

    def invoice(self, number: str) -> Invoice:
        """The invoice ``number``, or NotFound."""
        rows = self._rows("SELECT record FROM invoices WHERE number = %s", (number,))
        if not rows:
            raise NotFound(
                _("no invoice {number}").format(number=number), hint=_("see 'kvsupport invoice list'")
            )
        found: Invoice = self._decode(codec.decode_invoice, rows[0][0], f"invoices.{number}")
        return found

    def has_invoice(self, number: str) -> bool:
        """True when an invoice ``number`` is stored."""
        return bool(self._rows("SELECT 1 FROM invoices WHERE number = %s", (number,)))

    def invoices(
        self, periods: Iterable[str] | None = None, statuses: Iterable[str] | None = None
    ) -> list[Invoice]:
        """Whole invoices of ``periods`` with one of ``statuses``, in order of issue."""
        where, params = self._filter(periods, statuses, None)
        rows = self._rows(
            f"SELECT number, record FROM invoices WHERE {where} ORDER BY issued_on, number", params
        )
        return [self._decode(codec.decode_invoice, record, f"invoices.{number}") for number, record in rows]

    @staticmethod
    def _filter(
        periods: Iterable[str] | None, statuses: Iterable[str] | None, client: str | None
    ) -> tuple[str, tuple[Any, ...]]:
        clauses: list[str] = ["true"]
        params: list[Any] = []
        if periods is not None:
            clauses.append("period = ANY(%s)")
            params.append(list(periods))
        if statuses is not None:
            clauses.append("status = ANY(%s)")
            params.append(list(statuses))
        if client is not None:
            clauses.append("client = %s")
            params.append(client)
        return " AND ".join(clauses), tuple(params)

    def invoice_summaries(
        self, statuses: Iterable[str] | None = None, client: str | None = None
    ) -> list[InvoiceSummary]:
        """The figures of every invoice (of ``statuses``, of ``client``), in order of issue."""
        where, params = self._filter(None, statuses, client)
        rows = self._rows(
            f"SELECT number, summary FROM invoices WHERE {where} ORDER BY issued_on, number", params
        )
        return [
            codec.decode_summary(summary, f"{self.location}: invoices.{number}") for number, summary in rows
        ]

    def invoice_batches(self, numbers: Iterable[str]) -> Iterator[list[Invoice]]:
        """Whole invoices ``numbers`` in that order, in batches."""
        wanted = list(numbers)
        for i in range(0, len(wanted), BATCH // 10):
            chunk = wanted[i : i + BATCH // 10]
            rows = dict(self._rows("SELECT number, record FROM invoices WHERE number = ANY(%s)", (chunk,)))
            yield [self._decode(codec.decode_invoice, rows[n], f"invoices.{n}") for n in chunk if n in rows]

    def add_invoice(self, invoice: Invoice) -> None:
        """Store a newly issued invoice; a taken number is refused (the primary key)."""
        self.recorder.saw("invoice", invoice.number, self.raw_record("invoice", invoice.number))
        record = codec.encode_invoice(invoice)
        try:
            with self.conn.transaction():  # a savepoint: the refusal leaves the rest intact
                self.conn.execute(
                    "INSERT INTO invoices (number, period, issued_on, status, client, summary, record) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    (
                        invoice.number,
                        invoice.period,
                        invoice.date,
                        invoice.status,
                        invoice.client_code,
                        Jsonb(codec.index_row(record)),
                        Jsonb(record),
                    ),
                )
        except psycopg.errors.UniqueViolation:
            raise LedgerError(
                _("invoice number {number} is taken already; refusing to issue it twice").format(
                    number=invoice.number
                ),
                hint=_("nothing was changed; check 'kvsupport config show' ({key})").format(
                    key="invoice.number_format"
                ),
            ) from None

    def put_invoice(self, invoice: Invoice) -> None:
        """Store a change of status; what the invoice printed is frozen."""
        stored = self.invoice(invoice.number)
        frozen = [f for f in FROZEN_FIELDS if getattr(stored, f) != getattr(invoice, f)]
        if frozen:
            raise LedgerError(
                _("invoice {number} is issued: its {fields} cannot change").format(
                    number=invoice.number, fields=", ".join(frozen)
                ),
                hint=_("void it and issue a new one"),
            )
        self.recorder.saw("invoice", invoice.number, codec.encode_invoice(stored))
        record = codec.encode_invoice(invoice)
        self.conn.execute(
            "UPDATE invoices SET status = %s, summary = %s, record = %s WHERE number = %s",
            (invoice.status, Jsonb(codec.index_row(record)), Jsonb(record), invoice.number),
        )

    def next_invoice_seq(self, series: int) -> int:
        """The next number of ``series``, held by this transaction until it ends."""
        return self._next(f"invoice:{series}")

    # -- the whole ledger ---------------------------------------------------------

    def _counter(self, series: str) -> int:
        rows = self._rows("SELECT last FROM counters WHERE series = %s", (series,))
        return int(rows[0][0]) if rows else 0

    def check(self) -> list[str]:
        """Decode every record and compare them with each other."""
        problems: list[str] = []
        try:
            clients = self.clients()
        except LedgerError as exc:
            return [exc.message]
        seen = Consistency(clients)
        for sid, record in self._rows("SELECT id, record FROM sessions ORDER BY id"):
            try:
                seen.session(codec.decode_session(record, f"sessions.{sid}"), f"sessions.{sid}")
            except codec.ShapeError as exc:
                problems.append(f"{self.location}: {exc}")
        for number, record in self._rows("SELECT number, record FROM invoices ORDER BY issued_on, number"):
            try:
                seen.invoice(codec.decode_invoice(record, f"invoices.{number}"), f"invoices.{number}")
            except codec.ShapeError as exc:
                problems.append(f"{self.location}: {exc}")
        try:
            orders = self.orders()
        except LedgerError as exc:
            problems.append(exc.message)
            orders = []
        problems += seen.problems(orders, self._counter("session"), self._counter("order"), self.location)
        return problems

    def counts(self) -> Counts:
        """How many clients, sessions, invoices and orders the ledger holds."""
        row = self.conn.execute(
            "SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM sessions), "
            "(SELECT count(*) FROM invoices), (SELECT count(*) FROM orders)"
        ).fetchone()
        assert row is not None
        return Counts(*(int(v) for v in row))

    def is_empty(self) -> bool:
        """True when nothing is stored and no counter moved."""
        return self.counts() == Counts(0, 0, 0, 0) and not self._rows("SELECT 1 FROM counters LIMIT 1")

    def counters(self) -> Counters:
        """Where the numbering stands."""
        invoices = {
            int(series.split(":", 1)[1]): int(last)
            for series, last in self._rows("SELECT series, last FROM counters WHERE series LIKE 'invoice:%%'")
        }
        stopped = {
            consultant: int(sid)
            for consultant, sid in self._rows("SELECT consultant, session FROM last_stopped")
        }
        return Counters(self._counter("session"), self._counter("order"), invoices, stopped)

    def set_counters(self, counters: Counters) -> None:
        """Carry ``counters`` over (a copy into an empty ledger: not a change to undo)."""
        self.recorder.quiet = True
        series = [("session", counters.session), ("order", counters.order)]
        series += [(f"invoice:{year}", last) for year, last in counters.invoices.items()]
        for name, last in series:
            self.conn.execute(
                "INSERT INTO counters (series, last) VALUES (%s, %s) "
                "ON CONFLICT (series) DO UPDATE SET last = EXCLUDED.last",
                (name, last),
            )
        for consultant, sid in counters.last_stopped.items():
            self.conn.execute(
                "INSERT INTO last_stopped (consultant, session) VALUES (%s, %s) "
                "ON CONFLICT (consultant) DO UPDATE SET session = EXCLUDED.session",
                (consultant, sid),
            )

    # -- the journal (``undo``) ---------------------------------------------------

    _TABLES: ClassVar[dict[str, tuple[str, str]]] = {
        "client": ("clients", "code"),
        "order": ("orders", "id"),
        "session": ("sessions", "id"),
    }

    def raw_record(self, kind: str, key: str) -> dict[str, Any] | None:
        """The stored record of ``kind`` and ``key``, as kept."""
        table, column = self._TABLES.get(kind, ("invoices", "number"))
        value: object = key if column in ("code", "number") else int(key)
        rows = self._rows(f"SELECT record FROM {table} WHERE {column} = %s", (value,))
        found: dict[str, Any] | None = rows[0][0] if rows else None
        return found

    def put_raw_record(self, kind: str, key: str, record: dict[str, Any] | None) -> None:
        """Store a record as it was kept (``None``: remove it), for ``undo``."""
        where = "journal"
        if record is None:
            if kind == "session":
                self.delete_session(int(key))
                return
            self.recorder.saw(kind, key, self.raw_record(kind, key))
            table, column = self._TABLES[kind]
            self.conn.execute(
                f"DELETE FROM {table} WHERE {column} = %s", (key if kind == "client" else int(key),)
            )
            self._clients, self._orders = None, None
        elif kind == "client":
            self.put_client(self._decode(codec.decode_client, record, where))
        elif kind == "order":
            self.put_order(self._decode(codec.decode_order, record, where))
        elif kind == "session":
            self.put_session(self._decode(codec.decode_session, record, where))
        else:
            self.put_invoice(self._decode(codec.decode_invoice, record, where))

    def describe(self, action: str) -> None:
        """Name this unit's change in the journal."""
        self.recorder.action = action

    def changes(self) -> list[Change]:
        """The journal's recent changes, oldest first."""
        keys = ("number", "at", "consultant", "action", "ops", "count", "undone_by", "undoes")
        rows = self._rows(f"SELECT {', '.join(keys)} FROM changes ORDER BY number")
        return [
            journal.change_of({**dict(zip(keys, row, strict=True)), "at": row[1].isoformat()}) for row in rows
        ]

    def undo(self, consultant: str | None) -> Change:
        """Take back ``consultant``'s last change not taken back yet."""
        change = journal.chosen_for_undo(
            self.changes(),
            consultant,
            hint=_(
                "see 'kvsupport ledger changes'; older states of a PostgreSQL ledger are in "
                "the database server's backups (pg_dump)"
            ),
        )
        rows = self._rows("SELECT entries FROM changes WHERE number = %s", (change.number,))
        entries = [journal.entry_from(e) for e in rows[0][0]]
        for entry in journal.restore_order(journal.plan(change, entries, self)):
            self.put_raw_record(entry.kind, entry.key, entry.before)
        self.recorder.undoes = change.number
        self.recorder.action = "undo"
        return change

    def write_journal(self) -> None:
        """Keep this unit's change in the journal (called as the transaction commits)."""
        entries = [] if self.recorder.quiet else self.recorder.entries(self)
        if not entries:
            return
        ops, count = journal.summary(entries)
        row = self.conn.execute(
            "INSERT INTO changes (consultant, action, ops, count, undoes, entries) "
            "VALUES (%s, %s, %s, %s, %s, %s) RETURNING number",
            (
                self.consultant,
                self.recorder.action,
                Jsonb(ops),
                count,
                self.recorder.undoes,
                Jsonb([journal.entry_record(e) for e in entries]),
            ),
        ).fetchone()
        assert row is not None
        if self.recorder.undoes is not None:
            self.conn.execute(
                "UPDATE changes SET undone_by = %s WHERE number = %s", (row[0], self.recorder.undoes)
            )
        self.conn.execute("DELETE FROM changes WHERE number <= %s", (int(row[0]) - journal.KEEP,))
