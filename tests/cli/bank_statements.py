"""Bank statements (1CClientBankExchange) the CLI tests write, in the shape of the public
samples (kilylabs/client-bank-exchange-php ``one_day_utf8.txt``, odoo-ru/client-bank-1c
``kl_to_1c.txt``): the same keys in the same order, empty values left in, CRLF line ends.

The supplier's account is the one the tests' config has (``supplier.account``); the
payers are the tests' clients, with their INNs."""

from __future__ import annotations

from pathlib import Path

SUPPLIER_ACCOUNT = "40702810938000012345"
SUPPLIER_INN = "7736050003"
ROMASHKA_INN = "7707083893"
ROMASHKA_ACCOUNT = "40702810938000099999"
LESNAYA_INN = "5024012340"
LESNAYA_ACCOUNT = "40703810600000000077"
STRANGER_INN = "7728168971"
STRANGER_ACCOUNT = "40702810500001455357"
SBERBANK_BIK = "044525225"

PAYERS = {
    "romashka": (ROMASHKA_INN, ROMASHKA_ACCOUNT, 'ТСЖ "Ромашка"'),
    "lesnaya": (LESNAYA_INN, LESNAYA_ACCOUNT, 'ТСЖ "Лесная 5"'),
    "stranger": (STRANGER_INN, STRANGER_ACCOUNT, 'ООО "Посторонние"'),
}


def incoming(
    number: str,
    amount: str,
    purpose: str,
    *,
    payer: str = "romashka",
    day: str = "03.12.2026",
    received: str | None = None,
    kind: str = "Платежное поручение",
) -> list[str]:
    """A payment into the supplier's account from ``payer`` (a key of :data:`PAYERS`),
    dated ``day`` and credited on ``received`` (default: the same day)."""
    inn, account, name = PAYERS[payer]
    return [
        f"СекцияДокумент={kind}",
        f"Номер={number}",
        f"Дата={day}",
        f"Сумма={amount}",
        f"ПлательщикСчет={account}",
        f"Плательщик={name}",
        f"ПлательщикИНН={inn}",
        f"Плательщик1={name}",
        f"ПлательщикРасчСчет={account}",
        "ПлательщикБанк1=ПАО СБЕРБАНК",
        "ПлательщикБанк2=г. Москва",
        f"ПлательщикБИК={SBERBANK_BIK}",
        "ПлательщикКорсчет=30101810400000000225",
        f"ПолучательСчет={SUPPLIER_ACCOUNT}",
        f"ДатаПоступило={received or day}",
        'Получатель=ООО "Бонус"',
        f"ПолучательИНН={SUPPLIER_INN}",
        'Получатель1=ООО "Бонус"',
        f"ПолучательРасчСчет={SUPPLIER_ACCOUNT}",
        "ПолучательБанк1=ПАО СБЕРБАНК",
        f"ПолучательБИК={SBERBANK_BIK}",
        "ПолучательКорсчет=30101810400000000225",
        "ВидПлатежа=электронно",
        "ВидОплаты=01",
        "СтатусСоставителя=",
        "Очередность=5",
        f"НазначениеПлатежа={purpose}",
        "КонецДокумента",
    ]


def outgoing(number: str, amount: str, *, day: str = "03.12.2026") -> list[str]:
    """A payment out of the supplier's account (its hosting, its bank's fee)."""
    return [
        "СекцияДокумент=Платежное поручение",
        f"Номер={number}",
        f"Дата={day}",
        f"Сумма={amount}",
        f"ПлательщикСчет={SUPPLIER_ACCOUNT}",
        f"ДатаСписано={day}",
        f"ПлательщикИНН={SUPPLIER_INN}",
        'Плательщик1=ООО "Бонус"',
        f"ПолучательСчет={STRANGER_ACCOUNT}",
        f"ПолучательИНН={STRANGER_INN}",
        'Получатель1=АО "Хостинг"',
        "ДатаПоступило=",
        "НазначениеПлатежа=Оплата хостинга за декабрь 2026 г. Без НДС",
        "КонецДокумента",
    ]


def statement_text(*documents: list[str], label: str = "Windows", day: str = "03.12.2026") -> str:
    """A whole statement of ``documents``; ``label`` is what ``Кодировка=`` says."""
    lines = [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        f"Кодировка={label}",
        "Отправитель=Бухгалтерия ПАО СБЕРБАНК",
        "Получатель=1С:Предприятие",
        f"ДатаСоздания={day}",
        "ВремяСоздания=09:30:00",
        f"ДатаНачала={day}",
        f"ДатаКонца={day}",
        f"РасчСчет={SUPPLIER_ACCOUNT}",
        "Документ=Платежное поручение",
        "Документ=Банковский ордер",
        "СекцияРасчСчет",
        f"ДатаНачала={day}",
        f"ДатаКонца={day}",
        f"РасчСчет={SUPPLIER_ACCOUNT}",
        "НачальныйОстаток=1000.00",
        "КонецРасчСчет",
    ]
    for document in documents:
        lines.extend(document)
    lines.append("КонецФайла")
    return "\r\n".join(lines) + "\r\n"


#: how each encoding a bank uses is written, and what ``Кодировка=`` says in it
ENCODINGS = {
    "cp1251": ("cp1251", "Windows"),
    "cp866": ("cp866", "DOS"),
    "utf-8-bom": ("utf-8-sig", "DOS"),  # files lie: a BOM before Кодировка=DOS is seen in the wild
}


def write_statement(path: Path, *documents: list[str], encoding: str = "cp1251") -> Path:
    """``documents`` as a statement file in ``encoding`` (a key of :data:`ENCODINGS`)."""
    codec, label = ENCODINGS[encoding]
    path.write_bytes(statement_text(*documents, label=label).encode(codec))
    return path
