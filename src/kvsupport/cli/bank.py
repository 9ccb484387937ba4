"""``kvsupport bank import``: a bank statement's payments matched to invoices (SPEC §12)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kvsupport.cli import figures
from kvsupport.cli.options import ItemFormat, ItemFormatOpt, env_of
from kvsupport.cli.output import print_json, say, warn
from kvsupport.core.money import money_str
from kvsupport.core.payments import Payment
from kvsupport.core.settlement import Settled
from kvsupport.core.text import printable
from kvsupport.errors import InvalidValue
from kvsupport.i18n import _, ngettext
from kvsupport.ops import payments
from kvsupport.ops.env import Env

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Bank statements: payments matched to invoices."
)
commands = {"bank": app}

#: A statement of a busy account for a year is a few megabytes; this is far above any.
MAX_STATEMENT_BYTES = 64 * 1024 * 1024


@app.callback()
def bank() -> None:
    """Bank statements: payments matched to invoices."""  # a group, though it has one verb yet


@app.command("import")
def bank_import(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="The statement (1CClientBankExchange, kl_to_1c.txt).")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be recorded; store nothing.")
    ] = False,
    accept: Annotated[
        list[int] | None,
        typer.Option("--accept", metavar="N", help="Record probable match N too (as listed; repeatable)."),
    ] = None,
    fmt: ItemFormatOpt = ItemFormat.text,
) -> None:
    """Import a bank statement: incoming payments that name an invoice, come from its client
    and pay its balance are recorded; probable ones are listed for --accept; the rest listed.
    Importing the same statement again changes nothing.

    Example: kvsupport bank import kl_to_1c.txt --dry-run
    """
    env = env_of(ctx)
    result = payments.import_statement(env, _read(file), file, dry_run=dry_run, accept=accept or ())
    _warn_account(result)
    if fmt is ItemFormat.json:
        print_json(import_record(result))
    else:
        sys.stdout.write(printable("".join(f"{line}\n" for line in import_lines(result))))
    _summary(env, result)


def _read(file: str) -> bytes:
    from kvsupport.storage.reading import read_capped

    try:
        return read_capped(Path(file), MAX_STATEMENT_BYTES)
    except OSError as exc:
        raise InvalidValue(
            _("cannot read {file}: {reason}").format(file=file, reason=exc.strerror or exc),
            hint=_("export the statement from the bank for 1C (the file usually is kl_to_1c.txt)"),
        ) from None


def _warn_account(result: payments.Imported) -> None:
    account, accounts = result.account, result.statement.accounts
    if not account:
        warn(
            _(
                "supplier.account is not set: only documents with a receipt date (ДатаПоступило) "
                "count as incoming; kvsupport config set supplier.account …"
            )
        )
    elif accounts and account not in accounts:
        warn(
            _("the statement is of account {accounts}, not supplier.account {account}").format(
                accounts=", ".join(accounts), account=account
            )
        )


def _payment_line(number: int, payment: Payment) -> str:
    payer = payment.payer_name or "—"
    inn = f", ИНН {payment.payer_inn}" if payment.payer_inn else ""
    return _("#{n} {date} № {document} {amount} from {payer}{inn}").format(
        n=number,
        date=payment.date.strftime("%d.%m.%Y"),  # as the bank writes it, in either language
        document=payment.number or "—",
        amount=figures.money(payment.amount),
        payer=payer,
        inn=inn,
    )


def _applied(result: payments.Imported, item: Settled) -> list[str]:
    lines = []
    for app_ in item.match.applications:
        left = payments.balance_after(result, app_.invoice)
        invoice = result.invoices[app_.invoice]
        if invoice.status == "paid":
            text = _("→ {invoice}: {amount}, paid").format(
                invoice=app_.invoice, amount=figures.money(app_.amount)
            )
        else:
            text = _("→ {invoice}: {amount}, partly paid, {left} left").format(
                invoice=app_.invoice, amount=figures.money(app_.amount), left=figures.money(left)
            )
        lines.append("    " + text)
    return lines


def _count_line(incoming: int, ignored: int) -> str:
    """``3 incoming payment(s); 1 other document(s) ignored (…)`` (English keeps its «(s)»)."""
    payments_ = ngettext("{count} incoming payment(s)", "{count} incoming payment(s)", incoming)
    others = ngettext(
        "{count} other document(s) ignored (outgoing, other accounts)",
        "{count} other document(s) ignored (outgoing, other accounts)",
        ignored,
    )
    return f"{payments_.format(count=incoming)}; {others.format(count=ignored)}"


def import_lines(result: payments.Imported) -> list[str]:
    """The text summary: the statement, then each new payment with what it paid or why not."""
    statement = result.statement
    lines = [
        _("{file}: 1CClientBankExchange {version}, read as {encoding}").format(
            file=result.source, version=statement.version or "?", encoding=statement.encoding
        ),
        _count_line(len(result.payments), result.ignored),
    ]
    if result.repeated:
        lines.append(
            ngettext(
                "{count} payment was imported before: left as it is ({numbers})",
                "{count} payments were imported before: left as they are ({numbers})",
                len(result.repeated),
            ).format(count=len(result.repeated), numbers=", ".join(f"#{n}" for n in result.repeated))
        )
    for payment in result.zero:
        lines.append(
            _("line {line}: № {document} from {payer}: ignored, its amount is zero").format(
                line=payment.line, document=payment.number or "—", payer=payment.payer_name or "—"
            )
        )
    sections = (
        ("matched", _("Paid (number, payer INN and amount agree):")),
        ("partial", _("Paid in part (number and payer INN agree, less than the balance):")),
        ("probable", _("Probable (two of three agree): recorded only with --accept N")),
        (
            "unmatched",
            _("Not matched (record by hand with 'kvsupport invoice pay' if they are for an invoice):"),
        ),
    )
    for kind, heading in sections:
        items = [item for item in result.settled if item.match.kind == kind]
        if not items:
            continue
        lines += ["", heading]
        for item in items:
            payment = item.match.payment
            lines.append("  " + _payment_line(item.number, payment))
            lines.append(f"    «{payment.purpose}»")
            if item.applied:
                if kind == "probable":
                    lines.append("    " + _("accepted"))
                lines += _applied(result, item)
            else:
                lines += [f"    {reason}" for reason in item.match.reasons]
                if kind == "probable" and item.match.surplus > 0:
                    lines.append(
                        "    "
                        + _(
                            "{surplus} more than it is owed: record the invoice's part with "
                            "'kvsupport invoice pay', and settle the rest with the client"
                        ).format(surplus=item.match.surplus)
                    )
                elif kind == "probable":
                    numbers = ", ".join(app_.invoice for app_ in item.match.applications)
                    lines.append(
                        "    "
                        + _("to record it for {invoices}: --accept {n}").format(
                            invoices=numbers, n=item.number
                        )
                    )
    return lines


def import_record(result: payments.Imported) -> dict[str, Any]:
    """The JSON shape of ``bank import``: stable keys, the matcher's ``found`` codes."""
    statement = result.statement
    return {
        "file": result.source,
        "encoding": statement.encoding,
        "declared_encoding": statement.declared_encoding,
        "format_version": statement.version,
        "accounts": list(statement.accounts),
        "dry_run": result.dry_run,
        "incoming": len(result.payments),
        "ignored": result.ignored,
        "ignored_zero": [
            {
                "line": p.line,
                "date": p.date.isoformat(),
                "document": p.number,
                "payer": p.payer_name,
                "payer_inn": p.payer_inn,
                "reason": "zero amount",
            }
            for p in result.zero
        ],
        "repeated": list(result.repeated),
        "recorded": len(result.recorded),
        "recorded_amount": money_str(result.recorded_amount),
        "payments": [_settled_record(result, item) for item in result.settled],
    }


def _settled_record(result: payments.Imported, item: Settled) -> dict[str, Any]:
    payment = item.match.payment
    return {
        "number": item.number,
        "line": payment.line,
        "match": item.match.kind,
        "found": sorted(item.match.found),
        "applied": item.applied,
        "date": payment.date.isoformat(),
        "document": payment.number,
        "document_date": payment.document_date.isoformat(),
        "kind": payment.kind,
        "amount": money_str(payment.amount),
        "surplus": money_str(item.match.surplus),
        "payer": payment.payer_name,
        "payer_inn": payment.payer_inn,
        "payer_account": payment.payer_account,
        "payer_bik": payment.payer_bik,
        "purpose": payment.purpose,
        "invoices": [
            {
                "invoice": app_.invoice,
                "amount": money_str(app_.amount),
                "status": result.invoices[app_.invoice].status if item.applied else None,
                "balance": money_str(payments.balance_after(result, app_.invoice)) if item.applied else None,
            }
            for app_ in item.match.applications
        ],
    }


def _summary(env: Env, result: payments.Imported) -> None:
    recorded = result.recorded
    if not result.settled:
        if result.repeated:
            say(env, _("the statement was imported before: nothing changed"))
        else:
            say(env, _("no incoming payments in {file}: nothing changed").format(file=result.source))
        return
    probable = sum(1 for i in result.settled if i.match.kind == "probable" and not i.applied)
    unmatched = sum(1 for i in result.settled if i.match.kind == "unmatched")
    waiting = ", ".join(
        (
            ngettext("{count} probable", "{count} probable", probable).format(count=probable),
            ngettext("{count} not matched", "{count} not matched", unmatched).format(count=unmatched),
        )
    )
    if not recorded:
        say(env, _("nothing to record: {waiting}").format(waiting=waiting))
        return
    count = len(recorded)
    if result.dry_run:  # the English keeps its «payment(s)»; Russian has its three forms
        text = ngettext(
            "would record {count} payment(s), {amount}; {waiting}",
            "would record {count} payment(s), {amount}; {waiting}",
            count,
        )
    else:
        text = ngettext(
            "recorded {count} payment(s), {amount}; {waiting}",
            "recorded {count} payment(s), {amount}; {waiting}",
            count,
        )
    say(env, text.format(count=count, amount=figures.money(result.recorded_amount), waiting=waiting))
    if result.dry_run:
        say(env, _("dry run: nothing was stored"))
