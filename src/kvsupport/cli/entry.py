"""The ``kvsupport`` console script: the fast path if it applies, else the Typer app."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run kvsupport with ``argv`` (default: the process's arguments); exits.

    The interface language is chosen here, for this call, from the environment of
    this call: a caller that runs several (tests, an embedding script) gets each
    one's own, never the language of the call before.
    """
    from kvsupport import i18n
    from kvsupport.cli._errors import fail, guarded
    from kvsupport.cli.parse import refuse_control_characters
    from kvsupport.errors import KvsupportError

    i18n.use()
    _closed_streams_read_and_write_nothing()
    args = sys.argv[1:] if argv is None else argv
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


def _typer(args: list[str]) -> object:
    import typer

    from kvsupport.cli.app import app

    command = typer.main.get_command(app)
    return command.main(args=args, prog_name="kvsupport", standalone_mode=False)


def _closed_streams_read_and_write_nothing() -> None:
    """``kvsupport … >&-`` or ``<&-`` leaves Python without that stream (``None``):
    read from and write to the null device instead, so a closed stream is an empty one."""
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115 - lives with the process
