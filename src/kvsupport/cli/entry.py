"""The ``kvsupport`` console script: the fast path if it applies, else the Typer app."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run kvsupport with ``argv`` (default: the process's arguments); exits."""
    from kvsupport.cli._errors import guarded

    args = sys.argv[1:] if argv is None else argv
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
