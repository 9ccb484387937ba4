"""The terminal form of an invoice or act: rich panels and tables.

Colour and emphasis come from rich only when the console is a terminal; with
``color_system=None`` (a pipe, ``NO_COLOR``) the output is plain text with
box-drawing lines, which is what the golden file records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .layout import Appendix, BankDetails, Document, Field, Party, SignatureBlock

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

__all__ = ["render_text"]

_BLANK = "________________"


def render_text(doc: Document, console: Console) -> None:
    """Print ``doc`` to ``console``: header, requisites, the table, totals, signatures, appendix."""
    heading = Text(doc.title, style="bold", justify="center")
    heading.append(f"\n{doc.period}", style="")
    console.print(Panel(heading, box=box.DOUBLE))
    if doc.banner:
        console.print(Panel(Text(doc.banner, style="bold red", justify="center"), box=box.HEAVY))
    if doc.bank is not None:
        console.print(_bank(doc.bank))
    console.print(_parties(doc.supplier, doc.customer))
    console.print(_lines(doc))
    console.print(_totals(doc.totals))
    console.print(Text(doc.summary))
    console.print(Text(doc.words, style="bold"))
    if doc.due:
        console.print(Text(doc.due, style="bold"))
    if doc.statement:
        console.print()
        console.print(Text(doc.statement))
    console.print()
    console.print(_signatures(doc.signatures))
    if doc.appendix is not None:
        console.print()
        console.print(_appendix(doc.appendix))


def _value(field: Field) -> str:
    return field.value or _BLANK


def _bank(bank: BankDetails) -> Table:
    """The payee's bank grid, as on a Russian invoice."""
    table = Table(box=box.SQUARE, show_header=False, expand=True, padding=(0, 1))
    table.add_column(ratio=3)
    table.add_column(ratio=1, no_wrap=True)
    table.add_column(ratio=2, no_wrap=True)
    table.add_row(_value(bank.bank), bank.bik.label, _value(bank.bik))
    table.add_row(
        Text(bank.bank.label, style="dim"),
        bank.correspondent_account.label,
        _value(bank.correspondent_account),
    )
    table.add_row(
        f"{bank.inn.label} {_value(bank.inn)}   {bank.kpp.label} {_value(bank.kpp)}",
        bank.account.label,
        _value(bank.account),
        end_section=False,
    )
    table.add_row(_value(bank.recipient), "", "")
    table.add_row(Text(bank.recipient.label, style="dim"), "", "")
    return table


def _party(party: Party) -> Group:
    lines: list[RenderableType] = [Text(party.name or _BLANK, style="bold")]
    lines += [Text(f"{field.label}: {_value(field)}") for field in party.fields]
    return Group(*lines)


def _parties(supplier: Party, customer: Party) -> Table:
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(f"{supplier.heading}:", _party(supplier))
    grid.add_row("", "")
    grid.add_row(f"{customer.heading}:", _party(customer))
    return grid


def _lines(doc: Document) -> Table:
    """The services table: № | description | qty | unit | price | sum."""
    number, description, qty, unit, price, amount = doc.headers
    table = Table(box=box.SQUARE, expand=True, show_lines=True, padding=(0, 1))
    table.add_column(number, justify="right", no_wrap=True)
    table.add_column(description, ratio=1)
    table.add_column(qty, justify="right", no_wrap=True)
    table.add_column(unit, no_wrap=True)
    table.add_column(price, justify="right", no_wrap=True)
    table.add_column(amount, justify="right", no_wrap=True)
    for row in doc.rows:
        table.add_row(row.number, row.description, row.quantity, row.unit, row.price, row.amount)
    return table


def _totals(totals: tuple[Field, ...]) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(justify="right", ratio=1, style="bold")
    grid.add_column(justify="right", no_wrap=True, min_width=12, style="bold")
    for field in totals:
        grid.add_row(field.label, field.value or "—")
    return grid


def _signature_block(block: SignatureBlock) -> Group:
    lines: list[RenderableType] = []
    if block.heading:
        lines.append(Text(block.heading, style="bold"))
    if block.organisation:
        lines.append(Text(block.organisation))
    for sig in block.signatures:
        lines.append(Text(f"{sig.role} {_BLANK} / {sig.name or ' ' * 16} /"))
    if block.stamp:
        lines.append(Text(block.stamp))
    return Group(*lines)


def _signatures(blocks: tuple[SignatureBlock, ...]) -> Table:
    grid = Table.grid(padding=(0, 4), expand=True)
    for _ in blocks:
        grid.add_column(ratio=1)
    grid.add_row(*(_signature_block(block) for block in blocks))
    return grid


def _appendix(appendix: Appendix) -> Panel:
    parts: list[RenderableType] = []
    if appendix.notes:
        parts.append(Text(" ".join(appendix.notes), style="dim"))
    for block in appendix.blocks:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1))
        table.add_column(appendix.headers[0], no_wrap=True)
        table.add_column(appendix.headers[1], no_wrap=True)
        table.add_column(appendix.headers[2], justify="right", no_wrap=True)
        for row in block.rows:
            table.add_row(row.start, row.end, row.duration)
        parts += [Text(), Text(block.heading, style="bold"), table, Text(block.summary)]
    return Panel(Group(*parts), title=appendix.title, title_align="left", box=box.SQUARE)
