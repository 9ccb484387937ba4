"""The root command: global options, and noun groups imported only when used.

Each noun (``session``, ``invoice``…) is its own ``typer.Typer()`` in its own
module; :class:`LazyGroup` imports a module when its noun is invoked, so a
command pays only for what it uses (``--help`` imports them all).
"""

from __future__ import annotations

import importlib
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kvsupport import __version__
from kvsupport.ops.env import Env

#: noun -> (module, one-line help), in the order ``--help`` lists them
GROUPS: dict[str, tuple[str, str]] = {
    "session": ("kvsupport.cli.session", "Start, stop and fix support sessions."),
    "client": ("kvsupport.cli.client", "Clients: requisites, contacts, licence."),
    "invoice": ("kvsupport.cli.invoice", "Issue the month's invoices; list, show, send, void, pay."),
    "bank": ("kvsupport.cli.bank", "Bank statements: payments matched to invoices."),
    "reconcile": ("kvsupport.cli.reconcile", "A client's reconciliation act (акт сверки) for a period."),
    "order": ("kvsupport.cli.order", "Scheduled sessions (remote help is ordered ahead)."),
    "report": ("kvsupport.cli.report", "A month at a glance: hours, amounts, unbilled, unpaid."),
    "tariff": ("kvsupport.cli.tariff", "The versioned price list."),
    "letter": ("kvsupport.cli.letter", "A client's letter (.eml): what a session takes from it."),
    "import": ("kvsupport.cli.transfer", "Import sessions from CSV or JSON, all or nothing."),
    "export": ("kvsupport.cli.transfer", "Export sessions as CSV or JSON."),
    "config": ("kvsupport.cli.config_cmd", "Supplier requisites and settings."),
    "ledger": ("kvsupport.cli.ledger_cmd", "Where the ledger is; check, backups, restore."),
    "demo": ("kvsupport.cli.demo", "A sample month in a temporary ledger, with its invoice."),
}


class LazyGroup(TyperGroup):
    """A root group whose nouns are imported on first use."""

    def list_commands(self, ctx: Any) -> list[str]:
        """Every noun, in the documented order."""
        return list(GROUPS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """Import the noun's module and build its command."""
        entry = GROUPS.get(cmd_name)
        if entry is None:
            return super().get_command(ctx, cmd_name)
        module = importlib.import_module(entry[0])
        sub: typer.Typer = module.commands[cmd_name]
        command = typer.main.get_command(sub)
        command.name = cmd_name
        command.short_help = entry[1]  # the one line the root's help lists
        return command


app = typer.Typer(  # no help=: the root callback's docstring, with its example, is the help
    cls=LazyGroup,
    name="kvsupport",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"kvsupport {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    ledger: Annotated[
        str | None,
        typer.Option(help="Ledger file (env KVSUPPORT_LEDGER; default: user data dir).", show_default=False),
    ] = None,
    tariffs: Annotated[
        str | None,
        typer.Option(
            help="Tariff file (env KVSUPPORT_TARIFFS; default: user config dir, else the packaged list).",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        str | None,
        typer.Option(
            help="Config file (env KVSUPPORT_CONFIG; default: user config dir).", show_default=False
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No confirmations on stderr.")] = False,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """Time, charges and invoices for paid remote support of «Квартплата».

    Example: kvsupport session start romashka backup --problem "не считает пени"
    """
    ctx.obj = Env(ledger_option=ledger, tariffs_option=tariffs, config_option=config, quiet=quiet)
