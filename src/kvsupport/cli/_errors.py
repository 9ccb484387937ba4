"""The one place that turns errors into ``error: …`` on stderr and an exit code.

SPEC §5: 0 success, 1 refused or failed, 2 bad usage or invalid value; one
``error:`` line, an optional hint line, never a traceback for a user's mistake.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NoReturn

from kvsupport.core.text import printable
from kvsupport.errors import KvsupportError, Problems


def report(message: str, hint: str | None = None) -> None:
    """Print one error (and its hint) to stderr."""
    sys.stderr.write(f"error: {printable(message)}\n")
    if hint:
        sys.stderr.write(f"hint: {printable(hint)}\n")


def fail(exc: KvsupportError) -> NoReturn:
    """Report a domain error and exit with its code."""
    if isinstance(exc, Problems):
        for problem in exc.problems:
            sys.stderr.write(f"error: {printable(problem)}\n")
        if exc.hint:
            sys.stderr.write(f"hint: {printable(exc.hint)}\n")
    else:
        report(exc.message, exc.hint)
    sys.exit(exc.exit_code)


def guarded(run: Callable[[], object], *, click: bool = True) -> NoReturn:
    """Run a front end, translating every expected failure; exit with its code.

    ``click=False`` (the fast path) keeps Typer unimported.
    """
    try:
        result = run()
    except KvsupportError as exc:
        fail(exc)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(1)
    except Exception as exc:
        if click:
            _click_error(exc)
        raise
    sys.exit(result if isinstance(result, int) else 0)


def _quiet_stdout() -> None:
    """After a closed pipe (``| head``), drop what is left instead of a traceback."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _click_error(exc: Exception) -> None:
    """Report Typer's own usage errors as ``error:`` lines (exit 2); else return."""
    import typer

    if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: its help, not an error
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            # The error's message is the help; Typer's rich help has already printed
            # itself while the error was built (its get_help() returns ""): print it once.
            help_text = str(getattr(exc, "message", ""))
            if help_text:
                sys.stdout.write(help_text + "\n")
            sys.exit(0)
    if isinstance(exc, typer.TyperException):  # click's ClickException and UsageError
        ctx = getattr(exc, "ctx", None)
        hint = f"see '{ctx.command_path} --help'" if ctx is not None else None
        report(exc.format_message(), hint)
        sys.exit(exc.exit_code)
    if isinstance(exc, typer.Abort):
        sys.stderr.write("interrupted\n")
        sys.exit(130)
