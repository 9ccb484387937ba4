"""Bank statements in 1C's «Клиент банка» exchange format (``1CClientBankExchange``).

Every Russian bank exports statements in this text format (research notes §2)::

    1CClientBankExchange
    ВерсияФормата=1.03
    Кодировка=Windows
    РасчСчет=40702810900000000001
    СекцияРасчСчет
    НачальныйОстаток=0.00
    КонецРасчСчет
    СекцияДокумент=Платежное поручение
    Номер=17
    Дата=03.12.2026
    Сумма=5300.00
    НазначениеПлатежа=Оплата по счету N 2026-0001 от 30.11.26г
    КонецДокумента
    КонецФайла

Written by hand, not with a library: the grammar is a dozen kinds of line, and
what matters is what a library would not give -- the line number of every
problem, and tolerance where real files differ (unknown keys kept, any document
kind accepted, blank lines and spaces around values ignored, the declared
encoding not trusted). The public parsers show both sides: a Java reader
refuses any unknown key or document kind, so a real statement with a
«Банковский ордер» does not load; a PHP one keeps unknown keys but reports only
a line and a state.

Encoding: the standard says ``Кодировка=Windows`` (cp1251) or ``DOS`` (cp866),
but files lie (a UTF-8 BOM before ``Кодировка=DOS`` is seen in the wild), so it
is detected (:func:`decode_statement`): strict UTF-8 first, else whichever of
cp1251 and cp866 yields the format's own keys.

Pure: bytes or text in, a :class:`Statement` out; a malformed file raises one
:class:`~kvsupport.errors.InvalidValue` naming its line.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from kvsupport.errors import InvalidValue
from kvsupport.i18n import _

__all__ = [
    "Document",
    "Section",
    "Statement",
    "decode_statement",
    "parse_statement",
    "read_statement",
]

HEADER = "1CClientBankExchange"
END_OF_FILE = "КонецФайла"
DOCUMENT = "СекцияДокумент"
END_OF_DOCUMENT = "КонецДокумента"
#: Keys that only this format has: the decoding that shows more of them is the right one.
MARKERS = (
    "Кодировка=",
    "ВерсияФормата=",
    "СекцияДокумент=",
    "КонецДокумента",
    "КонецФайла",
    "Сумма=",
    "Дата=",
)
PURPOSE_KEYS = ("НазначениеПлатежа", *(f"НазначениеПлатежа{n}" for n in range(1, 7)))

_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_AMOUNT = re.compile(r"\d+(?:[.,]\d{1,2})?")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class Section(NamedTuple):
    """A ``Секция<Name>`` … ``Конец<Name>`` block other than a document (``РасчСчет``: balances)."""

    name: str
    line: int
    fields: Mapping[str, str]


class Document(NamedTuple):
    """One ``СекцияДокумент=<kind>`` block: a payment in or out.

    ``fields`` holds every key as written (unknown ones too); the values used
    for matching are parsed here, so a bad one is refused with its line.
    """

    line: int
    kind: str  # Платежное поручение, Банковский ордер, … (any)
    number: str
    date: dt.date
    amount: Decimal
    purpose: str  # НазначениеПлатежа, joined with НазначениеПлатежа1…6
    received: dt.date | None  # ДатаПоступило: credited to the payee
    written_off: dt.date | None  # ДатаСписано: debited from the payer
    fields: Mapping[str, str]

    def get(self, key: str) -> str:
        """The value of ``key``, ``""`` when absent."""
        return self.fields.get(key, "")


class Statement(NamedTuple):
    """A whole exchange file."""

    encoding: str  # as detected: utf-8, cp1251 or cp866
    declared_encoding: str  # what Кодировка= said: Windows, DOS or ""
    version: str  # ВерсияФормата
    header: Mapping[str, str]
    accounts: tuple[str, ...]  # every РасчСчет= of the header
    sections: tuple[Section, ...]
    documents: tuple[Document, ...]


def decode_statement(data: bytes) -> tuple[str, str]:
    """The text of a statement and the encoding it was read with.

    A BOM is dropped; strict UTF-8 wins when it decodes; otherwise cp1251 and
    cp866 are both tried and the one showing more of :data:`MARKERS` is taken
    (a tie: the declared ``Кодировка=DOS`` means cp866, anything else cp1251).
    """
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    windows = body.decode("cp1251", errors="replace")
    dos = body.decode("cp866", errors="replace")
    windows_score = sum(windows.count(m) for m in MARKERS)
    dos_score = sum(dos.count(m) for m in MARKERS)
    if dos_score > windows_score or (dos_score == windows_score and "Кодировка=DOS" in dos):
        return dos, "cp866"
    return windows, "cp1251"


def read_statement(data: bytes) -> Statement:
    """Decode (:func:`decode_statement`) and parse (:func:`parse_statement`) a file's bytes."""
    text, encoding = decode_statement(data)
    return parse_statement(text, encoding=encoding)


class _Block:
    """A section or document being read: where it began, its keys and their lines."""

    def __init__(self, name: str, line: int) -> None:
        self.name = name
        self.line = line
        self.fields: dict[str, str] = {}
        self.lines: dict[str, int] = {}


def parse_statement(text: str, *, encoding: str = "") -> Statement:
    """Read the text of a ``1CClientBankExchange`` file.

    Raises :class:`InvalidValue` naming the line: no header line, a line that
    is not ``Key=Value``, a section or document left open, a bad ``Дата`` or
    ``Сумма``, no ``КонецФайла`` (a file cut off).
    """
    header: dict[str, str] = {}
    accounts: list[str] = []
    sections: list[Section] = []
    documents: list[Document] = []
    block: _Block | None = None  # the open section or document
    started = False
    number = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip(" \t\x00\ufeff")
        if not line:
            continue
        if not started:
            if line != HEADER:
                raise InvalidValue(
                    _("line {line}: not a 1CClientBankExchange file (it begins '{text}')").format(
                        line=number, text=_clip(line)
                    ),
                    hint=_("export the statement from the bank for 1C (the file usually is kl_to_1c.txt)"),
                )
            started = True
            continue
        key, eq, value = (part.strip() for part in line.partition("="))
        if block is not None:
            end = END_OF_DOCUMENT if block.name == DOCUMENT else "Конец" + block.name
            if line == end:
                if block.name == DOCUMENT:
                    documents.append(_document(block))
                else:
                    sections.append(Section(block.name, block.line, dict(block.fields)))
                block = None
            elif eq and key and key != DOCUMENT:
                _put(block, key, value, number)
            elif line == END_OF_FILE or line.startswith(("Секция", "Конец")):
                raise InvalidValue(
                    _("line {line}: the block begun on line {start} is not closed with {end}").format(
                        line=number, start=block.line, end=end
                    )
                )
            else:
                raise _not_key_value(number, line)
        elif line == END_OF_FILE:
            return Statement(
                encoding=encoding,
                declared_encoding=header.get("Кодировка", ""),
                version=header.get("ВерсияФормата", ""),
                header=header,
                accounts=tuple(accounts),
                sections=tuple(sections),
                documents=tuple(documents),
            )
        elif key == DOCUMENT and eq:
            block = _Block(DOCUMENT, number)
            block.fields["СекцияДокумент"] = value
        elif line.startswith("Секция") and not eq and len(line) > len("Секция"):
            block = _Block(line.removeprefix("Секция"), number)
        elif eq and key:
            if key == "РасчСчет" and value:
                accounts.append(value)
            header[key] = value
        else:
            raise _not_key_value(number, line)
    if not started:
        raise InvalidValue(_("not a 1CClientBankExchange file: it is empty"))
    if block is not None:
        end = END_OF_DOCUMENT if block.name == DOCUMENT else "Конец" + block.name
        raise InvalidValue(
            _(
                "line {line}: the file ends inside the block begun on line {start} (no {end}): it is cut off"
            ).format(line=number, start=block.line, end=end),
            hint=_("export the statement from the bank again"),
        )
    raise InvalidValue(
        _("line {line}: the file ends without {end}: it is cut off").format(line=number, end=END_OF_FILE),
        hint=_("export the statement from the bank again"),
    )


def _put(block: _Block, key: str, value: str, number: int) -> None:
    block.fields[key] = value
    block.lines[key] = number


def _not_key_value(number: int, line: str) -> InvalidValue:
    return InvalidValue(
        _("line {line}: expected Key=Value, found '{text}'").format(line=number, text=_clip(line))
    )


def _document(block: _Block) -> Document:
    """A finished document block, its dates and amount parsed."""
    fields = block.fields
    for key in ("Дата", "Сумма"):
        if not fields.get(key):
            raise InvalidValue(_("line {line}: the document has no {key}").format(line=block.line, key=key))
    return Document(
        line=block.line,
        kind=fields["СекцияДокумент"],
        number=fields.get("Номер", ""),
        date=_day(block, "Дата"),
        amount=_amount(block, "Сумма"),
        purpose=_purpose(fields),
        received=_day(block, "ДатаПоступило") if fields.get("ДатаПоступило") else None,
        written_off=_day(block, "ДатаСписано") if fields.get("ДатаСписано") else None,
        fields=dict(fields),
    )


def _day(block: _Block, key: str) -> dt.date:
    text = block.fields[key]
    match = _DAY.fullmatch(text)
    if match is not None:
        day, month, year = map(int, match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise InvalidValue(
        _("line {line}: {key} '{text}' is not a date DD.MM.YYYY").format(
            line=block.lines[key], key=key, text=_clip(text)
        )
    )


def _amount(block: _Block, key: str) -> Decimal:
    text = block.fields[key]
    compact = _SPACES.sub("", text)
    if not _AMOUNT.fullmatch(compact):
        raise InvalidValue(
            _("line {line}: {key} '{text}' is not an amount").format(
                line=block.lines[key], key=key, text=_clip(text)
            )
        )
    return Decimal(compact.replace(",", ".")).quantize(Decimal("0.01"))


def _purpose(fields: Mapping[str, str]) -> str:
    """The purpose of payment: ``НазначениеПлатежа``, and ``НазначениеПлатежа1…6`` when they
    add to it (some banks split the text into those lines, some repeat it there)."""
    main = " ".join(fields.get("НазначениеПлатежа", "").split())
    rest = " ".join(" ".join(fields.get(k, "") for k in PURPOSE_KEYS[1:]).split())
    if not rest or rest in main:
        return main
    if main and main.replace(" ", "") in rest.replace(" ", ""):
        return rest
    return f"{main} {rest}".strip()


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
