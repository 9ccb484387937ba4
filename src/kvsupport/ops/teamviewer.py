"""``kvsupport import teamviewer``: TeamViewer's connection log into sessions (SPEC §11).

The log is read and grouped by the pure :mod:`kvsupport.core.teamviewer`; here the
proposal meets the ledger, inside one unit of work:

- a partner TeamViewer ID finds its client through the clients' TeamViewer IDs;
  the rows of an unknown ID are listed (with the display name), not guessed;
- a row whose ``{GUID}`` a stored segment keeps as its ``ref`` is there already
  (the same file imported again, or a later copy of the growing log); the new rows
  of a group that has stored ones are added to that stored session, so a
  reconnect that came after the last import is still one session, one minimum;
- a row overlapping a session of the consultant in the ledger (or one planned
  just before it) is reported and skipped, never billed twice;
- every new session must meet its service's requirements (``remote`` needs the
  backup confirmed: ``--backup-confirmed``) and the length limit, else nothing is
  stored, as ``import`` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta, tzinfo
from typing import NamedTuple

from kvsupport.core.billing import Charge, charge_for, local_date
from kvsupport.core.models import Client, Segment, Session
from kvsupport.core.rules import first_overlap, missing_requirements, segments_in_order
from kvsupport.core.teamviewer import ConnectionLog, ProposedSession, Skipped, propose_sessions
from kvsupport.errors import KvsupportError, Problems, Refused
from kvsupport.i18n import _, ngettext
from kvsupport.ops.env import Env
from kvsupport.storage.api import Store

#: what imported sessions carry as their ``source``
SOURCE = "teamviewer"
MAX_REPORTED = 50


class Options(NamedTuple):
    """How to read and group the log, and what the sessions are."""

    tz: tzinfo  # the zone the log's stamps are in
    merge_gap: timedelta
    minimum: timedelta
    service: str
    backup_confirmed: bool = False
    allow_long: bool = False
    dry_run: bool = False


class Planned(NamedTuple):
    """A session the import stores: a new one (``added_to`` is ``None``, ``session.id``
    is given when stored) or a stored one with more segments."""

    session: Session
    added: tuple[Segment, ...]  # the segments this import gives it
    lines: tuple[int, ...]  # the log's lines of those segments
    partner_id: str
    display_name: str
    client: Client
    charge: Charge
    added_to: int | None = None
    #: the stored, invoiced session these rows continue within the merge gap, and its
    #: invoice: it is frozen, so they are a new session and its minimum is charged again
    continues: tuple[int, str] | None = None


class Unknown(NamedTuple):
    """Rows of a partner no client's TeamViewer IDs name."""

    partner_id: str
    display_name: str
    connections: int
    seconds: int


class Overlap(NamedTuple):
    """A row left out because the consultant was busy with another session then."""

    line: int
    segment: Segment
    other: Session


class Plan(NamedTuple):
    """What an import does (or, with ``--dry-run``, would do)."""

    planned: list[Planned]
    unknown: list[Unknown]
    already: int  # rows a stored segment has already
    overlaps: list[Overlap]
    skipped: tuple[Skipped, ...]
    stored: bool  # False for a dry run
    #: why the import is refused, each naming a line (a dry run returns them: see :func:`refusal`)
    problems: tuple[str, ...] = ()


def refuse_shared_ids(store: Store, client: Client) -> None:
    """Refuse ``client`` when another client has one of its TeamViewer IDs: an ID must
    name one client, or a connection log could not say whose connection a row is."""
    mine = {_digits(i) for i in client.teamviewer_ids}
    for other in store.clients().values():
        if other.code == client.code:
            continue
        shared = mine & {_digits(i) for i in other.teamviewer_ids}
        if shared:
            raise Refused(
                _("TeamViewer ID {id} is client {other}'s already").format(id=min(shared), other=other.code),
                hint=_("one ID names one client; log the sessions of a shared computer with 'session add'"),
            )


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def import_log(env: Env, log: ConnectionLog, options: Options) -> Plan:
    """Plan the sessions of ``log`` against the ledger and store them, all or nothing: a
    session that breaks a rule refuses them all (:func:`refusal`). ``options.dry_run``
    stores nothing and returns the plan with its problems, to show them all."""
    if log.problems:
        shown = [str(p) for p in log.problems[:MAX_REPORTED]]
        raise Problems(
            shown, hint=_("fix or delete these lines of the log; nothing was imported"), exit_code=2
        )
    proposal = propose_sessions(log.connections, merge_gap=options.merge_gap, minimum=options.minimum)
    with env.store(write=not options.dry_run) as store:
        draft, problems = _plan(env, store, proposal.sessions, options)
        plan = Plan(
            draft.planned,
            draft.unknown,
            draft.already,
            draft.overlaps,
            proposal.skipped,
            False,
            tuple(problems),
        )
        if options.dry_run:
            return plan
        if problems:
            raise refusal(plan)
        stored = []
        for item in plan.planned:  # oldest first: new sessions get their ids in that order
            session = item.session
            if item.added_to is None:
                session = session._replace(id=store.new_session_id())
            store.put_session(session)
            stored.append(item._replace(session=session))
        return plan._replace(planned=stored, stored=True)


class _Draft(NamedTuple):
    planned: list[Planned]
    unknown: list[Unknown]
    already: int
    overlaps: list[Overlap]


def _plan(
    env: Env, store: Store, proposed: Iterable[ProposedSession], options: Options
) -> tuple[_Draft, list[str]]:
    proposed = list(proposed)
    owners = {_digits(i): c for c in store.clients().values() for i in c.teamviewer_ids}
    nearby: dict[int, Session] = {}
    if proposed:
        first = min(p.start for p in proposed) - options.merge_gap
        last = max(p.end for p in proposed) + options.merge_gap
        nearby = {s.id: s for s in store.sessions_touching(first, last)}
    by_ref = {seg.ref: s.id for s in nearby.values() for seg in s.segments if seg.ref}
    unknown: dict[str, Unknown] = {}
    planned: dict[object, Planned] = {}  # by the stored id added to, or by the first line
    placed: list[Session] = []  # new sessions planned so far, for overlaps among them
    overlaps: list[Overlap] = []
    problems: list[str] = []
    already = 0
    for group in proposed:
        client = owners.get(group.partner_id)
        if client is None:
            unknown[group.partner_id] = _unknown(unknown.get(group.partner_id), group)
            continue
        known = [seg for seg in group.segments if seg.ref in by_ref]
        already += len(known)
        target = _target(nearby, [by_ref[seg.ref] for seg in known], client)
        frozen = _frozen(nearby, [by_ref[seg.ref] for seg in known], client)
        fresh: list[tuple[Segment, int]] = []
        for seg in group.segments:
            if seg.ref in by_ref:
                continue
            segment = Segment(env.local(seg.start), env.local(seg.end), seg.ref)
            probe = Session(0, client.code, options.service, (segment,), consultant=env.consultant)
            others = [s for s in [*nearby.values(), *placed] if target is None or s.id != target.id]
            other = first_overlap(probe, others)
            if other is not None:
                overlaps.append(Overlap(seg.line, segment, other))
                continue
            fresh.append((segment, seg.line))
        if not fresh:
            continue
        key: object = target.id if target is not None else ("new", fresh[0][1])
        earlier = planned.get(key)
        base = earlier.session if earlier is not None else target
        session = _session(env, client, base, fresh, options)
        where = _("line {line}").format(line=fresh[0][1])
        problem = _problem(env, client, session, [seg for seg, _line in fresh], options)
        if problem is not None:
            problems.append(f"{where}: {problem}")
            if not _chargeable(env, session):
                continue
        added = (*(earlier.added if earlier else ()), *(seg for seg, _line in fresh))
        lines = (*(earlier.lines if earlier else ()), *(line for _seg, line in fresh))
        charge = charge_for(session, env.tariffs, env.tz)
        planned[key] = Planned(
            session,
            added,
            lines,
            group.partner_id,
            group.display_name,
            client,
            charge,
            None if target is None else target.id,
            earlier.continues if earlier is not None else frozen,
        )
        if target is not None:
            nearby[target.id] = session
        else:
            placed.append(session)  # its id (minus its first line) names it until it is stored
    ordered = sorted(planned.values(), key=lambda p: p.session.started_at)
    return _Draft(ordered, list(unknown.values()), already, overlaps), problems


def refusal(plan: Plan) -> Problems:
    """The error that refuses ``plan``: its problems, each on its own line (exit 1)."""
    from kvsupport.ops.transfer import not_imported

    problems = list(plan.problems)
    return Problems(problems[:MAX_REPORTED], hint=not_imported(len(problems), MAX_REPORTED), exit_code=1)


def _unknown(earlier: Unknown | None, group: ProposedSession) -> Unknown:
    connections = len(group.segments) + (earlier.connections if earlier else 0)
    seconds = group.worked_seconds + (earlier.seconds if earlier else 0)
    name = (earlier.display_name if earlier else "") or group.display_name
    return Unknown(group.partner_id, name, connections, seconds)


def _target(nearby: dict[int, Session], ids: list[int], client: Client) -> Session | None:
    """The stored session the new rows of a group join: the one holding the group's
    latest stored row, if it is the same client's and not invoiced (an invoiced one is
    frozen: the new rows are a session of their own)."""
    if not ids:
        return None
    session = nearby[ids[-1]]
    if session.client != client.code or session.invoice is not None:
        return None
    return session


def _frozen(nearby: dict[int, Session], ids: list[int], client: Client) -> tuple[int, str] | None:
    """The invoiced session of the same client that the new rows of a group continue
    (within the merge gap of its latest stored row), with its invoice's number."""
    if not ids:
        return None
    session = nearby[ids[-1]]
    if session.client != client.code or session.invoice is None:
        return None
    return session.id, session.invoice


def continued_warning(item: Planned, *, stored: bool) -> str | None:
    """What a consultant must know about rows that continue an invoiced session: they
    are a new session, with a second minimum; to merge them, void and import again."""
    if item.continues is None:
        return None
    session, invoice = item.continues
    template = (
        _(
            "line {line} continues session {session}, already on invoice {invoice}: imported as "
            "a new session, its minimum charged again; to make it one session, void invoice {invoice} "
            "and import the log again"
        )
        if stored
        else _(
            "line {line} continues session {session}, already on invoice {invoice}: it would be "
            "a new session, its minimum charged again; to make it one session, void invoice {invoice} "
            "and import the log again"
        )
    )
    return template.format(line=item.lines[0], session=session, invoice=invoice)


def _chargeable(env: Env, session: Session) -> bool:
    """True when a tariff prices ``session`` (a refused one is still shown by a dry run)."""
    try:
        env.tariffs.service_on(session.service, local_date(session.started_at, env.tz))
    except KvsupportError:
        return False
    return True


def _session(
    env: Env, client: Client, base: Session | None, fresh: list[tuple[Segment, int]], options: Options
) -> Session:
    """``base`` with the ``fresh`` segments (and their lines) added, or a new session of
    them, whose id until it is stored is minus the line of its first row."""
    if base is None:
        return Session(
            id=-fresh[0][1],
            client=client.code,
            service=options.service,
            segments=tuple(sorted((seg for seg, _ in fresh), key=lambda s: s.start)),
            backup_confirmed=options.backup_confirmed,
            consultant=env.consultant,
            source=SOURCE,
        )
    return base._replace(
        segments=tuple(sorted((*base.segments, *(seg for seg, _ in fresh)), key=lambda s: s.start)),
        backup_confirmed=base.backup_confirmed or options.backup_confirmed,
    )


def _problem(
    env: Env, client: Client, session: Session, fresh: list[Segment], options: Options
) -> str | None:
    """Why ``session`` may not be stored, or ``None``."""
    from kvsupport.ops.sessions import check_length, requirement_names

    try:
        _version, service = env.tariffs.service_on(session.service, local_date(session.started_at, env.tz))
        for seg in fresh:
            assert seg.end is not None
            check_length(env, seg.start, seg.end, allow_long=options.allow_long)
    except KvsupportError as exc:
        return exc.message
    if not segments_in_order(session.segments):
        return _("its connections overlap the segments of session {id}").format(id=session.id)
    missing = missing_requirements(service, session, client)
    if not missing:
        return None
    if missing == ["backup_confirmed"]:
        return _(
            "{service} for {client} needs the backup confirmed: pass --backup-confirmed "
            "if the client made a backup before each of these sessions"
        ).format(service=session.service, client=client.code)
    return _("{service} for {client} needs {missing} on record, which a connection log cannot give").format(
        service=session.service, client=client.code, missing=requirement_names(missing)
    )


def summary(plan: Plan) -> list[str]:
    """What the import did (or would do), for stderr: sessions stored, rows added to
    stored sessions, rows that were there already."""
    new = [p for p in plan.planned if p.added_to is None]
    more = [p for p in plan.planned if p.added_to is not None]
    already = ngettext(
        "{n} connection was in the ledger already", "{n} connections were in the ledger already", plan.already
    ).format(n=plan.already)
    if not plan.planned:
        return [
            _("nothing new to import: {already}").format(already=already)
            if plan.already
            else _("nothing to import")
        ]
    lines = []
    if new or not more:
        rows = sum(len(p.added) for p in new)
        template = (
            ngettext("imported {n} session", "imported {n} sessions", len(new))
            if plan.stored
            else ngettext("would import {n} session", "would import {n} sessions", len(new))
        )
        lines.append(
            template.format(n=len(new))
            + " "
            + ngettext("({n} connection)", "({n} connections)", rows).format(n=rows)
        )
    for item in more:
        n = len(item.added)
        template = (
            ngettext("added {n} connection to session {id}", "added {n} connections to session {id}", n)
            if plan.stored
            else ngettext(
                "would add {n} connection to session {id}", "would add {n} connections to session {id}", n
            )
        )
        lines.append(template.format(n=n, id=item.added_to))
    if plan.already:
        lines.append(already)
    return lines
