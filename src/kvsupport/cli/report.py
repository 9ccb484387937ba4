"""``kvsupport report``: a month at a glance."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from kvsupport.cli import figures
from kvsupport.cli.options import ClientOpt, FormatOpt, ListFormat, MonthOpt, OutputOpt, env_of
from kvsupport.cli.output import Column, add_column, console, destination, print_json, print_rows
from kvsupport.cli.parse import month
from kvsupport.core.money import ZERO, money_str, to_kopecks
from kvsupport.core.readable import quoted
from kvsupport.core.text import printable
from kvsupport.errors import InvalidValue
from kvsupport.i18n import N_, _, ngettext
from kvsupport.ops.env import Env
from kvsupport.ops.reports import By, Report, Row, month_report

app = typer.Typer(add_completion=False, help="A month at a glance: hours, amounts, unbilled, unpaid.")
commands = {"report": app}


def row_record(row: Row) -> dict[str, Any]:
    """The JSON/CSV shape of a report row."""
    return {
        "key": row.key,
        "name": row.name,
        "sessions": row.sessions,
        "worked_hours": _hours(Decimal(row.worked_seconds) / 3600),
        "billable_hours": _hours(Decimal(row.billable_minutes) / 60),
        "amount": money_str(row.amount),
        "fees": money_str(row.fees),
        "free_calls": row.free_calls,
        "unbilled_sessions": row.unbilled,
        "unbilled_amount": money_str(row.unbilled_amount),
        "invoiced_amount": money_str(row.invoiced_amount),
        "running": row.running,
    }


def _hours(hours: Decimal) -> str:
    """Hours to two decimals, half up like money: 7 min 30 s is 0.13 h."""
    return money_str(to_kopecks(hours))


#: The keys of :func:`row_record`: the CSV header, also of an empty month.
FIELDS = list(row_record(Row("", "")))


def report_record(report: Report) -> dict[str, Any]:
    """The JSON shape of a report."""
    return {
        "period": report.period,
        "by": report.by,
        "rows": [row_record(r) for r in report.rows],
        "total": row_record(report.total),
        "unpaid_invoices": report.unpaid,
        "unpaid_total": money_str(sum((Decimal(i["balance"]) for i in report.unpaid), ZERO)),
    }


#: the text table's columns; headers are msgids, the first is the grouping's (:data:`BY_HEADERS`)
COLUMNS: list[Column] = [
    ("key", "", "left"),
    ("sessions", N_("Sessions"), "right"),
    ("worked_hours", N_("Worked h"), "right"),
    ("billable_hours", N_("Billed h"), "right"),
    ("amount", N_("Amount"), "right"),
    ("free_calls", N_("Free calls"), "right"),
    ("unbilled_amount", N_("Unbilled"), "right"),
]
#: the columns of sums: in Russian their unit is in the header, not in every cell
SUM_COLUMNS = frozenset({"amount", "unbilled_amount"})
#: the header of the first column, by grouping
BY_HEADERS = {"client": N_("Client"), "service": N_("Service"), "consultant": N_("Consultant")}
#: the table's title, by grouping
TITLES = {
    "client": N_("{period} by client"),
    "service": N_("{period} by service"),
    "consultant": N_("{period} by consultant"),
}


def text_cells(row: Row, *, total: bool = False) -> dict[str, str]:
    """A row of the text table: in Russian hours as ч:мм (``2:24``) and sums as ``1 408,33`` (the
    headers say «ч» and «₽»),
    the ``total`` row named «Итого»; in English the figures of JSON and CSV."""
    record = {key: str(value) for key, value in row_record(row).items()}
    if total:
        record["key"] = _("total")
    if figures.russian():
        record["worked_hours"] = figures.hours(row.worked_seconds // 60)
        record["billable_hours"] = figures.hours(row.billable_minutes)
        record["amount"] = figures.number(row.amount)  # the unit is in the header: «Сумма, ₽»
        record["unbilled_amount"] = figures.number(row.unbilled_amount)
    return record


def _amount(value: Decimal) -> str:
    """A sum in the text report: ``1 408,33 ₽`` in Russian, ``1408.33`` (no unit) in English."""
    return figures.money(value) if figures.russian() else money_str(value)


@app.command()
def report(
    ctx: typer.Context,
    month_: MonthOpt = None,
    by: Annotated[str, typer.Option("--by", help="Group by client, service or consultant.")] = "client",
    client: ClientOpt = None,
    fmt: FormatOpt = ListFormat.text,
    output: OutputOpt = None,
) -> None:
    """Sessions, worked and billed hours, amounts, free line calls, unbilled work, unpaid invoices.

    Invoiced amounts are the invoices' own; unbilled ones are today's prices, with the
    one-time fee the month's invoice would carry if issued now.

    Example: kvsupport report --month 2026-11 --by service
    """
    env = env_of(ctx)
    if by not in ("client", "service", "consultant"):
        raise InvalidValue(_("--by {value}: use client, service or consultant").format(value=quoted(by)))
    grouped: By = "client" if by == "client" else "service" if by == "service" else "consultant"
    chosen = month(env, month_)
    if fmt is ListFormat.xlsx:
        from kvsupport.cli.spreadsheet import refuse_terminal

        refuse_terminal(output)  # before the ledger is read
    result = month_report(env, *chosen, grouped, client)
    if fmt is ListFormat.xlsx:
        write_report(result, output, env)
        return
    with destination(output, env):
        if fmt is ListFormat.json:
            print_json(report_record(result))
        elif fmt is ListFormat.csv:
            print_rows([row_record(r) for r in result.rows], "csv", COLUMNS, fields=FIELDS)
        else:
            print_text(result)
    if fmt is ListFormat.text and not result.rows and month_ is None:
        _point_elsewhere(env, chosen, client)


def write_report(result: Report, output: Path | None, env: Env) -> None:
    """The report as a workbook: its rows and their total, then the unpaid invoices."""
    from kvsupport.cli.spreadsheet import Sheet, write_workbook

    rows = [row_record(r) for r in [*result.rows, result.total]]
    unpaid = ["number", "date", "period", "client", "total"]
    write_workbook(
        [Sheet(f"{result.period} by {result.by}", FIELDS, rows), Sheet("unpaid", unpaid, result.unpaid)],
        output,
        env,
    )


def _point_elsewhere(env: Env, chosen: tuple[int, int], client: str | None) -> None:
    """An empty default month says so on stderr and names the latest month with sessions."""
    from kvsupport.cli.listing import empty_message
    from kvsupport.ops.finding import Query, find

    query = Query(month=chosen, client=client)
    sys.stderr.write(empty_message(query, find(env, query, default_month=True).elsewhere) + "\n")


def print_text(result: Report) -> None:
    """The rows as a table (a bar per row where the terminal is wide), then the unpaid invoices."""
    from rich.markup import escape
    from rich.table import Table

    from kvsupport.cli.tables import table

    out = console()
    total = result.total  # a property: a new Row on every access
    rows = [*result.rows, total]
    cells = [
        [escape(printable(text_cells(row, total=n == len(result.rows))[key])) for key, _h, _j in COLUMNS]
        for n, row in enumerate(rows)
    ]
    first = _(BY_HEADERS[result.by])
    columns = [
        (key, figures.sums_header(header) if key in SUM_COLUMNS else _(header) if header else first, justify)
        for key, header, justify in COLUMNS
    ]
    title = _(TITLES[result.by]).format(period=figures.period(result.period))
    title = title[:1].upper() + title[1:]  # «Ноябрь 2026 по клиентам»
    last = len(result.rows) - 1 if result.rows else None
    if out.width >= 110:  # the bar only where it fits beside the figures: they come first
        out.print(_with_bars(result, columns, cells, title, last), crop=False)
    else:
        drop = ("free_calls", "worked_hours", "sessions")
        out.print(
            table(columns, cells, out.width, drop=drop, free=frozenset(), title=title, section_after=last)
        )
    if result.unpaid:
        count = len(result.unpaid)
        unpaid_total = sum((Decimal(i["balance"]) for i in result.unpaid), ZERO)
        text = ngettext(
            "Unpaid invoices: {count}, {total} (each: kvsupport invoice list --unpaid)",
            "Unpaid invoices: {count}, {total} (each: kvsupport invoice list --unpaid)",
            count,
        ).format(count=count, total=figures.money(unpaid_total))
        out.print("\n" + escape(text))
        debts = Table(show_edge=False, box=None, padding=(0, 2, 0, 0))
        for header, justify in (
            (N_("Client"), "left"),
            (N_("Invoices"), "right"),
            (N_("Total"), "right"),
            (N_("Oldest"), "left"),
        ):
            debts.add_column(_(header), justify=justify)  # type: ignore[arg-type]
        for code, debts_count, amount, oldest in result.unpaid_by_client():
            debts.add_row(escape(printable(code)), str(debts_count), _amount(amount), _day(oldest))
        out.print(debts)


def _day(text: str) -> str:
    """A date of the report (``YYYY-MM-DD``) as the reader reads it (``03.11.2026`` in Russian)."""
    from datetime import date

    try:
        return figures.day(date.fromisoformat(text))
    except ValueError:
        return text


def _with_bars(
    result: Report, columns: list[Column], cells: list[list[str]], title: str, last: int | None
) -> Any:
    """The report's table with a bar of each row's amount (a wide terminal)."""
    from rich.bar import Bar
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_edge=False)
    for _key, header, justify in columns:
        add_column(table, header, justify)
    table.add_column("", width=24)
    top = max((float(r.amount) for r in result.rows), default=0.0) or 1.0
    for n, row in enumerate(cells):
        bar: Any = Bar(top, 0, float(result.rows[n].amount), width=24) if n < len(result.rows) else ""
        table.add_row(*row, bar, end_section=n == last)
    return table
