"""The payment QR code's text: ГОСТ Р 56042-2014, «Стандарты финансовых операций».

Russian bank apps read it from an invoice and fill in a payment order. The text is
a header and ``Key=Value`` fields joined by a separator::

    ST00012|Name=ООО «Бонус»|PersonalAcc=40702810938000012345|BankName=ПАО Сбербанк|
    BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=7707083893|KPP=773601001|
    Sum=662167|Purpose=Оплата по счёту № 2026-0001 от 30.11.2026, без НДС

``ST0001`` is the format, the sixth character the encoding: ``2`` is UTF-8 (``1``
would be windows-1251, which decoders misread as Latin-1: MEASURED.md). ``Name``,
``PersonalAcc``, ``BankName``, ``BIC`` and ``CorrespAcc`` are required; ``Sum`` is in
kopecks, a whole number: what is left to pay (the total, until a part is paid). The
separator is ``|`` unless a value holds one; then the first of the standard's other
candidates that no value holds (§5.2.1).

Written here, not taken from a library: no package on the Python index builds
this text (the ones found are for PHP, JavaScript, Rust, Swift and C#), and it is
a dozen lines of string work over fields kvsupport already checks (INN, BIK,
accounts). Pure: the drawing is :mod:`kvsupport.documents.qr` (segno).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from kvsupport.core.billing import line_vat
from kvsupport.core.models import Invoice
from kvsupport.core.money import money_str
from kvsupport.core.settlement import balance_of

__all__ = ["HEADER", "REQUIRED", "fields", "missing_requisites", "payload", "purpose"]

HEADER = "ST00012"
#: the supplier's requisites the code cannot be made without, by their config names
REQUIRED = ("name", "account", "bank", "bik", "correspondent_account")
SEPARATORS = "|#;:^_~{}!$%&()*+,/@"
#: the standard's lengths: Name and Purpose 160 characters, BankName 45
MAX_NAME, MAX_BANK, MAX_PURPOSE = 160, 45, 160


def _text(record: Mapping[str, object], key: str) -> str:
    value = record.get(key)
    return "" if value is None else " ".join(str(value).split())


def missing_requisites(supplier: Mapping[str, object]) -> list[str]:
    """The required bank requisites the supplier block lacks (``[]``: a code can be made)."""
    return [key for key in REQUIRED if not _text(supplier, key)]


def purpose(invoice: Invoice) -> str:
    """«Оплата по счёту № 2026-0001 от 30.11.2026, без НДС», with the contract when it
    fits and the VAT included when there is some; at most 160 characters."""
    head = f"Оплата по счёту № {invoice.number} от {invoice.date:%d.%m.%Y}"
    rates = sorted({line.vat for line in invoice.lines if line.vat != "none"}, key=Decimal)
    if not rates:
        tax = "без НДС"
    else:
        vat = sum((line_vat(line) for line in invoice.lines), Decimal("0.00"))
        rate = f" {rates[0]}%" if len(rates) == 1 else ""
        tax = f"в т.ч. НДС{rate} {money_str(vat)}"
    contract = _text(invoice.client, "contract")
    if contract:
        with_contract = f"{head} по {_contract(contract)}, {tax}"
        if len(with_contract) <= MAX_PURPOSE:
            return with_contract
    return f"{head}, {tax}"[:MAX_PURPOSE]


def _contract(contract: str) -> str:
    """«№ 15 от 01.02.2017» → «договору № 15 от 01.02.2017» (as typed if it names itself)."""
    lowered = contract.lower()
    if lowered.startswith("договор"):
        return "договору" + contract[len("договор") :].removeprefix("у")
    return f"договору {contract}"


def fields(invoice: Invoice) -> list[tuple[str, str]] | None:
    """The code's fields in the standard's order, or ``None`` when the supplier's bank
    requisites are not all on the invoice. No ``KPP`` for an entrepreneur (none exists)."""
    supplier = invoice.supplier
    if missing_requisites(supplier):
        return None
    out = [
        ("Name", _text(supplier, "name")[:MAX_NAME]),
        ("PersonalAcc", _text(supplier, "account")),
        ("BankName", _text(supplier, "bank")[:MAX_BANK]),
        ("BIC", _text(supplier, "bik")),
        ("CorrespAcc", _text(supplier, "correspondent_account")),
    ]
    if inn := _text(supplier, "inn"):
        out.append(("PayeeINN", inn))
    kpp = _text(supplier, "kpp")
    if kpp and supplier.get("kind") != "entrepreneur":
        out.append(("KPP", kpp))
    out.append(("Sum", str(int(balance_of(invoice) * 100))))  # a partly paid invoice: what is left
    out.append(("Purpose", purpose(invoice)))
    return out


def payload(invoice: Invoice) -> str | None:
    """The text of the invoice's payment code, or ``None`` (see :func:`fields`)."""
    found = fields(invoice)
    if found is None:
        return None
    values = [value for _, value in found]
    separator = next((c for c in SEPARATORS if not any(c in value for value in values)), None)
    if separator is None:  # every candidate occurs in some value: drop them from the free text
        separator = "|"
        found = [(key, value.replace("|", "/")) for key, value in found]
    return separator.join([HEADER, *(f"{key}={value}" for key, value in found)])
