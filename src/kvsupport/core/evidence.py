"""A client's letter as a session's evidence: what is kept of it, and how documents name it.

The letter (:class:`kvsupport.core.letters.Letter`) is read by the caller; what a
session or order keeps is :class:`~kvsupport.core.models.Evidence`: the sender,
date, subject, ``Message-ID`` and SHA-256 of the file, and each attachment's
name, size and SHA-256 — never the bytes, which are large and private (a
client's whole database) and stay wherever the consultant keeps mail.

:func:`document_note` is the line an invoice's appendix prints under a session
that came by letter. Like the documents, it is document text in the document's
language (``ru`` by default), not interface text.

Pure: values in, values out.
"""

from __future__ import annotations

from kvsupport.core.letters import Letter
from kvsupport.core.models import AttachmentEvidence, Evidence, LetterEvidence

__all__ = ["document_note", "evidence_of", "file_size", "is_backup"]

#: Name endings of what a backup of «Квартплата» arrives as: an archive, or the
#: database files themselves. Any other attachment (a screenshot) is just attached.
BACKUP_ENDINGS = (
    ".zip",
    ".rar",
    ".7z",
    ".gz",
    ".tgz",
    ".tar",
    ".bak",
    ".bck",
    ".fbk",
    ".gbk",
    ".fdb",
    ".gdb",
    ".dbf",
)

_UNITS = {"ru": ("байт", "КБ", "МБ", "ГБ"), "en": ("bytes", "KB", "MB", "GB")}
_DECIMAL = {"ru": ",", "en": "."}


def evidence_of(letter: Letter, file_name: str) -> Evidence:
    """What a session keeps of ``letter``, read from the file named ``file_name``."""
    return Evidence(
        LetterEvidence(
            sender=letter.sender_address,
            sender_name=letter.sender_name,
            date=letter.date,
            subject=letter.subject,
            message_id=letter.message_id,
            sha256=letter.sha256,
            file_name=file_name,
        ),
        tuple(AttachmentEvidence(a.name, a.size, a.sha256, a.content_type) for a in letter.attachments),
    )


def is_backup(name: str) -> bool:
    """True when an attachment named ``name`` looks like a backup (:data:`BACKUP_ENDINGS`)."""
    return name.lower().endswith(BACKUP_ENDINGS)


def file_size(size: int, language: str = "ru") -> str:
    """``812 байт``, ``12,4 МБ`` (``en``: ``12.4 MB``): powers of 1024, one decimal."""
    units = _UNITS.get(language, _UNITS["en"])
    if size < 1024:
        return f"{size} {units[0]}"
    value = float(size)
    for unit in units[1:]:
        value /= 1024
        if value < 1024 or unit == units[-1]:
            return f"{value:.1f}".replace(".", _DECIMAL.get(language, ".")) + f" {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def document_note(evidence: Evidence, language: str = "ru") -> str:
    """The appendix's line for a session taken from a letter: «Заявка: письмо от
    24.11.2026, tsj@example.ru «Не считаются пени». Получена резервная копия: база.zip,
    12,4 МБ, 24.11.2026.»"""
    letter = evidence.letter
    day = f"{letter.date:%d.%m.%Y}"
    subject = f" «{letter.subject}»" if letter.subject else ""
    backups = [a for a in evidence.attachments if is_backup(a.name)]
    others = [a for a in evidence.attachments if not is_backup(a.name)]
    en = language == "en"
    parts = [
        f"Request: the letter of {day}, {letter.sender}{subject}."
        if en
        else f"Заявка: письмо от {day}, {letter.sender}{subject}."
    ]
    for label_en, label_ru, items in (
        ("Backup received", "Получена резервная копия", backups),
        ("Attached", "Приложено", others),
    ):
        if items:
            listed = "; ".join(f"{a.name}, {file_size(a.size, language)}, {day}" for a in items)
            parts.append(f"{label_en if en else label_ru}: {listed}.")
    return " ".join(parts)
