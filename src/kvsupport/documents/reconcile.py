"""What a reconciliation act («Акт сверки взаимных расчётов») prints, as strings.

:func:`reconciliation_document` turns the figures of
:func:`kvsupport.core.reconciliation.reconcile` and the two parties' requisites
into a :class:`ReconciliationDocument`, every value formatted in the document's
language, for the renderers of :mod:`.reconcile_render` (terminal text, HTML)
and :mod:`.reconcile_pdf`. Pure, like :mod:`.layout`, whose parties, money
format and signature blocks it shares.

The act is laid out as accountants know it: «По данным <поставщика>» -- the
opening balance, each act (debit) and payment (credit) with its date and
document, the period's turnovers and the closing balance -- beside an empty
«По данным <покупателя>» half for the client to fill in and sign; then the
result in figures and in words, and both parties' signatures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from kvsupport.core.reconciliation import Entry, Reconciliation
from kvsupport.core.words import amount_in_words, format_amount

from ._labels import LABELS as DOCUMENT_LABELS
from .layout import Party, SignatureBlock, _party, _signatures

__all__ = ["ActRow", "ReconciliationDocument", "reconciliation_document"]

LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "title": "Акт сверки взаимных расчётов",
        "period": "за период с {start} по {end}",
        "between": "между {supplier} и {customer}",
        "intro": (
            "Мы, нижеподписавшиеся, {supplier}, с одной стороны, и {customer}, с другой стороны, "
            "составили настоящий акт сверки в том, что состояние взаимных расчётов по данным учёта "
            "следующее:"
        ),
        "by_data": "По данным {name}, руб.",
        "h_date": "Дата",
        "h_document": "Документ",
        "h_debit": "Дебет",
        "h_credit": "Кредит",
        "opening": "Сальдо начальное",
        "turnover": "Обороты за период",
        "closing": "Сальдо конечное",
        "act": "Акт № {number} от {date}",
        "payment": "Оплата № {document} (счёт № {invoices})",
        "payment_cash": "Оплата (счёт № {invoices})",
        "payments_many": "Оплата № {document} (счета № {invoices})",
        "result_by": "По данным {name}",
        "owes": "на {date} задолженность в пользу {creditor} составляет {amount} руб. ({words}).",
        "settled": "на {date} задолженность отсутствует.",
        "page": "Страница {page} из {pages}",
    },
    "en": {
        "title": "Statement of mutual settlements (reconciliation act)",
        "period": "for the period from {start} to {end}",
        "between": "between {supplier} and {customer}",
        "intro": (
            "We, the undersigned, {supplier}, on the one hand, and {customer}, on the other hand, have "
            "drawn up this reconciliation act stating that mutual settlements according to the accounts "
            "are as follows:"
        ),
        "by_data": "According to {name}, RUB",
        "h_date": "Date",
        "h_document": "Document",
        "h_debit": "Debit",
        "h_credit": "Credit",
        "opening": "Opening balance",
        "turnover": "Turnover for the period",
        "closing": "Closing balance",
        "act": "Certificate No. {number} of {date}",
        "payment": "Payment No. {document} (invoice No. {invoices})",
        "payment_cash": "Payment (invoice No. {invoices})",
        "payments_many": "Payment No. {document} (invoices No. {invoices})",
        "result_by": "According to {name}",
        "owes": "as of {date} the balance in favour of {creditor} is {amount} RUB ({words}).",
        "settled": "as of {date} neither party owes the other.",
        "page": "Page {page} of {pages}",
    },
}


@dataclass(frozen=True, slots=True)
class ActRow:
    """One row of our half: a dated document, or a balance or turnover row (``total``: no
    date, its label in ``document`` spans the date and document columns)."""

    date: str
    document: str
    debit: str
    credit: str
    total: bool = False


@dataclass(frozen=True, slots=True)
class ReconciliationDocument:
    """Everything the act prints, formatted, in reading order."""

    language: str
    issued_on: dt.date  # the period's last day: the PDF's creation date
    title: str
    period: str
    between: str
    supplier: Party
    customer: Party
    intro: str
    ours: str  # «По данным ИП Иванов И. И., руб.»
    theirs: str  # «По данным ТСЖ «Ромашка», руб.»: the half left for the client
    headers: tuple[str, str, str, str]
    rows: tuple[ActRow, ...]
    result_by: str  # «По данным ИП Иванов И. И.»
    result: str  # «на 31.12.2026 задолженность … составляет 2 600,00 руб. (…).»
    signatures: tuple[SignatureBlock, ...]
    running_head: str
    page_label: str


def _dmy(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _name(record: Mapping[str, object]) -> str:
    value = record.get("name")
    return " ".join(str(value).split()) if value else "—"


def _money(amount: Decimal, language: str) -> str:
    return format_amount(amount, language)


def _document(entry: Entry, language: str) -> str:
    t = LABELS[language]
    invoices = ", ".join(entry.invoices)
    if entry.kind == "invoice":
        return t["act"].format(number=entry.document, date=_dmy(entry.date))
    if not entry.document:
        return t["payment_cash"].format(invoices=invoices)
    key = "payments_many" if len(entry.invoices) > 1 else "payment"
    return t[key].format(document=entry.document, invoices=invoices)


def _balance_row(label: str, balance: Decimal, language: str) -> ActRow:
    """A balance as accountants write it: a debt in the debit column, an overpayment in
    the credit column; nothing owed either way, 0,00 in the debit."""
    if balance < 0:
        return ActRow("", label, "", _money(-balance, language), total=True)
    return ActRow("", label, _money(balance, language), "", total=True)


def _rows(figures: Reconciliation, language: str) -> tuple[ActRow, ...]:
    t = LABELS[language]
    rows = [_balance_row(t["opening"], figures.opening_balance, language)]
    for entry in figures.lines:
        rows.append(
            ActRow(
                _dmy(entry.date),
                _document(entry, language),
                _money(entry.debit, language) if entry.debit else "",
                _money(entry.credit, language) if entry.credit else "",
            )
        )
    rows.append(
        ActRow(
            "",
            t["turnover"],
            _money(figures.debit_total, language),
            _money(figures.credit_total, language),
            total=True,
        )
    )
    rows.append(_balance_row(t["closing"], figures.closing_balance, language))
    return tuple(rows)


def _result(figures: Reconciliation, supplier: str, customer: str, language: str) -> str:
    t = LABELS[language]
    balance = figures.closing_balance
    day = _dmy(figures.end)
    if balance == 0:
        return t["settled"].format(date=day)
    creditor = supplier if balance > 0 else customer  # a negative balance: the client paid more
    words = amount_in_words(abs(balance), language)
    return t["owes"].format(
        date=day,
        creditor=creditor,
        amount=_money(abs(balance), language),
        words=words[:1].upper() + words[1:],
    )


def _running_head(title: str, customer: str, limit: int = 110) -> str:
    """What heads each page after the first: the title and period, and the client when the
    line has room for it (it is one line of small print)."""
    line = f"{title} — {customer}"
    return line if len(line) <= limit else title


def reconciliation_document(
    figures: Reconciliation,
    supplier: Mapping[str, object],
    customer: Mapping[str, object],
    language: str = "ru",
) -> ReconciliationDocument:
    """The printed form of ``figures`` between ``supplier`` (the config's block) and
    ``customer`` (the client's requisites). Raises ``ValueError`` for an unknown language."""
    if language not in LABELS:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LABELS)}")
    t, d = LABELS[language], DOCUMENT_LABELS[language]
    ours, theirs = _name(supplier), _name(customer)
    period = t["period"].format(start=_dmy(figures.start), end=_dmy(figures.end))
    return ReconciliationDocument(
        language=language,
        issued_on=figures.end,
        title=t["title"],
        period=period,
        between=t["between"].format(supplier=ours, customer=theirs),
        supplier=_party(d["act_supplier"], supplier, language, bank=False),
        customer=_party(d["act_customer"], customer, language, bank=False),
        intro=t["intro"].format(supplier=ours, customer=theirs),
        ours=t["by_data"].format(name=ours),
        theirs=t["by_data"].format(name=theirs),
        headers=(t["h_date"], t["h_document"], t["h_debit"], t["h_credit"]),
        rows=_rows(figures, language),
        result_by=t["result_by"].format(name=ours),
        result=_result(figures, ours, theirs, language),
        signatures=_signatures(supplier, customer, True, language),
        running_head=_running_head(f"{t['title']} {period}", theirs),
        page_label=t["page"],
    )
