"""The terminal form of an invoice or act: box-drawing text laid out by hand.

Not rich tables, for two reasons measured here: a document of rich tables cost
~10 ms an invoice (a month of 30 invoices was most of ``kvsupport invoice``'s
0.6 s), and rich wraps text at any Unicode space, so «1 300,00» broke at its
no-break space. Laying out a page is plain string work; :mod:`textwrap` breaks
only at ASCII whitespace. rich still prints the result: bold and dim on a
terminal, plain text in a pipe or with ``NO_COLOR`` (what the golden file
records). Widths count characters: the documents are Cyrillic and Latin text,
digits and box lines, one column each.
"""

from __future__ import annotations

import textwrap
from itertools import zip_longest
from typing import TYPE_CHECKING, NamedTuple

from .layout import Appendix, BankDetails, Document, Field, Party, SignatureBlock

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["render_text"]

_BLANK = "________________"
MAX_WIDTH = 110  # a wider terminal gets the page's width, not a stretched table
MIN_WIDTH = 60


class _Box(NamedTuple):
    top_left: str
    top: str
    top_right: str
    side: str
    bottom_left: str
    bottom_right: str


DOUBLE = _Box("╔", "═", "╗", "║", "╚", "╝")
HEAVY = _Box("┏", "━", "┓", "┃", "┗", "┛")
SQUARE = _Box("┌", "─", "┐", "│", "└", "┘")

Line = tuple[str, str]  # text, rich style ("" for none)


def render_text(doc: Document, console: Console) -> None:
    """Print ``doc`` to ``console``: header, requisites, the table, totals, signatures, appendix."""
    lines = document_lines(doc, max(MIN_WIDTH, min(console.width, MAX_WIDTH)))
    if console.no_color or console.color_system is None:  # a pipe, NO_COLOR: the text as it is
        # straight to the file: rich's own out() makes a Text of every line (0.3 s a month at 200k)
        console.file.write("".join(text + "\n" for text, _ in lines))
        return
    from rich.text import Text

    page = Text()
    for text, style in lines:
        page.append(text + "\n", style=style or None)
    console.print(page, end="", soft_wrap=True, crop=False, highlight=False)


def document_lines(doc: Document, width: int) -> list[Line]:
    """The page, ``width`` columns wide, line by line with the style of each."""
    lines: list[Line] = []
    heading = [*_centred(doc.title, width - 4), *_centred(doc.period, width - 4)]
    if doc.replaces:
        heading += _centred(doc.replaces, width - 4)
    lines += _styled(_frame(heading, width, DOUBLE), "bold")
    if doc.banner:
        lines += _styled(_frame(_centred(doc.banner, width - 4), width, HEAVY), "bold red")
    if doc.bank is not None:
        lines += _styled(_bank(doc.bank, width))
    lines += _parties(doc.supplier, doc.customer, width)
    if doc.basis:
        lines += [("", ""), *_styled(_wrap(doc.basis, width))]
    lines += _styled(_rows(doc, width))
    lines += [(f"{field.label:>{width - 13}} {field.value or '—':>12}", "bold") for field in doc.totals]
    lines += _styled(_wrap(doc.summary, width))
    lines += _styled(_wrap(doc.words, width), "bold")
    if doc.due:
        lines += _styled(_wrap(doc.due, width), "bold")
    if doc.statement:
        lines += [("", ""), *_styled(_wrap(doc.statement, width))]
    lines += [("", ""), *_signatures(doc.signatures, width)]
    if doc.appendix is not None:
        lines += [("", ""), *_styled(_appendix(doc.appendix, width))]
    return lines


def _styled(texts: list[str], style: str = "") -> list[Line]:
    return [(text, style) for text in texts]


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width``; a no-break space never breaks."""
    if len(text) <= width and text == text.strip() and not _BREAKS.intersection(text):
        return [text]  # what textwrap gives, without its regex work (most cells of a table)
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


_BREAKS = frozenset("\t\n\x0b\x0c\r")  # textwrap's whitespace besides the space (a no-break one is not)


def _centred(text: str, width: int) -> list[str]:
    return [line.center(width).rstrip() for line in _wrap(text, width)]


def _frame(body: list[str], width: int, box: _Box, title: str = "") -> list[str]:
    """``body`` (lines of at most ``width - 4``) in a box ``width`` wide."""
    inner = width - 2
    top = f"{box.top * 1} {title} " if title else ""
    lines = [box.top_left + (top + box.top * inner)[:inner] + box.top_right]
    lines += [f"{box.side} {line:<{width - 4}} {box.side}" for line in body]
    lines.append(box.bottom_left + box.top * inner + box.bottom_right)
    return lines


def _value(field: Field) -> str:
    return field.value or _BLANK


def _table(
    widths: list[int],
    rows: list[list[str]],
    aligns: str,
    *,
    header: list[str] | None = None,
    rules: bool = False,
) -> list[str]:
    """A boxed table; each cell wraps within its column (``aligns``: ``l``/``r`` per column)."""

    def rule(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * (w + 2) for w in widths) + right

    def cells(row: list[str]) -> list[str]:
        wrapped = [_wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
        out = []
        for parts in zip_longest(*wrapped, fillvalue=""):
            padded = (
                f"{p:>{w}}" if a == "r" else f"{p:<{w}}"
                for p, w, a in zip(parts, widths, aligns, strict=True)
            )
            out.append("│ " + " │ ".join(padded) + " │")
        return out

    lines = [rule("┌", "┬", "┐")]
    if header is not None:
        lines += cells(header)
        lines.append(rule("├", "┼", "┤"))
    for i, row in enumerate(rows):
        if rules and i:
            lines.append(rule("├", "┼", "┤"))
        lines += cells(row)
    lines.append(rule("└", "┴", "┘"))
    return lines


def _bank(bank: BankDetails, width: int) -> list[str]:
    """The payee's bank grid, as on a Russian invoice (columns 3 : 1 : 2)."""
    inner = width - 10
    label = max(len(bank.bik.label), len(bank.account.label), len(bank.correspondent_account.label))
    third = max(len(_value(bank.account)), len(_value(bank.correspondent_account)), len(_value(bank.bik)))
    widths = [inner - label - third, label, third]
    if widths[0] < 20:  # a narrow terminal: the long numbers wrap rather than the names
        widths = [inner * 3 // 6, inner // 6, inner - inner * 3 // 6 - inner // 6]
    requisites = f"{bank.inn.label} {_value(bank.inn)}"
    if bank.kpp is not None:  # an entrepreneur has none
        requisites += f"   {bank.kpp.label} {_value(bank.kpp)}"
    rows = [
        [_value(bank.bank), bank.bik.label, _value(bank.bik)],
        [bank.bank.label, bank.correspondent_account.label, _value(bank.correspondent_account)],
        [requisites, bank.account.label, _value(bank.account)],
        [_value(bank.recipient), "", ""],
        [bank.recipient.label, "", ""],
    ]
    return _table(widths, rows, "lll")


def _parties(supplier: Party, customer: Party, width: int) -> list[Line]:
    label = max(len(supplier.heading), len(customer.heading)) + 3
    lines: list[Line] = []
    for party in (supplier, customer):
        if lines:
            lines.append(("", ""))
        values = [(party.name or _BLANK, "bold")]
        values += [(f"{field.label}: {_value(field)}", "") for field in party.fields]
        first = True
        for text, style in values:
            for part in _wrap(text, width - label):
                head = f"{party.heading}:" if first else ""
                lines.append((f"{head:<{label}}{part}", style if not first else "bold"))
                first = False
    return lines


def _rows(doc: Document, width: int) -> list[str]:
    """The services table: № | description | qty | unit | price | (VAT rate | VAT |) sum."""
    headers = list(doc.headers)
    rows = [list(r.cells(doc.vat_columns)) for r in doc.rows]
    count = len(headers)
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(count)]
    if doc.vat_columns:  # «Ставка НДС», «Сумма НДС»: a heading may take two lines
        for i in (5, 6):
            widths[i] = max(max(len(w) for w in headers[i].split()), *(len(row[i]) for row in rows))
    borders = count + 1 + 2 * count  # the column lines and a space either side of each cell
    widths[1] = max(12, width - sum(widths) + widths[1] - borders)
    aligns = "rlrlrrrr" if doc.vat_columns else "rlrlrr"
    return _table(widths, rows, aligns, header=headers, rules=True)


def _signature_block(block: SignatureBlock, width: int) -> list[Line]:
    """One party's lines; a title too long to share a line of ``width`` with
    «________________ / Петров П. П. /» gets a line of its own."""
    lines: list[Line] = []
    if block.heading:
        lines.append((block.heading, "bold"))
    if block.organisation:
        lines.append((block.organisation, ""))
    for sig in block.signatures:  # «/ Петров П. П. /» stays on one line
        name = sig.name.replace(" ", "\u00a0") if sig.name else " " * 16
        sign = f"{_BLANK} / {name} /"
        if len(sig.role) + 1 + len(sign) <= width:
            lines.append((f"{sig.role} {sign}", ""))
        else:
            lines += [(sig.role, ""), (sign, "")]
    if block.stamp:
        lines.append((block.stamp, ""))
    return lines


def _signatures(blocks: tuple[SignatureBlock, ...], width: int) -> list[Line]:
    """The blocks side by side, each in its share of the width."""
    column = (width - 4 * (len(blocks) - 1)) // len(blocks)
    wrapped = [
        [(part, style) for text, style in _signature_block(b, column) for part in _wrap(text, column)]
        for b in blocks
    ]
    lines: list[Line] = []
    for parts in zip_longest(*wrapped, fillvalue=("", "")):
        text = (" " * 4).join(f"{t:<{column}}" for t, _ in parts).rstrip()
        styles = {s for t, s in parts if t}
        lines.append((text, styles.pop() if len(styles) == 1 else ""))
    return lines


def _appendix(appendix: Appendix, width: int) -> list[str]:
    """«Приложение: расчёт времени»: each session's segments, framed."""
    inner = width - 4
    body: list[str] = []
    if appendix.notes:
        body += _wrap(" ".join(appendix.notes), inner)
    for block in appendix.blocks:
        rows = [(row.start, row.end, row.duration) for row in block.rows]
        w = [max(len(cells[i]) for cells in [appendix.headers, *rows]) for i in range(3)]
        body += ["", *_wrap(block.heading, inner)]
        body.append(
            f" {appendix.headers[0]:<{w[0]}}   {appendix.headers[1]:<{w[1]}}   {appendix.headers[2]:>{w[2]}}"
        )
        body.append("─" * (sum(w) + 8))
        body += [f" {a:<{w[0]}}   {b:<{w[1]}}   {c:>{w[2]}}" for a, b, c in rows]
        body += _wrap(block.summary, inner)
    return _frame(body, width, SQUARE, appendix.title)
