"""``kvsupport invoice …``: issue the month's invoices; list, show, void, pay."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from datetime import date as date_type
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from kvsupport.cli import figures
from kvsupport.cli.options import (
    ClientOpt,
    FormatOpt,
    ItemFormat,
    ItemFormatOpt,
    ListFormat,
    OutputOpt,
    env_of,
)
from kvsupport.cli.output import (
    Column,
    console,
    destination,
    print_json,
    print_rows,
    say,
    stream_batches,
    warn,
)
from kvsupport.cli.parse import day, money_value, month, text_value
from kvsupport.core.models import OPEN_STATUSES, Invoice
from kvsupport.core.money import money_str
from kvsupport.core.records import invoice_record
from kvsupport.core.settlement import balance_of
from kvsupport.errors import InvalidValue, KvsupportError, Refused
from kvsupport.i18n import N_, _, ngettext
from kvsupport.ops import invoices
from kvsupport.ops.env import Env
from kvsupport.storage.api import InvoiceSummary

# No help= here: Typer would show it instead of the callback's docstring, which has the example.
app = typer.Typer(add_completion=False)
commands = {"invoice": app}


#: an invoice's status (its JSON word) as text output names it
STATUS_WORDS = {
    "issued": N_("issued"),
    "partly_paid": N_("partly_paid"),
    "paid": N_("paid"),
    "void": N_("void"),
}


def status_word(status: str) -> str:
    """The status of an invoice in the interface's language (``partly_paid`` → «оплачен частично»);
    JSON and CSV keep the word itself."""
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


def sum_in_summary(value: Decimal) -> str:
    """A sum in a listing or a summary: ``1 408,33 ₽`` in Russian, ``1408.33`` (no unit) in English
    (``figures.money`` says ``1408.33 RUB``: these lines never said RUB)."""
    return figures.money(value) if figures.russian() else money_str(value)


class DocFormat(StrEnum):
    """Formats of a document."""

    text = "text"
    json = "json"
    html = "html"
    pdf = "pdf"
    svg = "svg"


def render_document(env: Env, invoice: Invoice, *, act: bool, fmt: str) -> bytes | str:
    """The invoice (or act) as JSON, HTML or PDF; ``svg``: the invoice's payment QR code alone."""
    if fmt == "svg":
        return payment_svg(env, invoice, act=act)
    if fmt == "json":
        import json

        return json.dumps(invoice_record(invoice), ensure_ascii=False, indent=2) + "\n"
    from kvsupport.documents.render import render

    return render(invoice, act=act, fmt=fmt, language=env.config.language)


def payment_svg(env: Env, invoice: Invoice, *, act: bool) -> str:
    """The invoice's payment QR code (ГОСТ Р 56042-2014) as an SVG file; refused for an
    act, an invoice that is not to be paid, or one whose supplier has no bank requisites."""
    from kvsupport.documents.payment import missing_requisites, payload
    from kvsupport.documents.qr import svg_document

    if act:
        raise InvalidValue(_("an act has no payment code"), hint=_("drop --act: the code is the invoice's"))
    if invoice.status not in OPEN_STATUSES:
        raise Refused(
            _("invoice {number} is {status}: it is not to be paid").format(
                number=invoice.number, status=status_word(invoice.status)
            )
        )
    text = payload(invoice)
    if text is None:
        raise Refused(
            _("invoice {number} has no payment code: the supplier's {keys} were not configured").format(
                number=invoice.number, keys=", ".join(missing_requisites(invoice.supplier))
            ),
            hint=_("configure them, void the invoice and issue it again"),
        )
    return svg_document(text, _("Payment of invoice {number}").format(number=invoice.number))


def warn_no_payment_code(invoice: Invoice) -> None:
    """Warn that an unpaid invoice prints without its payment QR code, and why."""
    from kvsupport.documents.payment import missing_requisites

    missing = missing_requisites(invoice.supplier)
    if missing and invoice.status in OPEN_STATUSES:
        warn(
            _("invoice {number} has no payment QR code: the supplier's {keys} are not on it").format(
                number=invoice.number, keys=", ".join(f"supplier.{key}" for key in missing)
            )
        )


#: a customer's requisite an invoice prints blank without, as a warning names it
REQUISITE_WORDS = {"inn": N_("INN"), "address": N_("address")}


def warn_missing_requisites(invoice: Invoice) -> None:
    """Warn when the customer's INN or address is not on record: the invoice prints blanks."""
    missing = [key for key in ("inn", "address") if not invoice.client.get(key)]
    if missing:
        code = invoice.client_code
        warn(
            _(
                "client {code} has no {keys} on record: invoice {number} prints blanks; "
                "kvsupport client edit {code} --{key} …"
            ).format(
                code=code,
                keys=", ".join(_(REQUISITE_WORDS[k]) for k in missing),
                number=invoice.number,
                key=missing[0],
            )
        )


def _document(env: Env, invoice: Invoice, act: bool) -> Any:
    """The document's view model for the terminal, with no control characters in it."""
    from kvsupport.core.text import printable_fields
    from kvsupport.documents.layout import document

    return printable_fields(document(invoice, act=act, language=env.config.language))


def print_document(env: Env, invoice: Invoice, *, act: bool, out: Any = None) -> None:
    """The invoice (or act) on the terminal (``out``: a rich console to reuse)."""
    from kvsupport.documents.text import render_text

    render_text(_document(env, invoice, act), out or console(piped_width=110))


def document_text(env: Env, invoice: Invoice, *, act: bool) -> str:
    """The terminal form of the invoice (or act) as plain text, 110 columns."""
    from kvsupport.documents.text import MAX_WIDTH, document_lines

    return "".join(f"{text}\n" for text, _ in document_lines(_document(env, invoice, act), MAX_WIDTH))


def file_stem(number: str) -> str:
    """An invoice number as a file name: «12/2026» (a common format) → «12-2026»."""
    return "".join("-" if ch in '/\\:*?"<>|' else ch for ch in number)


def write_documents(env: Env, invoice: Invoice, directory: Path, hint: str | None = None) -> list[Path]:
    """Write the invoice and the act as HTML and PDF into ``directory`` (made by
    :func:`~kvsupport.storage.outputs.make_output_directory`)."""
    from kvsupport.storage.outputs import write_output

    written = []
    warn_no_payment_code(invoice)
    for act, kind in ((False, "invoice"), (True, "act")):
        for fmt in ("html", "pdf"):
            data = render_document(env, invoice, act=act, fmt=fmt)
            path = directory / f"{file_stem(invoice.number)}-{kind}.{fmt}"
            blob = data if isinstance(data, bytes) else data.encode("utf-8")
            write_output(path, blob, kept=env.kept, what="--output", hint=hint)
            written.append(path)
    return written


IssueMonthOpt = Annotated[
    str | None,
    typer.Option(
        "--month",
        "-m",
        help="Month YYYY-MM, MM.YYYY or by name, e.g. 'november 2026' (default: the month that has ended).",
        show_default=False,
    ),
]


@app.callback(invoke_without_command=True)
def invoice_issue(
    ctx: typer.Context,
    month_: IssueMonthOpt = None,
    client: ClientOpt = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Invoice date (default: today).", show_default=False)
    ] = None,
    act_date: Annotated[
        str | None,
        typer.Option(
            "--act-date",
            help="The acts' date (default: the month's last day; never before the last session).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show, store nothing.")] = False,
    fmt: ItemFormatOpt = ItemFormat.text,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Also write each invoice and act (HTML, PDF) here."),
    ] = None,
) -> None:
    """Issue the invoices of the month that has ended (one per client with unbilled paid
    work) and print them; list, show, void, pay. Run again, it bills only what is new.

    Without --month: the previous month, or on a month's last day, that month. A month
    still in progress is issued only when named, with a warning.

    Example: kvsupport invoice --month 2026-11 --dry-run
    """
    if ctx.invoked_subcommand is not None:
        return
    env = env_of(ctx)
    on = day(env, date)
    year, mon, announce = _period(env, month_, on)
    acts_on = day(env, act_date) if act_date is not None else None
    if output is not None and not dry_run:
        from kvsupport.storage.outputs import make_output_directory

        # a bad --output stops the run before anything is stored
        make_output_directory(output, ledger=env.ledger_location)
    result = invoices.issue(env, year, mon, client=client, issued_on=on, dry_run=dry_run, act_date=acts_on)
    announce()  # which month, once the run was not refused
    for s in result.running:
        warn(
            _("session {id} ({client}) is running and is not billed; stop it and run again").format(
                id=s.id, client=s.client
            )
        )
    missing = invoices.missing_supplier_requisites(env.config.supplier())
    if result.invoices and missing:  # a dry run: a real run is refused
        warn(
            _("{keys} not set in the config: the run itself will be refused").format(keys=", ".join(missing))
        )
    for inv in result.invoices:
        warn_missing_requisites(inv)
    if fmt is ItemFormat.json:
        print_json([invoice_record(inv) for inv in result.invoices])
    elif result.invoices:
        out = console(piped_width=110)
        for inv in result.invoices:
            print_document(env, inv, act=False, out=out)
    if output is not None and not dry_run:
        numbers = ", ".join(inv.number for inv in result.invoices)
        hint = _("issued all the same: {numbers}; print them with 'kvsupport invoice show NUMBER -o FILE'")
        hint = hint.format(numbers=numbers)
        for inv in result.invoices:
            paths = write_documents(env, inv, output, hint)
            names = ", ".join(p.name for p in paths)
            say(env, _("wrote {files} to {directory}").format(files=names, directory=output))
    _summary(env, result, dry_run)


def _period(env: Env, typed: str | None, on: dt.date) -> tuple[int, int, Callable[[], None]]:
    """The month to issue: as typed, else the month that has ended on the invoice date
    ``on``; and what to say about it once the run is done: which month was taken, or
    that a month typed is still in progress."""
    if typed is None:
        year, mon = invoices.month_to_invoice(on)
        text = _("invoicing {period}, the month that has ended (another: --month YYYY-MM)").format(
            period=figures.period(f"{year:04d}-{mon:02d}")
        )
        return year, mon, lambda: say(env, text)
    year, mon = month(env, typed)
    last = invoices.month_in_progress(year, mon, on)
    if last is None:
        return year, mon, lambda: None
    text = _(
        "{period} is still in progress (it ends {last}): work after {on} will need another invoice"
    ).format(period=figures.period(f"{year:04d}-{mon:02d}"), last=figures.day(last), on=figures.day(on))
    return year, mon, lambda: warn(text)


def _summary(env: Env, result: invoices.Issued, dry_run: bool) -> None:
    if not result.invoices:
        if result.earlier_unbilled:
            text = _("nothing to invoice for {period}; {earlier_name} has unbilled work: --month {earlier}")
        else:
            text = _("nothing to invoice for {period}")
        earlier = result.earlier_unbilled
        shown = {"period": figures.period(result.period), "earlier": earlier}
        say(env, text.format(**shown, earlier_name=figures.period(earlier) if earlier else earlier))
        return
    count = len(result.invoices)
    if dry_run:  # the English keeps its «invoice(s)»; Russian has its three forms
        text = ngettext(
            "would issue {count} invoice(s) for {period}: {listed}",
            "would issue {count} invoice(s) for {period}: {listed}",
            count,
        )
    else:
        text = ngettext(
            "issued {count} invoice(s) for {period}: {listed}",
            "issued {count} invoice(s) for {period}: {listed}",
            count,
        )
    listed = "; ".join(f"{i.number} {i.client_code} {sum_in_summary(i.total)}" for i in result.invoices)
    say(env, text.format(count=count, period=figures.period(result.period), listed=listed))
    if dry_run:
        say(env, _("dry run: nothing was stored, no number was used"))


def with_client_code(record: dict[str, Any]) -> dict[str, Any]:
    """A listing row of an invoice: its whole record (JSON), plus the client's code and name."""
    client = record.get("client") or {}
    return {**record, "client_code": client.get("code"), "client_name": client.get("name")}


#: the text listing's columns (headers are msgids: :func:`translated_columns`)
COLUMNS: list[Column] = [
    ("number", N_("Number"), "left"),
    ("date", N_("Date"), "left"),
    ("period", N_("Period"), "left"),
    ("client_code", N_("Client"), "left"),
    ("total", N_("Total"), "right"),
    ("balance", N_("Balance"), "right"),
    ("status", N_("Status"), "left"),
    ("paid_on", N_("Paid"), "left"),
]
#: ``--overdue`` adds when each was due and how late it is
OVERDUE_COLUMNS: list[Column] = [
    *COLUMNS,
    ("due_on", N_("Due"), "left"),
    ("days_overdue", N_("Days overdue"), "right"),
]


#: the columns of sums: in Russian their unit is in the header, not in every cell
SUM_COLUMNS = frozenset({"total", "balance"})


def translated_columns(columns: list[Column]) -> list[Column]:
    """``columns`` with their headers in the interface's language (an empty header stays
    empty; a column of sums says its unit in Russian: «Сумма, ₽»)."""
    return [
        (key, figures.sums_header(header) if key in SUM_COLUMNS else _(header) if header else "", justify)
        for key, header, justify in columns
    ]


@app.command("list")
def invoice_list(
    ctx: typer.Context,
    unpaid: Annotated[
        bool, typer.Option("--unpaid", help="Only those with something to pay (issued, partly paid).")
    ] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only unpaid ones past their due date, with days overdue.")
    ] = False,
    client: ClientOpt = None,
    fmt: FormatOpt = ListFormat.text,
    output: OutputOpt = None,
) -> None:
    """List invoices in order of issue, with what is left to pay (JSON: whole invoices;
    text, CSV, xlsx: their figures).

    Example: kvsupport invoice list --unpaid --format csv
    """
    env = env_of(ctx)
    today = env.today
    if fmt is ListFormat.json:
        batches = (
            [with_days_overdue(with_client_code(invoice_record(inv)), today) for inv in batch]
            for batch in invoices.whole_invoices(env, unpaid=unpaid, client=client, overdue=overdue)
        )
        with destination(output, env):
            stream_batches(batches, "json")
        return
    listed = invoices.listing(env, unpaid=unpaid, client=client, overdue=overdue)
    if fmt in (ListFormat.csv, ListFormat.xlsx):
        rows = [summary_row(row, today) for row in listed]
        print_rows(rows, fmt.value, COLUMNS, fields=CSV_FIELDS, output=output, env=env, sheet="invoices")
    else:
        empty = _("nothing is overdue") if overdue else _("no invoices")
        drop = ("paid_on", "period", "date")
        columns = translated_columns(OVERDUE_COLUMNS if overdue else COLUMNS)
        shown = [text_row(row, today) for row in listed]
        print_rows(shown, "text", columns, empty=empty, drop=drop, output=output, env=env)


def with_days_overdue(record: dict[str, Any], today: date_type) -> dict[str, Any]:
    """A listing row of a whole invoice, with ``days_overdue`` (``null`` unless it is unpaid
    past its due date)."""
    due = record.get("due_on")
    days = (today - date_type.fromisoformat(due)).days if isinstance(due, str) else 0
    late = record["status"] in OPEN_STATUSES and days > 0
    return {**record, "days_overdue": days if late else None}


CSV_FIELDS = [
    "number",
    "date",
    "period",
    "status",
    "total",
    "vat_mode",
    "vat_amount",
    "void_reason",
    "paid_on",
    "client_code",
    "client_name",
    "balance",
    "due_on",
    "days_overdue",
]
"""The CSV header of ``invoice list``, the same when nothing is listed."""


def summary_row(row: InvoiceSummary, today: date_type) -> dict[str, Any]:
    """A listing row of an invoice's figures, as text and CSV show them."""
    late = invoices.is_overdue(row, today) and row.due_on is not None
    return {
        "number": row.number,
        "date": row.date.isoformat(),
        "period": row.period,
        "status": row.status,
        "total": money_str(row.total),
        "vat_mode": row.vat_mode,
        "vat_amount": money_str(row.vat_amount),
        "void_reason": row.void_reason,
        "paid_on": row.paid_on.isoformat() if row.paid_on else None,
        "client_code": row.client_code,
        "client_name": row.client_name,
        "balance": money_str(row.balance),
        "due_on": row.due_on.isoformat() if row.due_on else None,
        "days_overdue": (today - row.due_on).days if late and row.due_on else None,
    }


def text_row(row: InvoiceSummary, today: date_type) -> dict[str, Any]:
    """A row of the text listing: dates, sums and the status as a reader reads them
    (in Russian «03.11.2026», «11.2026», «1 408,33» under «Сумма, ₽», «просрочен на 5 дн.»;
    in English as CSV)."""
    late = invoices.is_overdue(row, today) and row.due_on is not None
    days = (today - row.due_on).days if late and row.due_on else None
    status = status_word(row.status)
    if days is not None and figures.russian():  # English keeps the word and «Days overdue»
        status = _("overdue by {days} days").format(days=days)
    return {
        "number": row.number,
        "date": figures.day(row.date),
        "period": _month_cell(row.period),
        "client_code": row.client_code,
        "total": figures.number(row.total),
        "balance": figures.number(row.balance),
        "status": status,
        "paid_on": figures.day(row.paid_on) if row.paid_on else None,
        "due_on": figures.day(row.due_on) if row.due_on else None,
        "days_overdue": days,
    }


def _month_cell(period: str) -> str:
    """A period in a table: ``11.2026`` in Russian (like its dates), ``2026-11`` in English."""
    year, _dash, month_ = period.partition("-")
    return f"{month_}.{year}" if figures.russian() and month_ else period


NumberArg = Annotated[str, typer.Argument(metavar="NUMBER", help="Invoice number, e.g. 2026-0001.")]


@app.command("show")
def invoice_show(
    ctx: typer.Context,
    number: NumberArg,
    act: Annotated[bool, typer.Option("--act", help="The act instead of the invoice.")] = False,
    fmt: Annotated[DocFormat, typer.Option("--format", "-f", help="Output format.")] = DocFormat.text,
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """Show an invoice or its act, on the terminal or as JSON, HTML or PDF; --format svg
    gives the invoice's payment QR code alone.

    Example: kvsupport invoice show 2026-0001 --act --format pdf -o act.pdf
    """
    env = env_of(ctx)
    invoice = invoices.show(env, number)
    if out is not None:
        from kvsupport.storage.outputs import refuse_output

        refuse_output(out, kept=env.kept)  # before the document is made and warned about
    if fmt is DocFormat.text and out is None:
        print_document(env, invoice, act=act)
        return
    if fmt in (DocFormat.html, DocFormat.pdf) and not act:
        warn_no_payment_code(invoice)
    if fmt is DocFormat.text:
        data: bytes | str = document_text(env, invoice, act=act)
    else:
        data = render_document(env, invoice, act=act, fmt=fmt.value)
    blob = data if isinstance(data, bytes) else data.encode("utf-8")
    if out is not None:
        from kvsupport.storage.outputs import write_output

        write_output(out, blob, kept=env.kept)
        say(env, _("wrote {file}").format(file=out))
    elif fmt is DocFormat.pdf and sys.stdout.isatty():
        raise KvsupportError(_("a PDF is not for the terminal"), hint=_("add -o FILE or pipe it"))
    else:
        sys.stdout.buffer.write(blob)


@app.command("void")
def invoice_void(
    ctx: typer.Context,
    number: NumberArg,
    reason: Annotated[str, typer.Option("--reason", help="Why it is void (kept on record).")],
) -> None:
    """Void an invoice: kept and marked, its sessions and fee billable again.

    Example: kvsupport invoice void 2026-0003 --reason "ошибка в реквизитах"
    """
    env = env_of(ctx)
    voided = invoices.void(env, number, text_value("--reason", reason) or "")
    from kvsupport.cli.undohint import say_removed

    say_removed(env, voided_message(voided))


def voided_message(voided: Invoice) -> str:
    """What ``invoice void`` says: the invoice, and what it frees to be invoiced again."""
    ids = [str(line.session) for line in voided.lines if line.kind == "session"]
    fees = [line.title for line in voided.lines if line.kind == "fee"]
    freed = []
    if ids:
        freed.append(ngettext("session {ids}", "sessions {ids}", len(ids)).format(ids=", ".join(ids)))
    freed += [_("the one-time fee «{title}»").format(title=title) for title in fees]
    return _(
        "voided {number} ({client}, {total}): {freed} can be invoiced again; the number is not reused"
    ).format(
        number=voided.number,
        client=voided.client_code,
        total=figures.money(voided.total),
        freed=_(" and ").join(freed) if freed else _("nothing"),
    )


@app.command("pay")
def invoice_pay(
    ctx: typer.Context,
    number: NumberArg,
    date: Annotated[
        str | None, typer.Option("--date", help="Payment date (default: today).", show_default=False)
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option("--amount", help="What came in (default: all that is left to pay).", show_default=False),
    ] = None,
) -> None:
    """Record a payment by hand (cash, a correction): paid in full, or partly with --amount.
    Bank transfers come in with 'kvsupport bank import'.

    Example: kvsupport invoice pay 2026-0001 --date 2026-12-03 --amount 1000.00
    """
    env = env_of(ctx)
    paid = invoices.pay(
        env, number, day(env, date), None if amount is None else money_value("--amount", amount)
    )
    if paid.status == "paid":
        on = figures.day(paid.paid_on) if paid.paid_on else ""
        say(
            env,
            _("{number} paid on {date}: {amount}").format(
                number=paid.number, date=on, amount=figures.money(paid.total)
            ),
        )
        return
    received = paid.payments[-1]
    say(
        env,
        _("{number}: {amount} received on {date}; {balance} left to pay (partly paid)").format(
            number=paid.number,
            amount=figures.money(received.amount),
            date=figures.day(received.date),
            balance=figures.money(balance_of(paid)),
        ),
    )


# ``invoice send`` lives in its own module; registered here, after the group it belongs to.
from kvsupport.cli.invoice_send import invoice_send  # noqa: E402

app.command("send")(invoice_send)
