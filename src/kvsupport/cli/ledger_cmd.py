"""``kvsupport ledger …``: where the ledger is, its health, backups and restore."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kvsupport.cli.options import FormatOpt, ListFormat, env_of
from kvsupport.cli.output import Column, print_rows, say
from kvsupport.errors import NotFound
from kvsupport.storage.ledger import open_ledger

SHOWN_PROBLEMS = 50  # a damaged ledger can have thousands: the first ones say where

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Where the ledger is; check, backups, restore."
)
commands = {"ledger": app}


@app.command("path")
def ledger_path(ctx: typer.Context) -> None:
    """Print the ledger file in use.

    Example: jq '.clients' "$(kvsupport ledger path)"
    """
    print(env_of(ctx).ledger_path)


@app.command("check")
def ledger_check(ctx: typer.Context) -> None:
    """Read every record of the ledger and report every problem (exit 1 if any).

    Example: kvsupport ledger check
    """
    env = env_of(ctx)
    with open_ledger(env.ledger_path) as ledger:
        problems = ledger.check()
        counts = ledger.counts()
    for problem in problems[:SHOWN_PROBLEMS]:
        sys.stderr.write(f"error: {problem}\n")
    if len(problems) > SHOWN_PROBLEMS:
        sys.stderr.write(f"hint: {len(problems) - SHOWN_PROBLEMS} more problems not shown\n")
    if problems:
        raise typer.Exit(1)
    say(
        env,
        f"{env.ledger_path}: ok — {counts[0]} clients, {counts[1]} sessions, {counts[2]} invoices",
    )


@app.command("backups")
def ledger_backups(ctx: typer.Context, fmt: FormatOpt = ListFormat.text) -> None:
    """List the backups kept of recent states, newest (the current one) first.

    Example: kvsupport ledger backups
    """
    env = env_of(ctx)
    with open_ledger(env.ledger_path, recover=True) as ledger:
        found = ledger.backups()
        current = None if ledger.recovered else ledger.generation
    rows = [
        {
            "name": b.name,
            "taken_at": env.local(b.taken_at).isoformat(timespec="seconds"),
            "generation": b.generation,
            "current": b.generation == current,
            "bytes": b.size,
            "path": str(b.path),
        }
        for b in found
    ]
    columns: list[Column] = [
        ("name", "Backup", "left"),
        ("taken_at", "Taken", "left"),
        ("generation", "Change", "right"),
        ("current", "Current", "left"),
    ]
    print_rows(rows, fmt.value, columns, empty="no backups yet (one is kept of each change)")


@app.command("restore")
def ledger_restore(
    ctx: typer.Context,
    backup: Annotated[str, typer.Argument(help="Backup name (or path) from 'ledger backups'.")],
) -> None:
    """Return the ledger to a backup; the state before it stays in the backups.

    Works when the ledger's main file is missing or unreadable too: that is what it is for.

    Example: kvsupport ledger restore 20261125T101500000000Z-g41.json
    """
    env = env_of(ctx)
    wanted = backup.rsplit("/", 1)[-1]
    with open_ledger(env.ledger_path, write=True, recover=True) as ledger:
        found = next((b for b in ledger.backups() if b.name == wanted), None)
        if found is None:
            raise NotFound(f"no backup {wanted!r}", hint="see 'kvsupport ledger backups'")
        recovered = ledger.recovered
        ledger.replace_with_backup(found)
    if recovered:
        say(env, f"restored {found.name} in place of a ledger that could not be read (a copy of it is kept)")
    else:
        say(env, f"restored {found.name}; the state before it is kept in the backups")
