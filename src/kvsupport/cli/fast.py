"""The fast path: ``session start|stop|status|resume|cancel`` without importing Typer.

Why by hand: importing Typer costs ~60 ms on the target machine, more than the
whole 50 ms budget of ``session status`` (MEASURED.md and BENCHMARKS.md). This
parser understands exactly the options of those five Typer commands (a test
compares :data:`VERBS` with the Typer definitions) and nothing more: ``--help``,
an unknown option, a missing or malformed value — anything it does not fully
understand — returns ``None`` and the Typer app handles the call, with its
help and usage errors. The work itself is the same code (``kvsupport.cli.hot``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from kvsupport.ops.env import Env

FORMATS = ("text", "json")


class Verb(NamedTuple):
    """The grammar of one hot command."""

    positionals: int  # at most this many
    values: tuple[str, ...]  # options taking a value
    flags: tuple[str, ...]  # options without a value


VERBS: dict[str, Verb] = {
    "start": Verb(
        2,
        ("--at", "--problem", "--phone", "--consent", "--order", "--letter", "--format"),
        ("--backup-confirmed", "--allow-overlap"),
    ),
    "stop": Verb(0, ("--at", "--note", "--format"), ("--allow-long",)),
    "resume": Verb(1, ("--at", "--format"), ()),
    "cancel": Verb(0, ("--format",), ()),
    "status": Verb(0, ("--format",), ()),
}
ALIASES = {"-f": "--format"}
ROOT_VALUES = ("--ledger", "--tariffs", "--config")
ROOT_FLAGS = {"--quiet": "quiet", "-q": "quiet"}


def _split(argv: Sequence[str], i: int) -> tuple[str, str | None, int]:
    """The option at ``argv[i]``, its inline ``=value`` if any, and the next index."""
    name, eq, value = argv[i].partition("=")
    return ALIASES.get(name, name), (value if eq else None), i + 1


def parse(argv: Sequence[str]) -> Callable[[], None] | None:
    """A call ready to run, or ``None`` to let Typer handle ``argv``."""
    root: dict[str, str] = {}
    quiet = False
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        name, value, i = _split(argv, i)
        if name in ROOT_FLAGS and value is None:
            quiet = True
        elif name in ROOT_VALUES:
            if value is None:
                if i >= len(argv):
                    return None
                value, i = argv[i], i + 1
            root[name[2:]] = value
        else:
            return None
    if len(argv) < i + 2 or argv[i] != "session" or argv[i + 1] not in VERBS:
        return None
    verb_name = argv[i + 1]
    parsed = _parse_verb(VERBS[verb_name], argv[i + 2 :])
    if parsed is None:
        return None
    positionals, options = parsed
    env = Env(
        ledger_option=root.get("ledger"),
        tariffs_option=root.get("tariffs"),
        config_option=root.get("config"),
        quiet=quiet,
    )
    env.action = f"session {verb_name}"
    return _bind(verb_name, env, positionals, options)


def _parse_verb(verb: Verb, args: Sequence[str]) -> tuple[list[str], dict[str, object]] | None:
    positionals: list[str] = []
    options: dict[str, object] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            positionals.extend(args[i + 1 :])
            break
        if arg.startswith("-") and arg != "-":
            name, value, i = _split(args, i)
            if name in verb.flags and value is None:
                options[name] = True
                continue
            if name not in verb.values or name in options:
                return None  # unknown, --help, or repeated: Typer explains
            if value is None:
                if i >= len(args):
                    return None
                value, i = args[i], i + 1
            options[name] = value
        else:
            positionals.append(arg)
            i += 1
    if len(positionals) > verb.positionals:
        return None
    if options.get("--format", "text") not in FORMATS:
        return None
    if "--order" in options and not str(options["--order"]).isdigit():
        return None
    return positionals, options


def _bind(
    verb: str, env: Env, positionals: list[str], options: dict[str, object]
) -> Callable[[], None] | None:
    from kvsupport.cli import hot

    def text(name: str) -> str | None:
        value = options.get(name)
        return None if value is None else str(value)

    fmt = text("--format") or "text"
    at = text("--at")
    if verb == "start":
        order = text("--order")

        def run_start() -> None:
            info = hot.details(
                text("--problem"),
                text("--phone"),
                text("--consent"),
                bool(options.get("--backup-confirmed")),
                int(order) if order is not None else None,
            )
            client = positionals[0] if positionals else None
            service = positionals[1] if len(positionals) > 1 else None
            allow = bool(options.get("--allow-overlap"))
            hot.start(
                env, client, service, at=at, info=info, allow_overlap=allow, fmt=fmt, letter=text("--letter")
            )

        return run_start
    if verb == "stop":
        allow_long = bool(options.get("--allow-long"))
        return lambda: hot.stop(env, at=at, note=text("--note"), fmt=fmt, allow_long=allow_long)
    if verb == "resume":
        if positionals and not positionals[0].isdigit():
            return None
        session_id = int(positionals[0]) if positionals else None
        return lambda: hot.resume(env, session_id, at=at, fmt=fmt)
    if verb == "cancel":
        return lambda: hot.cancel(env, fmt=fmt)
    return lambda: hot.status(env, fmt=fmt)
