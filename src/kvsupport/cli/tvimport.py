"""``kvsupport import teamviewer``: the options read, the log read, the plan printed.

The dry run prints its proposal on stdout (data: client, segments in local time,
worked and billed time, amount); a real import confirms on stderr. Rows left out
(unknown partners, overlaps, accidental or repeated rows) are said on stderr in
both cases; ``--format json`` gives the whole plan as one record on stdout.
"""

from __future__ import annotations

import sys
from datetime import UTC, timedelta, tzinfo
from pathlib import Path
from typing import Any

from kvsupport.cli import figures, views
from kvsupport.cli.figures import duration
from kvsupport.cli.output import print_json, say, warn
from kvsupport.cli.views import span_text
from kvsupport.core.teamviewer import read_connection_log
from kvsupport.errors import InvalidValue
from kvsupport.i18n import _, ngettext
from kvsupport.ops import teamviewer
from kvsupport.ops.env import Env
from kvsupport.ops.teamviewer import Options, Plan, Planned


def zone(env: Env, name: str) -> tzinfo:
    """``--tz``: ``UTC``, ``local`` (the zone kvsupport uses), or a zone name."""
    text = name.strip()
    if text.upper() == "UTC":
        return UTC
    if text.lower() == "local":
        if env.tz is not None:
            return env.tz
        local = env.now.astimezone().tzinfo  # no named zone: the C library's offset now
        assert local is not None
        return local
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(text)
    except (LookupError, ValueError, OSError):
        raise InvalidValue(
            _("--tz '{name}' is not a time zone").format(name=name),
            hint=_("give a zone name such as Europe/Moscow, or UTC (TeamViewer's), or local"),
        ) from None


def span(text: str, option: str) -> timedelta:
    """A duration option; ``0`` too (no merging, nothing too short)."""
    if text.strip() in ("0", "0m", "0s"):
        return timedelta(0)
    from kvsupport.core.timeinput import parse_duration

    try:
        return parse_duration(text)
    except InvalidValue as exc:
        raise InvalidValue(f"{option}: {exc.message}", hint=exc.hint) from None


def options(
    env: Env,
    *,
    tz: str,
    merge_gap: str,
    min_length: str,
    service: str,
    backup_confirmed: bool,
    allow_long: bool,
    dry_run: bool,
) -> Options:
    """The command's options, parsed (a bad one: exit 2)."""
    return Options(
        tz=zone(env, tz),
        merge_gap=span(merge_gap, "--merge-gap"),
        minimum=span(min_length, "--min-length"),
        service=service,
        backup_confirmed=backup_confirmed,
        allow_long=allow_long,
        dry_run=dry_run,
    )


def read_bytes(file: str) -> bytes:
    """The log's bytes (``-``: standard input); InvalidValue naming the file."""
    if not file.strip():
        raise InvalidValue(_("FILE is empty"), hint=_("give a file, or - for standard input"))
    if file == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(file).read_bytes()
    except OSError as exc:
        raise InvalidValue(
            _("cannot read {file}: {reason}").format(file=file, reason=exc.strerror or exc)
        ) from None


def run(env: Env, file: str, opts: Options, fmt: str) -> None:
    """Read ``file``, import (or plan) its sessions, and say what happened."""
    source = "stdin" if file == "-" else file
    data = read_bytes(file)
    try:
        log = read_connection_log(data, tz=opts.tz)
    except InvalidValue as exc:
        raise InvalidValue(f"{source}: {exc.message}", hint=exc.hint) from None
    plan = teamviewer.import_log(env, log, opts)
    if fmt == "json":
        print_json(plan_record(env, plan, source, log.kind, opts))
    elif opts.dry_run:
        sys.stdout.write("\n".join(proposal_lines(env, plan, source, opts)) + "\n")
    else:
        for item in plan.planned:
            say(env, stored_line(env, item))
    report_left_out(env, plan)
    if plan.problems:
        raise teamviewer.refusal(plan)
    for line in teamviewer.summary(plan):
        say(env, line)


def _zone_name(tz: tzinfo | None) -> str:
    return str(getattr(tz, "key", None) or tz or _("the system's zone"))


def proposal_lines(env: Env, plan: Plan, source: str, opts: Options) -> list[str]:
    """The dry run's proposal in text: each session with its segments in local time."""
    lines = [
        _("Sessions from {file} (times in {zone}; the log read in {log_zone}):").format(
            file=source, zone=_zone_name(env.tz), log_zone=_zone_name(opts.tz)
        )
    ]
    if not plan.planned:
        lines.append("  " + _("(none)"))
    for item in plan.planned:
        s = item.session
        who = f"{s.client} ({item.client.name}), {s.service}"
        if item.added_to is None and item.continues is not None:
            what = _(
                "new session (continues session {session}, on invoice {invoice}: a second minimum)"
            ).format(session=item.continues[0], invoice=item.continues[1])
        elif item.added_to is None:
            what = _("new session")
        else:
            what = _("session {id}: connections added").format(id=item.added_to)
        lines.append(f"{who} — {what}")
        added = {seg.ref for seg in item.added}
        by_ref = dict(zip((seg.ref for seg in item.added), item.lines, strict=True))
        for i, seg in enumerate(s.segments, 1):
            assert seg.end is not None
            shown = span_text(env, seg.start, seg.end, dated=True, clock="%H:%M:%S").replace("–", " – ", 1)
            seconds = int((seg.end - seg.start).total_seconds())
            mark = _("line {line}").format(line=by_ref[seg.ref]) if seg.ref in added else _("stored")
            lines.append(f"  {i}. {shown}  {duration(seconds):>6}  {mark}")
        lines.append("  " + views.charge_line(item.charge))
    return lines


def stored_line(env: Env, item: Planned) -> str:
    """The confirmation of one session stored."""
    s = item.session
    spans = ", ".join(span_text(env, seg.start, seg.end) for seg in s.segments)
    day = figures.day(env.local(s.started_at).date())
    if item.added_to is None:
        head = _("imported session {id}: {service} for {client}").format(
            id=s.id, service=s.service, client=s.client
        )
    else:
        head = _("session {id} ({service} for {client}): connections added").format(
            id=s.id, service=s.service, client=s.client
        )
    return f"{head}, {day} {spans}: {views.charge_line(item.charge)}"


def report_left_out(env: Env, plan: Plan) -> None:
    """On stderr: rows continuing an invoiced session, unknown partners and overlaps
    (warnings), rows skipped (notes)."""
    for planned in plan.planned:
        continued = teamviewer.continued_warning(planned, stored=plan.stored)
        if continued is not None:
            warn(continued)
    for item in plan.unknown:
        name = f" «{item.display_name}»" if item.display_name else ""
        rows = ngettext("{n} connection", "{n} connections", item.connections).format(n=item.connections)
        warn(
            _("partner {id}{name} ({rows}, {time}) is no client's TeamViewer ID: not imported").format(
                id=item.partner_id, name=name, rows=rows, time=duration(item.seconds)
            )
        )
    if plan.unknown:
        say(env, _("map a partner to its client: kvsupport client edit CODE --teamviewer-id ID"))
    for clash in plan.overlaps:
        seg = clash.segment
        other = clash.other
        if other.id <= 0:
            whom = _("the connection of line {line}").format(line=-other.id)
        else:
            whom = _("session {id} ({client}, {service}, {span})").format(
                id=other.id,
                client=other.client,
                service=other.service,
                span=span_text(env, other.started_at, other.ended_at, dated=True, open_end=_("running")),
            )
        warn(
            _("line {line} ({span}) overlaps {other}: skipped").format(
                line=clash.line, span=span_text(env, seg.start, seg.end, dated=True), other=whom
            )
        )
    for skipped in plan.skipped:
        say(
            env,
            _("line {line} skipped: {reason}").format(line=skipped.connection.line, reason=skipped.reason),
        )


def plan_record(env: Env, plan: Plan, source: str, kind: str, opts: Options) -> dict[str, Any]:
    """The plan as JSON: the sessions (new ones of a dry run without an id) and what was left out."""
    sessions = []
    for item in plan.planned:
        record = views.session_record(env, item.session, item.charge)
        if item.session.id <= 0:
            record["id"] = None
        record["added_to"] = item.added_to
        record["partner_id"] = item.partner_id
        record["display_name"] = item.display_name
        record["lines"] = list(item.lines)
        record["continues"] = (
            None
            if item.continues is None
            else {"session": item.continues[0], "invoice": item.continues[1], "second_minimum": True}
        )
        sessions.append(record)
    return {
        "file": source,
        "kind": kind,
        "tz": _zone_name(opts.tz),
        "stored": plan.stored,
        "sessions": sessions,
        "already": plan.already,
        "unknown": [item._asdict() for item in plan.unknown],
        "overlaps": [
            {
                "line": clash.line,
                "start": views.iso(env, clash.segment.start),
                "end": views.iso(env, clash.segment.end),
                "session": clash.other.id if clash.other.id > 0 else None,
            }
            for clash in plan.overlaps
        ],
        "skipped": [{"line": s.connection.line, "reason": s.reason} for s in plan.skipped],
    }
