"""Pure pieces of issue 14: TeamViewer IDs as typed, a letter as evidence, and how documents name it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kvsupport.core.evidence import document_note, evidence_of, file_size, is_backup
from kvsupport.core.letters import Attachment, Letter
from kvsupport.core.teamviewer import teamviewer_ids
from kvsupport.errors import InvalidValue

MSK = timezone(timedelta(hours=3))


@pytest.mark.parametrize(
    ("typed", "ids"),
    [
        (["1660360496"], ("1660360496",)),
        (["1 660 360 496"], ("1660360496",)),  # as TeamViewer shows it
        (["12345678,123456789", "12345678901"], ("12345678", "123456789", "12345678901")),
        (["12345678", " 12345678 "], ("12345678",)),  # each once
        ([""], ()),  # clears
        ([" , "], ()),
    ],
)
def test_teamviewer_ids_as_typed(typed: list[str], ids: tuple[str, ...]) -> None:
    assert teamviewer_ids(typed) == ids


@pytest.mark.parametrize("bad", ["1234567", "123456789012", "12345678x", "-12345678", "1 2 3"])
def test_a_bad_teamviewer_id_is_named(bad: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        teamviewer_ids(["12345678", bad])
    assert f"'{bad.strip()}'" in caught.value.message


def letter(*attachments: Attachment) -> Letter:
    return Letter(
        sender_name="ТСЖ «Ромашка»",
        sender_address="tsj@example.ru",
        date=datetime(2026, 11, 24, 10, 15, tzinfo=MSK),
        subject="Не считаются пени",
        message_id="<1@example.ru>",
        sha256="ab" * 32,
        body="…",
        attachments=attachments,
        problem="Не считаются пени.",
        phone=None,
        consent_phrase="Оплату гарантируем",
    )


BASE = Attachment("база.zip", "application/zip", 13_002_342, "cd" * 32)
SHOT = Attachment("ошибка.png", "image/png", 812, "ef" * 32)


def test_evidence_keeps_no_bytes_only_names_sizes_and_hashes() -> None:
    kept = evidence_of(letter(BASE, SHOT), "письмо.eml")
    assert kept.letter.sender == "tsj@example.ru"
    assert (kept.letter.file_name, kept.letter.sha256) == ("письмо.eml", "ab" * 32)
    assert [(a.name, a.size, a.sha256) for a in kept.attachments] == [
        ("база.zip", 13_002_342, "cd" * 32),
        ("ошибка.png", 812, "ef" * 32),
    ]


@pytest.mark.parametrize(
    ("size", "ru", "en"),
    [
        (812, "812 байт", "812 bytes"),
        (1024, "1,0 КБ", "1.0 KB"),
        (13_002_342, "12,4 МБ", "12.4 MB"),
        (5 * 1024**3, "5,0 ГБ", "5.0 GB"),
    ],
)
def test_file_size(size: int, ru: str, en: str) -> None:
    assert (file_size(size, "ru"), file_size(size, "en")) == (ru, en)


def test_backups_are_told_from_other_attachments() -> None:
    assert [is_backup(n) for n in ("база.ZIP", "kvartplata.7z", "data.fdb", "screen.png", "zip")] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_document_note_in_both_languages() -> None:
    kept = evidence_of(letter(BASE, SHOT), "письмо.eml")
    assert document_note(kept) == (
        "Заявка: письмо от 24.11.2026, tsj@example.ru «Не считаются пени». "
        "Получена резервная копия: база.zip, 12,4 МБ, 24.11.2026. "
        "Приложено: ошибка.png, 812 байт, 24.11.2026."
    )
    assert document_note(evidence_of(letter(), "x.eml"), "en") == (
        "Request: the letter of 24.11.2026, tsj@example.ru «Не считаются пени»."
    )
