"""Listing tables that fit the terminal without breaking a word, a code, a figure or a time.

Rich, left to itself, folds cells onto more lines when a table is wider than the
terminal: ``romashka`` becomes ``roma`` / ``shka`` and ``10:00–11:01`` splits in
the middle. Here every cell stays on one line. When the table is too wide, free
text (a name, a problem, a note) is cut with «…» first, down to a few letters;
still too wide, the columns a listing values least are left out, one at a time,
in the order it names. Codes, numbers, dates and times are never cut: what is
shown of them is true. Rich is imported only here and only for text tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

#: keys of free-text columns: cut with «…» when the table is too wide
FREE_TEXT = frozenset(
    {
        "name",
        "client_name",
        "title",
        "problem",
        "note",
        "consent",
        "services",
        "path",
        "void_reason",
        "change",
    }
)
#: the narrowest a free-text column is cut to (its header stays whole)
MIN_TEXT = 8
#: what rich puts between two columns of a table without edges: " │ "
SEPARATOR = 3


class Fitted(NamedTuple):
    """A column as shown: where it is in the listing's columns, its width, whether it is cut."""

    column: int
    width: int
    cut: bool


def cell_width(text: str) -> int:
    """How many terminal cells ``text`` takes (wide characters count twice)."""
    from rich.cells import cell_len

    return cell_len(text)


def fit(
    headers: Sequence[str],
    cells: Sequence[Sequence[str]],
    free: Sequence[bool],
    width: int,
    drop: Sequence[int] = (),
) -> list[Fitted]:
    """The columns that fit in ``width`` cells and the width of each.

    ``cells`` are the rows, ``free[i]`` says column ``i`` is free text (it may be cut),
    ``drop`` the indexes of the columns to leave out, first the first, while the rest
    does not fit with each free-text column cut to :data:`MIN_TEXT`.
    """
    natural = [
        max([cell_width(header), *(cell_width(row[i]) for row in cells)]) for i, header in enumerate(headers)
    ]
    least = [
        min(natural[i], max(cell_width(h), MIN_TEXT)) if free[i] else natural[i]
        for i, h in enumerate(headers)
    ]

    def needs(columns: list[int]) -> int:
        return sum(least[i] for i in columns) + SEPARATOR * (len(columns) - 1)

    kept = list(range(len(headers)))
    leaving = [i for i in drop if i in kept]
    dropped = []
    while leaving and needs(kept) > width:
        dropped.append(leaving.pop(0))
        kept.remove(dropped[-1])
    for i in reversed(dropped[:-1]):  # one left out for a wide one may fit after all
        if needs([*kept, i]) <= width:
            kept = sorted([*kept, i])
    room = width - SEPARATOR * (len(kept) - 1) - sum(natural[i] for i in kept if not free[i])
    texts = sorted((i for i in kept if free[i]), key=lambda i: natural[i])
    widths = {i: natural[i] for i in kept}
    if texts and sum(natural[i] for i in texts) > room:
        left = max(room, 0)
        for n, i in enumerate(texts):  # the narrowest first: what one leaves, the wider get
            share = max(least[i], left // (len(texts) - n))
            widths[i] = min(natural[i], share)
            left -= widths[i]
    return [Fitted(i, widths[i], free[i] and widths[i] < natural[i]) for i in kept]


def table(
    columns: Sequence[tuple[str, str, str]],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    drop: Sequence[str] = (),
    free: frozenset[str] = FREE_TEXT,
    title: str | None = None,
    styles: Sequence[str | None] | None = None,
    section_after: int | None = None,
) -> Any:
    """A rich table of ``rows`` (escaped text, one cell a column of ``columns``: key,
    header, justify) that fits ``width`` (see :func:`fit`); ``styles``: one per row;
    ``section_after``: a rule under that row (a total follows). A header is an English
    msgid, shown in the interface's language (one already translated stays as it is)."""
    from rich.table import Table
    from rich.text import Text

    from kvsupport.i18n import _

    columns = [(key, _(header), justify) for key, header, justify in columns]
    keys = [key for key, _header, _justify in columns]
    plain = [[Text.from_markup(cell).plain for cell in row] for row in rows]
    fitted = fit(
        [header for _key, header, _justify in columns],
        plain,
        [key in free for key in keys],
        width,
        [keys.index(key) for key in drop if key in keys],
    )
    out = Table(
        title=None if title is None else _(title), title_justify="left", show_edge=False, pad_edge=False
    )
    for col in fitted:
        _key, header, justify = columns[col.column]
        out.add_column(
            header,
            justify=justify,  # type: ignore[arg-type]
            no_wrap=True,
            overflow="ellipsis" if col.cut else "fold",
            width=col.width,
        )
    for n, row in enumerate(rows):
        out.add_row(
            *(row[col.column] for col in fitted),
            style=styles[n] if styles else None,
            end_section=n == section_after,
        )
    return out
