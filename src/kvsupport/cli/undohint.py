"""What a command that removed something says after it: what went, and how to get it back.

``session cancel``, ``session delete``, ``client archive`` and ``invoice void`` say
what they removed (issue 12, item 8). No confirmation prompt: scripts stay as they
are, and ``kvsupport undo`` is the safety net — :func:`undo_hint` says so on a
``hint:`` line after the message. Free of Typer and rich: the fast path's
``session cancel`` prints through here too.
"""

from __future__ import annotations

from kvsupport.cli.output import say
from kvsupport.i18n import _
from kvsupport.ops.env import Env


def undo_hint() -> str | None:
    """The hint after a change ``kvsupport undo`` can take back."""
    return _("kvsupport undo brings it back")


def say_removed(env: Env, message: str) -> None:
    """``message`` on stderr (silenced by ``--quiet``), then the undo hint if there is one."""
    say(env, message)
    hint = undo_hint()
    if hint:
        say(env, _("hint:") + f" {hint}")
