"""Values typed on the command line, parsed at the edge (a bad one: exit 2).

Free of Typer, so the fast path of ``session start/stop/status`` uses it too.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from kvsupport.core.readable import quoted
from kvsupport.errors import InvalidValue
from kvsupport.i18n import _
from kvsupport.ops.env import Env


def moment(
    env: Env,
    text: str | None,
    *,
    past: bool = False,
    on: date | None = None,
    after: datetime | None = None,
) -> datetime:
    """Parse a time option; ``None`` means now (the current minute, like ``now``).

    ``past``, ``on`` and ``after`` are :func:`~kvsupport.core.timeinput.read_moment`'s
    rules for a bare ``HH:MM``: ``past`` for a start or a stop, ``on`` for the date of
    the session an edit belongs to, ``after`` for the start an end or a stop follows.
    When a rule moved the date (``23:30`` typed at 00:20 is yesterday's), says so on
    stderr, so the date the command uses is visible.
    """
    from kvsupport.core.timeinput import current_minute, read_moment

    if text is None:
        return current_minute(env.now, tz=env.tz)  # stored with the local offset, like typed times
    read = read_moment(text, now=env.now, tz=env.tz, on=on, after=after, past=past)
    if read.shifted:
        from kvsupport.cli.figures import day_and_time
        from kvsupport.cli.output import say

        shown = day_and_time(env.local(read.at))
        say(env, _("'{typed}' is taken as {moment}").format(typed=text.strip(), moment=shown))
    return read.at


def duration(text: str) -> timedelta:
    """Parse a duration option."""
    from kvsupport.core.timeinput import parse_duration

    return parse_duration(text)


def month(env: Env, text: str | None) -> tuple[int, int]:
    """Parse ``--month``; ``None`` means the current local month."""
    if text is None:
        today = env.today
        return today.year, today.month
    from kvsupport.core.timeinput import parse_month

    return parse_month(text, today=env.today)


def day(env: Env, text: str | None) -> date:
    """Parse a date option; ``None`` means today."""
    if text is None:
        return env.today
    from kvsupport.core.timeinput import parse_date

    return parse_date(text, today=env.today)


def money_value(name: str, text: str) -> Decimal:
    """An amount typed on the command line: ``1300``, ``1300.50``, ``1 300,50``."""
    from kvsupport.core.money import parse_money

    compact = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return parse_money(compact)
    except ValueError as exc:
        raise InvalidValue(_("{name} {text}: {problem}").format(name=name, text=text, problem=exc)) from None


def text_value(name: str, text: str | None) -> str | None:
    """A free-text option: refuse one that swallowed the next option (``--note --at``)."""
    if text is not None and text.startswith("--"):
        raise InvalidValue(
            _("{name} {value} looks like an option").format(name=name, value=quoted(text)),
            hint=_("give {name} a value, quoted if needed").format(name=name),
        )
    return text


#: Options whose text may run over several lines (a newline or a tab in it is kept).
MULTILINE_OPTIONS = frozenset({"--problem", "--note"})


def refuse_control_characters(args: list[str]) -> None:
    """The one check of typed text: no argument may hold a control character (ESC, BEL,
    CR, NUL…: commands to whatever terminal or program shows it later), except a newline
    or a tab in the value of a multi-line option (:data:`MULTILINE_OPTIONS`)."""
    from kvsupport.core.text import control_character

    for i, arg in enumerate(args):
        name, eq, inline = arg.partition("=")
        option: str | None
        if arg.startswith("--") and eq:
            option, value = name, inline
        else:
            before = args[i - 1] if i else ""
            option = before if before.startswith("-") and "=" not in before else None
            value = arg
        found = control_character(value, multiline=option in MULTILINE_OPTIONS)
        if found is not None:
            where = option or _("argument {n}").format(n=i + 1)
            raise InvalidValue(
                _("{where} {value}: a control character ({char}) is not allowed in typed text").format(
                    where=where, value=ascii_preview(value), char=found
                ),
                hint=_("type it without; a newline is allowed only in --problem and --note"),
            )


def ascii_preview(value: str, limit: int = 40) -> str:
    """``value`` quoted with its control characters escaped (``'Ром\\x1b[2J'``), cut at
    ``limit`` characters: safe to print, and shows where the character is."""
    shown = repr(value[:limit])
    return shown + ("…" if len(value) > limit else "")
