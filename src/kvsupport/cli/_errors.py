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
from kvsupport.i18n import _


def to_stderr(text: str) -> None:
    """Write ``text`` to stderr; a stderr that cannot take it (``2>/dev/full``, a closed
    pipe) loses the message, never the command's outcome or its exit code."""
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except OSError:
        pass


def error_line(message: str) -> str:
    """``error: …`` (``ошибка: …`` in Russian, as git says it), one line."""
    return _("error:") + f" {printable(message)}\n"  # _() outside the f-string: Babel finds it there


def hint_line(hint: str) -> str:
    """``hint: …`` (``подсказка: …``), one line."""
    return _("hint:") + f" {printable(hint)}\n"


def warning_line(message: str) -> str:
    """``warning: …`` (``предупреждение: …``), one line."""
    return _("warning:") + f" {printable(message)}\n"


class Interrupted(Exception):
    """Ctrl-C (SIGINT) inside the Typer app, which would turn a ``KeyboardInterrupt``
    into a silent exit 130: carried past it as this, to be said (:func:`interrupted`)."""


def interrupted() -> NoReturn:
    """Say that the command was interrupted, and what that did to the ledger; exit 130.

    "Nothing was changed" only while no change could have become visible yet
    (:func:`kvsupport.notices.changed_anything`): a read, or a write that was rolled
    back before its commit point.
    """
    from kvsupport.notices import changed_anything

    if changed_anything():
        to_stderr(
            _("interrupted: the change may have been stored")
            + "\n"
            + hint_line(
                _(
                    "a change is stored whole or not at all: see whether it is "
                    "('kvsupport ledger changes') before running the command again"
                )
            )
        )
    else:
        to_stderr(_("interrupted: nothing was changed") + "\n")
    sys.exit(130)


def report(message: str, hint: str | None = None) -> None:
    """Print one error (and its hint) to stderr."""
    to_stderr(error_line(message) + (hint_line(hint) if hint else ""))


def fail(exc: KvsupportError) -> NoReturn:
    """Report a domain error and exit with its code."""
    if isinstance(exc, Problems):
        lines = "".join(error_line(problem) for problem in exc.problems)
        to_stderr(lines + (hint_line(exc.hint) if exc.hint else ""))
    else:
        report(exc.message, exc.hint)
    sys.exit(exc.exit_code)


def guarded(run: Callable[[], object], *, click: bool = True) -> NoReturn:
    """Run a front end, translating every expected failure; exit with its code.

    ``click=False`` (the fast path) keeps Typer unimported. Warnings that storage
    queued after the result was decided (:mod:`kvsupport.notices`) are printed last,
    however the command ends. Output that cannot be written (``> /dev/full``, a full
    disk) is one ``error:`` line and exit 1; it is flushed here, before the exit, so
    that it cannot fail after the exit code is set.
    """
    try:
        _run_then_exit(run, click)
    finally:
        _print_notices()


def _print_notices() -> None:
    from kvsupport.notices import drain

    for message in drain():
        try:
            sys.stderr.write(warning_line(message))
            sys.stderr.flush()
        except (OSError, ValueError):
            return  # stderr is gone or full: the change itself is already decided


def _run_then_exit(run: Callable[[], object], click: bool) -> NoReturn:
    try:
        result = run()
        sys.stdout.flush()
    except KvsupportError as exc:
        fail(exc)
    except (KeyboardInterrupt, Interrupted):
        interrupted()
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(1)
    except OSError as exc:
        _quiet_stdout()
        _os_error(exc)
    except Exception as exc:
        if click:
            _click_error(exc)
        raise
    sys.exit(result if isinstance(result, int) else 0)


def _os_error(exc: OSError) -> NoReturn:
    """An operating-system failure no layer below turned into a message: the output
    (no file name) or a file (named). Exit 1."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        report(
            _("cannot write the output: {reason}").format(reason=reason),
            _("what the command stored is stored; only what it printed was lost"),
        )
    else:
        report(_("{path}: {reason}").format(path=exc.filename, reason=reason))
    sys.exit(1)


def _quiet_stdout() -> None:
    """After a closed pipe (``| head``) or a full disk, drop what is left instead of a
    traceback when Python flushes stdout at exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


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
        from kvsupport.cli.app import usage_error  # Typer's path only: the fast path never loads it

        report(*usage_error(exc))
        sys.exit(exc.exit_code)
    if isinstance(exc, typer.Abort):
        interrupted()
