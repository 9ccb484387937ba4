"""``kvsupport ledger …``: where the ledger is; create, check, copy, backups, restore."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kvsupport.cli._errors import error_line, hint_line
from kvsupport.cli.changes import change_text
from kvsupport.cli.options import FormatOpt, ListFormat, OutputOpt, env_of
from kvsupport.cli.output import Column, print_rows, say
from kvsupport.i18n import ngettext
from kvsupport.ops import ledger
from kvsupport.ops import undo as undo_ops

SHOWN_PROBLEMS = 50  # a damaged ledger can have thousands: the first ones say where

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Where the ledger is; create, check, copy, backups, restore.",
)
commands = {"ledger": app}


@app.command("path")
def ledger_path(ctx: typer.Context) -> None:
    """Print the ledger in use: a file, or a PostgreSQL address.

    Example: jq '.clients' "$(kvsupport ledger path)"
    """
    print(env_of(ctx).ledger_location)


@app.command("init")
def ledger_init(ctx: typer.Context) -> None:
    """Create the ledger: in an empty PostgreSQL database, its schema (or the steps this
    kvsupport adds to an older one); a file ledger, if it is not there yet.

    Example: kvsupport --ledger postgresql://kvsupport@db.example.ru/kvsupport ledger init
    """
    env = env_of(ctx)
    done = ledger.init(env)
    if done:
        say(env, f"{env.ledger_location}: ready ({', '.join(done)})")
    else:
        say(env, f"{env.ledger_location}: ready (nothing to do)")


@app.command("check")
def ledger_check(ctx: typer.Context) -> None:
    """Read every record of the ledger and report every problem (exit 1 if any).

    Example: kvsupport ledger check
    """
    env = env_of(ctx)
    found = ledger.check(env)
    for problem in found.problems[:SHOWN_PROBLEMS]:
        sys.stderr.write(error_line(problem))
    if len(found.problems) > SHOWN_PROBLEMS:
        more = len(found.problems) - SHOWN_PROBLEMS
        sys.stderr.write(
            hint_line(
                ngettext("{count} more problem not shown", "{count} more problems not shown", more).format(
                    count=more
                )
            )
        )
    if found.problems:
        raise typer.Exit(1)
    counts = found.counts
    say(
        env,
        f"{found.location}: ok — {counts.clients} clients, {counts.sessions} sessions, "
        f"{counts.invoices} invoices, {counts.orders} orders",
    )


@app.command("copy")
def ledger_copy(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(metavar="SRC", help="The ledger to copy: a file or postgresql://…")
    ],
    target: Annotated[str, typer.Argument(metavar="DST", help="An empty ledger to copy into.")],
) -> None:
    """Copy a whole ledger into an empty one, file or database, either way.

    Example: kvsupport ledger copy ~/.local/share/kvsupport/ledger.json postgresql://db.example.ru/kvsupport
    """
    env = env_of(ctx)
    counts = ledger.copy(env, source, target)
    say(
        env,
        f"copied {counts.clients} clients, {counts.sessions} sessions, {counts.invoices} invoices "
        f"and {counts.orders} orders into {target}",
    )


@app.command("changes")
def ledger_changes(ctx: typer.Context, fmt: FormatOpt = ListFormat.text, output: OutputOpt = None) -> None:
    """List the recent changes of the ledger, newest first: who, when, what (what 'undo' takes back).

    Example: kvsupport ledger changes
    """
    env = env_of(ctx)
    rows = [
        {
            "number": c.number,
            "at": env.local(c.at).isoformat(timespec="seconds"),
            "consultant": c.consultant,
            "action": c.action,
            "change": change_text(c),
            "count": c.size,
            "undone_by": c.undone_by,
            "undoes": c.undoes,
        }
        for c in undo_ops.changes(env)
    ]
    columns: list[Column] = [
        ("number", "N", "right"),
        ("at", "When", "left"),
        ("consultant", "Who", "left"),
        ("change", "What", "left"),
        ("undone_by", "Undone by", "right"),
    ]
    print_rows(rows, fmt.value, columns, empty="no changes recorded yet", output=output, sheet="changes")


@app.command("backups")
def ledger_backups(ctx: typer.Context, fmt: FormatOpt = ListFormat.text, output: OutputOpt = None) -> None:
    """List the backups a file ledger keeps of its recent states, newest (the current one) first.

    Example: kvsupport ledger backups
    """
    env = env_of(ctx)
    found, changes = ledger.backups(env)
    what = {c.number: change_text(c) for c in changes}
    rows = [
        {
            "name": b.name,
            "taken_at": env.local(b.taken_at).isoformat(timespec="seconds"),
            "generation": b.generation,
            "current": b.current,
            "change": what.get(b.generation),
            "bytes": b.size,
            "path": b.path,
        }
        for b in found
    ]
    columns: list[Column] = [
        ("name", "Backup", "left"),
        ("taken_at", "Taken", "left"),
        ("generation", "Change", "right"),
        ("current", "Current", "left"),
        ("change", "What", "left"),
    ]
    print_rows(
        rows,
        fmt.value,
        columns,
        empty="no backups yet (one is kept of each change)",
        whole=("name",),
        output=output,
        sheet="backups",
    )


@app.command("restore")
def ledger_restore(
    ctx: typer.Context,
    backup: Annotated[str, typer.Argument(help="Backup name (or path) from 'ledger backups'.")],
) -> None:
    """Return a file ledger to a backup; the state before it stays in the backups.

    Works when the ledger's main file is missing or unreadable too: that is what it is for.

    Example: kvsupport ledger restore 20261125T101500000000Z-g41.json
    """
    env = env_of(ctx)
    done = ledger.restore(env, backup)
    if done.in_place_of_unreadable:
        say(env, f"restored {done.backup.name} in place of a ledger that could not be read (a copy is kept)")
    else:
        say(env, f"restored {done.backup.name}; the state before it is kept in the backups")
