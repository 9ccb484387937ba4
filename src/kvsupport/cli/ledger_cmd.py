"""``kvsupport ledger …``: where the ledger is, its health, backups and restore."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kvsupport.cli.options import FormatOpt, ListFormat, env_of
from kvsupport.cli.output import Column, print_rows, say
from kvsupport.core.text import printable
from kvsupport.errors import NotFound
from kvsupport.storage.ledger import open_ledger
from kvsupport.storage.ledger_files import LedgerFiles, list_backups

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
        sys.stderr.write(f"error: {printable(problem)}\n")
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
    """List the backups kept before recent changes, newest first.

    Example: kvsupport ledger backups
    """
    env = env_of(ctx)
    rows = [
        {
            "name": b.name,
            "taken_at": env.local(b.taken_at).isoformat(timespec="seconds"),
            "generation": b.generation,
            "bytes": b.size,
            "path": str(b.path),
        }
        for b in list_backups(LedgerFiles(env.ledger_path))
    ]
    columns: list[Column] = [
        ("name", "Backup", "left"),
        ("taken_at", "Taken", "left"),
        ("generation", "Change", "right"),
    ]
    print_rows(rows, fmt.value, columns, empty="no backups yet (one is kept before each change)")


@app.command("restore")
def ledger_restore(
    ctx: typer.Context,
    backup: Annotated[str, typer.Argument(help="Backup name (or path) from 'ledger backups'.")],
) -> None:
    """Return the ledger to a backup; the current state is backed up first.

    Example: kvsupport ledger restore ledger-20261125T101500000000Z-g41.json
    """
    env = env_of(ctx)
    files = LedgerFiles(env.ledger_path)
    wanted = backup.rsplit("/", 1)[-1]
    found = next((b for b in list_backups(files) if b.name == wanted), None)
    if found is None:
        raise NotFound(f"no backup {wanted!r}", hint="see 'kvsupport ledger backups'")
    with open_ledger(env.ledger_path, write=True) as ledger:
        ledger.replace_with_backup(found)
    say(env, f"restored {found.name}; the state before it is the newest backup")
