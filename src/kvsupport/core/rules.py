"""The rules a session must keep before it is stored (SPEC §3.6, §6), stated once.

Both backends and every command — start, add, edit, resume, import — ask these
functions; nothing else decides what overlaps or what is missing.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from kvsupport.core.models import Client, Segment, Service, Session


def missing_requirements(service: Service, session: Session, client: Client) -> list[str]:
    """What ``service.requires`` lacks for ``session``: ``problem``, ``phone`` (the
    session's or the client's), ``consent``, ``backup_confirmed``. Text that is only
    whitespace is not on record."""
    have = {
        "problem": _given(session.problem),
        "phone": _given(session.phone) or _given(client.phone),
        "consent": _given(session.consent),
        "backup_confirmed": session.backup_confirmed,
    }
    return [item for item in service.requires if not have.get(item, False)]


def _given(text: str | None) -> bool:
    return bool(text and text.strip())


def same_worker(a: str | None, b: str | None) -> bool:
    """True when sessions of consultants ``a`` and ``b`` may not overlap: one consultant
    does one session at a time. A session recorded before the ledger knew consultants
    (``None``) counts as anyone's."""
    return a is None or b is None or a == b


def _segments_overlap(a: Segment, b: Segment) -> bool:
    """Open ends (``None``) run on for ever, like a running session."""
    return (a.end is None or b.start < a.end) and (b.end is None or a.start < b.end)


def first_overlap(session: Session, others: Iterable[Session]) -> Session | None:
    """The first of ``others`` (not ``session`` itself, not marked ``allow_overlap``, of
    the same consultant) with a segment overlapping one of ``session``'s."""
    for other in others:
        if (
            other.id == session.id
            or other.allow_overlap
            or not same_worker(session.consultant, other.consultant)
        ):
            continue
        if any(_segments_overlap(mine, theirs) for mine in session.segments for theirs in other.segments):
            return other
    return None


class Clash(NamedTuple):
    """An overlap found among new sessions: the new one (its index) and the other
    (a stored session, or another new one by index)."""

    new: int
    other_stored: Session | None
    other_new: int | None


def overlaps_among(new: Sequence[Session], stored: Iterable[Session], now: datetime) -> list[Clash]:
    """Every new session (not marked ``allow_overlap``) that overlaps a stored one or
    another new one of the same consultant, each named once with one overlap found.

    ``now`` ends the open segment of a running session. Spans are swept over time per
    consultant (a session without one is in every consultant's sweep): a span that
    overlaps any earlier span of its sweep overlaps the one that reaches furthest.
    """
    stored = [s for s in stored if not s.allow_overlap]
    sessions: list[tuple[int, Session]] = [(-1 - i, s) for i, s in enumerate(stored)]
    sessions += [(i, s) for i, s in enumerate(new) if not s.allow_overlap]
    names = {s.consultant for _, s in sessions}
    sweeps: dict[str | None, list[tuple[datetime, datetime, int]]] = {name: [] for name in names}
    for key, session in sessions:
        joins = names if session.consultant is None else {session.consultant}
        for name in joins:
            sweeps[name] += [(seg.start, seg.end or now, key) for seg in session.segments]
    found: dict[int, Clash] = {}
    for spans in sweeps.values():
        spans.sort(key=lambda span: span[0])
        reach: tuple[datetime, int] | None = None
        for start, end, key in spans:
            if reach is not None and start < reach[0] and reach[1] != key and (key >= 0 or reach[1] >= 0):
                other = reach[1]
                subject, partner = (key, other) if key >= 0 else (other, key)
                if key >= 0 and other >= 0:
                    subject, partner = max(key, other), min(key, other)
                if subject not in found:
                    found[subject] = (
                        Clash(subject, None, partner)
                        if partner >= 0
                        else Clash(subject, stored[-1 - partner], None)
                    )
            if reach is None or end > reach[0]:
                reach = (end, key)
    return [found[i] for i in sorted(found)]


def segments_in_order(segments: Sequence[Segment]) -> bool:
    """True when each segment ends after it starts and before the next one starts."""
    for a, b in itertools.pairwise(segments):
        if a.end is None or b.start < a.end:
            return False
    return all(seg.end is None or seg.end >= seg.start for seg in segments)


class Spans:
    """Spans of time (aware start and end pairs, any order, overlapping or not) asked
    whether a session's span meets one: sorted and joined once, then each question is a
    bisection of plain timestamps (comparing aware datetimes of other offsets is slow,
    and an import asks it of every stored session in its range)."""

    def __init__(self, spans: Iterable[tuple[datetime, datetime]]) -> None:
        pairs = sorted(spans)
        self.first = pairs[0][0] if pairs else None
        self.last = max((end for _start, end in pairs), default=None)
        self._starts: list[float] = []
        self._ends: list[float] = []
        for start, end in sorted((a.timestamp(), b.timestamp()) for a, b in pairs):
            if self._ends and start <= self._ends[-1]:
                self._ends[-1] = max(self._ends[-1], end)
            else:
                self._starts.append(start)
                self._ends.append(end)

    def meets(self, start: datetime, end: datetime | None) -> bool:
        """True when ``start``..``end`` (``None``: open) overlaps one of the spans."""
        at = start.timestamp()
        i = bisect.bisect_right(self._starts, at) - 1  # the last span starting at or before
        if i >= 0 and self._ends[i] > at:
            return True
        return i + 1 < len(self._starts) and (end is None or self._starts[i + 1] < end.timestamp())
