"""The ``kvsupport`` console script: the fast path if it applies, else the Typer app."""

from __future__ import annotations

import os
import sys
from typing import Any


def main(argv: list[str] | None = None) -> None:
    """Run kvsupport with ``argv`` (default: the process's arguments); exits.

    The interface language is chosen here, for this call, from the environment of
    this call: a caller that runs several (tests, an embedding script) gets each
    one's own, never the language of the call before.
    """
    from kvsupport import i18n, notices
    from kvsupport.cli._errors import fail, guarded
    from kvsupport.cli.parse import refuse_control_characters
    from kvsupport.errors import KvsupportError

    _closed_streams_read_and_write_nothing()
    notices.start_command()
    args = sys.argv[1:] if argv is None else argv
    i18n.use(_configured_language(args))
    try:
        refuse_control_characters(args)  # typed text, for every command, before any is parsed
    except KvsupportError as exc:
        fail(exc)
    if not os.environ.get("KVSUPPORT_NO_FAST_PATH"):
        from kvsupport.cli.fast import parse

        call = parse(args)
        if call is not None:
            guarded(call, click=False)
    guarded(lambda: _typer(args))


def _configured_language(args: list[str]) -> str | None:
    """The config's ``ui.language``, if set: the config named by a root ``--config``
    (before the command's noun), else the usual one (SPEC §4)."""
    option = None
    for i, arg in enumerate(args):
        if not arg.startswith("-"):
            break  # the noun: options after it are the command's
        if arg == "--config" and i + 1 < len(args):
            option = args[i + 1]
        elif arg.startswith("--config="):
            option = arg.split("=", 1)[1]
    from kvsupport.errors import KvsupportError
    from kvsupport.storage import paths
    from kvsupport.storage.config import ui_language

    try:
        return ui_language(paths.config_path(option))
    except KvsupportError:
        return None  # a bad --config: the command says so


def _typer(args: list[str]) -> object:
    import typer

    from kvsupport.cli._errors import Interrupted
    from kvsupport.cli.app import app, translate_typer, translated

    translate_typer()
    command = translated(typer.main.get_command(app))
    invoke = command.invoke

    def invoke_saying_interrupts(ctx: Any) -> Any:
        try:
            return invoke(ctx)
        except KeyboardInterrupt as exc:  # Typer would exit 130 without a word
            raise Interrupted from exc

    command.invoke = invoke_saying_interrupts
    return command.main(args=args, prog_name="kvsupport", standalone_mode=False)


def _closed_streams_read_and_write_nothing() -> None:
    """``kvsupport … >&-`` or ``<&-`` leaves Python without that stream (``None``):
    read from and write to the null device instead, so a closed stream is an empty one."""
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115 - lives with the process
