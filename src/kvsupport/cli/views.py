"""How sessions look on screen and in JSON, shared by both front ends.

Plain text and dicts only (no typer, no rich): the fast path of ``session
start/stop/status`` prints with these too, so both front ends say the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kvsupport.cli import figures
from kvsupport.cli.figures import duration, minutes, money, number
from kvsupport.core import records
from kvsupport.core.billing import Charge
from kvsupport.core.models import Client, Order, Session
from kvsupport.core.money import money_str
from kvsupport.core.timeinput import elapsed
from kvsupport.i18n import N_, _, ngettext
from kvsupport.ops.env import Env
from kvsupport.ops.sessions import Outcome, Status, so_far_at


def iso(env: Env, moment: datetime | None) -> str | None:
    """ISO 8601 in local time, with its offset."""
    return records.iso(moment, env.tz)


def clock(env: Env, moment: datetime) -> str:
    """``10:00`` today, ``2026-11-24 10:00`` on another day (``24.11.2026 10:00`` in Russian)."""
    local = env.local(moment)
    if local.date() == env.today:
        return f"{local:%H:%M}"
    return figures.day_and_time(local)


def span_text(
    env: Env,
    start: datetime,
    end: datetime | None,
    *,
    dated: bool = False,
    open_end: str = "…",
    clock: str = "%H:%M",
) -> str:
    """``10:00–11:01`` in local time (``dated``: with the start's date); an end on another
    day carries its date, ``23:30–2026-11-28 00:30``; no end: ``open_end``. Dates as the
    interface writes them (``28.11.2026`` in Russian): the text form of
    :func:`kvsupport.ops.sessions.span_text`."""
    from kvsupport.core.readable import span

    last = None if end is None else env.local(end)
    return span(env.local(start), last, dated=dated, open_end=open_end, clock=clock)


def session_record(env: Env, session: Session, charge: Charge | None) -> dict[str, Any]:
    """The JSON shape of a session (:func:`kvsupport.core.records.session_record`)."""
    return records.session_record(session, charge, env.tz)


def _who(outcome: Outcome) -> str:
    """``backup for romashka (ООО «Ромашка»)``: the service key and the client code as typed."""
    s = outcome.session
    if outcome.client:
        return _("{service} for {client} ({name})").format(
            service=s.service, client=s.client, name=outcome.client.name
        )
    return _("{service} for {client}").format(service=s.service, client=s.client)


def started(env: Env, outcome: Outcome) -> str:
    """The confirmation of ``session start``."""
    return _("started session {id}: {who} at {time}").format(
        id=outcome.session.id, who=_who(outcome), time=clock(env, outcome.session.started_at)
    )


def resumed(env: Env, outcome: Outcome) -> str:
    """The confirmation of ``session resume``."""
    seg = outcome.session.segments[-1]
    return _("resumed session {id} ({who}) at {time}: segment {n}").format(
        id=outcome.session.id, who=_who(outcome), time=clock(env, seg.start), n=len(outcome.session.segments)
    )


def charge_line(charge: Charge) -> str:
    """``worked 1h01m, billed 61 min × 1300.00/h = 1321.67 RUB`` (``отработано 1 ч 01 мин,
    к оплате 61 мин × 1 300,00 ₽/ч = 1 321,67 ₽``)."""
    worked = duration(charge.worked_seconds)
    if charge.service.is_free:
        return _("worked {worked}, free ({service})").format(worked=worked, service=charge.service.title)
    return _("worked {worked}, billed {minutes} × {rate} = {amount}").format(
        worked=worked,
        minutes=minutes(charge.billable_minutes),
        rate=figures.rate(charge.rate),
        amount=money(charge.amount),
    )


def stopped(env: Env, outcome: Outcome) -> str:
    """The confirmation of ``session stop``."""
    s = outcome.session
    end = s.ended_at
    assert end is not None
    assert outcome.charge is not None
    return _("stopped session {id} ({who}) at {time}: {charge}").format(
        id=s.id, who=_who(outcome), time=clock(env, end), charge=charge_line(outcome.charge)
    )


def cancelled(env: Env, outcome: Outcome) -> str:
    """The confirmation of ``session cancel``: what was discarded."""
    s = outcome.session
    if outcome.dropped_segment:
        kept = duration(outcome.charge.worked_seconds) if outcome.charge else "?"
        return _(
            "dropped the open segment {n} of session {id}; its earlier segments are kept (worked {kept})"
        ).format(n=len(s.segments) + 1, id=s.id, kept=kept)
    text = _("cancelled session {id} ({who}), started {start}: {worked} not recorded").format(
        id=s.id,
        who=_who(outcome),
        start=clock(env, s.started_at),
        worked=duration(s.worked_seconds(env.now)),
    )
    if s.order is not None:
        text += _("; order {order} is open again").format(order=s.order)
    return text


def deleted(env: Env, session: Session, charge: Charge | None, reopened_order: int | None) -> str:
    """The confirmation of ``session delete``: the session as it was."""
    if charge is None:
        cost = ""
    elif charge.service.is_free:
        cost = _(", worked {worked}, free").format(worked=duration(charge.worked_seconds))
    else:
        cost = _(", worked {worked}, {amount}").format(
            worked=duration(charge.worked_seconds), amount=money(charge.amount)
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
        lines.append(_("no session is running"))
    else:
        s = running.session
        assert running.charge is not None
        since = clock(env, s.segments[-1].start)
        if len(s.segments) > 1:
            head = _("session {id}: {who}, since {time}, segment {n}").format(
                id=s.id, who=_who(running), time=since, n=len(s.segments)
            )
        else:
            head = _("session {id}: {who}, since {time}").format(id=s.id, who=_who(running), time=since)
        lines.append(head)
        lines.append("  " + _("{charge} so far").format(charge=charge_line(running.charge)))
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
            _("next order today: #{id} {client} {service} at {time}").format(
                id=order.id, client=order.client, service=order.service, time=clock(env, order.at)
            )
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
        text = ngettext(  # the English has said "orders" for one as well; kept as it was
            "{n} more missed orders: kvsupport order list",
            "{n} more missed orders: kvsupport order list",
            more,
        )
        lines.insert(0, text.format(n=more))
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


def span(env: Env, session: Session, *, machine: bool = False) -> str:
    """``10:00–11:01`` (segments joined with commas), ``10:00–…`` while running; an end
    on a later day carries its date: ``23:30–2026-11-28 00:30`` (``28.11.2026`` in
    Russian; ``machine``: ISO in every language, for JSON and CSV)."""
    from kvsupport.ops.sessions import span_text as iso_span

    spans = iso_span if machine else span_text
    return ", ".join(spans(env, seg.start, seg.end) for seg in session.segments)


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


#: a tariff's rounding mode, as ``session show`` says it
ROUNDING = {"up": N_("up"), "nearest": N_("nearest"), "down": N_("down")}


def label_width() -> int:
    """How wide ``session show`` pads a label with its colon: 9 in English (as it always
    did), 12 in Russian, whose labels are longer («консультант:», «отработано:»)."""
    return 12 if figures.russian() else 9


def labelled(label: str, value: str) -> str:
    """``worked:   61 min 5 s``: a translated label, its colon, the value in its column; the
    lines of a value of several lines indented under its first."""
    head = f"{label + ':':{label_width()}} "
    return head + value.replace("\n", "\n" + " " * len(head))


def explain_lines(env: Env, session: Session, charge: Charge, client: Client | None = None) -> list[str]:
    """``session show`` in text: the whole record, then every step from segments to the
    amount (SPEC §3.10)."""
    head = _("session {id}: {service} for {client}, {date}").format(
        id=session.id, service=session.service, client=session.client, date=figures.day(charge.local_date)
    )
    if session.invoice:
        head += " " + _("(on invoice {invoice})").format(invoice=session.invoice)
    if session.is_running:
        head += " — " + _("running")
    lines = [head, *record_lines(session_record(env, session, charge), client), _("segments:")]
    for i, seg in enumerate(session.segments, 1):
        end = seg.end or so_far_at(env, session)
        secs = int(elapsed(seg.start, end).total_seconds())
        shown = span_text(env, seg.start, seg.end, dated=True, open_end=_("now"), clock="%H:%M:%S")
        ref = f"  {seg.ref}" if seg.ref else ""
        lines.append(f"  {i}. {shown.replace('–', ' – ', 1)}  {duration(secs)}{ref}")
    return lines + charge_steps(charge) + evidence_lines(session)


def charge_steps(charge: Charge) -> list[str]:
    """How the worked time became the amount: rounding, minimum, tariff, rate, fee."""
    service = charge.service
    secs = charge.worked_seconds
    rounded = _("{minutes} ({rounding} to {step})").format(
        minutes=minutes(charge.rounded_minutes),
        rounding=_(ROUNDING.get(service.rounding, service.rounding)),
        step=minutes(service.step_minutes),
    )
    minimum = minutes(service.minimum_minutes)
    if charge.billable_minutes > charge.rounded_minutes:
        minimum = _("{minimum} — applied").format(minimum=minimum)
    tariff = _("{title} (effective {date})").format(
        title=charge.version.title, date=figures.day(charge.version.effective)
    )
    amount = _("{rate} × {minutes} / 60 = {amount} (half-up to kopecks)").format(
        rate=number(charge.rate), minutes=charge.billable_minutes, amount=money(charge.amount)
    )
    lines = [
        labelled(
            _("worked"),
            _("{minutes} min {seconds} s ({total} s)").format(
                minutes=secs // 60, seconds=secs % 60, total=secs
            ),
        ),
        labelled(_("rounded"), rounded),
        labelled(_("minimum"), minimum),
        labelled(_("billed"), minutes(charge.billable_minutes)),
        labelled(_("tariff"), tariff),
        labelled(_("rate"), _("{money}/h").format(money=money(charge.rate))),
        labelled(_("amount"), amount),
    ]
    if service.one_time_fee is not None:
        fee = service.one_time_fee
        lines.append(
            _(
                "one-time fee «{title}» {amount}: charged once per client, "
                "on the first invoice with such a session"
            ).format(title=fee.title, amount=money(fee.amount))
        )
    return lines


def evidence_lines(session: Session) -> list[str]:
    """Where ``session show`` says the session came from: TeamViewer's log, the client's
    letter and what was attached to it («Получена резервная копия: база.zip, 12,4 МБ, 24.11.2026»)."""
    lines = []
    if session.source == "teamviewer":
        lines.append(
            labelled(_("source"), _("TeamViewer's connection log (each segment keeps its connection's ID)"))
        )
    if session.evidence is None:
        return lines
    from kvsupport.ops.evidence import human_size

    letter = session.evidence.letter
    sender = f"{letter.sender_name} <{letter.sender}>" if letter.sender_name else letter.sender
    day = f"{letter.date:%d.%m.%Y}"
    indent = " " * (label_width() + 1)
    lines.append(
        labelled(
            _("letter"),
            _("{date} from {sender}, «{subject}»").format(
                date=f"{letter.date:%d.%m.%Y %H:%M %z}", sender=sender, subject=letter.subject
            ),
        )
    )
    lines.append(
        indent
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
        lines.append(indent + "sha256 " + item.sha256)
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
            value = _("#{order}").format(order=value)
        if value in (None, "", [], {}):
            continue
        lines.append(labelled(_(label), str(value)))
    return lines
