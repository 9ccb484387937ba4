"""Session actions: start, stop, resume, cancel, status, add, edit, delete, list, show."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple

from kvsupport.core import readable
from kvsupport.core.billing import Charge, charge_for, local_date, local_midnight
from kvsupport.core.models import Client, Evidence, Order, Segment, Session
from kvsupport.core.rules import first_overlap, missing_requirements
from kvsupport.errors import InvalidValue, NotFound, Refused
from kvsupport.i18n import N_, NC_, _, pgettext
from kvsupport.ops.client_codes import active
from kvsupport.ops.env import Env
from kvsupport.ops.orders import order_is
from kvsupport.storage.api import Store

LONG_SESSION = timedelta(hours=8)
FUTURE_SLACK = timedelta(minutes=1)

#: what a service may need on record (SPEC §6), as a message names it
REQUIREMENTS = {
    "problem": NC_("requirement", "problem"),
    "phone": NC_("requirement", "phone"),
    "consent": NC_("requirement", "consent"),
    "backup_confirmed": NC_("requirement", "backup confirmed"),
}

_HOW_TO_GIVE = {
    "problem": N_("--problem TEXT (what the client describes)"),
    "phone": N_("--phone P (or store one with 'kvsupport client edit CODE --phone P')"),
    "consent": N_("--consent TEXT (the client's explicit agreement to pay, e.g. 'письмо от 20.11.2026')"),
    "backup_confirmed": N_("--backup-confirmed (the client made a backup before the session)"),
}

#: a time that may not be in the future, by what it is
_IN_THE_FUTURE = {
    "start": N_("start {moment} is in the future"),
    "stop": N_("stop {moment} is in the future"),
    "resume": N_("resume {moment} is in the future"),
    "end": N_("end {moment} is in the future"),
}


def requirement_names(missing: list[str]) -> str:
    """``consent, backup confirmed``: what a session lacks (:func:`missing_requirements`),
    as the interface names it."""
    return ", ".join(
        pgettext("requirement", REQUIREMENTS[m]) if m in REQUIREMENTS else m.replace("_", " ")
        for m in missing
    )


class Details(NamedTuple):
    """What the consultant records about a session (SPEC §6)."""

    problem: str | None = None
    phone: str | None = None
    consent: str | None = None
    backup_confirmed: bool = False
    order: int | None = None
    note: str | None = None
    evidence: Evidence | None = None  # the client's letter (``--letter``)


class Outcome(NamedTuple):
    """A session after an action, its charge, and warnings for stderr."""

    session: Session
    charge: Charge | None = None
    client: Client | None = None
    warnings: list[str] = []  # noqa: RUF012 - never mutated, a new list is passed
    dropped_segment: bool = False
    #: what the command read differently from the plain text, to echo (a date moved)
    notes: list[str] = []  # noqa: RUF012 - never mutated, a new list is passed


def so_far_at(env: Env, session: Session) -> datetime:
    """The "now" of a running session's charge so far: the current whole minute, what a
    stop now would record (so status and stop never bill a different minute), never
    before its last start."""
    from kvsupport.core.timeinput import current_minute

    return max(current_minute(env.now, tz=env.tz), session.segments[-1].start)


def check_rules(env: Env, store: Store, session: Session, *, allow_overlap: bool) -> list[str]:
    """Refuse a session that breaks SPEC §3.1, §3.6 or §6; return warnings."""
    client = store.client(session.client)
    on = local_date(session.started_at, env.tz)
    _version, service = env.tariffs.service_on(session.service, on)
    missing = missing_requirements(service, session, client)
    if missing:
        raise Refused(
            _("{service} for {client} needs {missing} on record before it starts").format(
                service=session.service, client=client.code, missing=requirement_names(missing)
            ),
            hint=_("give {options}").format(options="; ".join(_(_HOW_TO_GIVE[m]) for m in missing)),
        )
    if not allow_overlap:
        other = first_overlap(session, store.sessions_touching(session.started_at, session.ended_at))
        if other is not None:
            raise Refused(
                _("overlaps session {id} ({client}, {service}, {span})").format(
                    id=other.id, client=other.client, service=other.service, span=_span(env, other)
                ),
                hint=_(
                    "one consultant does one session at a time; pass --allow-overlap if this is really so"
                ),
            )
    warnings = []
    if service.is_free and client.license_until is not None and client.license_until < on:
        warnings.append(
            _("{client}'s licence ended {date}: the free line is for clients with a valid licence").format(
                client=client.code, date=readable.day(client.license_until)
            )
        )
    return warnings


def span_text(
    env: Env,
    start: datetime,
    end: datetime | None,
    *,
    dated: bool = False,
    open_end: str = "…",
    clock: str = "%H:%M",
) -> str:
    """``10:00–11:01`` in local time (``dated``: with the start's date); an end on
    another day carries its date, ``23:30–2026-11-28 00:30``; no end: ``open_end``."""
    first = env.local(start)
    shown = f"{first:%Y-%m-%d {clock}}" if dated else f"{first:{clock}}"
    if end is None:
        return f"{shown}–{open_end}"
    last = env.local(end)
    until = f"{last:{clock}}" if last.date() == first.date() else f"{last:%Y-%m-%d {clock}}"
    return f"{shown}–{until}"


def _span(env: Env, s: Session) -> str:
    return _shown_span(env, s.started_at, s.ended_at, open_end=_("running"))


def _shown_span(env: Env, start: datetime, end: datetime | None, *, open_end: str = "…") -> str:
    """A dated span inside a message: dates as the interface writes them (``03.11.2026`` in
    Russian); :func:`span_text` is the machine's form."""
    last = None if end is None else env.local(end)
    return readable.span(env.local(start), last, dated=True, open_end=open_end)


def _not_future(env: Env, moment: datetime, what: str) -> None:
    """Refuse a ``start``, ``stop``, ``resume`` or ``end`` time after now."""
    if moment > env.now + FUTURE_SLACK:
        raise InvalidValue(
            _(_IN_THE_FUTURE[what]).format(moment=readable.day_and_time(env.local(moment))),
            hint=_("use 'kvsupport order add' to schedule a session") if what == "start" else None,
        )


def check_length(env: Env, start: datetime, end: datetime, *, allow_long: bool) -> None:
    """Refuse a segment longer than the config's ``session.max_hours`` (default 24) unless
    ``allow_long``: ``--duration 10000h`` is a typo, not 416 days of billable work."""
    limit = env.config.get("session.max_hours")
    assert isinstance(limit, int)
    from kvsupport.core.timeinput import elapsed, format_duration

    length = elapsed(start, end)
    if allow_long or length <= timedelta(hours=limit):
        return
    raise InvalidValue(
        _("{span} lasts {length}, longer than the limit of {limit} h").format(
            span=_shown_span(env, start, end),
            length=format_duration(int(length.total_seconds())),
            limit=limit,
        ),
        hint=_(
            "pass --allow-long if it really lasted that long, or raise the limit: "
            "kvsupport config set session.max_hours HOURS"
        ),
    )


#: a time for a start, a stop, a resume or an edit: as typed, already read, or ``None``: now
At = str | datetime | None


def read_time(
    env: Env, text: At, notes: list[str], *, on: date | None = None, after: datetime | None = None
) -> datetime:
    """A time the consultant typed for a start, a stop or an edit (``None``: now, read
    again here, inside the unit of work, in whole minutes). A bare ``HH:MM`` takes the
    date ``on``, or of ``after`` (the session it belongs to); when a rule moved the date,
    ``notes`` says what was taken."""
    from kvsupport.core.timeinput import current_minute, read_moment

    if isinstance(text, datetime):
        return text
    if text is None:
        return current_minute(env.tick(), tz=env.tz)
    read = read_moment(text, now=env.now, tz=env.tz, on=on, after=after, past=True)
    if read.shifted:
        shown = readable.day_and_time(env.local(read.at))
        notes.append(_("'{typed}' is taken as {moment}").format(typed=text.strip(), moment=shown))
    return read.at


def _take_order(store: Store, order_id: int, client: str | None, service: str | None) -> Order:
    if client is not None:
        client = store.client(client).code
    for order in store.orders():
        if order.id == order_id:
            if order.status != "open":
                raise Refused(order_is(order))
            if (client and client != order.client) or (service and service != order.service):
                raise InvalidValue(
                    _("order {id} is for {client} {service}").format(
                        id=order_id, client=order.client, service=order.service
                    ),
                    hint=_("leave out CLIENT and SERVICE to take them from the order"),
                )
            return order
    raise Refused(_("no order {id}").format(id=order_id), hint=_("see 'kvsupport order list'"))


def start(
    env: Env,
    client: str | None,
    service: str | None,
    at: At,
    details: Details,
    *,
    allow_overlap: bool = False,
) -> Outcome:
    """Begin a session at the time typed as ``at`` (``None``: now, read once the ledger is
    ours); one runs at a time per consultant."""
    notes: list[str] = []
    with env.store(write=True) as store:
        begin = read_time(env, at, notes)
        _not_future(env, begin, "start")
        running = store.running(env.consultant)
        if running is not None:
            raise Refused(
                _("session {id} is running ({client}, {service}, since {time})").format(
                    id=running.id,
                    client=running.client,
                    service=running.service,
                    time=f"{env.local(running.started_at):%H:%M}",
                ),
                hint=_("stop it first: kvsupport session stop"),
            )
        order: Order | None = None
        if details.order is not None:
            order = _take_order(store, details.order, client, service)
            client, service = order.client, order.service
            details = details._replace(
                problem=details.problem or order.problem,
                phone=details.phone or order.phone,
                order=order.id,
                consent=details.consent or order.consent,
                evidence=details.evidence or order.evidence,
            )
        if client is None or service is None:
            raise InvalidValue(_("give CLIENT and SERVICE, or --order N"))
        client = active(store, client).code
        draft = Session(
            id=0,
            client=client,
            service=service,
            segments=(Segment(begin),),
            allow_overlap=allow_overlap,
            consultant=env.consultant,
            **details._asdict(),
        )
        warnings = check_rules(env, store, draft, allow_overlap=allow_overlap)
        session = draft._replace(id=store.new_session_id())
        store.put_session(session)
        if order is not None:
            store.put_order(order._replace(status="done", session=session.id))
        so_far = charge_for(session, env.tariffs, env.tz, so_far_at(env, session))
        return Outcome(session, so_far, store.client(client), warnings, notes=notes)


def stop(env: Env, at: At, note: str | None = None, *, allow_long: bool = False) -> Outcome:
    """End the consultant's running session at the time typed as ``at`` (``None``: now;
    a bare ``HH:MM`` on the session's date); a note adds to the session's note. A
    segment over the length limit (a session forgotten over the weekend) is refused
    unless ``allow_long``."""
    notes: list[str] = []
    with env.store(write=True) as store:
        running = store.running(env.consultant)
        if running is None:
            raise Refused(
                _("no session is running"), hint=_("start one: kvsupport session start CLIENT SERVICE")
            )
        last = running.segments[-1]
        at_time = read_time(env, at, notes, after=last.start)
        _not_future(env, at_time, "stop")
        if at_time <= last.start:
            # Times from the clock are whole minutes: a stop in the start's own minute lands here.
            same_minute = _(
                "it started this minute: stop it a minute later, or drop it with 'kvsupport session cancel'"
            )
            raise InvalidValue(
                _("stop {stop} is not after the start {start}").format(
                    stop=readable.day_and_time(env.local(at_time)),
                    start=readable.day_and_time(env.local(last.start)),
                ),
                hint=same_minute if at_time == last.start else None,
            )
        check_length(env, last.start, at_time, allow_long=allow_long)
        segments = (*running.segments[:-1], Segment(last.start, at_time))
        session = running._replace(segments=segments, note=_added(running.note, note))
        store.put_session(session)
        warnings = []
        if at_time - last.start > LONG_SESSION:
            warnings.append(
                _(
                    "this segment lasted {length}: if you forgot to stop, fix it "
                    "with 'kvsupport session edit {id} --end T'"
                ).format(length=_hours(at_time - last.start), id=session.id)
            )
        charge = charge_for(session, env.tariffs, env.tz)
        if charge.worked_seconds < 60 and charge.billable_minutes > 0:
            warnings.append(
                _(
                    "session {id} lasted {seconds} s and is billed {minutes} min; "
                    "if it was a slip: kvsupport session delete {id}"
                ).format(id=session.id, seconds=charge.worked_seconds, minutes=charge.billable_minutes)
            )
        return Outcome(session, charge, store.client(session.client), warnings, notes=notes)


def _added(note: str | None, more: str | None) -> str | None:
    """A note with ``more`` added on a new line (a second stop of a resumed session adds to
    what the first one wrote, never replaces it)."""
    if not more or not more.strip():
        return note
    if not note:
        return more
    return note if more in note.split("\n") else f"{note}\n{more}"


def _hours(delta: timedelta) -> str:
    """``9h05m`` (``9 ч 05 мин`` in Russian): how long a segment ran."""
    minutes = int(delta.total_seconds()) // 60
    return _("{hours}h{minutes:02d}m").format(hours=minutes // 60, minutes=minutes % 60)


def resume(env: Env, session_id: int | None, at: At) -> Outcome:
    """Continue a stopped session after a dropped link: a new segment, one minimum. A bare
    ``HH:MM`` in ``at`` is on the date the session last ended."""
    notes: list[str] = []
    with env.store(write=True) as store:
        running = store.running(env.consultant)
        if running is not None:
            raise Refused(
                _("session {id} is running").format(id=running.id),
                hint=_("stop it first: kvsupport session stop"),
            )
        if session_id is None:
            session_id = store.last_stopped_id(env.consultant)
            if session_id is None:
                raise Refused(
                    _("no stopped session to resume"), hint=_("give its ID: kvsupport session resume ID")
                )
        session = store.session(session_id)
        if session.invoice is not None:
            raise Refused(
                _("session {id} is on invoice {invoice}").format(id=session.id, invoice=session.invoice)
            )
        end = session.ended_at
        if end is None:
            raise Refused(_("session {id} is running already").format(id=session.id))
        at_time = read_time(env, at, notes, after=end)
        _not_future(env, at_time, "resume")
        if at_time < end:
            raise InvalidValue(
                _("resume {resume} is before the session's last end {end}").format(
                    resume=f"{env.local(at_time):%H:%M}", end=f"{env.local(end):%H:%M}"
                )
            )
        resumed = session._replace(segments=(*session.segments, Segment(at_time)))
        if not session.allow_overlap:
            other = first_overlap(resumed, store.sessions_touching(at_time, None))
            if other is not None:
                raise Refused(
                    _("overlaps session {id} ({client}, {service})").format(
                        id=other.id, client=other.client, service=other.service
                    )
                )
        store.put_session(resumed)
        so_far = charge_for(resumed, env.tariffs, env.tz, so_far_at(env, resumed))
        return Outcome(resumed, so_far, store.client(resumed.client), notes=notes)


def cancel(env: Env) -> Outcome:
    """Discard the running session; of a resumed one, only the open segment."""
    with env.store(write=True) as store:
        running = store.running(env.consultant)
        if running is None:
            raise Refused(_("no session is running"))
        if len(running.segments) == 1:
            store.delete_session(running.id)
            _reopen_order(store, running)
            return Outcome(running, client=store.client(running.client))
        kept = running._replace(segments=running.segments[:-1])
        store.put_session(kept)
        charge = charge_for(kept, env.tariffs, env.tz)
        return Outcome(kept, charge, client=store.client(kept.client), dropped_segment=True)


class Status(NamedTuple):
    """What ``session status`` shows."""

    running: Outcome | None
    next_order: Order | None
    missed: list[Order] = []  # noqa: RUF012 - never mutated, a new list is passed


def status(env: Env) -> Status:
    """The consultant's running session with its charge so far, today's next order, and
    the orders missed (their time passed, no session started)."""
    from kvsupport.ops.orders import GRACE, is_missed

    with env.store() as store:
        running = store.running(env.consultant)
        today = env.today
        orders = store.orders()
        upcoming = [
            o
            for o in orders
            if o.status == "open" and o.at >= env.now - GRACE and env.local(o.at).date() == today
        ]
        next_order = min(upcoming, key=lambda o: o.at) if upcoming else None
        missed = sorted((o for o in orders if is_missed(o, env.now)), key=lambda o: o.at)
        if running is None:
            return Status(None, next_order, missed)
        charge = charge_for(running, env.tariffs, env.tz, so_far_at(env, running))
        warnings = []
        elapsed = env.now - running.segments[-1].start
        if elapsed > LONG_SESSION:
            warnings.append(
                _("running for {length}: did you forget to stop it?").format(length=_hours(elapsed))
            )
        outcome = Outcome(running, charge, store.client(running.client), warnings)
        return Status(outcome, next_order, missed)


def add(
    env: Env,
    client: str,
    service: str,
    start_at: datetime,
    end_at: datetime,
    details: Details,
    *,
    allow_overlap: bool = False,
    allow_long: bool = False,
) -> Outcome:
    """Log a past session."""
    if end_at <= start_at:
        raise InvalidValue(_("the end must be after the start"))
    _not_future(env, end_at, "end")
    check_length(env, start_at, end_at, allow_long=allow_long)
    with env.store(write=True) as store:
        client = active(store, client).code
        draft = Session(
            id=0,
            client=client,
            service=service,
            segments=(Segment(start_at, end_at),),
            allow_overlap=allow_overlap,
            consultant=env.consultant,
            **details._asdict(),
        )
        warnings = check_rules(env, store, draft, allow_overlap=allow_overlap)
        session = draft._replace(id=store.new_session_id())
        store.put_session(session)
        return Outcome(session, charge_for(session, env.tariffs, env.tz), store.client(client), warnings)


class Changes(NamedTuple):
    """What ``session edit`` changes; ``None`` leaves a field as it is, ``""`` clears a text."""

    client: str | None = None
    service: str | None = None
    problem: str | None = None
    phone: str | None = None
    consent: str | None = None
    note: str | None = None
    backup_confirmed: bool | None = None
    allow_overlap: bool | None = None
    start: At = None  # as typed: a bare HH:MM is on the session's date
    end: At = None  # as typed: a bare HH:MM is on the last segment's date
    duration: timedelta | None = None  # the worked time: the last segment's end moves

    def is_empty(self) -> bool:
        """True when nothing would change."""
        return all(value is None for value in self)


def _text_change(old: str | None, new: str | None) -> str | None:
    if new is None:
        return old
    return new if new.strip() else None


#: how many session ids ``session edit`` without an ID looks back for the caller's own
LOOK_BACK = 500


def latest_id(store: Store, consultant: str) -> int:
    """The id of ``consultant``'s most recent session: the running one, else the one
    recorded last (the highest id of theirs, or of nobody's: recorded before a ledger
    knew its consultants)."""
    running = store.running(consultant)
    if running is not None:
        return running.id
    top = store.counters().session
    for session_id in range(top, max(top - LOOK_BACK, 0), -1):
        try:
            found = store.session(session_id)
        except NotFound:  # deleted, or never stored
            continue
        if found.consultant in (consultant, None):
            return found.id
    last = store.last_stopped_id(consultant)
    if last is None:
        raise Refused(
            _("you have no session to edit"), hint=_("give its ID: kvsupport session edit ID --note TEXT")
        )
    return last


def edit(env: Env, session_id: int | None, changes: Changes, *, allow_long: bool = False) -> Outcome:
    """Change a session that is not on an invoice (``None``: the consultant's most recent,
    :func:`latest_id`)."""
    notes: list[str] = []
    with env.store(write=True) as store:
        if session_id is None:
            session_id = latest_id(store, env.consultant)
        session = store.session(session_id)
        _editable(session, deleting=False)
        segments = list(session.segments)
        if changes.start is not None:
            on = local_date(session.started_at, env.tz)
            start_at = read_time(env, changes.start, notes, on=on)
            _not_future(env, start_at, "start")
            segments[0] = segments[0]._replace(start=start_at)  # keeps its ref
        if changes.end is not None or changes.duration is not None:
            if segments[-1].end is None:
                raise Refused(_("session {id} is running: stop it with --at instead").format(id=session.id))
            if changes.duration is not None:
                end_at = _end_for(env, segments, changes.duration)
            else:
                end_at = read_time(env, changes.end, notes, after=segments[-1].start)
            _not_future(env, end_at, "end")
            segments[-1] = segments[-1]._replace(end=end_at)
        for seg in segments:
            if seg.end is not None and seg.end <= seg.start:
                raise InvalidValue(
                    _("a segment must end after it starts: {span}").format(
                        span=_shown_span(env, seg.start, seg.end)
                    ),
                    hint=_("give --start and --end as YYYY-MM-DD HH:MM for another day"),
                )
        last = len(segments) - 1
        moved_end = changes.end is not None or changes.duration is not None
        for index, seg in enumerate(segments):  # only what this edit changes: an allowed long one stays
            changed = (index == 0 and changes.start is not None) or (index == last and moved_end)
            if changed and seg.end is not None:
                check_length(env, seg.start, seg.end, allow_long=allow_long)
        edited = session._replace(
            segments=tuple(segments),
            client=session.client if changes.client is None else active(store, changes.client).code,
            service=changes.service or session.service,
            problem=_text_change(session.problem, changes.problem),
            phone=_text_change(session.phone, changes.phone),
            consent=_text_change(session.consent, changes.consent),
            note=_text_change(session.note, changes.note),
            backup_confirmed=session.backup_confirmed
            if changes.backup_confirmed is None
            else changes.backup_confirmed,
            allow_overlap=session.allow_overlap if changes.allow_overlap is None else changes.allow_overlap,
        )
        warnings = check_rules(env, store, edited, allow_overlap=edited.allow_overlap)
        store.put_session(edited)
        charge = None if edited.is_running else charge_for(edited, env.tariffs, env.tz)
        return Outcome(edited, charge, store.client(edited.client), warnings, notes=notes)


def _end_for(env: Env, segments: list[Segment], worked: timedelta) -> datetime:
    """The end of the last segment that makes the session's worked time ``worked``
    (the earlier segments stay as they are)."""
    from kvsupport.core.timeinput import add_elapsed, elapsed, format_duration

    earlier = sum((elapsed(seg.start, seg.end) for seg in segments[:-1] if seg.end), timedelta(0))
    if worked <= earlier:
        raise InvalidValue(
            _("--duration {worked} is not more than the earlier segments' {earlier}").format(
                worked=format_duration(int(worked.total_seconds())),
                earlier=format_duration(int(earlier.total_seconds())),
            ),
            hint=_("--duration is the session's whole worked time; its last segment's end moves"),
        )
    return add_elapsed(segments[-1].start, worked - earlier, tz=env.tz)


def _editable(session: Session, *, deleting: bool) -> None:
    """Refuse to edit (``deleting``: to delete) a session on an invoice."""
    if session.invoice is not None:
        message = (
            _("session {id} is on invoice {invoice} and cannot be deleted")
            if deleting
            else _("session {id} is on invoice {invoice} and cannot be edited")
        )
        raise Refused(
            message.format(id=session.id, invoice=session.invoice),
            hint=_("void the invoice first: kvsupport invoice void {invoice} --reason TEXT").format(
                invoice=session.invoice
            ),
        )


class Removed(NamedTuple):
    """A session deleted, its charge as it stood, and the order it reopened (if any)."""

    session: Session
    charge: Charge | None
    reopened_order: int | None


def delete(env: Env, session_id: int) -> Removed:
    """Remove a session that is not on an invoice."""
    with env.store(write=True) as store:
        session = store.session(session_id)
        _editable(session, deleting=True)
        store.delete_session(session_id)
        reopened = _reopen_order(store, session)
        try:
            charge: Charge | None = charge_for(session, env.tariffs, env.tz, so_far_at(env, session))
        except (Refused, NotFound):
            charge = None
        return Removed(session, charge, reopened)


def _reopen_order(store: Store, session: Session) -> int | None:
    """A session started from an order and then discarded: the order is open again (its id)."""
    if session.order is None:
        return None
    for order in store.orders():
        if order.id == session.order and order.session == session.id:
            store.put_order(order._replace(status="open", session=None))
            return order.id
    return None


def month_bounds(env: Env, year: int, month: int) -> tuple[datetime, datetime]:
    """The first instant of a local month and of the next one (a session of the month
    starts in between, SPEC §3.7)."""
    after = (year + 1, 1) if month == 12 else (year, month + 1)
    return local_midnight(year, month, env.tz), local_midnight(*after, env.tz)


def select(
    env: Env,
    store: Store,
    *,
    month: tuple[int, int] | None = None,
    client: str | None = None,
    unbilled: bool = False,
) -> list[Session]:
    """Sessions matching the filters (``client`` whatever its case), oldest first."""
    if client is not None:
        client = store.client(client).code
    if month is None:
        found = [s for batch in store.session_batches() for s in batch]
    else:
        found = store.sessions_between(*month_bounds(env, *month))
    chosen = []
    for s in found:
        if client and s.client != client:
            continue
        if unbilled and (s.invoice is not None or s.is_running):
            continue
        chosen.append(s)
    return chosen


def charged(env: Env, sessions: list[Session]) -> list[tuple[Session, Charge | None]]:
    """Each session with its charge (running ones: so far); ``None`` if no tariff applies."""
    out: list[tuple[Session, Charge | None]] = []
    for s in sessions:
        try:
            out.append((s, charge_for(s, env.tariffs, env.tz, so_far_at(env, s))))
        except (Refused, NotFound):
            out.append((s, None))
    return out


class Shown(NamedTuple):
    """What ``session show`` shows: the session, its charge and its client."""

    session: Session
    charge: Charge
    client: Client | None


def show(env: Env, session_id: int) -> Shown:
    """``session show``: a session, how its charge was reached, and its client."""
    with env.store() as store:
        session = store.session(session_id)
        client = store.clients().get(session.client)
    return Shown(session, charge_for(session, env.tariffs, env.tz, so_far_at(env, session)), client)
