"""Letters as Russian mail programs send them, built byte by byte for the tests.

``raw_letter`` writes the MIME text by hand, so each test controls exactly how
headers and names are encoded (RFC 2047 in windows-1251 or koi8-r, RFC 2231,
encoded-words inside quotes) and in which charset and transfer encoding the
body travels. ``modern_letter`` uses the standard library's own writer (UTF-8).
"""

from __future__ import annotations

import base64
import quopri
from email.message import EmailMessage
from typing import NamedTuple
from urllib.parse import quote

BACKUP = bytes(range(256)) * 40  # 10 240 bytes standing in for a zipped database


def encoded_word(text: str, charset: str, encoding: str = "B") -> str:
    """``=?charset?B?…?=`` (or ``Q``) for ``text``."""
    data = text.encode(charset)
    if encoding == "B":
        return f"=?{charset}?B?{base64.b64encode(data).decode()}?="
    q = quopri.encodestring(data, header=True).decode().replace("=\n", "")
    return f"=?{charset}?Q?{q}?="


class Part(NamedTuple):
    """One attachment of a hand-built letter: its name as the header carries it."""

    disposition: str  # the whole Content-Disposition value
    content: bytes
    content_type: str = "application/octet-stream"


def rfc2231(name: str, charset: str) -> str:
    """``attachment; filename*=charset''%..``."""
    return f"attachment; filename*={charset}''{quote(name.encode(charset), safe='')}"


def quoted_encoded_word(name: str, charset: str) -> str:
    """``attachment; filename="=?charset?Q?…?="``: not standard, but what many mailers send."""
    return f'attachment; filename="{encoded_word(name, charset, "Q")}"'


def raw_letter(
    body: str,
    *,
    charset: str = "windows-1251",
    transfer: str = "8bit",
    subtype: str = "plain",
    sender: str | None = None,
    subject: str | None = None,
    date: str | None = "Tue, 24 Nov 2026 10:15:00 +0300",
    message_id: str | None = "<20261124101500.1234@example.ru>",
    parts: tuple[Part, ...] = (),
    close: bool = True,
) -> bytes:
    """A letter's bytes; ``sender``/``subject`` are header text as sent (already encoded)."""
    if sender is None:
        sender = encoded_word("ТСЖ «Ромашка»", "windows-1251") + " <tsj@example.ru>"
    if subject is None:
        subject = encoded_word("Не считаются пени", "windows-1251")
    head = [f"From: {sender}", "To: support@example.ru", f"Subject: {subject}", "MIME-Version: 1.0"]
    if date is not None:
        head.append(f"Date: {date}")
    if message_id is not None:
        head.append(f"Message-ID: {message_id}")
    data = body.replace("\n", "\r\n").encode(charset)
    if transfer == "base64":
        payload = base64.encodebytes(data)
    elif transfer == "quoted-printable":
        payload = quopri.encodestring(data)
    else:
        payload = data
    content_headers = (
        f"Content-Type: text/{subtype}; charset={charset}\r\nContent-Transfer-Encoding: {transfer}"
    )
    if not parts:
        return ("\r\n".join([*head, content_headers]) + "\r\n\r\n").encode() + payload
    text_part = (content_headers + "\r\n\r\n").encode() + payload
    boundary = "----=_NextPart_000_0001"
    head.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
    out = ("\r\n".join(head) + "\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n").encode()
    out += f"--{boundary}\r\n".encode() + text_part + b"\r\n"
    for part in parts:
        out += (
            (
                f"--{boundary}\r\nContent-Type: {part.content_type}\r\nContent-Transfer-Encoding: base64\r\n"
                f"Content-Disposition: {part.disposition}\r\n\r\n"
            ).encode()
            + base64.encodebytes(part.content)
            + b"\r\n"
        )
    if close:
        out += f"--{boundary}--\r\n".encode()
    return out


def modern_letter(
    body: str, *, html: str | None = None, attachments: dict[str, bytes] | None = None
) -> bytes:
    """A UTF-8 letter written by ``email.message.EmailMessage`` (as Thunderbird or Gmail send them)."""
    message = EmailMessage()
    message["From"] = "Бухгалтер ЖСК «Лесная 5» <buh@lesnaya5.ru>"
    message["To"] = "support@example.ru"
    message["Subject"] = "Re: Резервная копия базы"
    message["Date"] = "Mon, 30 Nov 2026 09:05:00 +0500"
    message["Message-ID"] = "<lesnaya-1@lesnaya5.ru>"
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for name, content in (attachments or {}).items():
        message.add_attachment(content, maintype="application", subtype="zip", filename=name)
    return message.as_bytes()
