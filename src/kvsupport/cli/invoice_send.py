"""``kvsupport invoice send``: an invoice's e-mail as a draft to send from the mail program."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kvsupport.cli import figures
from kvsupport.cli.options import env_of
from kvsupport.cli.output import say
from kvsupport.cli.parse import month as parse_month
from kvsupport.i18n import _
from kvsupport.ops import sending


def invoice_send(
    ctx: typer.Context,
    draft: Annotated[
        Path,
        typer.Option("--draft", metavar="DIR", help="Write the letter (.eml, X-Unsent: 1) into DIR."),
    ],
    number: Annotated[
        str | None,
        typer.Argument(metavar="[NUMBER]", help="Invoice number, e.g. 2026-0001.", show_default=False),
    ] = None,
    reminder: Annotated[
        bool, typer.Option("--reminder", help="A reminder of an overdue invoice instead.")
    ] = False,
    all_unsent: Annotated[
        bool, typer.Option("--all-unsent", help="Every invoice of --month not drafted yet.")
    ] = False,
    month_: Annotated[
        str | None,
        typer.Option("--month", "-m", help="With --all-unsent: the month YYYY-MM.", show_default=False),
    ] = None,
) -> None:
    """Write an invoice's e-mail as a draft: to the client's e-mail, a Russian letter, the
    invoice and act PDFs attached; open it in the mail program and send it (kvsupport has no
    SMTP). The invoice records when it was drafted.

    Example: kvsupport invoice send --all-unsent --month 2026-11 --draft ~/Черновики
    """
    env = env_of(ctx)
    sending.check_choice(number, all_unsent, month_, reminder)
    chosen = parse_month(env, month_) if all_unsent else None
    drafts = sending.send_drafts(env, draft, number=number, month=chosen, reminder=reminder)
    if not drafts:
        shown = month_ if chosen is None else figures.period(f"{chosen[0]:04d}-{chosen[1]:02d}")
        say(env, _("nothing to send for {month}: every invoice was drafted already").format(month=shown))
        return
    for item in drafts:
        if item.reminder:
            text = _("wrote {file}: reminder for invoice {number} to {client} <{to}>")
        else:
            text = _("wrote {file}: letter with invoice {number} to {client} <{to}>")
        say(env, text.format(file=item.path, number=item.invoice, client=item.client, to=item.to))
