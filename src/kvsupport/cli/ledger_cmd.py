"""``kvsupport ledger …``: where the ledger is; create, check, copy, backups, restore."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Annotated

import typer

from kvsupport import i18n
from kvsupport.cli import figures
from kvsupport.cli._errors import error_line, hint_line
from kvsupport.cli.changes import change_text
from kvsupport.cli.options import FormatOpt, ListFormat, OutputOpt, env_of
from kvsupport.cli.output import Column, print_rows, say
from kvsupport.i18n import _, ngettext
from kvsupport.ops import ledger
from kvsupport.ops import undo as undo_ops
from kvsupport.storage.api import Change, Counts

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
        say(env, _("{ledger}: ready ({done})").format(ledger=env.ledger_location, done=", ".join(done)))
    else:
        say(env, _("{ledger}: ready (nothing to do)").format(ledger=env.ledger_location))


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
    say(
        env,
        _("{ledger}: ok — {clients}, {sessions}, {invoices}, {orders}").format(
            ledger=found.location, **counted(found.counts)
        ),
    )


def counted(counts: Counts) -> dict[str, str]:
    """What a ledger holds, counted in words: ``1 clients``, ``3 sessions``… (the English as
    it always was; «1 клиент», «3 сеанса», «1 счёт», «0 заявок» in Russian)."""
    return {
        "clients": ngettext("{count} clients", "{count} clients", counts.clients).format(
            count=counts.clients
        ),
        "sessions": ngettext("{count} sessions", "{count} sessions", counts.sessions).format(
            count=counts.sessions
        ),
        "invoices": ngettext("{count} invoices", "{count} invoices", counts.invoices).format(
            count=counts.invoices
        ),
        "orders": ngettext("{count} orders", "{count} orders", counts.orders).format(count=counts.orders),
    }


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
        _("copied {clients}, {sessions}, {invoices} and {orders} into {target}").format(
            target=target, **counted(counts)
        ),
    )


@app.command("changes")
def ledger_changes(ctx: typer.Context, fmt: FormatOpt = ListFormat.text, output: OutputOpt = None) -> None:
    """List the recent changes of the ledger, newest first: who, when, what (what 'undo' takes back).

    Example: kvsupport ledger changes
    """
    env = env_of(ctx)
    found = undo_ops.changes(env)
    what = described(found, fmt)
    rows = [
        {
            "number": c.number,
            "at": env.local(c.at).isoformat(timespec="seconds"),
            "consultant": c.consultant,
            "action": c.action,
            "change": what[c.number],
            "count": c.size,
            "undone_by": c.undone_by,
            "undoes": c.undoes,
        }
        for c in found
    ]
    columns: list[Column] = [
        ("number", _("N"), "right"),
        ("at", _("When"), "left"),
        ("consultant", _("Who"), "left"),
        ("change", _("What"), "left"),
        ("undone_by", _("Undone by"), "right"),
    ]
    if fmt is ListFormat.text:
        rows = [{**row, "at": _local_time(row["at"])} for row in rows]
    empty = _("no changes recorded yet")
    print_rows(rows, fmt.value, columns, empty=empty, output=output, env=env, sheet="changes")


def described(changes: Iterable[Change], fmt: ListFormat) -> dict[int, str]:
    """What each change was, in words (by number): in the interface's language for a text
    listing; in English for JSON, CSV and xlsx, which never depend on the language."""
    if fmt is ListFormat.text or i18n.current() == "en":
        return {c.number: change_text(c) for c in changes}
    language = i18n.current()
    i18n.use("en")
    try:
        return {c.number: change_text(c) for c in changes}
    finally:
        i18n.use(language)


def _local_time(text: str | int | None) -> str | int | None:
    """A moment of a text listing (ISO 8601 in local time): ``25.11.2026 10:15`` in Russian,
    as it is in English."""
    from datetime import datetime

    if not figures.russian() or not isinstance(text, str):
        return text
    return figures.day_and_time(datetime.fromisoformat(text))


@app.command("backups")
def ledger_backups(ctx: typer.Context, fmt: FormatOpt = ListFormat.text, output: OutputOpt = None) -> None:
    """List the backups a file ledger keeps of its recent states, newest (the current one) first.

    Example: kvsupport ledger backups
    """
    env = env_of(ctx)
    found, changes = ledger.backups(env)
    what = described(changes, fmt)
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
        ("name", _("Backup"), "left"),
        ("taken_at", _("Taken"), "left"),
        ("generation", _("Change"), "right"),
        ("current", _("Current"), "left"),
        ("change", _("What"), "left"),
    ]
    if fmt is ListFormat.text:  # «yes» as the reader reads it; the time too
        current = _("yes")
        rows = [
            {**row, "taken_at": _local_time(row["taken_at"]), "current": current if row["current"] else ""}
            for row in rows
        ]
    print_rows(
        rows,
        fmt.value,
        columns,
        empty=_("no backups yet (one is kept of each change)"),
        whole=("name",),
        drop=("generation",),  # the name ends with it too: -g41
        output=output,
        env=env,
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
        text = _("restored {backup} in place of a ledger that could not be read (a copy is kept)")
    else:
        text = _("restored {backup}; the state before it is kept in the backups")
    say(env, text.format(backup=done.backup.name))
