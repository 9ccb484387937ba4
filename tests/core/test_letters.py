"""A client's letter: what is read from it, in every charset Russian mailers use."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from letter_samples import (
    BACKUP,
    Part,
    encoded_word,
    modern_letter,
    quoted_encoded_word,
    raw_letter,
    rfc2231,
)

from kvsupport.core.letters import Attachment, consent_record, read_letter
from kvsupport.errors import InvalidValue

BODY = """Здравствуйте!

После обновления программа не начисляет пени за октябрь.
Резервную копию базы прилагаем.

Оплату гарантируем.

С уважением,
бухгалтер Иванова М. П.
тел. 8 (495) 123-45-67
"""
MSK = timezone(timedelta(hours=3))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_outlook_letter_in_windows_1251_gives_everything() -> None:
    data = raw_letter(
        BODY,
        parts=(Part(quoted_encoded_word("Бэкап базы.rar", "windows-1251"), BACKUP, "application/x-rar"),),
    )
    letter = read_letter(data)
    assert (letter.sender_name, letter.sender_address) == ("ТСЖ «Ромашка»", "tsj@example.ru")
    assert letter.date == datetime(2026, 11, 24, 10, 15, tzinfo=MSK)
    assert letter.date.utcoffset() == timedelta(hours=3)
    assert letter.subject == "Не считаются пени"
    assert letter.message_id == "<20261124101500.1234@example.ru>"
    assert letter.sha256 == sha(data)
    assert letter.attachments == (
        Attachment("Бэкап базы.rar", "application/x-rar", len(BACKUP), sha(BACKUP)),
    )
    assert letter.problem == (
        "Не считаются пени. После обновления программа не начисляет пени за октябрь. "
        "Резервную копию базы прилагаем."
    )
    assert letter.phone == "8 (495) 123-45-67"
    assert letter.consent_phrase == "Оплату гарантируем"
    assert letter.consent == "письмо от 24.11.2026, tsj@example.ru"
    assert "начисляет пени" in letter.body


def test_koi8_r_letter_with_an_rfc_2231_name() -> None:
    data = raw_letter(
        BODY.replace("Оплату гарантируем", "Согласны оплатить"),
        charset="koi8-r",
        transfer="quoted-printable",
        sender=encoded_word("Председатель ТСЖ", "koi8-r") + " <pred@tsj.ru>",
        subject=encoded_word("Ошибка в расчёте", "koi8-r"),
        parts=(Part(rfc2231("копия базы.zip", "windows-1251"), BACKUP, "application/zip"),),
    )
    letter = read_letter(data)
    assert (letter.sender_name, letter.sender_address) == ("Председатель ТСЖ", "pred@tsj.ru")
    assert letter.subject == "Ошибка в расчёте"
    assert letter.problem.startswith("Ошибка в расчёте. После обновления программа не начисляет пени")
    assert [(a.name, a.size, a.sha256) for a in letter.attachments] == [
        ("копия базы.zip", len(BACKUP), sha(BACKUP))
    ]
    assert letter.consent_phrase == "Согласны оплатить"
    assert letter.consent == "письмо от 24.11.2026, pred@tsj.ru"


def test_utf8_letter_from_a_modern_mailer_with_two_attachments() -> None:
    second = b"PK\x03\x04" + bytes(100)
    data = modern_letter(
        "Добрый день, Иван!\n\nНе проводится оплата через банк.\n\nОбязуемся оплатить в течение 5 дней.\n"
        "+7 912 345-67-89\n",
        attachments={"база 2026-11.zip": BACKUP, "скриншот ошибки.zip": second},
    )
    letter = read_letter(data)
    assert (letter.sender_name, letter.sender_address) == ("Бухгалтер ЖСК «Лесная 5»", "buh@lesnaya5.ru")
    assert letter.date == datetime(2026, 11, 30, 4, 5, tzinfo=UTC)
    assert letter.subject == "Re: Резервная копия базы"
    assert letter.problem == "Резервная копия базы. Не проводится оплата через банк."
    assert [(a.name, a.size, a.sha256) for a in letter.attachments] == [
        ("база 2026-11.zip", len(BACKUP), sha(BACKUP)),
        ("скриншот ошибки.zip", len(second), sha(second)),
    ]
    assert letter.phone == "+7 912 345-67-89"
    assert letter.consent == "письмо от 30.11.2026, buh@lesnaya5.ru"


def test_plain_text_is_preferred_to_its_html_alternative() -> None:
    data = modern_letter("Не печатается квитанция.", html="<p>HTML-версия письма</p>")
    letter = read_letter(data)
    assert letter.body == "Не печатается квитанция."
    assert letter.attachments == ()


HTML = """<html><head><style>p { color: red }</style><title>Письмо</title></head><body>
<p>Добрый день!</p>
<div>Не&nbsp;формируется <b>реестр</b> для&nbsp;банка, программа пишет:</div>
<div>«Ошибка 17 &mdash; нет доступа к файлу».</div>
<p>Оплату подтверждаем.</p>
<div>24.11.2026, 09:00, "Поддержка" &lt;support@example.ru&gt;:</div>
<blockquote>Пришлите, пожалуйста, копию базы. Оплату гарантируем?</blockquote>
<script>alert(1)</script>
</body></html>"""


def test_html_only_letter_is_read_as_text_without_the_quoted_reply() -> None:
    letter = read_letter(raw_letter(HTML, charset="utf-8", transfer="base64", subtype="html"))
    assert "<" not in letter.body.replace("<support", "")
    assert "alert" not in letter.body
    assert "color: red" not in letter.body
    assert letter.problem == (
        "Не считаются пени. Не формируется реестр для банка, программа пишет: "
        "«Ошибка 17 — нет доступа к файлу»."
    )
    assert letter.consent_phrase == "Оплату подтверждаем"


def test_consent_only_in_the_quoted_reply_does_not_count() -> None:
    body = "Добрый день!\nНе открывается база.\n\n> Оплату гарантируете?\n> Оплату гарантируем.\n"
    assert read_letter(raw_letter(body)).consent is None


@pytest.mark.parametrize(
    "body",
    [
        "Оплату не гарантируем, сначала посмотрите.",
        "Мы не согласны оплатить этот счёт.",
        "Оплата согласно договору.",
        "Подтвердите, пожалуйста, стоимость.",
    ],
)
def test_no_consent_without_an_explicit_agreement(body: str) -> None:
    letter = read_letter(raw_letter(body))
    assert (letter.consent_phrase, letter.consent) == (None, None)


def test_a_mislabelled_charset_is_read_anyway() -> None:
    data = raw_letter("Не считаются пени", charset="windows-1251").replace(
        b"charset=windows-1251", b"charset=us-ascii"
    )
    assert read_letter(data).body == "Не считаются пени"


def test_an_unknown_charset_falls_back() -> None:
    data = raw_letter("Не считаются пени", charset="utf-8").replace(b"charset=utf-8", b"charset=x-unknown")
    assert read_letter(data).body == "Не считаются пени"


def test_zone_unknown_date_is_utc() -> None:
    letter = read_letter(raw_letter("текст", date="Tue, 24 Nov 2026 10:15:00 -0000"))
    assert letter.date == datetime(2026, 11, 24, 10, 15, tzinfo=UTC)


def test_without_a_message_id_and_subject() -> None:
    letter = read_letter(raw_letter("Не считаются пени.", message_id=None, subject=""))
    assert (letter.message_id, letter.subject, letter.problem) == ("", "", "Не считаются пени.")


def test_a_nameless_attachment_still_counts() -> None:
    letter = read_letter(raw_letter("текст", parts=(Part("attachment", BACKUP),)))
    assert [(a.name, a.size) for a in letter.attachments] == [("attachment-1", len(BACKUP))]


def test_consent_record() -> None:
    moment = datetime(2026, 11, 24, 23, 30, tzinfo=MSK)
    assert consent_record(moment, "tsj@example.ru") == "письмо от 24.11.2026, tsj@example.ru"


GOOD = raw_letter(BODY, parts=(Part(rfc2231("база.zip", "utf-8"), BACKUP),))


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "the letter is empty"),
        (b"PK\x03\x04\x14\x00\x00\x00binary", "not an e-mail message: it has no headers"),
        ("Просто текст, а не письмо.\nВторая строка.\n".encode(), "not an e-mail message"),
        (GOOD.replace(b"Date: ", b"X-Date: "), "the letter has no date (no Date header)"),
        (
            GOOD.replace(b"Tue, 24 Nov 2026 10:15:00 +0300", b"yesterday"),
            "the letter's date 'yesterday' is not a date",
        ),
        (GOOD.replace(b"From: ", b"X-From: "), "the letter has no sender (no From header)"),
        (raw_letter("x", sender="undisclosed"), "the letter's sender 'undisclosed' is not an address"),
        (GOOD[: len(GOOD) // 2], "the letter is cut off"),
        (
            raw_letter("x", parts=(Part(rfc2231("база.zip", "utf-8"), BACKUP),), close=False),
            "the letter is cut off",
        ),
    ],
    ids=[
        "empty",
        "binary",
        "plain text",
        "no date",
        "bad date",
        "no from",
        "from without address",
        "truncated",
        "no closing boundary",
    ],
)
def test_a_malformed_letter_is_one_clear_error(data: bytes, problem: str) -> None:
    with pytest.raises(InvalidValue) as info:
        read_letter(data)
    assert problem in info.value.message


def test_a_damaged_attachment_is_named() -> None:
    boundary = b"------=_NextPart_000_0001--"
    assert boundary in GOOD
    start = GOOD.index(b"Content-Disposition: attachment")
    body_start = GOOD.index(b"\r\n\r\n", start) + 4
    damaged = GOOD[:body_start] + b"UEsDBAoAAAAAAA\r\n\r\n" + GOOD[GOOD.index(boundary) :]
    with pytest.raises(InvalidValue, match=r"the attachment 'база\.zip' is damaged or cut off"):
        read_letter(damaged)


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        ("Не считаются пени за ноябрь. Оплату гарантируем.", "koi8-r"),
        ("Не считаются пени за ноябрь. Оплату гарантируем.", "cp1251"),
        ("ПЕНИ НЕ СЧИТАЮТСЯ", "koi8-r"),  # capitals only: the frequent letters still tell
        ("ПЕНИ НЕ СЧИТАЮТСЯ", "cp1251"),
        ("Привет", "koi8-r"),
        ("да", "cp1251"),
    ],
)
def test_an_unlabelled_8bit_text_is_guessed_by_its_letters(text: str, charset: str) -> None:
    from kvsupport.core.cyrillic import guess_8bit

    assert guess_8bit(text.encode(charset)) == (text, charset)


def test_the_guess_prefers_utf8_then_windows_1251_on_a_tie() -> None:
    from kvsupport.core.cyrillic import guess_8bit

    assert guess_8bit("пени".encode()) == ("пени", "utf-8")
    assert guess_8bit(b"plain \xa0text")[1] == "cp1251"
