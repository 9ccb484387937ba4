"""Control characters: refused in what a user types, made harmless in everything printed.

An ESC in a client's name (``\\x1b]0;…\\x07``, ``\\x1b[2J``) is a command to the
terminal that shows it; a CR overwrites the line before it; a NUL cuts a C
string short. Typed text (the command line, an imported row, the config) is
checked by :func:`control_character` and refused with the character's code;
text that is printed — tables, messages, documents in text, HTML and PDF — goes
through :func:`printable`, which puts U+FFFD (the replacement character, in
every font the documents embed) in place of each one. A newline and a tab are
not refused where a field is multi-line (a problem, a note) and are kept on
output, where they lay text out and command nothing.

"Control character" here is Unicode's category Cc: U+0000-U+001F, U+007F and the
C1 controls U+0080-U+009F (a terminal may read U+009B as ESC ``[``).
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

REPLACEMENT = "\ufffd"

_ANY = re.compile("[\x00-\x1f\x7f-\x9f]")
_BUT_LAYOUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # \t and \n are layout

_NAMES = {
    "\x00": "NUL",
    "\x07": "BEL",
    "\x08": "BS",
    "\t": "TAB",
    "\n": "newline",
    "\r": "CR",
    "\x1b": "ESC",
    "\x7f": "DEL",
    "\x9b": "CSI",
}

T = TypeVar("T")


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """The first control character of ``text`` as ``U+001B ESC``, or ``None``.

    ``multiline``: newlines and tabs are allowed (a problem, a note).
    """
    found = (_BUT_LAYOUT if multiline else _ANY).search(text)
    if found is None:
        return None
    import unicodedata

    char = found.group()
    name = _NAMES.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def printable(text: str) -> str:
    """``text`` with every control character but newline and tab replaced by U+FFFD."""
    if text.replace("\n", " ").replace("\t", " ").isprintable():  # nearly always; 2x a regex search
        return text
    if _BUT_LAYOUT.search(text) is None:  # other unprintables (a no-break space) are no controls
        return text
    return _BUT_LAYOUT.sub(REPLACEMENT, text)


def printable_fields(value: T) -> T:
    """A frozen dataclass (and the dataclasses, tuples and strings inside it) with
    :func:`printable` applied to every string: one call makes a whole document safe."""
    return _printable_any(value)  # type: ignore[no-any-return]


def _printable_any(value: Any) -> Any:
    import dataclasses

    if isinstance(value, str):
        return printable(value)
    if isinstance(value, tuple):
        return tuple(_printable_any(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _printable_any(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value
