"""``session list``: which sessions a consultant asks for, and where to look when none.

Filters are applied after the store has narrowed the sessions to a stretch of
time (a month, ``--from``/``--to``, or everything): text search, service,
client, consultant and "unbilled" (billable and not invoiced, SPEC §3.5: free
line calls are never billed, so they never count as unbilled).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from kvsupport.core.billing import Charge
from kvsupport.core.models import Session
from kvsupport.ops.env import Env
from kvsupport.ops.sessions import charged, month_bounds
from kvsupport.storage.api import Store

#: how many months before an empty default month ``session list`` looks for one with sessions
LOOK_BACK_MONTHS = 24
#: where ``--to`` without ``--from`` starts
EPOCH = date(1970, 1, 1)


class Query(NamedTuple):
    """What ``session list`` was asked for; ``None`` filters nothing."""

    month: tuple[int, int] | None = None
    since: date | None = None  # --from, inclusive
    until: date | None = None  # --to, inclusive
    client: str | None = None
    service: str | None = None
    consultant: str | None = None
    unbilled: bool = False
    grep: str | None = None

    def picks(self, session: Session, charge: Charge | None) -> bool:
        """True when ``session`` (with its ``charge``) passes every filter but the time's."""
        if self.client is not None and session.client != self.client:
            return False
        if self.service is not None and session.service.casefold() != self.service.casefold():
            return False
        if self.consultant is not None and session.consultant != self.consultant:
            return False
        free = charge is not None and charge.service.is_free
        if self.unbilled and (session.invoice is not None or session.is_running or free):
            return False
        if self.grep is not None:
            needle = self.grep.casefold()
            texts = (session.problem, session.note, session.consent)
            if not any(needle in text.casefold() for text in texts if text):
                return False
        return True


def day_start(day: date, tz: tzinfo | None) -> datetime:
    """The first instant of the local ``day`` (``None``: the system's zone)."""
    naive = datetime.combine(day, time())
    return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()


class Found(NamedTuple):
    """The sessions found, and, when none were in the default month, the latest earlier
    month that has some (``YYYY-MM``)."""

    sessions: list[tuple[Session, Charge | None]]
    elsewhere: str | None = None


def _in_time(env: Env, store: Store, query: Query) -> list[Session]:
    if query.month is not None:
        return store.sessions_between(*month_bounds(env, *query.month))
    if query.since is not None or query.until is not None:
        start = day_start(query.since or EPOCH, env.tz)
        end = day_start(min(query.until or env.today, env.today) + timedelta(days=1), env.tz)
        return store.sessions_between(start, end)
    return [s for batch in store.session_batches() for s in batch]


def _picked(env: Env, sessions: list[Session], query: Query) -> list[tuple[Session, Charge | None]]:
    narrowed = [s for s in sessions if query._replace(unbilled=False, grep=None).picks(s, None)]
    return [(s, c) for s, c in charged(env, narrowed) if query.picks(s, c)]


def find(env: Env, query: Query, *, default_month: bool = False) -> Found:
    """The sessions of ``query``, oldest first, with their charges (running ones: so far).

    ``default_month``: the month was not typed; when it has none, :attr:`Found.elsewhere`
    names the latest of the :data:`LOOK_BACK_MONTHS` before it that has some.
    """
    with env.store() as store:
        if query.client is not None:
            query = query._replace(client=store.client(query.client).code)
        found = _picked(env, _in_time(env, store, query), query)
        if found or not default_month or query.month is None:
            return Found(found)
        year, month = query.month
        for _ in range(LOOK_BACK_MONTHS):
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
            if _picked(env, store.sessions_between(*month_bounds(env, year, month)), query):
                return Found([], f"{year:04d}-{month:02d}")
    return Found([])
