"""``kvsupport letter show``: what a letter gives a session, before ``--letter`` takes it."""

from __future__ import annotations

import base64
import hashlib
from email.message import EmailMessage
from pathlib import Path

from cli_testkit import Runner, assert_refused

BACKUP = bytes(range(256)) * 50


def cp1251_letter(body: str) -> bytes:
    """A letter as Outlook sends one from a Russian Windows: windows-1251 headers and body."""
    name = base64.b64encode("ТСЖ «Ромашка»".encode("cp1251")).decode()
    subject = base64.b64encode("Не считаются пени".encode("cp1251")).decode()
    head = (
        f"From: =?windows-1251?B?{name}?= <tsj@example.ru>\r\n"
        f"Subject: =?windows-1251?B?{subject}?=\r\n"
        "Date: Tue, 24 Nov 2026 10:15:00 +0300\r\n"
        "Message-ID: <1@example.ru>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=windows-1251\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode() + body.replace("\n", "\r\n").encode("cp1251")


def utf8_letter_with_backup() -> bytes:
    message = EmailMessage()
    message["From"] = "ЖСК «Лесная 5» <buh@lesnaya5.ru>"
    message["Subject"] = "Резервная копия"
    message["Date"] = "Mon, 30 Nov 2026 09:05:00 +0300"
    message.set_content("Добрый день!\nНе проводится оплата через банк.\nОплату гарантируем.\n")
    message.add_attachment(BACKUP, maintype="application", subtype="zip", filename="база.zip")
    return message.as_bytes()


def test_text_shows_what_a_session_would_take(run: Runner, tmp_path: Path) -> None:
    letter = tmp_path / "письмо.eml"
    letter.write_bytes(
        cp1251_letter("Здравствуйте!\nПени не считаются.\nОплату гарантируем.\nтел. 8 (495) 123-45-67")
    )
    result = run("letter", "show", str(letter))
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    lines = dict(line.split(":", 1) for line in result.stdout.splitlines() if not line.startswith(" "))
    assert lines["from"].strip() == "ТСЖ «Ромашка» <tsj@example.ru>"
    assert lines["date"].strip() == "2026-11-24 10:15 +0300"
    assert lines["problem"].strip() == "Не считаются пени. Пени не считаются."
    assert lines["phone"].strip() == "8 (495) 123-45-67"
    assert lines["consent"].strip() == "письмо от 24.11.2026, tsj@example.ru («Оплату гарантируем»)"
    assert lines["sha256"].strip() == hashlib.sha256(letter.read_bytes()).hexdigest()
    assert "attachments: (none)" in result.stdout


def test_json_keeps_the_evidence_shape(run: Runner, tmp_path: Path) -> None:
    letter = tmp_path / "backup.eml"
    letter.write_bytes(utf8_letter_with_backup())
    result = run("letter", "show", str(letter), "--format", "json")
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["letter"] == {
        "from": "buh@lesnaya5.ru",
        "from_name": "ЖСК «Лесная 5»",
        "date": "2026-11-30T09:05:00+03:00",
        "subject": "Резервная копия",
        "message_id": "",
        "sha256": hashlib.sha256(letter.read_bytes()).hexdigest(),
    }
    assert data["attachments"] == [
        {
            "name": "база.zip",
            "content_type": "application/zip",
            "size": len(BACKUP),
            "sha256": hashlib.sha256(BACKUP).hexdigest(),
        }
    ]
    assert data["consent"] == "письмо от 30.11.2026, buh@lesnaya5.ru"
    assert data["problem"] == "Резервная копия. Не проводится оплата через банк."
    assert data["phone"] is None


def test_text_lists_attachments_with_size(run: Runner, tmp_path: Path) -> None:
    letter = tmp_path / "backup.eml"
    letter.write_bytes(utf8_letter_with_backup())
    result = run("letter", "show", str(letter))
    assert result.code == 0, result.stderr
    assert f"  база.zip  12.5 KB  sha256 {hashlib.sha256(BACKUP).hexdigest()}" in result.stdout.splitlines()
    assert any(
        line.startswith("phone:") and line.endswith("(none found)") for line in result.stdout.splitlines()
    )


def test_without_consent_the_letter_says_consent_is_still_needed(run: Runner, tmp_path: Path) -> None:
    letter = tmp_path / "письмо.eml"
    letter.write_bytes(cp1251_letter("Пени не считаются. Сколько это будет стоить?"))
    result = run("letter", "show", str(letter), "--format", "json")
    assert result.code == 0, result.stderr
    assert (result.json()["consent"], result.json()["consent_phrase"]) == (None, None)
    text = run("letter", "show", str(letter))
    assert "give --consent" in text.stdout


def test_a_malformed_letter_is_refused_naming_the_file(run: Runner, tmp_path: Path) -> None:
    letter = tmp_path / "broken.eml"
    letter.write_bytes(cp1251_letter("текст").replace(b"Date: ", b"X-Date: "))
    assert_refused(run("letter", "show", str(letter)), 2, str(letter), "the letter has no date")


def test_a_missing_file_is_refused(run: Runner, tmp_path: Path) -> None:
    missing = tmp_path / "нет.eml"
    assert_refused(run("letter", "show", str(missing)), 2, "cannot read", str(missing))


def test_a_file_too_large_to_be_a_letter_is_refused_without_reading_it(run: Runner, tmp_path: Path) -> None:
    huge = tmp_path / "archive.eml"
    with huge.open("wb") as out:
        out.truncate(65 * 1024 * 1024)  # sparse: nothing is written to disk
    assert_refused(run("letter", "show", str(huge)), 2, str(huge), "larger than a letter can be (64.0 MB)")


def unlabelled_letter(body: str, charset: str) -> bytes:
    """An old mailer's letter: ``text/plain``, ``8bit``, no charset, the body in ``charset``."""
    head = (
        "From: a@b.ru\r\nSubject: test\r\nDate: Tue, 24 Nov 2026 10:15:00 +0300\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode() + body.replace("\n", "\r\n").encode(charset)


def test_an_unlabelled_8bit_body_is_read_in_the_code_page_it_is_in(run: Runner, tmp_path: Path) -> None:
    """Finding 9a: KOI8-R (and windows-1251, UTF-8) without a charset label read right."""
    text = "Не считаются пени. Оплату гарантируем. Тел. +7 495 765-43-21\n"
    for charset in ("koi8-r", "cp1251", "utf-8"):
        letter = tmp_path / f"{charset}.eml"
        letter.write_bytes(unlabelled_letter(text, charset))
        result = run("letter", "show", str(letter), "--format", "json")
        assert result.code == 0, result.stderr
        shown = result.json()
        assert shown["body"] == text.strip(), charset
        assert shown["consent_phrase"] == "Оплату гарантируем", charset
        assert shown["phone"] == "+7 495 765-43-21", charset
