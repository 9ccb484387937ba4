"""An invoice's e-mail as a draft: the letter, its Russian text, the PDFs attached.

Built with the standard library's :mod:`email` (``EmailMessage``, policy
``default``): headers and attachment names come out as RFC 2047/2231 UTF-8,
which every mail program reads. ``X-Unsent: 1`` makes Outlook (and others
that honour it) open the ``.eml`` as a message ready to send rather than one
received. The letter is Russian whatever the interface language, like the
documents it carries: it goes to a Russian client's accountant.

Pure: the invoice, the parties and the PDFs' bytes in, the message out; the
caller writes it (``as_bytes(policy=email.policy.SMTP)``: CRLF line ends).

A long display name is folded into several encoded-words, as RFC 2047 wants,
split anywhere: mail programs join them (§6.2: the space between two
encoded-words is not text). Python's own ``policy.default`` address parser
(3.11) puts a space there; ``email.header.decode_header`` reads it right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from kvsupport.core.models import Invoice
from kvsupport.core.settlement import balance_of
from kvsupport.core.words import format_amount

from ._labels import MONTHS_NOMINATIVE

__all__ = ["Correspondent", "file_stem", "invoice_message", "reminder_days"]


class Correspondent:
    """Who a letter is from or to: a display name and an address."""

    def __init__(self, name: str, address: str) -> None:
        self.name = " ".join(name.split())
        self.address = address.strip()

    def header(self) -> Address:
        """The ``From``/``To`` value: «ТСЖ «Ромашка» <buh@romashka.ru>»."""
        local, _, domain = self.address.rpartition("@")
        return Address(display_name=self.name, username=local, domain=domain)


def file_stem(number: str) -> str:
    """An invoice number as a file name: «12/2026» (a common format) → «12-2026»."""
    return "".join("-" if ch in '/\\:*?"<>|' else ch for ch in number)


def _dmy(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _rub(amount: Decimal) -> str:
    return f"{format_amount(amount)} руб."


def _period(period: str) -> str:
    year, _, month = period.partition("-")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return f"за {MONTHS_NOMINATIVE['ru'][int(month) - 1]} {year} г."
    return f"за {period}"


def _sentence(text: str) -> str:
    """``text`` ending in one full stop («… 2026 г.» has its own)."""
    return text if text.endswith(".") else f"{text}."


def reminder_days(days: int) -> str:
    """«1 день», «3 дня», «11 дней»: days with the Russian plural."""
    if days % 10 == 1 and days % 100 != 11:
        word = "день"
    elif days % 10 in (2, 3, 4) and days % 100 not in (12, 13, 14):
        word = "дня"
    else:
        word = "дней"
    return f"{days} {word}"


def _subject(invoice: Invoice, supplier: Correspondent, reminder: bool) -> str:
    dated = f"№ {invoice.number} от {_dmy(invoice.date)}"
    if reminder:
        return f"Напоминание об оплате счёта {dated} — {supplier.name}"
    return f"Счёт {dated} и акт {_period(invoice.period)} — {supplier.name}"


def _body(
    invoice: Invoice, signer: str, supplier: Correspondent, reminder: bool, today: dt.date, qr: bool
) -> str:
    dated = f"№ {invoice.number} от {_dmy(invoice.date)}"
    act = f"№ {invoice.number} от {_dmy(invoice.act_date or invoice.date)}"
    total = _rub(invoice.total)
    balance = balance_of(invoice)
    paragraphs = ["Здравствуйте!"]
    if reminder:
        assert invoice.due_on is not None
        late = reminder_days((today - invoice.due_on).days)
        if balance < invoice.total:
            state = f"оплачен частично: остаток к оплате {_rub(balance)}"
        else:
            state = "не оплачен"
        paragraphs += [
            _sentence(f"Напоминаем, что счёт {dated} на сумму {total} {_period(invoice.period)} {state}")
            + f" Срок оплаты — {_dmy(invoice.due_on)}, просрочка {late}.",
            f"Просим оплатить {_rub(balance)} в ближайшее время. Счёт и акт прилагаем повторно.",
            "Если оплата уже отправлена, сообщите, пожалуйста, дату и номер платёжного поручения "
            "и не обращайте внимания на это письмо.",
        ]
    else:
        paragraphs.append(
            _sentence(
                f"Направляем счёт {dated} на сумму {total} и акт об оказании услуг {act} "
                f"за техническую поддержку {_period(invoice.period)}"
            )
        )
        if invoice.due_on is not None:
            paragraphs.append(f"Оплатить счёт просим не позднее {_dmy(invoice.due_on)}.")
        paragraphs.append("Подписанный экземпляр акта просим вернуть нам.")
    if qr:
        paragraphs.append("Счёт можно оплатить по QR-коду на нём в приложении банка.")
    closing = ["С уважением,", *(line for line in (signer, supplier.name) if line), supplier.address]
    return "\n\n".join([*paragraphs, "\n".join(dict.fromkeys(closing))]) + "\n"


def invoice_message(
    invoice: Invoice,
    *,
    supplier: Correspondent,
    client: Correspondent,
    signer: str,
    attachments: Sequence[tuple[str, bytes]],
    now: dt.datetime,
    today: dt.date,
    reminder: bool = False,
    qr: bool = False,
) -> EmailMessage:
    """The draft of ``invoice``'s letter (``reminder``: of an overdue one), from
    ``supplier`` to ``client``, signed by ``signer`` (may be ``""``), with ``attachments``
    (file name, PDF bytes); ``qr`` says the invoice carries a payment code."""
    message = EmailMessage()
    message["From"] = supplier.header()
    message["To"] = client.header()
    message["Subject"] = _subject(invoice, supplier, reminder)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("kvsupport", domain=supplier.address.rpartition("@")[2] or None)
    message["X-Unsent"] = "1"
    message.set_content(_body(invoice, signer, supplier, reminder, today, qr))
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return message
