"""``kvsupport reconcile``: the reconciliation act («акт сверки») with a client for a period."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from kvsupport.cli.options import env_of
from kvsupport.cli.output import print_json, say
from kvsupport.cli.parse import day
from kvsupport.core.money import money_str
from kvsupport.core.reconciliation import Reconciliation
from kvsupport.errors import KvsupportError
from kvsupport.i18n import _
from kvsupport.ops.env import Env
from kvsupport.ops.reconcile import Act, reconciliation

app = typer.Typer(add_completion=False)
commands = {"reconcile": app}


class ActFormat(StrEnum):
    """Formats of the act."""

    text = "text"
    json = "json"
    html = "html"
    pdf = "pdf"


@app.command("reconcile")
def reconcile_command(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(metavar="CLIENT", help="The client's code.")],
    start: Annotated[
        str | None,
        typer.Option(
            "--from", help="The period's first day (default: 1 January of --to's year).", show_default=False
        ),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="The period's last day (default: today).", show_default=False)
    ] = None,
    fmt: Annotated[ActFormat, typer.Option("--format", "-f", help="Output format.")] = ActFormat.text,
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """The reconciliation act («Акт сверки взаимных расчётов») with a client: the opening
    balance, each act (debit) and payment (credit) of the period, the turnovers, the
    closing balance, both parties' signatures.

    Example: kvsupport reconcile romashka --from 01.10.2026 --to 31.12.2026 --format pdf -o сверка.pdf
    """
    env = env_of(ctx)
    last = day(env, end)
    first = day(env, start) if start is not None else date(last.year, 1, 1)
    act = reconciliation(env, client, first, last)
    if fmt is ActFormat.json:
        if out is None:
            print_json(act_record(act))
            return
        import json

        data: bytes = (json.dumps(act_record(act), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        width = 110  # a file or a pipe: the page's width; a terminal: its own, if narrower
        if out is None and sys.stdout.isatty():
            import shutil

            width = max(60, min(width, shutil.get_terminal_size().columns))
        data = _rendered(env, act, fmt, width)
    if out is not None:
        from kvsupport.storage.outputs import write_output

        write_output(out, data, kept=env.kept)
        say(env, _("wrote {file}").format(file=out))
    elif fmt is ActFormat.pdf and sys.stdout.isatty():
        raise KvsupportError(_("a PDF is not for the terminal"), hint=_("add -o FILE or pipe it"))
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _rendered(env: Env, act: Act, fmt: ActFormat, width: int = 110) -> bytes:
    from kvsupport.core.text import printable_fields
    from kvsupport.documents.reconcile import reconciliation_document

    doc = printable_fields(
        reconciliation_document(act.figures, act.supplier, act.customer, env.config.language)
    )
    if fmt is ActFormat.pdf:
        from kvsupport.documents.reconcile_pdf import render_pdf

        return render_pdf(doc)
    from kvsupport.documents.reconcile_render import render_html, text_lines

    if fmt is ActFormat.html:
        return render_html(doc).encode("utf-8")
    return "".join(f"{line}\n" for line in text_lines(doc, width)).encode("utf-8")


def act_record(act: Act) -> dict[str, Any]:
    """The JSON shape of the act (SPEC §12): stable keys, money as strings."""
    figures: Reconciliation = act.figures
    return {
        "client": act.client,
        "from": figures.start.isoformat(),
        "to": figures.end.isoformat(),
        "currency": "RUB",
        "opening_balance": money_str(figures.opening_balance),
        "lines": [
            {
                "date": line.date.isoformat(),
                "kind": line.kind,
                "document": line.document,
                "invoices": list(line.invoices),
                "invoice_date": line.invoice_date.isoformat() if line.invoice_date else None,
                "debit": money_str(line.debit),
                "credit": money_str(line.credit),
            }
            for line in figures.lines
        ],
        "debit_total": money_str(figures.debit_total),
        "credit_total": money_str(figures.credit_total),
        "closing_balance": money_str(figures.closing_balance),
        "supplier": act.supplier,
        "customer": act.customer,
    }
