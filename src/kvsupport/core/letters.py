"""A client's letter (an ``.eml`` file) read into what a session takes from it.

Service 2.1 begins with a letter: the client describes the problem, gives a
phone, says explicitly that they agree to pay, and attaches a backup. The
letter is parsed by the standard library's ``email`` package (``policy.default``),
which decodes encoded-word headers in any charset (windows-1251, koi8-r, …),
RFC 2231 attachment names and the common non-standard encoded-words inside
quotes (research notes §4.1). What it does not do is written here:

- the body as text: ``text/plain`` preferred; an HTML-only letter is turned into
  readable text (:func:`html_to_text`); a missing or wrong charset label falls
  back to UTF-8, else windows-1251 or KOI8-R, whichever reads as Russian
  (:func:`kvsupport.core.cyrillic.guess_8bit`);
- the problem (:func:`problem_from`): the subject and the first meaningful lines
  of the body, greetings, quoted replies and signatures left out;
- a phone (:func:`find_phone`) in Russian formats, ``+7 …`` or ``8 (…) …``;
- consent to pay (:func:`find_consent`): one of :data:`CONSENT_PHRASES` in any
  of its word forms, not negated («оплату не гарантируем» is no consent).

Pure: the letter's bytes in, a :class:`Letter` out; no files, no clock.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from typing import NamedTuple

from kvsupport.core.cyrillic import guess_8bit
from kvsupport.core.mailtext import (
    CONSENT_PHRASES,
    find_consent,
    find_phone,
    html_to_text,
    own_text,
    problem_from,
)
from kvsupport.errors import InvalidValue
from kvsupport.i18n import _

__all__ = [
    "CONSENT_PHRASES",
    "Attachment",
    "Letter",
    "consent_record",
    "find_consent",
    "find_phone",
    "html_to_text",
    "problem_from",
    "read_letter",
]

_TRUNCATED = ("CloseBoundaryNotFoundDefect", "StartBoundaryNotFoundDefect")
_DAMAGED = ("InvalidBase64PaddingDefect", "InvalidBase64LengthDefect", "InvalidBase64CharactersDefect")
_NO_LABEL = ("", "us-ascii", "ascii")


class Attachment(NamedTuple):
    """A file attached to the letter: the backup the client sent, as evidence."""

    name: str
    content_type: str
    size: int  # bytes, after decoding
    sha256: str


class Letter(NamedTuple):
    """What a letter says, and what a session takes from it."""

    sender_name: str
    sender_address: str
    date: datetime  # aware, in the offset the letter was written with
    subject: str
    message_id: str
    sha256: str  # of the whole file, so the letter can be proven later
    body: str
    attachments: tuple[Attachment, ...]
    problem: str
    phone: str | None
    consent_phrase: str | None  # the words of the body that agree to pay, as written

    @property
    def consent(self) -> str | None:
        """The consent record («письмо от 24.11.2026, tsj@example.ru»), when the body agrees to pay."""
        if self.consent_phrase is None:
            return None
        return consent_record(self.date, self.sender_address)


def consent_record(date: datetime, address: str) -> str:
    """How a letter is cited as the client's consent: «письмо от 24.11.2026, tsj@example.ru».

    The date is the letter's own (its ``Date`` header, in its own offset). The
    record is stored data in Russian, like the documents, not interface text.
    """
    return f"письмо от {date:%d.%m.%Y}, {address}"


def read_letter(data: bytes) -> Letter:
    """Parse an ``.eml`` file's bytes.

    Raises one :class:`InvalidValue` naming the problem when the bytes are not
    an e-mail message, are cut off (a multipart body without its closing
    boundary, a damaged base64 attachment), or lack a sender or a date.
    """
    import email
    import email.policy

    if not data.strip():
        raise InvalidValue(_("the letter is empty"))
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    if not message.keys():
        raise InvalidValue(
            _("not an e-mail message: it has no headers"),
            hint=_("save the letter from the mail program as .eml (the whole message, with headers)"),
        )
    sender_name, sender_address = _sender(message)
    date = _date(message)
    if any(type(d).__name__ in _TRUNCATED for part in message.walk() for d in part.defects):
        raise InvalidValue(
            _("the letter is cut off: its last part has no closing boundary"),
            hint=_("save the letter again from the mail program"),
        )
    body_part, body = _body(message)
    attachments = _attachments(message, body_part)
    subject = _clean(str(message.get("Subject", "") or ""))
    mine = own_text(body)
    return Letter(
        sender_name=sender_name,
        sender_address=sender_address,
        date=date,
        subject=subject,
        message_id=str(message.get("Message-ID", "") or "").strip(),
        sha256=hashlib.sha256(data).hexdigest(),
        body=body,
        attachments=attachments,
        problem=problem_from(subject, body),
        phone=find_phone(mine),
        consent_phrase=find_consent(mine),
    )


def _sender(message: EmailMessage) -> tuple[str, str]:
    header = message.get("From")
    addresses = getattr(header, "addresses", ()) if header is not None else ()
    for address in addresses:
        if address.addr_spec and "@" in address.addr_spec:
            return _clean(address.display_name), address.addr_spec
    if header is None:
        raise InvalidValue(_("the letter has no sender (no From header)"))
    raise InvalidValue(_("the letter's sender '{text}' is not an address").format(text=_clean(str(header))))


def _date(message: EmailMessage) -> datetime:
    header = message.get("Date")
    if header is None:
        raise InvalidValue(_("the letter has no date (no Date header)"))
    moment = getattr(header, "datetime", None)
    if not isinstance(moment, datetime):
        raise InvalidValue(_("the letter's date '{text}' is not a date").format(text=_clean(str(header))))
    # "-0000" means "zone unknown" (RFC 5322): the stamp is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _body(message: EmailMessage) -> tuple[Message | None, str]:
    """The part that is the letter's text, and that text."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return None, ""
    text = _text_of(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return part, text.replace("\r\n", "\n").strip()


def _text_of(part: Message) -> str:
    """A text part's content in its declared charset, else (no label, a wrong or unknown
    one) UTF-8, windows-1251 or KOI8-R as :func:`~kvsupport.core.cyrillic.guess_8bit` reads it."""
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        return ""
    declared = (part.get_content_charset() or "").lower()
    if declared not in _NO_LABEL:
        try:
            return raw.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return guess_8bit(raw)[0]


def _attachments(message: EmailMessage, body: Message | None) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    for part in _leaves(message):
        if part is body or part is message:
            continue
        disposition = part.get_content_disposition()
        name = _filename(part)
        if disposition != "attachment" and name is None:
            continue  # an alternative body or an inline picture without a name
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload(0)
            content = inner.as_bytes() if isinstance(inner, Message) else b""
            name = (
                name or _clean(str(inner.get("Subject", "") if isinstance(inner, Message) else "")) + ".eml"
            )
        else:
            payload = part.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else b""
            if any(type(d).__name__ in _DAMAGED for d in part.defects):
                raise InvalidValue(
                    _("the attachment '{name}' is damaged or cut off").format(name=name or "?"),
                    hint=_("save the letter again from the mail program"),
                )
        found.append(
            Attachment(
                name=name or f"attachment-{len(found) + 1}",
                content_type=part.get_content_type(),
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
        )
    return tuple(found)


def _leaves(part: Message) -> list[Message]:
    """Every non-multipart part, a forwarded message counting as one."""
    if part.is_multipart() and part.get_content_type() != "message/rfc822":
        payload = part.get_payload()
        assert isinstance(payload, list)
        return [leaf for sub in payload if isinstance(sub, Message) for leaf in _leaves(sub)]
    return [part]


def _filename(part: Message) -> str | None:
    """The attachment's name, decoded however the mailer encoded it."""
    name = part.get_filename()
    if not name:
        return None
    if "=?" in name:  # encoded-words the header parser left alone
        from email.header import decode_header, make_header

        with contextlib.suppress(LookupError, UnicodeDecodeError, ValueError):
            name = str(make_header(decode_header(name)))
    return _clean(name)


def _clean(text: str) -> str:
    """One line, single spaces."""
    return re.sub(r"\s+", " ", text).strip()
