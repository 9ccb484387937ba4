"""The one place that turns errors into ``error: …`` on stderr and an exit code.

SPEC §5: 0 success, 1 refused or failed, 2 bad usage or invalid value; one
``error:`` line, an optional hint line, never a traceback for a user's mistake.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import NoReturn

from kvsupport.core.text import printable
from kvsupport.errors import KvsupportError, Problems
from kvsupport.i18n import N_, _, ngettext


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
    except KeyboardInterrupt:
        to_stderr(_("interrupted") + "\n")
        sys.exit(130)
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
        report(*usage_error(exc))
        sys.exit(exc.exit_code)
    if isinstance(exc, typer.Abort):
        to_stderr(_("interrupted") + "\n")
        sys.exit(130)


def usage_error(exc: Exception) -> tuple[str, str | None]:
    """The ``error:`` message and the hint of one of Typer's usage errors.

    Typer's vendored Click writes its messages in English, hard-coded. In English they
    are kept exactly as Click words them (``No such option: --foo (Possible options:
    --format, --from)``), with ``see 'kvsupport … --help'`` as the hint. In another
    language the message is said again in that language from the exception's type and
    attributes (:func:`_said_again`): «нет такого параметра: --foo», the nearest options
    in the hint. A message it does not know (a new Typer's) stays Click's.
    """
    from kvsupport.i18n import current

    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else None
    see = _("see '{command} --help'").format(command=command) if command else None
    if current() != "en":
        said = _said_again(exc, command)
        if said is not None:
            return said
    format_message = getattr(exc, "format_message", None)
    return (format_message() if callable(format_message) else str(exc)), see


def _said_again(exc: Exception, command: str | None) -> tuple[str, str | None] | None:
    """A usage error in the interface's language, from its type and attributes; ``None``
    for one it does not know. (Typer's classes are matched by name: importing them
    would import Typer's vendored Click by its private path.)"""
    kind = type(exc).__name__
    message = str(getattr(exc, "message", ""))
    if kind == "NoSuchOption":
        name = str(getattr(exc, "option_name", ""))
        if not message.startswith("No such option: "):
            return None
        return _("No such option: {name}").format(name=name), _suggest(
            list(getattr(exc, "possibilities", None) or ()), command
        )
    if kind == "BadOptionUsage":
        name = str(getattr(exc, "option_name", ""))
        if message == f"Option {name!r} requires an argument.":
            return _("Option {name} requires a value").format(name=name), None
        if message == f"Option {name!r} does not take a value.":
            return _("Option {name} does not take a value").format(name=name), None
        return None
    if kind == "MissingParameter":
        return _missing(exc, command)
    if kind == "BadParameter":
        return _bad_value(exc, message), _see(command)
    if kind == "UsageError":
        return _usage(message, command)
    return None


def _see(command: str | None) -> str | None:
    return _("see '{command} --help'").format(command=command) if command else None


def _suggest(names: list[str], command: str | None) -> str | None:
    """«возможно, вы имели в виду --format? см. 'kvsupport session list --help'»: the nearest
    names first, as Click's difflib found them."""
    if not names:
        return _see(command)
    shown = (
        names[0]
        if len(names) == 1
        else _("{names} or {last}").format(names=", ".join(names[:-1]), last=names[-1])
    )
    if command is None:
        return _("perhaps you meant {names}?").format(names=shown)
    return _("perhaps you meant {names}? see '{command} --help'").format(names=shown, command=command)


def _hint_of(exc: Exception) -> str | None:
    """The parameter a bad value or a missing one belongs to, as Click names it: ``'ID'``,
    ``'--format' / '-f'``."""
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        hint = param.get_error_hint(getattr(exc, "ctx", None))
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint


def _missing(exc: Exception, command: str | None) -> tuple[str, str | None] | None:
    param = getattr(exc, "param", None)
    extra = param.type.get_missing_message(param=param, ctx=getattr(exc, "ctx", None)) if param else None
    if getattr(exc, "message", "") or extra:
        return None  # a message of its own, or a list of choices: Click's words
    name = _hint_of(exc) or ""
    kind = getattr(exc, "param_type", None) or (param.param_type_name if param is not None else None)
    if kind == "argument":
        return _("Missing argument {name}.").format(name=name), _see(command)
    if kind == "option":
        return _("Missing option {name}.").format(name=name), _see(command)
    return None


#: the values Click's own types refuse: (what the message says, how the interface says it);
#: patterns as text, compiled (and cached by ``re``) only when a usage error is reported
_BAD_VALUES = (
    (r"(?P<value>.+) is not a valid int(eger)?\.", N_("{value} is not a whole number")),
    (r"(?P<value>.+) is not a valid float\.", N_("{value} is not a number")),
    (r"(?P<value>.+) is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}")),
    (r"(?P<value>.+) is not in the range (?P<range>.+)\.", N_("{value} is not in the range {range}")),
)


def _bad_value(exc: Exception, message: str) -> str:
    """``Invalid value for 'ID': 'abc' is not a valid int.``, said again; a problem Click's
    types did not word (a kvsupport callback's, already in the interface's language) is
    kept as it is."""
    problem = message
    for pattern, words in _BAD_VALUES:
        found = re.fullmatch(pattern, message, re.S)
        if found is not None:
            problem = _(words).format(**found.groupdict())
            break
    name = _hint_of(exc)
    if name is None:
        return _("Invalid value: {problem}").format(problem=problem)
    return _("Invalid value for {name}: {problem}").format(name=name, problem=problem)


_NO_COMMAND = r"No such command (?P<name>.+?)\.(?: Did you mean (?P<names>.+)\?)?"
_EXTRA = r"Got unexpected extra argument\(s\) \((?P<args>.*)\)"


def _usage(message: str, command: str | None) -> tuple[str, str | None] | None:
    """Click's plain usage errors: an unknown command (and Typer's «did you mean»), extra
    arguments."""
    found = re.fullmatch(_NO_COMMAND, message, re.S)
    if found is not None:
        names = [n.strip() for n in (found["names"] or "").split(",") if n.strip()]
        return _("No such command {name}.").format(name=found["name"]), _suggest(names, command)
    found = re.fullmatch(_EXTRA, message, re.S)
    if found is not None:
        count = len(found["args"].split())
        text = ngettext("unexpected extra argument: {args}", "unexpected extra arguments: {args}", count)
        return text.format(args=found["args"]), _see(command)
    return None
