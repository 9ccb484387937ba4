"""Shared option types and the parsing of values at the edge (bad value: exit 2)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kvsupport.ops.env import Env


class ListFormat(StrEnum):
    """Formats of a listing."""

    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class ItemFormat(StrEnum):
    """Formats of one record."""

    text = "text"
    json = "json"


FormatOpt = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to FILE (an xlsx needs it, or a pipe).", show_default=False),
]
ItemFormatOpt = Annotated[ItemFormat, typer.Option("--format", "-f", help="Output format.")]
MonthOpt = Annotated[
    str | None,
    typer.Option(
        "--month",
        "-m",
        help="Month YYYY-MM, MM.YYYY or by name, e.g. 'november 2026' (default: this month).",
        show_default=False,
    ),
]


def complete_client(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of a client code: the codes of clients not archived that start with
    what is typed, whatever its case. Never fails: a ledger that cannot be read completes
    nothing."""
    return _codes_for(ctx, incomplete, archived=False)


def complete_archived(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for ``client unarchive``: the archived clients' codes."""
    return _codes_for(ctx, incomplete, archived=True)


def _codes_for(ctx: typer.Context, incomplete: str, *, archived: bool) -> list[str]:
    from kvsupport.core.clientcodes import code_key
    from kvsupport.errors import KvsupportError

    root = ctx.find_root().params
    env = Env(ledger_option=root.get("ledger"), config_option=root.get("config"))
    try:
        with env.store() as store:
            found = list(store.clients().values())
    except (KvsupportError, OSError):
        return []
    key = code_key(incomplete)
    return [c.code for c in found if c.archived == archived and code_key(c.code).startswith(key)]


ClientOpt = Annotated[
    str | None, typer.Option("--client", "-c", help="Only this client.", autocompletion=complete_client)
]


def check_moment(ctx: typer.Context, value: str | None) -> str | None:
    """Refuse a time option that swallowed the next option (``--at --problem x``) while
    parsing, before Click reports that option's value as an unexpected extra argument."""
    if value is not None and value.strip().startswith("--") and not ctx.resilient_parsing:
        from kvsupport.cli.parse import moment

        moment(env_of(ctx), value)  # raises the error the command itself would
    return value


def check_text(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    """The same for a free-text option (``--note --at 11:05``)."""
    if not ctx.resilient_parsing:
        from kvsupport.cli.parse import text_value

        text_value(param.opts[0], value)
    return value


AtOpt = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="When: HH:MM, yesterday 23:30, DD.MM.YYYY HH:MM, YYYY-MM-DD HH:MM, -15m, -1h30m (default: now).",
        show_default=False,
        callback=check_moment,
    ),
]


def env_of(ctx: typer.Context) -> Env:
    """The command's environment, built by the root callback."""
    root = ctx.find_root()
    if not isinstance(root.obj, Env):  # a sub-app invoked on its own, as in tests
        root.obj = Env()
    root.obj.action = " ".join(ctx.command_path.split()[1:]) or None  # what the journal calls it
    return root.obj
