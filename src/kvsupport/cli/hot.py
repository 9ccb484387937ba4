"""The bodies of ``session start/stop/resume/cancel/status``, free of Typer.

Both front ends call these: the Typer commands (``kvsupport.cli.session``)
and the fast path (``kvsupport.cli.fast``), which serves the everyday calls
without importing Typer (~60 ms on the target machine, more than the whole
50 ms budget of ``session status``).
"""

from __future__ import annotations

from datetime import date, datetime

from kvsupport.cli import views
from kvsupport.cli.output import print_json, say, warn
from kvsupport.cli.parse import text_value
from kvsupport.core.text import printable
from kvsupport.ops import sessions
from kvsupport.ops.env import Env
from kvsupport.ops.sessions import Details, Outcome


def details(
    problem: str | None,
    phone: str | None,
    consent: str | None,
    backup_confirmed: bool,
    order: int | None = None,
    note: str | None = None,
) -> Details:
    """Collect a session's details, refusing values that swallowed an option."""
    if phone is not None:
        from kvsupport.core.requisites import check_phone

        phone = check_phone(phone)
    return Details(
        problem=text_value("--problem", problem),
        phone=phone,
        consent=text_value("--consent", consent),
        backup_confirmed=backup_confirmed,
        order=order,
        note=text_value("--note", note),
    )


def finish(env: Env, outcome: Outcome, message: str, fmt: str, *, removed: bool = False) -> None:
    """Print warnings, how a typed time was read, the confirmation, and with ``--format
    json`` the session; ``removed``: the confirmation says what went (and how to undo it)."""
    for warning in outcome.warnings:
        warn(warning)
    for note in outcome.notes:
        say(env, note)
    if fmt == "json":
        print_json(views.session_record(env, outcome.session, outcome.charge))
    if removed:
        from kvsupport.cli.undohint import say_removed

        say_removed(env, message)
    else:
        say(env, message)


def start(
    env: Env,
    client: str | None,
    service: str | None,
    *,
    at: str | None,
    info: Details,
    allow_overlap: bool,
    fmt: str,
    letter: str | None = None,
) -> None:
    """``session start`` (``letter``: the client's .eml, read only when given)."""
    taken: list[str] = []
    warnings: list[str] = []
    if letter is not None:
        from kvsupport.core.billing import local_date

        begin = sessions.read_time(env, at, [])
        on = local_date(begin, env.tz)
        info, taken, warnings = with_letter(
            env, letter, info, client=client, service=service, on=on, start=begin
        )
    outcome = sessions.start(env, client, service, at, info, allow_overlap=allow_overlap)
    outcome = outcome._replace(notes=[*taken, *outcome.notes], warnings=[*warnings, *outcome.warnings])
    finish(env, outcome, views.started(env, outcome), fmt)


def with_letter(
    env: Env,
    letter: str,
    info: Details,
    *,
    client: str | None,
    service: str | None,
    on: date | None,
    start: datetime | None = None,
) -> tuple[Details, list[str], list[str]]:
    """``info`` completed from the client's letter (:func:`kvsupport.ops.evidence.take`),
    what was taken and the warnings, to say after the command succeeds."""
    from kvsupport.ops import evidence

    taken = evidence.take(env, letter, info, client=client, service=service, on=on, start=start)
    return taken.details, taken.notes, taken.warnings


def stop(env: Env, *, at: str | None, note: str | None, fmt: str, allow_long: bool = False) -> None:
    """``session stop``."""
    outcome = sessions.stop(env, at, text_value("--note", note), allow_long=allow_long)
    finish(env, outcome, views.stopped(env, outcome), fmt)


def resume(env: Env, session_id: int | None, *, at: str | None, fmt: str) -> None:
    """``session resume``."""
    outcome = sessions.resume(env, session_id, at)
    finish(env, outcome, views.resumed(env, outcome), fmt)


def cancel(env: Env, *, fmt: str) -> None:
    """``session cancel``."""
    outcome = sessions.cancel(env)
    finish(env, outcome, views.cancelled(env, outcome), fmt, removed=True)


def status(env: Env, *, fmt: str) -> None:
    """``session status``."""
    current = sessions.status(env)
    if current.running is not None:
        for warning in current.running.warnings:
            warn(warning)
    if fmt == "json":
        print_json(views.status_record(env, current))
    else:
        print(printable("\n".join(views.status_lines(env, current))))
