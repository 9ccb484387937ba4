"""``kvsupport config …``: the supplier's requisites and settings (SPEC §4)."""

from __future__ import annotations

from typing import Annotated

import typer

from kvsupport.cli.options import ItemFormat, ItemFormatOpt, env_of
from kvsupport.cli.output import print_json, say
from kvsupport.core.text import printable
from kvsupport.errors import InvalidValue
from kvsupport.i18n import _
from kvsupport.storage.config import DEFAULTS, KEYS, set_values, unset_value

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Supplier requisites and settings.")
commands = {"config": app}

KeyArg = Annotated[str, typer.Argument(metavar="KEY", help=f"One of: {', '.join(KEYS)}.")]


@app.command("show")
def config_show(ctx: typer.Context, fmt: ItemFormatOpt = ItemFormat.text) -> None:
    """Show every setting (defaults marked).

    Example: kvsupport config show --format json
    """
    env = env_of(ctx)
    config = env.config
    values = {key: config.get(key) for key in KEYS}
    if fmt is ItemFormat.json:
        print_json(values)
        return
    default = "  " + _("(default)")
    for key, value in values.items():
        note = default if key not in config.values and key in DEFAULTS else ""
        shown = "" if value is None else value
        print(printable(f"{key:32} {shown}{note}"))


# A value may start with "-" (``config set invoice.due_days -1`` must say why -1 is wrong,
# not "No such option: -1"): unknown options reach the command as its VALUE.
@app.command("set", context_settings={"ignore_unknown_options": True})
def config_set(
    ctx: typer.Context,
    key: KeyArg,
    value: Annotated[str, typer.Argument(help='The value; "" to remove the key.')],
    more: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[KEY VALUE]...",
            help="More keys and values, checked together and written at once (a change of bank).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Set keys (checked: INN, BIK, accounts against the BIK…); several KEY VALUE pairs are
    checked together, so a new bank's BIK and accounts go in in one command.

    Example: kvsupport config set supplier.bik 044525593 supplier.correspondent_account 30101810200000000593
    """
    env = env_of(ctx)
    rest = more or []
    if len(rest) % 2:
        raise InvalidValue(
            _("'{key}' has no value").format(key=rest[-1]),
            hint=_("give keys and values in pairs: KEY VALUE …"),
        )
    pairs = [(key, value), *zip(rest[::2], rest[1::2], strict=True)]
    if len(pairs) == 1 and value == "":
        unset_value(env.config_path, key)
        say(env, _("removed {key} from {path}").format(key=key, path=env.config_path))
        return
    config = set_values(env.config_path, pairs)
    for name, given in pairs:
        if given == "":
            say(env, _("removed {key} from {path}").format(key=name, path=env.config_path))
        else:
            say(env, f"{name} = {config.get(name)} ({env.config_path})")


@app.command("path")
def config_path(ctx: typer.Context) -> None:
    """Print the config file in use.

    Example: kvsupport config path
    """
    print(env_of(ctx).config_path)
