"""The root command: global options, and noun groups imported only when used.

Each noun (``session``, ``invoice``…) is its own ``typer.Typer()`` in its own
module; :class:`LazyGroup` imports a module when its noun is invoked, so a
command pays only for what it uses (``--help`` imports them all).

Help in the interface's language: Typer takes a command's help from its docstring
and an option's from ``help=``, as English text, when the module is imported —
before the interface's language may be known, and once for every call of a test
run. So the English texts are msgids, and :func:`translated` puts them into the
interface's language when a command is built for a call (and
``tools/catalogue.py`` extracts them from the built commands the same way).

Typer's usage errors (:func:`usage_error`), which its vendored Click words in
English, are said again in the interface's language here too: only the Typer path
ever needs them, so the fast path of ``session status`` does not load them.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kvsupport import __version__
from kvsupport.i18n import N_, _, ngettext
from kvsupport.ops.env import Env

#: noun -> (module, one-line help), in the order ``--help`` lists them
GROUPS: dict[str, tuple[str, str]] = {
    "session": ("kvsupport.cli.session", N_("Start, stop and fix support sessions.")),
    "client": ("kvsupport.cli.client", N_("Clients: requisites, contacts, licence.")),
    "invoice": ("kvsupport.cli.invoice", N_("Issue the month's invoices; list, show, send, void, pay.")),
    "bank": ("kvsupport.cli.bank", N_("Bank statements: payments matched to invoices.")),
    "reconcile": ("kvsupport.cli.reconcile", N_("A client's reconciliation act (акт сверки) for a period.")),
    "order": ("kvsupport.cli.order", N_("Scheduled sessions (remote help is ordered ahead).")),
    "report": ("kvsupport.cli.report", N_("A month at a glance: hours, amounts, unbilled, unpaid.")),
    "tariff": ("kvsupport.cli.tariff", N_("The versioned price list.")),
    "letter": ("kvsupport.cli.letter", N_("A client's letter (.eml): what a session takes from it.")),
    "import": (
        "kvsupport.cli.transfer",
        N_("Import sessions: CSV or JSON rows, or TeamViewer's connection log."),
    ),
    "export": ("kvsupport.cli.transfer", N_("Export sessions as CSV or JSON.")),
    "config": ("kvsupport.cli.config_cmd", N_("Supplier requisites and settings.")),
    "ledger": ("kvsupport.cli.ledger_cmd", N_("Where the ledger is; create, check, copy, changes, backups.")),
    "undo": ("kvsupport.cli.undo", N_("Take back your last change to the ledger.")),
    "demo": ("kvsupport.cli.demo", N_("A sample month in a temporary ledger, with its invoice.")),
}


class LazyGroup(TyperGroup):
    """A root group whose nouns are imported on first use."""

    def list_commands(self, ctx: Any) -> list[str]:
        """Every noun, in the documented order."""
        return list(GROUPS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """Import the noun's module and build its command."""
        entry = GROUPS.get(cmd_name)
        if entry is None:
            return super().get_command(ctx, cmd_name)
        module = importlib.import_module(entry[0])
        sub: typer.Typer = module.commands[cmd_name]
        command = typer.main.get_command(sub)
        command.name = cmd_name
        command.short_help = entry[1]  # the one line the root's help lists
        return translated(command)


#: Typer's own texts it lets be translated (typer.rich_utils reads them at import):
#: set again in the interface's language for each call (:func:`translate_typer`).
TYPER_TEXTS = {
    "DEPRECATED_STRING": N_("(deprecated) "),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
}


#: the help of every command's ``--help`` (Click's own, hard-coded): put into the
#: interface's language by :func:`translated`, like the commands' own help texts
HELP_OPTION_TEXT = N_("Show this message and exit.")
#: the help option's names, the same for every command (the root's context settings)
HELP_OPTION_NAMES = ["-h", "--help"]


def translate_typer() -> None:
    """Typer's panel titles and markers in the interface's language, put in when Typer
    formats a help page: its ``rich_utils`` module, where they live, is ~30 ms of imports
    that a command printing no help never needs (Typer imports it only to format help,
    and errors, which reach kvsupport's own handler here: ``standalone_mode=False``)."""
    from typer.core import TyperCommand

    for cls in (TyperCommand, TyperGroup):
        if not getattr(cls.format_help, "_kvsupport_translates", False):
            cls.format_help = _translating(cls.format_help)  # type: ignore[method-assign]


def _translating(format_help: Callable[..., None]) -> Callable[..., None]:
    def translating(self: Any, ctx: Any, formatter: Any) -> None:
        from typer import rich_utils

        for name, text in TYPER_TEXTS.items():  # the language of this call
            setattr(rich_utils, name, _(text))
        format_help(self, ctx, formatter)

    translating._kvsupport_translates = True  # type: ignore[attr-defined]
    return translating


def translated(command: Any) -> Any:
    """``command`` (and its subcommands) with help and option help texts put into the
    interface's language; the English originals are kept, so a later call in another
    language translates from them again."""
    for attr in ("help", "short_help"):
        original = _original(command, attr)
        if original:
            setattr(command, attr, _unwrapped(_(original)))
    for param in getattr(command, "params", ()):
        original = _original(param, "help")
        if original:
            param.help = _(original)
    if hasattr(command, "get_help_option"):
        # Click builds the option on first use and keeps it: built here (with the names
        # every command's context has) so that its help can be put into the language too
        option = command.get_help_option(typer.Context(command, help_option_names=HELP_OPTION_NAMES))
        if option is not None:
            option.help = _(HELP_OPTION_TEXT)
    for sub in getattr(command, "commands", {}).values():
        translated(sub)
    return command


def _unwrapped(text: str) -> str:
    """``text`` with the line breaks inside its paragraphs joined: Typer (0.28) joins them
    in the first paragraph of a command's own page only, so a docstring wrapped in the
    source broke mid-sentence on the terminal, and so did the first paragraph where a
    group lists its commands. A paragraph that starts with ``\\b`` keeps its lines, as
    Click's own rewrapping does."""
    import inspect

    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split("\n")) for p in paragraphs)


def _original(obj: Any, attr: str) -> str | None:
    key = f"_kvsupport_english_{attr}"
    if not hasattr(obj, key):
        setattr(obj, key, getattr(obj, attr, None))
    value: str | None = getattr(obj, key)
    return value


def help_texts() -> list[tuple[str, str]]:
    """Every help text of the command line in English, with the command it belongs to:
    the msgids of the help (``tools/catalogue.py``)."""
    root = typer.main.get_command(app)
    ctx = typer.Context(root, info_name="kvsupport")
    found: list[tuple[str, str]] = []

    def walk(command: Any, path: str, ctx: Any) -> None:
        for attr in ("help", "short_help"):
            text = getattr(command, f"_kvsupport_english_{attr}", getattr(command, attr, None))
            if text:
                found.append((path, text))
        for param in command.params:
            text = getattr(param, "_kvsupport_english_help", getattr(param, "help", None))
            if text:
                found.append((f"{path} {param.name}", text))
        if hasattr(command, "list_commands"):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    walk(sub, f"{path} {name}", typer.Context(sub, info_name=name, parent=ctx))

    walk(root, "kvsupport", ctx)
    return found


app = typer.Typer(  # no help=: the root callback's docstring, with its example, is the help
    cls=LazyGroup,
    name="kvsupport",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": HELP_OPTION_NAMES},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"kvsupport {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    ledger: Annotated[
        str | None,
        typer.Option(help="Ledger file (env KVSUPPORT_LEDGER; default: user data dir).", show_default=False),
    ] = None,
    tariffs: Annotated[
        str | None,
        typer.Option(
            help="Tariff file (env KVSUPPORT_TARIFFS; default: user config dir, else the packaged list).",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        str | None,
        typer.Option(
            help="Config file (env KVSUPPORT_CONFIG; default: user config dir).", show_default=False
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No confirmations on stderr.")] = False,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """Time, charges and invoices for paid remote support of «Квартплата».

    Example: kvsupport session start romashka backup --problem "не считает пени"
    """
    ctx.obj = Env(ledger_option=ledger, tariffs_option=tariffs, config_option=config, quiet=quiet)


# ---------------------------------------------------------------- Typer's usage errors


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
    """«возможно, вы имели в виду --format? см. «kvsupport session list --help»»: the nearest
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
