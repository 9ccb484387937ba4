"""``session list``: the query from its options, the rows, and what an empty month says."""

from __future__ import annotations

from pathlib import Path

from kvsupport.cli import figures, views
from kvsupport.cli.output import Column, print_rows
from kvsupport.cli.parse import day, month
from kvsupport.errors import InvalidValue
from kvsupport.i18n import N_, _
from kvsupport.ops.env import Env
from kvsupport.ops.finding import Query, find

SESSION_COLUMNS: list[Column] = [  # headers are msgids, shown in the interface's language
    ("id", N_("ID"), "right"),
    ("day", N_("Date"), "left"),
    ("time", N_("Time"), "left"),
    ("client", N_("Client"), "left"),
    ("service", N_("Service"), "left"),
    ("minutes", N_("Worked"), "right"),
    ("billable_minutes", N_("Billed"), "right"),
    ("amount", N_("Amount"), "right"),
    ("invoice", N_("Invoice"), "left"),
]
#: the figures of a text table as a person reads them (``1 ч 01 мин``, ``1 321,67``);
#: JSON and CSV keep the record's
SESSION_TEXT = {
    "minutes": figures.minutes_cell,
    "billable_minutes": figures.minutes_cell,
    "amount": figures.money_cell,
}


#: the columns a narrow terminal goes without, the first first
DROP_FIRST = ("consultant", "minutes", "invoice", "time", "service", "billable_minutes")


def session_query(
    env: Env, month_: str | None, since: str | None, until: str | None, *, all_: bool
) -> tuple[Query, bool]:
    """The stretch of time asked for (``--month``, ``--from``/``--to``, ``--all``, or this
    month), and whether it is the default month."""
    ranged = since is not None or until is not None
    if sum((all_, month_ is not None, ranged)) > 1:
        raise InvalidValue(_("give one of --month, --from/--to and --all"))
    if all_:
        return Query(), False
    if ranged:
        first = None if since is None else day(env, since)
        last = None if until is None else day(env, until)
        if first is not None and last is not None and last < first:
            message = _("--to {last} is before --from {first}")
            raise InvalidValue(message.format(last=last.isoformat(), first=first.isoformat()))
        return Query(since=first, until=last), False
    return Query(month=month(env, month_)), month_ is None


def print_sessions(
    env: Env, query: Query, fmt: str, *, default_month: bool, output: Path | None = None
) -> None:
    """Print the sessions of ``query`` in ``fmt``; an empty default month says so and
    names the latest month that has such sessions."""
    if fmt == "xlsx":
        from kvsupport.cli.spreadsheet import refuse_terminal

        refuse_terminal(output)  # before the ledger is read
    found = find(env, query, default_month=default_month)
    rows = []
    for session, charge in found.sessions:
        record = views.session_record(env, session, charge)
        local = env.local(session.started_at)
        if fmt == "text":  # a table a person reads: dates as the interface writes them
            record["day"], record["time"] = figures.day(local.date()), views.span(env, session)
        else:  # JSON, CSV and xlsx: the same in every language
            record["day"], record["time"] = f"{local:%Y-%m-%d}", views.span(env, session, machine=True)
        rows.append(record)
    columns = SESSION_COLUMNS
    if len({row["consultant"] for row in rows}) > 1:  # a team's ledger: say who
        columns = [*SESSION_COLUMNS, ("consultant", N_("Consultant"), "left")]
    print_rows(
        rows,
        fmt,
        columns,
        empty=empty_message(query, found.elsewhere),
        drop=DROP_FIRST,
        output=output,
        env=env,
        text=SESSION_TEXT,
        sheet="sessions",
    )


def empty_message(query: Query, elsewhere: str | None) -> str:
    """What an empty listing says on stderr: where it looked, and where there is something."""
    if query.month is None:
        return _("no sessions")
    from kvsupport.core.readable import month, period

    text = _("no sessions in {period}").format(period=month(*query.month))
    if elsewhere is not None:
        text += "\n" + _("hint: {name} has some: --month {month}").format(
            name=period(elsewhere), month=elsewhere
        )
    return text
