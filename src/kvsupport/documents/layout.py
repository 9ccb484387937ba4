"""What an invoice or act prints, as strings: the view model every renderer shares.

:func:`document` reads a frozen :class:`~kvsupport.core.models.Invoice` and
returns a :class:`Document` in which every value is already formatted in the
document's language (``ru`` or ``en``), so the text, HTML and PDF renderers
place strings and decide nothing. Pure: no rich, no fpdf2, no files, no clock.

Each table row is one service, quantity 1 «усл. ед.», price = sum = the line's
amount, so the printed arithmetic is exact and the rows add up to the total
(SPEC §3.9); with VAT, each row also shows its rate and the VAT it includes,
and those add up to the VAT printed (§8.1). A requisite that is not on record
prints as an empty :class:`Field` (a blank to fill in by hand), never as
``None``. The supplier and the customer may be companies or individual
entrepreneurs (``kind``): that decides «ОГРН»/«ОГРНИП», the КПП, who signs and
the «М.П.».
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Literal

from kvsupport.core.billing import line_vat
from kvsupport.core.models import OPEN_STATUSES, Invoice, InvoiceLine, Segment
from kvsupport.core.settlement import balance_of
from kvsupport.core.words import amount_in_words, format_amount

from ._labels import LABELS, MONTHS_GENITIVE, MONTHS_NOMINATIVE

NBSP = "\u00a0"
"""Binds a number to its unit, as in amounts: «1 300,00», «1 ч 01 мин»."""

__all__ = [
    "Appendix",
    "BankDetails",
    "Document",
    "Field",
    "Party",
    "Payment",
    "Row",
    "Signature",
    "SignatureBlock",
    "TimeBlock",
    "TimeRow",
    "document",
    "format_minutes",
    "short_name",
    "split_signatory",
]


@dataclass(frozen=True, slots=True)
class Field:
    """A labelled value; ``value`` is ``""`` when not on record."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Party:
    """The supplier or the customer: a heading, a name and labelled requisites."""

    heading: str
    name: str
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class BankDetails:
    """The payee's bank grid at the top of a Russian invoice."""

    bank: Field
    bik: Field
    correspondent_account: Field
    inn: Field
    kpp: Field | None  # an entrepreneur has none
    account: Field
    recipient: Field


@dataclass(frozen=True, slots=True)
class Row:
    """One table row; ``price`` equals ``amount`` and ``quantity`` is ``"1"``; the VAT
    rate and amount are ``""`` on a document without VAT."""

    number: str
    description: str
    quantity: str
    unit: str
    price: str
    amount: str
    vat_rate: str = ""
    vat_amount: str = ""

    def cells(self, vat: bool) -> tuple[str, ...]:
        """The row's cells in the order of :attr:`Document.headers`."""
        head = (self.number, self.description, self.quantity, self.unit, self.price)
        return (*head, self.vat_rate, self.vat_amount, self.amount) if vat else (*head, self.amount)


@dataclass(frozen=True, slots=True)
class Payment:
    """The payment QR code (ГОСТ Р 56042-2014): its text and the caption printed under it."""

    payload: str
    caption: str


@dataclass(frozen=True, slots=True)
class Signature:
    """«Руководитель ____ / Петров П. П. /»; ``name`` is ``""`` when not configured."""

    role: str
    name: str


@dataclass(frozen=True, slots=True)
class SignatureBlock:
    """One party's signatures; ``heading`` and ``stamp`` are ``""`` on an invoice."""

    heading: str
    organisation: str
    signatures: tuple[Signature, ...]
    stamp: str


@dataclass(frozen=True, slots=True)
class TimeRow:
    """One segment of a session: start, end (local wall time) and duration."""

    start: str
    end: str
    duration: str


@dataclass(frozen=True, slots=True)
class TimeBlock:
    """The segments of one session line, headed by its row number and title."""

    heading: str
    rows: tuple[TimeRow, ...]
    summary: str


@dataclass(frozen=True, slots=True)
class Appendix:
    """«Приложение: расчёт времени»: segments of every session line."""

    title: str
    headers: tuple[str, str, str]
    blocks: tuple[TimeBlock, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """Everything an invoice or act prints, formatted, in reading order."""

    language: str
    kind: Literal["invoice", "act"]
    issued_on: dt.date
    title: str
    period: str
    banner: str | None
    bank: BankDetails | None
    supplier: Party
    customer: Party
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    totals: tuple[Field, ...]
    summary: str
    words: str
    due: str | None
    statement: str | None
    signatures: tuple[SignatureBlock, ...]
    appendix: Appendix | None
    #: «Основание: договор № 15 от 01.02.2017», when the client's contract is on record
    basis: str | None = None
    #: «Взамен аннулированного счёта № 2026-0002» on a replacement invoice
    replaces: str | None = None
    #: True when the table has the VAT rate and amount columns (some line carries VAT)
    vat_columns: bool = False
    #: the payment QR code: an unpaid invoice whose supplier's bank requisites are on record
    payment: Payment | None = None
    #: what heads each page after the first: the title (and the banner, if any)
    running_head: str = ""
    #: «Страница {page} из {pages}»: the page footer, its two numbers filled in by the renderer
    page_label: str = ""


def document(invoice: Invoice, *, act: bool, language: str = "ru") -> Document:
    """The printed form of ``invoice`` as an invoice, or as an act when ``act``.

    ``language`` is ``"ru"`` or ``"en"``; the invoice's ``due_on`` adds
    «Оплатить не позднее DD.MM.YYYY» (invoice only: an act demands no payment).
    Missing requisites print as blanks. Raises ``ValueError`` for an unknown language.
    """
    if language not in LABELS:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LABELS)}")
    t = LABELS[language]
    kind: Literal["invoice", "act"] = "act" if act else "invoice"
    money = _money(language)
    total = money(invoice.total)
    supplier, client = invoice.supplier, invoice.client
    vat = any(line.vat != "none" for line in invoice.lines)
    rows = tuple(_row(i, line, language) for i, line in enumerate(invoice.lines, 1))
    totals = [Field(t["total"], total), *_vat_totals(invoice, language)]
    if not act:
        totals.append(Field(t["to_pay"], total))
    words = invoice.total_in_words if language == "ru" else amount_in_words(invoice.total, "en")
    due = None
    if invoice.due_on is not None and not act:
        due = t["due"].format(date=_dmy(invoice.due_on))
    dated = (invoice.act_date or invoice.date) if act else invoice.date
    title = t["act_title" if act else "invoice_title"].format(
        number=invoice.number, date=_long_date(dated, language)
    )
    banner = _banner(invoice, act, language)
    headers: tuple[str, ...] = (t["h_no"], t["h_desc"], t["h_qty"], t["h_unit"], t["h_price"])
    headers += (t["h_vat_rate"], t["h_vat"], t["h_sum"]) if vat else (t["h_sum"],)
    return Document(
        language=language,
        kind=kind,
        issued_on=dated,
        title=title,
        period=_period(invoice.period, language),
        banner=banner,
        bank=None if act else _bank(supplier, language),
        supplier=_party(t["act_supplier" if act else "supplier"], supplier, language, bank=act),
        customer=_party(t["act_customer" if act else "customer"], client, language, bank=False),
        headers=headers,
        rows=rows,
        totals=tuple(totals),
        summary=t["summary"].format(count=len(rows), total=total),
        words=words[:1].upper() + words[1:],
        due=due,
        statement=t["statement"] if act else None,
        signatures=_signatures(supplier, client, act, language),
        appendix=_appendix(invoice.lines, language),
        basis=_basis(client, language),
        replaces=(
            t["replaces_act" if act else "replaces_invoice"].format(number=invoice.replaces)
            if invoice.replaces
            else None
        ),
        vat_columns=vat,
        payment=None if act or invoice.status not in OPEN_STATUSES else _payment(invoice, language),
        running_head=f"{title} — {banner}" if banner else title,
        page_label=t["page"],
    )


def format_minutes(minutes: int, language: str = "ru", seconds: int = 0) -> str:
    """``61`` → «1 ч 01 мин», ``45`` → «45 мин»; English "1 h 01 min"; seconds only when non-zero."""
    t = LABELS[language]
    hours, mins = divmod(minutes, 60)
    text = f"{hours} {t['h']} {mins:02d} {t['min']}" if hours else f"{mins} {t['min']}"
    return f"{text} {seconds:02d} {t['s']}" if seconds else text


def _duration(minutes: int, language: str, seconds: int = 0) -> str:
    """:func:`format_minutes` with no-break spaces: a duration never splits across lines."""
    return format_minutes(minutes, language, seconds).replace(" ", NBSP)


def _money(language: str) -> Callable[[Decimal], str]:
    return partial(format_amount, language=language)


def _text(record: Mapping[str, object], key: str) -> str:
    """A requisite as text; ``""`` when absent or empty."""
    value = record.get(key)
    return "" if value is None else " ".join(str(value).split())


def _dmy(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _long_date(day: dt.date, language: str) -> str:
    if language == "ru":
        return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} г."
    return f"{day.day} {MONTHS_NOMINATIVE['en'][day.month - 1]} {day.year}"


def _period(period: str, language: str) -> str:
    """``"2026-11"`` → «за ноябрь 2026 г.» / "for November 2026"; anything else as it is."""
    year, _, month = period.partition("-")
    if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        return period
    name = MONTHS_NOMINATIVE[language][int(month) - 1]
    return f"за {name} {year} г." if language == "ru" else f"for {name} {year}"


def _banner(invoice: Invoice, act: bool, language: str) -> str | None:
    t = LABELS[language]
    if invoice.status == "void":
        reason = " ".join((invoice.void_reason or "").split())
        return f"{t['void']}: {reason}" if reason else t["void"]
    if invoice.status == "paid" and not act:
        return f"{t['paid']} {_dmy(invoice.paid_on)}" if invoice.paid_on else t["paid"]
    if invoice.status == "partly_paid" and not act:
        return t["partly_paid"].format(balance=format_amount(balance_of(invoice), language))
    return None


def _is_entrepreneur(record: Mapping[str, object]) -> bool:
    return record.get("kind") == "entrepreneur"


def _inn_kpp(record: Mapping[str, object], language: str) -> list[Field]:
    t = LABELS[language]
    inn, kpp = _text(record, "inn"), _text(record, "kpp")
    if _is_entrepreneur(record):  # an entrepreneur has no KPP: not even a blank for one
        return [Field(t["inn"], inn)]
    if inn and kpp:
        return [Field(t["inn_kpp"], f"{inn} / {kpp}")]
    if kpp:
        return [Field(t["inn"], ""), Field(t["kpp"], kpp)]
    return [Field(t["inn"] if inn else t["inn_kpp"], inn)]


def _party(heading: str, record: Mapping[str, object], language: str, *, bank: bool) -> Party:
    """Name, ИНН/КПП, ОГРН (if any), address, bank requisites (if ``bank``), phone, e-mail."""
    t = LABELS[language]
    fields = _inn_kpp(record, language)
    if ogrn := _text(record, "ogrn"):
        fields.append(Field(t["ogrnip" if _is_entrepreneur(record) else "ogrn"], ogrn))
    fields.append(Field(t["address"], _text(record, "address")))
    if bank:
        for key in ("bank", "bik", "correspondent_account", "account"):
            fields.append(Field(t[key], _text(record, key)))
    for key in ("phone", "email"):
        if value := _text(record, key):
            fields.append(Field(t[key], value))
    return Party(heading, _text(record, "name"), tuple(fields))


def _bank(supplier: Mapping[str, object], language: str) -> BankDetails:
    t = LABELS[language]
    return BankDetails(
        bank=Field(t["g_bank"], _text(supplier, "bank")),
        bik=Field(t["bik"], _text(supplier, "bik")),
        correspondent_account=Field(t["g_corr"], _text(supplier, "correspondent_account")),
        inn=Field(t["inn"], _text(supplier, "inn")),
        kpp=None if _is_entrepreneur(supplier) else Field(t["kpp"], _text(supplier, "kpp")),
        account=Field(t["g_account"], _text(supplier, "account")),
        recipient=Field(t["g_recipient"], _text(supplier, "name")),
    )


def _row(number: int, line: InvoiceLine, language: str) -> Row:
    t = LABELS[language]
    money = _money(language)
    if line.kind == "fee":
        description = f"{line.title} ({t['one_time']})"
    else:
        description = t["session_line"].format(
            title=line.title,
            date=_dmy(line.date),
            worked=_duration(line.minutes, language),
            billed=_duration(line.billable_minutes, language),
            rate=money(line.rate),
        )
    amount = money(line.amount)
    if line.vat == "none":
        rate, vat = t["no_vat_line"], "—"
    else:
        rate, vat = t["vat_rate"].format(rate=line.vat), money(line_vat(line))
    return Row(str(number), description, "1", t["unit"], amount, amount, rate, vat)


def _vat_totals(invoice: Invoice, language: str) -> list[Field]:
    """«Без налога (НДС)», or «В том числе НДС 22 %: …» for each rate: the sums of the
    lines' VAT, so the lines add up to what is printed (SPEC §8.1)."""
    t = LABELS[language]
    by_rate: dict[str, Decimal] = {}
    for line in invoice.lines:
        if line.vat != "none":
            by_rate[line.vat] = by_rate.get(line.vat, Decimal("0.00")) + line_vat(line)
    if not by_rate:
        return [Field(t["no_vat"], "")]
    money = _money(language)
    return [
        Field(t["vat_included"].format(rate=rate), money(by_rate[rate]))
        for rate in sorted(by_rate, key=Decimal)
    ]


def _basis(client: Mapping[str, object], language: str) -> str | None:
    """«Основание: договор № 15 от 01.02.2017» (as typed when it says «договор» itself)."""
    t = LABELS[language]
    contract = _text(client, "contract")
    if not contract:
        return None
    named = contract.lower().startswith(("договор", "contract"))
    return t["basis"].format(contract=contract if named else t["contract"].format(contract=contract))


def _payment(invoice: Invoice, language: str) -> Payment | None:
    from .payment import payload

    text = payload(invoice)
    return None if text is None else Payment(text, LABELS[language]["qr_caption"])


def _signatures(
    supplier: Mapping[str, object], client: Mapping[str, object], act: bool, language: str
) -> tuple[SignatureBlock, ...]:
    """The invoice: the supplier's head and accountant. The act: each party's signatory,
    «М.П.» under a company's (an entrepreneur's only if ``supplier.stamp`` says so)."""
    t = LABELS[language]
    head = _supplier_signature(supplier, language)
    if not act:
        people = [head]
        accountant = short_name(_text(supplier, "accountant"))
        if accountant or not _is_entrepreneur(supplier):  # «Бухгалтер ____ /   /» to fill in by hand
            people.append(Signature(t["chief_accountant" if accountant else "accountant"], accountant))
        return (SignatureBlock("", "", tuple(people), ""),)
    stamp = supplier.get("stamp")
    supplier_stamp = stamp if isinstance(stamp, bool) else not _is_entrepreneur(supplier)
    return (
        SignatureBlock(
            t["sig_supplier"], _text(supplier, "name"), (head,), t["stamp"] if supplier_stamp else ""
        ),
        SignatureBlock(
            t["sig_customer"],
            _text(client, "name"),
            (_client_signature(client, language),),
            "" if _is_entrepreneur(client) else t["stamp"],
        ),
    )


def _supplier_signature(supplier: Mapping[str, object], language: str) -> Signature:
    """«Руководитель» (or ``director_title``) and the director; an entrepreneur signs as
    himself: «Индивидуальный предприниматель», his name from ``director`` or the name."""
    t = LABELS[language]
    director = _text(supplier, "director")
    if _is_entrepreneur(supplier):
        return Signature(t["entrepreneur"], short_name(director or _without_ip(_text(supplier, "name"))))
    return Signature(_text(supplier, "director_title") or t["director"], short_name(director))


def _client_signature(client: Mapping[str, object], language: str) -> Signature:
    t = LABELS[language]
    role, name = split_signatory(_text(client, "signatory"))
    if _is_entrepreneur(client):
        return Signature(role or t["entrepreneur"], short_name(name or _without_ip(_text(client, "name"))))
    return Signature(role or t["director"], short_name(name))


_IP_PREFIXES = ("индивидуальный предприниматель ", "ип ")


def _without_ip(name: str) -> str:
    """«ИП Новиков Иван Иванович» → «Новиков Иван Иванович»."""
    lowered = name.lower()
    for prefix in _IP_PREFIXES:
        if lowered.startswith(prefix):
            return name[len(prefix) :].strip()
    return name


_PATRONYMIC_ENDINGS = ("вич", "вна", "чна", "ична", "оглы", "кызы")


def _initial(word: str) -> bool:
    """«П.» (one capital letter and a dot)."""
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def _words(text: str) -> list[str]:
    """Words, with initials written together («П.П.») split apart."""
    out: list[str] = []
    for word in text.split():
        if len(word) > 2 and word.endswith(".") and all(_initial(p + ".") for p in word[:-1].split(".")):
            out += [p + "." for p in word[:-1].split(".")]
        else:
            out.append(word)
    return out


def short_name(name: str) -> str:
    """A full name as signature lines print it: «Иванов Иван Иванович» → «Иванов И. И.».

    «Иванов И.И.» → «Иванов И. И.»; «Иван Иванович Иванов» (name first) → «Иванов И. И.»;
    one word, or text that is not a name, stays as it is. The spaces are no-break
    spaces: a name never splits across lines.
    """
    words = _words(name)
    if len(words) < 2 or not all(w[:1].isupper() for w in words[:3]):
        return " ".join(words)
    if len(words) == 3 and words[1].lower().endswith(_PATRONYMIC_ENDINGS) and not _initial(words[1]):
        words = [words[2], words[0], words[1]]  # «Иван Иванович Иванов»
    initials = [w if _initial(w) else f"{w[0]}." for w in words[1:3]]
    return NBSP.join([words[0], *initials])


def split_signatory(text: str) -> tuple[str, str]:
    """A client's signatory as (title, name): «Председатель правления Петров П. П.» →
    («Председатель правления», «Петров П. П.»).

    The name is the end: a surname with one or two initials, or three words ending in a
    patronymic («Петров Пётр Петрович»), else the last word. A comma splits exactly
    («Председатель правления, Петров Пётр»). No title gives ``""``: the default is used.
    """
    if "," in text:
        title, _, name = text.rpartition(",")
        return title.strip(), name.strip()
    words = _words(text)
    initials = 0
    while initials < 2 and len(words) > initials and _initial(words[-1 - initials]):
        initials += 1
    if initials:
        size = initials + 1
    elif len(words) >= 3 and words[-1].lower().endswith(_PATRONYMIC_ENDINGS):
        size = 3
    else:
        size = 1
    size = min(size, len(words))
    return " ".join(words[:-size]), " ".join(words[-size:])


def _wall(moment: dt.datetime, with_offset: bool) -> str:
    """The moment's wall time in its own UTC offset, as stored."""
    text = moment.strftime("%d.%m.%Y %H:%M")
    offset = moment.utcoffset()
    return f"{text} ({_utc(offset)})" if with_offset and offset is not None else text


def _seconds(seg: Segment) -> int | None:
    return None if seg.end is None else int((seg.end - seg.start).total_seconds())


def _appendix(lines: tuple[InvoiceLine, ...], language: str) -> Appendix | None:
    """Segments of each session line, and a note on how billed time relates to worked time."""
    t = LABELS[language]
    numbered = [(i, line) for i, line in enumerate(lines, 1) if line.kind == "session" and line.segments]
    if not numbered:
        return None
    offsets = {seg.start.utcoffset() for _, line in numbered for seg in line.segments}
    offsets |= {seg.end.utcoffset() for _, line in numbered for seg in line.segments if seg.end}
    mixed = len(offsets) > 1
    blocks: list[TimeBlock] = []
    up_with_minimum = True  # every line billed as «up to the minute, at least 1 hour»?
    for number, line in numbered:
        rows: list[TimeRow] = []
        total = 0
        for seg in line.segments:
            seconds = _seconds(seg)
            total += seconds or 0
            rows.append(
                TimeRow(
                    start=_wall(seg.start, mixed),
                    end="—" if seg.end is None else _wall(seg.end, mixed),
                    duration="—" if seconds is None else _duration(seconds // 60, language, seconds % 60),
                )
            )
        up_with_minimum &= line.billable_minutes == max(60, -(-total // 60))
        summary = t["time_summary"].format(
            worked=_duration(total // 60, language, total % 60),
            billed=_duration(line.billable_minutes, language),
        )
        if line.evidence is not None:  # the client's letter it came by (issue 14)
            from kvsupport.core.evidence import document_note

            summary = f"{summary.rstrip('.')}. {document_note(line.evidence, language)}"
        blocks.append(TimeBlock(f"{number}. {line.title}, {_dmy(line.date)}", tuple(rows), summary))
    notes = [t["note_rule"] if up_with_minimum else t["note_tariff"]]
    if not mixed and (offset := next(iter(offsets))) is not None:
        notes.append(t["note_zone"].format(offset=_utc(offset)))
    return Appendix(t["appendix"], (t["a_start"], t["a_end"], t["a_duration"]), tuple(blocks), tuple(notes))


def _utc(offset: dt.timedelta) -> str:
    """``+3h`` → ``UTC+03:00``."""
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"
