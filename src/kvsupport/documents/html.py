"""The HTML form of an invoice or act: one self-contained, printable A4 page.

Inline CSS, no scripts, no external resources (fonts, images, links), so the
file prints the same anywhere and can be mailed as it is. Every value from
the document passes through :func:`html.escape`: a client named
``<script>…</script>`` appears as text. Stdlib only.
"""

from __future__ import annotations

from html import escape

from .layout import Appendix, BankDetails, Document, Field, Party, Payment, SignatureBlock

__all__ = ["render_html"]

_CSS = """
@page { size: A4; margin: 15mm }
* { box-sizing: border-box }
html { background: #fff }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9pt;
       line-height: 1.25; color: #000; width: 180mm; margin: 0 auto }
@media screen { body { margin: 15mm auto } }
table { border-collapse: collapse; width: 100% }
td, th { vertical-align: top }
.grid td { border: 1px solid #000; padding: 1mm 1.5mm }
.grid .cap { font-size: 8pt; color: #444; padding-top: 0; border-top: 0 }
.grid .top { border-bottom: 0 }
.mono { font-variant-numeric: tabular-nums; white-space: nowrap }
h1 { font-size: 14pt; margin: 6mm 0 0; }
.period { margin: 1mm 0 0; padding-bottom: 2mm; border-bottom: 2px solid #000 }
.banner { margin: 3mm 0; padding: 2mm; border: 2.5px solid #b00000; color: #b00000;
          font-weight: bold; font-size: 13pt; text-align: center; letter-spacing: .05em }
.parties { margin: 3mm 0 }
.parties th { width: 1%; white-space: nowrap; text-align: left; padding: 1mm 4mm 1mm 0; font-weight: normal }
.parties td { padding: 1mm 0 }
.parties .name { font-weight: bold }
.items { margin-top: 3mm }
.items th, .items td { border: 1px solid #000; padding: 1mm 1.5mm }
.items th { background: #eee; text-align: center; font-weight: bold; white-space: nowrap }
.items th.w { white-space: normal }
.items td.c { text-align: center; white-space: nowrap }
.items tr { break-inside: avoid }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums }
.totals { width: auto; margin: 1.5mm 0 0 auto }
.totals td { padding: .5mm 0 .5mm 4mm; font-weight: bold; text-align: right; white-space: nowrap }
.summary { margin: 3mm 0 0 }
.words { margin: 0; font-weight: bold }
.due { margin: 2mm 0 0; font-weight: bold }
.replaces { margin: 1mm 0 0; font-weight: bold }
.basis { margin: 0 0 2mm }
.parties td.code { width: 36mm; padding: 0 0 0 4mm; text-align: center }
.parties svg.qr { width: 32mm; height: 32mm; display: block; margin: 0 auto }
.parties .caption { font-size: 6.5pt; color: #444; margin: 0; line-height: 1.2 }
.statement { margin: 4mm 0 0 }
.signs { margin-top: 5mm; border-top: 2px solid #000; padding-top: 4mm }
.signs td { width: 50%; padding-right: 4mm }
.signs p { margin: 0 0 4mm }
.signs .sign { white-space: nowrap }
.signs .head { font-weight: bold; margin-bottom: 1mm }
.line { display: inline-block; width: 20mm; border-bottom: 1px solid #000; margin: 0 1.5mm }
.blank { display: inline-block; min-width: 45mm; border-bottom: 1px solid #000 }
.grid .blank { min-width: 28mm }
.nameline { display: inline-block; min-width: 25mm; padding: 0 1mm; text-align: center }
.appendix { margin-top: 6mm }
.appendix .block { break-inside: avoid }
.appendix h2 { font-size: 11pt; margin: 0 0 2mm }
.appendix h3 { font-size: 9pt; margin: 2.5mm 0 1mm }
.appendix table { width: auto; min-width: 120mm }
.appendix th, .appendix td { border: 1px solid #000; padding: .4mm 2mm; font-size: 8.5pt }
.appendix th { background: #eee }
.appendix .sum { margin: 1mm 0 0 }
.note { font-size: 8.5pt; color: #333; margin: 0 }
"""


def render_html(doc: Document) -> str:
    """``doc`` as one self-contained HTML page, A4 portrait, every value escaped."""
    body = [
        _bank(doc.bank) if doc.bank is not None else "",
        f"<h1>{escape(doc.title)}</h1>",
        f'<p class="period">{escape(doc.period)}</p>',
        f'<div class="banner">{escape(doc.banner)}</div>' if doc.banner else "",
        f'<p class="replaces">{escape(doc.replaces)}</p>' if doc.replaces else "",
        _parties(doc.supplier, doc.customer, doc.payment),
        f'<p class="basis">{escape(doc.basis)}</p>' if doc.basis else "",
        _items(doc),
        _totals(doc.totals),
        f'<p class="summary">{escape(doc.summary)}</p>',
        f'<p class="words">{escape(doc.words)}</p>',
        f'<p class="due">{escape(doc.due)}</p>' if doc.due else "",
        f'<p class="statement">{escape(doc.statement)}</p>' if doc.statement else "",
        _signatures(doc.signatures),
        _appendix(doc.appendix) if doc.appendix is not None else "",
    ]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(doc.language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def _payment(payment: Payment) -> str:
    """The payment QR code as inline SVG, its caption under it."""
    from .qr import svg_inline

    code = svg_inline(payment.payload, payment.caption)
    return f'<td class="code" rowspan="2">{code}<p class="caption">{escape(payment.caption)}</p></td>'


def _value(field: Field) -> str:
    """An escaped value, or an empty line to fill in by hand."""
    return escape(field.value) if field.value else '<span class="blank"></span>'


def _bank(bank: BankDetails) -> str:
    """The payee's bank grid: bank | БИК, к/с; ИНН | КПП | р/с; recipient."""
    return (
        '<table class="grid">'
        '<colgroup><col style="width:30%"><col style="width:30%">'
        '<col style="width:11%"><col style="width:29%"></colgroup>'
        f'<tr><td colspan="2" class="top">{_value(bank.bank)}</td>'
        f"<td>{escape(bank.bik.label)}</td>"
        f'<td class="mono">{_value(bank.bik)}</td></tr>'
        f'<tr><td colspan="2" class="cap">{escape(bank.bank.label)}</td>'
        f"<td>{escape(bank.correspondent_account.label)}</td>"
        f'<td class="mono">{_value(bank.correspondent_account)}</td></tr>'
        + _inn_kpp(bank)
        + f'<td rowspan="3">{escape(bank.account.label)}</td>'
        f'<td rowspan="3" class="mono">{_value(bank.account)}</td></tr>'
        f'<tr><td colspan="2" class="top">{_value(bank.recipient)}</td></tr>'
        f'<tr><td colspan="2" class="cap">{escape(bank.recipient.label)}</td></tr>'
        "</table>"
    )


def _inn_kpp(bank: BankDetails) -> str:
    """The grid's «ИНН … | КПП …» cells; an entrepreneur's INN takes both."""
    inn = f'{escape(bank.inn.label)} <span class="mono">{_value(bank.inn)}</span>'
    if bank.kpp is None:
        return f'<tr><td colspan="2">{inn}</td>'
    kpp = f'{escape(bank.kpp.label)} <span class="mono">{_value(bank.kpp)}</span>'
    return f"<tr><td>{inn}</td><td>{kpp}</td>"


def _party(party: Party) -> str:
    name = f'<span class="name">{escape(party.name)}</span>' if party.name else _value(Field("", ""))
    fields = "".join(f"<br>{escape(field.label)}: {_value(field)}" for field in party.fields)
    return f"<tr><th>{escape(party.heading)}:</th><td>{name}{fields}</td></tr>"


def _parties(supplier: Party, customer: Party, payment: Payment | None) -> str:
    """Supplier and customer; the payment QR code, if any, at their right."""
    code = _payment(payment) if payment is not None else ""
    first = _party(supplier).removesuffix("</tr>") + code + "</tr>"
    return f'<table class="parties">{first}{_party(customer)}</table>'


def _items(doc: Document) -> str:
    """The services table; numbers right-aligned; the VAT columns when some line has VAT."""
    widths = (
        ("5%", "48%", "8%", "8%", "11%", "9%", "11%", "11%")
        if doc.vat_columns
        else ("5%", "55%", "9%", "7%", "12%", "12%")
    )
    classes = (
        ("c", "", "c", "c", "num", "c", "num", "num")
        if doc.vat_columns
        else ("c", "", "c", "c", "num", "num")
    )
    cols = "".join(f'<col style="width:{w}">' for w in widths)
    wrap = {5, 6} if doc.vat_columns else set()  # «Ставка НДС», «Сумма НДС» may take two lines
    head = "".join(
        f'<th class="w">{escape(h)}</th>' if i in wrap else f"<th>{escape(h)}</th>"
        for i, h in enumerate(doc.headers)
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td class="{c}">{escape(cell)}</td>' if c else f"<td>{escape(cell)}</td>"
            for c, cell in zip(classes, r.cells(doc.vat_columns), strict=True)
        )
        + "</tr>"
        for r in doc.rows
    )
    return (
        f'<table class="items"><colgroup>{cols}</colgroup>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _totals(totals: tuple[Field, ...]) -> str:
    rows = "".join(
        f'<tr><td>{escape(f.label)}</td><td class="num">{escape(f.value) or "—"}</td></tr>' for f in totals
    )
    return f'<table class="totals">{rows}</table>'


def _signature_block(block: SignatureBlock) -> str:
    parts = []
    if block.heading:
        parts.append(f'<p class="head">{escape(block.heading)}</p>')
    if block.organisation:
        parts.append(f"<p>{escape(block.organisation)}</p>")
    for sig in block.signatures:
        name = escape(sig.name) if sig.name else "&nbsp;"
        parts.append(
            f"<p>{escape(sig.role)} "
            f'<span class="sign"><span class="line"></span>/<span class="nameline">{name}</span>/</span></p>'
        )
    if block.stamp:
        parts.append(f"<p>{escape(block.stamp)}</p>")
    return f"<td>{''.join(parts)}</td>"


def _signatures(blocks: tuple[SignatureBlock, ...]) -> str:
    if len(blocks) == 1:  # an invoice: the supplier's signatures side by side
        cells = "".join(_signature_block(SignatureBlock("", "", (sig,), "")) for sig in blocks[0].signatures)
    else:
        cells = "".join(_signature_block(block) for block in blocks)
    return f'<table class="signs"><tr>{cells}</tr></table>'


def _appendix(appendix: Appendix) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in appendix.headers)
    parts = [
        f'<section class="appendix"><h2>{escape(appendix.title)}</h2>',
        f'<p class="note">{escape(" ".join(appendix.notes))}</p>' if appendix.notes else "",
    ]
    for block in appendix.blocks:
        rows = "".join(
            f'<tr><td class="mono">{escape(r.start)}</td><td class="mono">{escape(r.end)}</td>'
            f'<td class="num">{escape(r.duration)}</td></tr>'
            for r in block.rows
        )
        parts.append(
            f'<div class="block"><h3>{escape(block.heading)}</h3>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            f'<p class="sum">{escape(block.summary)}</p></div>'
        )
    parts.append("</section>")
    return "".join(parts)
