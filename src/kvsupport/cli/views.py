"""How sessions look on screen and in JSON, shared by both front ends.

Plain text and dicts only (no typer, no rich): the fast path of ``session
start/stop/status`` prints with these too, so both front ends say the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kvsupport.core import records
from kvsupport.core.billing import Charge
from kvsupport.core.models import Client, Order, Session
from kvsupport.core.money import money_str
from kvsupport.core.timeinput import elapsed, format_duration
from kvsupport.i18n import N_, _
from kvsupport.ops.env import Env
from kvsupport.ops.sessions import Outcome, Status, so_far_at, span_text


def iso(env: Env, moment: datetime | None) -> str | None:
    """ISO 8601 in local time, with its offset."""
    return records.iso(moment, env.tz)


def clock(env: Env, moment: datetime) -> str:
    """``10:00`` today, ``2026-11-24 10:00`` on another day."""
    local = env.local(moment)
    if local.date() == env.today:
        return f"{local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"


def session_record(env: Env, session: Session, charge: Charge | None) -> dict[str, Any]:
    """The JSON shape of a session (:func:`kvsupport.core.records.session_record`)."""
    return records.session_record(session, charge, env.tz)


def _who(outcome: Outcome) -> str:
    s = outcome.session
    name = f" ({outcome.client.name})" if outcome.client else ""
    return f"{s.service} for {s.client}{name}"


def started(env: Env, outcome: Outcome) -> str:
    """The confirmation of ``session start``."""
    return (
        f"started session {outcome.session.id}: {_who(outcome)} at {clock(env, outcome.session.started_at)}"
    )


def resumed(env: Env, outcome: Outcome) -> str:
    """The confirmation of ``session resume``."""
    seg = outcome.session.segments[-1]
    n = len(outcome.session.segments)
    return f"resumed session {outcome.session.id} ({_who(outcome)}) at {clock(env, seg.start)}: segment {n}"


def charge_line(charge: Charge) -> str:
    """``worked 1h01m, billed 61 min × 1300.00/h = 1321.67 RUB``."""
    worked = format_duration(charge.worked_seconds)
    if charge.service.is_free:
        return f"worked {worked}, free ({charge.service.title})"
    return (
        f"worked {worked}, billed {charge.billable_minutes} min × "
        f"{money_str(charge.rate)}/h = {money_str(charge.amount)} RUB"
    )


def stopped(env: Env, outcome: Outcome) -> str:
    """The confirmation of ``session stop``."""
    s = outcome.session
    end = s.ended_at
    assert end is not None
    assert outcome.charge is not None
    return f"stopped session {s.id} ({_who(outcome)}) at {clock(env, end)}: {charge_line(outcome.charge)}"


def cancelled(env: Env, outcome: Outcome) -> str:
    """The confirmation of ``session cancel``: what was discarded."""
    s = outcome.session
    if outcome.dropped_segment:
        kept = format_duration(outcome.charge.worked_seconds) if outcome.charge else "?"
        return _(
            "dropped the open segment {n} of session {id}; its earlier segments are kept (worked {kept})"
        ).format(n=len(s.segments) + 1, id=s.id, kept=kept)
    text = _("cancelled session {id} ({who}), started {start}: {worked} not recorded").format(
        id=s.id,
        who=_who(outcome),
        start=clock(env, s.started_at),
        worked=format_duration(s.worked_seconds(env.now)),
    )
    if s.order is not None:
        text += _("; order {order} is open again").format(order=s.order)
    return text


def deleted(env: Env, session: Session, charge: Charge | None, reopened_order: int | None) -> str:
    """The confirmation of ``session delete``: the session as it was."""
    if charge is None:
        cost = ""
    elif charge.service.is_free:
        cost = _(", worked {worked}, free").format(worked=format_duration(charge.worked_seconds))
    else:
        cost = _(", worked {worked}, {amount} RUB").format(
            worked=format_duration(charge.worked_seconds), amount=money_str(charge.amount)
        )
    text = _("deleted session {id} ({client}, {service}, {span}{cost})").format(
        id=session.id,
        client=session.client,
        service=session.service,
        span=span_text(env, session.started_at, session.ended_at, dated=True),
        cost=cost,
    )
    if reopened_order is not None:
        text += _("; order {order} is open again").format(order=reopened_order)
    return text


def status_lines(env: Env, status: Status) -> list[str]:
    """What ``session status`` prints in text."""
    lines = []
    running = status.running
    if running is None:
        lines.append("no session is running")
    else:
        s = running.session
        assert running.charge is not None
        seg = f", segment {len(s.segments)}" if len(s.segments) > 1 else ""
        lines.append(f"session {s.id}: {_who(running)}, since {clock(env, s.segments[-1].start)}{seg}")
        lines.append(f"  {charge_line(running.charge)} so far")
        contact = _contact(running)
        if contact:
            lines.append(f"  {contact}")
        left = minimum_left(running.charge)
        if left is not None:
            minimum = running.charge.service.minimum_minutes
            if left:
                lines.append(
                    "  "
                    + _("the {minimum}-min minimum is used up in {left} min").format(
                        minimum=minimum, left=left
                    )
                )
            else:
                lines.append("  " + _("the {minimum}-min minimum is used up").format(minimum=minimum))
    order = status.next_order
    if order is not None:
        lines.append(
            f"next order today: #{order.id} {order.client} {order.service} at {clock(env, order.at)}"
        )
    lines += missed_lines(env, status.missed)
    return lines


#: how many missed orders ``session status`` names one by one
MISSED_SHOWN = 3


def missed_lines(env: Env, missed: list[Order]) -> list[str]:
    """One line per missed order (the latest few), with what to do about it."""
    text = _("missed order: #{id} {client} {service} at {at} (start it: --order {id}; or cancel it)")
    lines = [
        text.format(id=o.id, client=o.client, service=o.service, at=clock(env, o.at))
        for o in missed[-MISSED_SHOWN:]
    ]
    if len(missed) > MISSED_SHOWN:
        more = len(missed) - MISSED_SHOWN
        lines.insert(0, _("{n} more missed orders: kvsupport order list").format(n=more))
    return lines


def _order_brief(env: Env, order: Order) -> dict[str, Any]:
    return {"id": order.id, "client": order.client, "service": order.service, "at": iso(env, order.at)}


def phone_of(outcome: Outcome) -> str | None:
    """The phone to call: the session's own, else the client's."""
    return outcome.session.phone or (outcome.client.phone if outcome.client else None)


def _contact(outcome: Outcome) -> str:
    """``phone +7 495 123-45-67, TeamViewer 123 456 789`` (what is on record)."""
    parts = []
    phone = phone_of(outcome)
    if phone:
        parts.append(_("phone {phone}").format(phone=phone))
    teamviewer = outcome.client.teamviewer_ids if outcome.client else ()
    if teamviewer:
        parts.append(_("TeamViewer {id}").format(id=", ".join(teamviewer)))
    return ", ".join(parts)


def minimum_left(charge: Charge) -> int | None:
    """Whole minutes until the worked time reaches the service's minimum (0: reached);
    ``None`` for a service without a minimum, or a free one."""
    minimum = charge.service.minimum_minutes
    if minimum <= 0 or charge.service.is_free:
        return None
    seconds = max(minimum * 60 - charge.worked_seconds, 0)
    return -(-seconds // 60)


def status_record(env: Env, status: Status) -> dict[str, Any]:
    """The JSON shape of ``session status``: ``running`` (a session record or null) and
    ``next_order`` as ever, ``missed_orders``, and what the consultant needs at that
    moment: ``phone``, ``teamviewer_id`` (the first of ``teamviewer_ids``),
    ``minimum_left_minutes`` (null, and ``[]``, when nothing runs)."""
    running = status.running
    order = status.next_order
    record: dict[str, Any] = {
        "running": None if running is None else session_record(env, running.session, running.charge),
        "next_order": None if order is None else _order_brief(env, order),
        "missed_orders": [_order_brief(env, o) for o in status.missed],
        "phone": None,
        "teamviewer_id": None,
        "teamviewer_ids": [],
        "minimum_left_minutes": None,
    }
    if running is not None:
        record["phone"] = phone_of(running)
        record["teamviewer_id"] = running.client.teamviewer_id if running.client else None
        record["teamviewer_ids"] = list(running.client.teamviewer_ids) if running.client else []
        record["minimum_left_minutes"] = None if running.charge is None else minimum_left(running.charge)
    return record


def span(env: Env, session: Session) -> str:
    """``10:00–11:01`` (segments joined with commas), ``10:00–…`` while running; an end
    on a later day carries its date: ``23:30–2026-11-28 00:30``."""
    return ", ".join(span_text(env, seg.start, seg.end) for seg in session.segments)


def explain_record(charge: Charge) -> dict[str, Any]:
    """How the charge was reached, as data."""
    service = charge.service
    return {
        "date": charge.local_date.isoformat(),
        "tariff_title": charge.version.title,
        "service_title": service.title,
        "worked_seconds": charge.worked_seconds,
        "step_minutes": service.step_minutes,
        "rounding": service.rounding,
        "rounded_minutes": charge.rounded_minutes,
        "minimum_minutes": service.minimum_minutes,
        "minimum_applied": charge.billable_minutes > charge.rounded_minutes,
        "one_time_fee": None
        if service.one_time_fee is None
        else {"key": service.one_time_fee.key, "amount": money_str(service.one_time_fee.amount)},
    }


def explain_lines(env: Env, session: Session, charge: Charge, client: Client | None = None) -> list[str]:
    """``session show`` in text: the whole record, then every step from segments to the
    amount (SPEC §3.10)."""
    service = charge.service
    lines = [
        f"session {session.id}: {session.service} for {session.client}, {charge.local_date:%Y-%m-%d}"
        + (f" (on invoice {session.invoice})" if session.invoice else "")
        + (" — running" if session.is_running else ""),
        *record_lines(session_record(env, session, charge), client),
        "segments:",
    ]
    for i, seg in enumerate(session.segments, 1):
        end = seg.end or so_far_at(env, session)
        secs = int(elapsed(seg.start, end).total_seconds())
        shown = span_text(env, seg.start, seg.end, dated=True, open_end="now", clock="%H:%M:%S")
        ref = f"  {seg.ref}" if seg.ref else ""
        lines.append(f"  {i}. {shown.replace('–', ' – ', 1)}  {format_duration(secs)}{ref}")
    secs = charge.worked_seconds
    lines.append(f"worked:   {secs // 60} min {secs % 60} s ({secs} s)")
    lines.append(f"rounded:  {charge.rounded_minutes} min ({service.rounding} to {service.step_minutes} min)")
    minimum = service.minimum_minutes
    applied = " — applied" if charge.billable_minutes > charge.rounded_minutes else ""
    lines.append(f"minimum:  {minimum} min{applied}")
    lines.append(f"billed:   {charge.billable_minutes} min")
    lines.append(f"tariff:   {charge.version.title} (effective {charge.version.label})")
    lines.append(f"rate:     {money_str(charge.rate)} RUB/h")
    lines.append(
        f"amount:   {money_str(charge.rate)} × {charge.billable_minutes} / 60 = "
        f"{money_str(charge.amount)} RUB (half-up to kopecks)"
    )
    if service.one_time_fee is not None:
        fee = service.one_time_fee
        lines.append(
            f"one-time fee «{fee.title}» {money_str(fee.amount)} RUB: charged once per client, "
            "on the first invoice with such a session"
        )
    return lines + evidence_lines(session)


def evidence_lines(session: Session) -> list[str]:
    """Where ``session show`` says the session came from: TeamViewer's log, the client's
    letter and what was attached to it («Получена резервная копия: база.zip, 12,4 МБ, 24.11.2026»)."""
    from kvsupport.i18n import _

    lines = []
    if session.source == "teamviewer":
        lines.append(_("source:   TeamViewer's connection log (each segment keeps its connection's ID)"))
    if session.evidence is None:
        return lines
    from kvsupport.ops.evidence import human_size

    letter = session.evidence.letter
    sender = f"{letter.sender_name} <{letter.sender}>" if letter.sender_name else letter.sender
    day = f"{letter.date:%d.%m.%Y}"
    lines.append(
        _("letter:   {date} from {sender}, «{subject}»").format(
            date=f"{letter.date:%d.%m.%Y %H:%M %z}", sender=sender, subject=letter.subject
        )
    )
    lines.append(
        "          "
        + _("{file}, Message-ID {message_id}, sha256 {sha256}").format(
            file=letter.file_name or "?", message_id=letter.message_id or _("(none)"), sha256=letter.sha256
        )
    )
    from kvsupport.core.evidence import is_backup

    for item in session.evidence.attachments:
        template = (
            _("Backup received: {name}, {size}, {date}")
            if is_backup(item.name)
            else _("Attachment received: {name}, {size}, {date}")
        )
        lines.append(template.format(name=item.name, size=human_size(item.size), date=day))
        lines.append("          sha256 " + item.sha256)
    return lines


#: what ``session show`` prints of a session's record, in this order (key, label)
RECORD_LINES = (
    ("problem", N_("problem")),
    ("consent", N_("consent")),
    ("phone", N_("phone")),
    ("backup_confirmed", N_("backup")),
    ("note", N_("note")),
    ("order", N_("order")),
    ("consultant", N_("consultant")),
)  # evidence: :func:`evidence_lines`, after the charge


def record_lines(record: dict[str, Any], client: Client | None) -> list[str]:
    """The record's details, one ``label: value`` a line (a text of several lines indented
    under its first); what is not on record is left out. No phone of its own: the
    client's, said so."""
    lines = []
    for key, label in RECORD_LINES:
        value = record.get(key)
        if key == "phone" and not value and client is not None and client.phone:
            value = _("{phone} (the client's)").format(phone=client.phone)
        if key == "backup_confirmed":
            value = _("confirmed before the session") if value else None
        if key == "order" and value is not None:
            value = f"#{value}"
        if value in (None, "", [], {}):
            continue
        head = f"{_(label) + ':':9} "
        text = str(value).replace("\n", "\n" + " " * len(head))
        lines.append(head + text)
    return lines
