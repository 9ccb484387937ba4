"""``kvsupport session …``: the consultant's day.

``start``, ``stop``, ``status``, ``resume`` and ``cancel`` are also served by
the fast path (``kvsupport.cli.fast``) without importing Typer; both call the
same operations and print the same lines. Keep their options in step: a test
compares the two.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kvsupport.cli import hot, views
from kvsupport.cli.hot import details, finish
from kvsupport.cli.options import (
    AtOpt,
    ClientOpt,
    FormatOpt,
    ItemFormat,
    ItemFormatOpt,
    ListFormat,
    MonthOpt,
    OutputOpt,
    check_moment,
    check_text,
    complete_client,
    env_of,
)
from kvsupport.cli.output import print_json
from kvsupport.cli.parse import duration as parse_duration
from kvsupport.cli.parse import moment, text_value
from kvsupport.cli.undohint import say_removed
from kvsupport.core.text import printable
from kvsupport.core.timeinput import add_elapsed
from kvsupport.errors import InvalidValue
from kvsupport.i18n import _
from kvsupport.ops import sessions

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Start, stop and fix support sessions.")
commands = {"session": app}

ProblemOpt = Annotated[
    str | None, typer.Option(help="The problem, as the client describes it.", callback=check_text)
]
PhoneOpt = Annotated[str | None, typer.Option(help="Contact phone for this session.")]
ConsentOpt = Annotated[
    str | None,
    typer.Option(help="The client's agreement to pay, e.g. «письмо от 20.11.2026».", callback=check_text),
]
BackupOpt = Annotated[
    bool, typer.Option("--backup-confirmed", help="The client made a backup before the session.")
]
OrderOpt = Annotated[int | None, typer.Option("--order", help="Start the scheduled order N.")]
NoteOpt = Annotated[str | None, typer.Option(help="A note for the record.", callback=check_text)]
OverlapOpt = Annotated[bool, typer.Option("--allow-overlap", help="Allow overlapping another session.")]
LetterOpt = Annotated[
    str | None,
    typer.Option(
        "--letter",
        metavar="FILE.eml",
        help="The client's letter: its problem, phone and consent to pay where not given; kept as evidence.",
        show_default=False,
    ),
]
LongOpt = Annotated[
    bool, typer.Option("--allow-long", help="Allow a segment longer than session.max_hours (default 24).")
]


@app.command("start")
def session_start(
    ctx: typer.Context,
    client: Annotated[
        str | None,
        typer.Argument(
            metavar="CLIENT", help="Client code.", show_default=False, autocompletion=complete_client
        ),
    ] = None,
    service: Annotated[
        str | None,
        typer.Argument(metavar="SERVICE", help="Service key: line, backup, remote…", show_default=False),
    ] = None,
    at: AtOpt = None,
    problem: ProblemOpt = None,
    phone: PhoneOpt = None,
    consent: ConsentOpt = None,
    backup_confirmed: BackupOpt = False,
    order: OrderOpt = None,
    allow_overlap: OverlapOpt = False,
    letter: LetterOpt = None,
    fmt: ItemFormatOpt = ItemFormat.text,
) -> None:
    """Start a session now (or --at an earlier time).

    Example: kvsupport session start romashka backup --problem "пени" --consent "письмо от 20.11"
    """
    info = details(problem, phone, consent, backup_confirmed, order)
    env = env_of(ctx)
    hot.start(
        env, client, service, at=at, info=info, allow_overlap=allow_overlap, fmt=fmt.value, letter=letter
    )


@app.command("stop")
def session_stop(
    ctx: typer.Context,
    at: AtOpt = None,
    note: NoteOpt = None,
    allow_long: LongOpt = False,
    fmt: ItemFormatOpt = ItemFormat.text,
) -> None:
    """Stop the running session and show its charge.

    Example: kvsupport session stop --at 11:05 --note "пересчитали пени"
    """
    hot.stop(env_of(ctx), at=at, note=note, fmt=fmt.value, allow_long=allow_long)


@app.command("resume")
def session_resume(
    ctx: typer.Context,
    session_id: Annotated[
        int | None, typer.Argument(metavar="[ID]", help="Session (default: the last stopped).")
    ] = None,
    at: AtOpt = None,
    fmt: ItemFormatOpt = ItemFormat.text,
) -> None:
    """Continue a session after a dropped link: a new segment, one minimum.

    Example: kvsupport session resume --at -2m
    """
    hot.resume(env_of(ctx), session_id, at=at, fmt=fmt.value)


@app.command("cancel")
def session_cancel(ctx: typer.Context, fmt: ItemFormatOpt = ItemFormat.text) -> None:
    """Discard the running session (of a resumed one, only the open segment).

    Example: kvsupport session cancel
    """
    hot.cancel(env_of(ctx), fmt=fmt.value)


@app.command("status")
def session_status(ctx: typer.Context, fmt: ItemFormatOpt = ItemFormat.text) -> None:
    """The running session, its time and charge so far; today's next order.

    Example: kvsupport session status --format json
    """
    hot.status(env_of(ctx), fmt=fmt.value)


@app.command("add")
def session_add(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(help="Client code.", autocompletion=complete_client)],
    service: Annotated[str, typer.Argument(help="Service key.")],
    start: Annotated[str, typer.Option(help="Start time.", show_default=False, callback=check_moment)],
    end: Annotated[
        str | None, typer.Option(help="End time (a bare HH:MM: on the start's date).", callback=check_moment)
    ] = None,
    duration: Annotated[str | None, typer.Option(help="Or a duration: 1h30m, 45m, 1 ч 30 мин, 1:30.")] = None,
    problem: ProblemOpt = None,
    phone: PhoneOpt = None,
    consent: ConsentOpt = None,
    backup_confirmed: BackupOpt = False,
    note: NoteOpt = None,
    allow_overlap: OverlapOpt = False,
    allow_long: LongOpt = False,
    letter: LetterOpt = None,
    fmt: ItemFormatOpt = ItemFormat.text,
) -> None:
    """Log a past session with --end or --duration.

    Example: kvsupport session add romashka line --start "2026-11-20 10:00" --duration 15m
    """
    env = env_of(ctx)
    if (end is None) == (duration is None):
        raise InvalidValue(_("give exactly one of --end and --duration"))
    begin = moment(env, start, past=True)
    if duration is not None:
        finish_at = add_elapsed(begin, parse_duration(duration), tz=env.tz)  # real time, across DST too
    else:
        finish_at = moment(env, end, after=begin)  # a bare HH:MM is on the start's date
    info = details(problem, phone, consent, backup_confirmed, note=note)
    taken: list[str] = []
    warnings: list[str] = []
    if letter is not None:
        on = env.local(begin).date()
        info, taken, warnings = hot.with_letter(
            env, letter, info, client=client, service=service, on=on, start=begin
        )
    outcome = sessions.add(
        env, client, service, begin, finish_at, info, allow_overlap=allow_overlap, allow_long=allow_long
    )
    outcome = outcome._replace(notes=[*taken, *outcome.notes], warnings=[*warnings, *outcome.warnings])
    assert outcome.charge is not None
    message = _("added session {id}: {charge}").format(
        id=outcome.session.id, charge=views.charge_line(outcome.charge)
    )
    finish(env, outcome, message, fmt.value)


@app.command("list")
def session_list(
    ctx: typer.Context,
    month_: MonthOpt = None,
    client: ClientOpt = None,
    service: Annotated[str | None, typer.Option("--service", help="Only this service.")] = None,
    unbilled: Annotated[
        bool, typer.Option("--unbilled", help="Only billable sessions not invoiced (never free calls).")
    ] = False,
    grep: Annotated[
        str | None, typer.Option("--grep", help="Only sessions whose problem, note or consent has TEXT.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--from", help="From this date on (instead of a month).", show_default=False)
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", help="Up to this date, inclusive.", show_default=False)
    ] = None,
    consultant: Annotated[
        str | None, typer.Option("--consultant", help="Only this consultant's sessions (a team ledger).")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every month, not one.")] = False,
    fmt: FormatOpt = ListFormat.text,
    output: OutputOpt = None,
) -> None:
    """List sessions of a month (default: this month) with their charges.

    Example: kvsupport session list --grep пени --from 01.11.2026 --to 15.11.2026
    """
    from kvsupport.cli.listing import print_sessions, session_query

    env = env_of(ctx)
    query, default_month = session_query(env, month_, since, until, all_=all_)
    query = query._replace(
        client=client,
        service=service,
        unbilled=unbilled,
        grep=text_value("--grep", grep),
        consultant=consultant,
    )
    print_sessions(env, query, fmt.value, default_month=default_month, output=output)


@app.command("show")
def session_show(
    ctx: typer.Context,
    session_id: Annotated[int, typer.Argument(metavar="ID", help="Session id.")],
    fmt: ItemFormatOpt = ItemFormat.text,
) -> None:
    """The whole record of a session (problem, consent, phone, note, order, consultant,
    evidence) and how its charge was reached: segments, rounding, minimum, tariff, rate.

    Example: kvsupport session show 12
    """
    env = env_of(ctx)
    session, charge, client = sessions.show(env, session_id)
    if fmt is ItemFormat.json:
        record = views.session_record(env, session, charge)
        record["explanation"] = views.explain_record(charge)
        print_json(record)
    else:
        print(printable("\n".join(views.explain_lines(env, session, charge, client))))


@app.command("edit")
def session_edit(
    ctx: typer.Context,
    session_id: Annotated[
        int | None, typer.Argument(metavar="[ID]", help="Session id (default: your most recent).")
    ] = None,
    client: Annotated[str | None, typer.Option(help="Another client.")] = None,
    service: Annotated[str | None, typer.Option(help="Another service.")] = None,
    start: Annotated[
        str | None, typer.Option(help="New start of the first segment.", callback=check_moment)
    ] = None,
    end: Annotated[
        str | None, typer.Option(help="New end of the last segment.", callback=check_moment)
    ] = None,
    duration: Annotated[
        str | None, typer.Option(help="Or the worked time (1h30m, 1 ч 30 мин): the last segment's end moves.")
    ] = None,
    problem: ProblemOpt = None,
    phone: PhoneOpt = None,
    consent: ConsentOpt = None,
    backup_confirmed: Annotated[
        bool | None,
        typer.Option(
            "--backup-confirmed/--no-backup-confirmed",
            help="Whether the client made a backup before the session.",
            show_default=False,
        ),
    ] = None,
    note: NoteOpt = None,
    allow_overlap: Annotated[
        bool | None,
        typer.Option(
            "--allow-overlap/--no-allow-overlap",
            help="Whether it may overlap another session.",
            show_default=False,
        ),
    ] = None,
    allow_long: LongOpt = False,
    fmt: ItemFormatOpt = ItemFormat.text,
) -> None:
    """Fix a session that is not on an invoice; without ID, your most recent one.

    Example: kvsupport session edit --end 11:30 --note "связь оборвалась"
    """
    env = env_of(ctx)
    if end is not None and duration is not None:
        raise InvalidValue(_("give --end or --duration, not both"))
    for name, value in (("--problem", problem), ("--consent", consent), ("--note", note)):
        if value is not None and value.strip():
            text_value(name, value)
    if phone is not None and phone.strip():
        from kvsupport.core.requisites import check_phone

        phone = check_phone(phone)
    changes = sessions.Changes(
        client=client,
        service=service,
        problem=problem,
        phone=phone,
        consent=consent,
        note=note,
        backup_confirmed=backup_confirmed,
        allow_overlap=allow_overlap,
        start=start,
        end=end,
        duration=None if duration is None else parse_duration(duration),
    )
    if changes.is_empty():
        raise InvalidValue(
            _("nothing to change"), hint=_("see '{command} --help'").format(command="kvsupport session edit")
        )
    outcome = sessions.edit(env, session_id, changes, allow_long=allow_long)
    if outcome.charge:
        message = _("edited session {id}: {charge}").format(
            id=outcome.session.id, charge=views.charge_line(outcome.charge)
        )
    else:
        message = _("edited session {id}").format(id=outcome.session.id)
    finish(env, outcome, message, fmt.value)


@app.command("delete")
def session_delete(
    ctx: typer.Context,
    session_id: Annotated[int, typer.Argument(metavar="ID", help="Session id.")],
) -> None:
    """Delete a session that is not on an invoice.

    Example: kvsupport session delete 12
    """
    env = env_of(ctx)
    removed = sessions.delete(env, session_id)
    say_removed(env, views.deleted(env, *removed))
