"""Client codes as typed: matched without regard to case, near misses suggested.

A consultant types ``Romashka`` or ``ROMASHKA`` for ``romashka``; codes that differ
only by case are therefore one code (``client add`` refuses the second). An
unknown code is answered with the nearest known codes — those it begins, then
the closest by :func:`difflib.get_close_matches` — never the whole list, which
is useless at a hundred clients.
"""

from __future__ import annotations

from collections.abc import Iterable

#: how many near codes an unknown code is answered with
NEAR = 3


def code_key(code: str) -> str:
    """What two codes are compared by: ``Ромашка`` and ``ромашка`` are the same code."""
    return code.casefold()


def find_code(codes: Iterable[str], typed: str) -> str | None:
    """The code of ``codes`` that ``typed`` names: itself, else the one equal but for case."""
    known = list(codes)
    if typed in known:
        return typed
    key = code_key(typed)
    return next((code for code in known if code_key(code) == key), None)


def nearest_codes(codes: Iterable[str], typed: str, n: int = NEAR) -> list[str]:
    """Up to ``n`` codes near ``typed``: those that start with it, then the most alike."""
    import difflib  # only for an unknown code: off the path of every other command

    by_key = {code_key(code): code for code in codes}
    key = code_key(typed)
    found = [code for k, code in by_key.items() if key and k.startswith(key)][:n]
    for k in difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.6):
        if by_key[k] not in found and len(found) < n:
            found.append(by_key[k])
    return found
