"""Shared option types and the parsing of values at the edge (bad value: exit 2)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from kvsupport.ops.env import Env


class ListFormat(StrEnum):
    """Formats of a listing."""

    text = "text"
    json = "json"
    csv = "csv"


class ItemFormat(StrEnum):
    """Formats of one record."""

    text = "text"
    json = "json"


FormatOpt = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]
ItemFormatOpt = Annotated[ItemFormat, typer.Option("--format", "-f", help="Output format.")]
MonthOpt = Annotated[
    str | None,
    typer.Option("--month", "-m", help="Month YYYY-MM or MM.YYYY (default: this month).", show_default=False),
]
ClientOpt = Annotated[str | None, typer.Option("--client", "-c", help="Only this client.")]


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
