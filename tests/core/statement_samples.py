"""1CClientBankExchange statements built for the tests, in the shape of the public
samples (kilylabs/client-bank-exchange-php ``one_day_utf8.txt``, odoo-ru/client-bank-1c
``kl_to_1c.txt``): the same keys in the same order, empty values left in."""

from __future__ import annotations

SUPPLIER_ACCOUNT = "40702810900000000001"
SUPPLIER_INN = "7702070139"
ROMASHKA_INN = "7707083893"
ROMASHKA_ACCOUNT = "40702810938000012345"
LESNAYA_INN = "500100732259"
LESNAYA_ACCOUNT = "40703810600000000077"
SBERBANK_BIK = "044525225"


def incoming(
    number: str,
    amount: str,
    purpose: str,
    *,
    day: str = "03.12.2026",
    payer_inn: str = ROMASHKA_INN,
    payer_account: str = ROMASHKA_ACCOUNT,
    payer: str = 'ТСЖ "Ромашка"',
    kind: str = "Платежное поручение",
    extra: tuple[str, ...] = (),
) -> list[str]:
    """A payment into the supplier's account, as the bank lists it."""
    return [
        f"СекцияДокумент={kind}",
        f"Номер={number}",
        f"Дата={day}",
        f"Сумма={amount}",
        f"ПлательщикСчет={payer_account}",
        f"Плательщик={payer}",
        f"ПлательщикИНН={payer_inn}",
        f"Плательщик1={payer}",
        f"ПлательщикРасчСчет={payer_account}",
        "ПлательщикБанк1=ПАО СБЕРБАНК",
        "ПлательщикБанк2=г. Москва",
        f"ПлательщикБИК={SBERBANK_BIK}",
        "ПлательщикКорсчет=30101810400000000225",
        f"ПолучательСчет={SUPPLIER_ACCOUNT}",
        f"ДатаПоступило={day}",
        "Получатель=ИП Консультант",
        f"ПолучательИНН={SUPPLIER_INN}",
        "Получатель1=ИП Консультант",
        f"ПолучательРасчСчет={SUPPLIER_ACCOUNT}",
        'ПолучательБанк1=АО "ТБанк"',
        "ПолучательБИК=044525974",
        "ПолучательКорсчет=30101810145250000974",
        "ВидПлатежа=электронно",
        "ВидОплаты=01",
        "СтатусСоставителя=",
        "ПоказательКБК=",
        "ОКАТО=",
        "Очередность=5",
        f"НазначениеПлатежа={purpose}",
        *extra,
        "КонецДокумента",
    ]


def outgoing(number: str, amount: str, *, day: str = "03.12.2026") -> list[str]:
    """A payment out of the supplier's account (its bank fee, a supplier of its own)."""
    return [
        "СекцияДокумент=Платежное поручение",
        f"Номер={number}",
        f"Дата={day}",
        f"Сумма={amount}",
        f"ПлательщикСчет={SUPPLIER_ACCOUNT}",
        f"ДатаСписано={day}",
        f"ПлательщикИНН={SUPPLIER_INN}",
        "Плательщик1=ИП Консультант",
        "ПолучательСчет=40702810500001455357",
        "ПолучательИНН=7728168971",
        'Получатель1=АО "Хостинг"',
        "ДатаПоступило=",
        "НазначениеПлатежа=Оплата хостинга за декабрь 2026 г. Без НДС",
        "КонецДокумента",
    ]


def statement_text(*documents: list[str], label: str = "Windows", newline: str = "\r\n") -> str:
    """A whole statement for 03.12.2026 with ``documents``; ``label`` is what Кодировка= says."""
    lines = [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        f"Кодировка={label}",
        "Отправитель=Бухгалтерия ТБанк",
        "Получатель=1С:Предприятие",
        "ДатаСоздания=04.12.2026",
        "ВремяСоздания=09:30:00",
        "ДатаНачала=03.12.2026",
        "ДатаКонца=03.12.2026",
        f"РасчСчет={SUPPLIER_ACCOUNT}",
        "Документ=Платежное поручение",
        "Документ=Банковский ордер",
        "СекцияРасчСчет",
        "ДатаНачала=03.12.2026",
        "ДатаКонца=03.12.2026",
        f"РасчСчет={SUPPLIER_ACCOUNT}",
        "НачальныйОстаток=1000.00",
        "ВсегоПоступило=5300.00",
        "ВсегоСписано=0.00",
        "КонечныйОстаток=6300.00",
        "КонецРасчСчет",
    ]
    for document in documents:
        lines.extend(document)
    lines.append("КонецФайла")
    return newline.join(lines) + newline
