"""The error tree: every failure a user can cause, each with its exit code.

SPEC §5: 1 refused or failed, 2 bad usage or invalid value. The command line
turns these into one ``error: …`` line (and an optional hint) on stderr in one
place (``kvsupport.cli._errors``); nothing else prints them.
"""

from __future__ import annotations


class KvsupportError(Exception):
    """A refusal or failure the user can act on (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InvalidValue(KvsupportError):
    """A value given on the command line or in an input file is malformed (exit 2)."""

    exit_code = 2


class NotFound(KvsupportError):
    """An unknown client, session, invoice, order, tariff or backup."""


class Refused(KvsupportError):
    """A rule forbids the change: an invoiced session, an overlap, a missing consent."""


class Problems(KvsupportError):
    """Several problems found by one check, each printed on its own ``error:`` line."""

    def __init__(self, problems: list[str], hint: str | None = None, exit_code: int = 1) -> None:
        from kvsupport.i18n import _  # only here: every module imports this one

        super().__init__(problems[0] if problems else _("problems found"), hint)
        self.problems = problems
        self.exit_code = exit_code


class TariffError(Problems):
    """The tariff file is unreadable or breaks the rules of SPEC §4.

    ``problems`` holds every problem found, one line each, so ``tariff check``
    can print them all at once.
    """


class ConfigError(KvsupportError):
    """The config file is unreadable or holds an unknown key or a bad value."""


class LedgerError(KvsupportError):
    """The ledger cannot be read or written; it is left exactly as it was."""
