"""``kvsupport undo``: take back your last change to the ledger, and say exactly what."""

from __future__ import annotations

import typer

from kvsupport.cli.changes import change_text
from kvsupport.cli.options import ItemFormat, ItemFormatOpt, env_of
from kvsupport.cli.output import print_json, say
from kvsupport.i18n import _
from kvsupport.ops import undo as undo_ops

app = typer.Typer(add_completion=False, help="Take back your last change to the ledger.")
commands = {"undo": app}


@app.command("undo")
def undo(ctx: typer.Context, fmt: ItemFormatOpt = ItemFormat.text) -> None:
    """Take back your last change to the ledger (again: the one before it); says what it
    took back. An issued invoice is voided, not undone; a record changed since is refused.

    Example: kvsupport undo
    """
    env = env_of(ctx)
    change = undo_ops.undo(env)
    if fmt is ItemFormat.json:
        print_json(
            {
                "undone": change.number,
                "at": env.local(change.at).isoformat(timespec="seconds"),
                "consultant": change.consultant,
                "action": change.action,
                "changes": [list(op) for op in change.ops],
                "count": change.size,
            }
        )
    say(env, _("undone: {change}").format(change=change_text(change)))
