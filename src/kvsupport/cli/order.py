"""``kvsupport order …``: sessions scheduled ahead (source §3.1)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kvsupport.cli.options import FormatOpt, ListFormat, OutputOpt, complete_client, env_of
from kvsupport.cli.output import Column, console, print_rows, say, warn
from kvsupport.cli.parse import moment, text_value
from kvsupport.cli.views import clock, iso
from kvsupport.core.models import Order
from kvsupport.core.records import evidence_record
from kvsupport.i18n import N_, _
from kvsupport.ops import orders
from kvsupport.ops.env import Env
from kvsupport.ops.orders import is_missed
from kvsupport.ops.sessions import Details

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Scheduled sessions (remote help is ordered ahead)."
)
commands = {"order": app}


def order_record(env: Env, order: Order) -> dict[str, Any]:
    """The JSON shape of an order."""
    return {
        "id": order.id,
        "client": order.client,
        "service": order.service,
        "at": iso(env, order.at),
        "today": env.local(order.at).date() == env.today,
        "problem": order.problem,
        "phone": order.phone,
        "status": order.status,
        "session": order.session,
        "consent": order.consent,
        "evidence": evidence_record(order.evidence),
        "missed": is_missed(order, env.now),
    }


@app.command("add")
def order_add(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(help="Client code.", autocompletion=complete_client)],
    service: Annotated[str, typer.Argument(help="Service key.")],
    at: Annotated[
        str,
        typer.Option("--at", help="When: DD.MM HH:MM, YYYY-MM-DD HH:MM, tomorrow 10:00, HH:MM (today), +2h."),
    ],
    problem: Annotated[str | None, typer.Option(help="The problem, as described.")] = None,
    phone: Annotated[str | None, typer.Option(help="Contact phone.")] = None,
    letter: Annotated[
        str | None,
        typer.Option(
            "--letter",
            metavar="FILE.eml",
            help="The client's letter: its problem, phone and consent where not given; kept as evidence.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Schedule a session; start it later with 'session start --order N'.

    Example: kvsupport order add romashka remote --at "2026-11-27 10:00" --problem "перенос базы"
    """
    env = env_of(ctx)
    if phone is not None:
        from kvsupport.core.requisites import check_phone

        phone = check_phone(phone)
    info = Details(problem=text_value("--problem", problem), phone=phone)
    taken: list[str] = []
    warnings: list[str] = []
    when = moment(env, at)
    if letter is not None:
        from kvsupport.cli.hot import with_letter

        info, taken, warnings = with_letter(
            env, letter, info, client=client, service=service, on=None, start=when
        )
    order = orders.add(
        env, client, service, when, info.problem, info.phone, consent=info.consent, evidence=info.evidence
    )
    for warning in warnings:
        warn(warning)
    for note in taken:
        say(env, note)
    say(
        env,
        _("order {id}: {service} for {client} at {time}").format(
            id=order.id, service=order.service, client=order.client, time=clock(env, order.at)
        ),
    )


#: the keys of ``order_record``: the CSV header, also of an empty listing
RECORD_FIELDS = [
    *("id", "client", "service", "at", "today", "problem", "phone", "status", "session"),
    *("consent", "evidence", "missed"),
]

COLUMNS: list[Column] = [  # headers are msgids, shown in the interface's language
    ("id", N_("N"), "right"),
    ("when", N_("When"), "left"),
    ("client", N_("Client"), "left"),
    ("service", N_("Service"), "left"),
    ("problem", N_("Problem"), "left"),
    ("status", N_("Status"), "left"),
]
#: an order's status as a text listing says it (JSON and CSV keep the record's word)
STATUS_WORDS = {"open": N_("open"), "done": N_("done"), "cancelled": N_("cancelled")}


@app.command("list")
def order_list(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Done and cancelled too.")] = False,
    fmt: FormatOpt = ListFormat.text,
    output: OutputOpt = None,
) -> None:
    """List open orders, soonest first; today's are marked, missed ones (their time passed,
    no session started) say so.

    Example: kvsupport order list
    """
    env = env_of(ctx)
    found = orders.listing(env, every=all_)
    rows = [order_record(env, o) for o in found]
    if fmt is not ListFormat.text or not rows or output is not None:
        print_rows(
            rows,
            fmt.value,
            COLUMNS,
            empty=_("no open orders"),
            fields=RECORD_FIELDS,
            output=output,
            env=env,
            sheet="orders",
        )
        return
    from kvsupport.cli.output import text_cell
    from kvsupport.cli.tables import table

    cells, styles = [], []
    for row, order in zip(rows, found, strict=True):
        when = clock(env, order.at)
        if row["today"]:
            when = _("today {time}").format(time=when)
        status = _("missed") if row["missed"] else _(STATUS_WORDS.get(order.status, order.status))
        cells.append(
            [text_cell(v) for v in (row["id"], when, row["client"], row["service"], row["problem"], status)]
        )
        styles.append("bold" if row["today"] and order.status == "open" else None)
    out = console()
    out.print(table(COLUMNS, cells, out.width, drop=("service",), styles=styles), crop=False)


@app.command("cancel")
def order_cancel(
    ctx: typer.Context, order_id: Annotated[int, typer.Argument(metavar="N", help="Order number.")]
) -> None:
    """Cancel an open order.

    Example: kvsupport order cancel 3
    """
    env = env_of(ctx)
    order = orders.cancel(env, order_id)
    say(
        env,
        _("cancelled order {id} ({client}, {time})").format(
            id=order.id, client=order.client, time=clock(env, order.at)
        ),
    )
