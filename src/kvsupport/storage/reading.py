"""Reading the files a user hands kvsupport: a size limit on every read, UTF-8 with a word
about what else the bytes may be.

Every file kvsupport reads apart from its ledger goes through :func:`read_capped`
with a documented limit, so ``--tariffs /dev/zero`` or an import from an endless
pipe stops with an error instead of reading until memory runs out:

========================  =========  ===========================================
what                      limit      why that much
========================  =========  ===========================================
config, tariff file       1 MiB      a few kilobytes in practice
import (a file or ``-``)  256 MiB    ten years of 200k sessions export to ~40 MiB
letter (``.eml``)         64 MiB     mail servers cap a letter at 25-50 MiB
========================  =========  ===========================================

:func:`decode_utf8` turns the bytes into text: a UTF-8 byte-order mark is
dropped (Windows Notepad and Excel write one), and bytes that are not UTF-8 are
refused with the encoding they look like (Russian Windows saves ``cp1251``) and
how to re-save them.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from kvsupport.i18n import N_, _

MiB = 1024 * 1024
MAX_SETTINGS_BYTES = 1 * MiB
"""The config and the tariff file."""
MAX_IMPORT_BYTES = 256 * MiB
"""An ``import`` file or standard input."""
MAX_LETTER_BYTES = 64 * MiB
"""A letter (``--letter FILE.eml``)."""

_CHUNK = 1 * MiB


class TooLarge(OSError):
    """A file longer than its limit: an ``OSError``, so callers that report a failed read
    (``cannot read FILE: …``) report this one the same way."""

    def __init__(self, path: str, limit: int) -> None:
        reason = _("larger than {size}, the limit for this file").format(size=size_text(limit))
        super().__init__(errno.EFBIG, reason, path)


def size_text(size: int) -> str:
    """``1048576`` → ``1 MiB``; a size below a MiB in KiB."""
    if size >= MiB and size % MiB == 0:
        return f"{size // MiB} MiB"
    return f"{size // 1024} KiB"


def _read_fd(fd: int, limit: int, name: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise TooLarge(name, limit)


def read_capped(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, at most ``limit`` of them; longer: :class:`TooLarge`.

    Reads a pipe or a device (``/dev/stdin``, ``<(…)``) as well as a file, and
    never more than ``limit + 1`` bytes of it. Other failures are the usual
    ``OSError`` (``FileNotFoundError``, ``IsADirectoryError``, …).
    """
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        return _read_fd(fd, limit, str(path))
    finally:
        os.close(fd)


def read_stdin_capped(limit: int) -> bytes:
    """Standard input as bytes (not decoded by Python's locale), at most ``limit``."""
    data = sys.stdin.buffer.read(limit + 1)  # what Python buffered already counts too
    if len(data) > limit:
        raise TooLarge("stdin", limit)
    return data


class NotUtf8(ValueError):
    """Bytes that are not UTF-8: ``message`` says where, ``hint`` what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def decode_utf8(raw: bytes) -> str:
    """``raw`` as UTF-8 text without a leading byte-order mark; else :class:`NotUtf8`
    naming the byte and, when the text reads as Windows Cyrillic, that encoding."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        guess = guess_encoding(raw)
        if guess is not None:
            message = _("not UTF-8 text (line {line}, byte {byte}): it looks like {encoding}").format(
                line=line, byte=exc.start + 1, encoding=_(guess)
            )
        else:
            message = _("not UTF-8 text (line {line}, byte {byte})").format(line=line, byte=exc.start + 1)
        encoding = guess.split(" ")[0] if guess else "cp1251"
        hint = _(
            "save it again as UTF-8 (in Excel: «CSV UTF-8»), "
            "or convert it: iconv -f {encoding} -t utf-8 FILE > NEW"
        ).format(encoding=encoding)
        raise NotUtf8(message, hint) from None


_CYRILLIC = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")


def guess_encoding(raw: bytes) -> str | None:
    """``"cp1251 (Windows Cyrillic)"`` or ``"cp866 (DOS Cyrillic)"`` when most of the
    non-ASCII characters of ``raw`` decode to Russian letters in it; else ``None``.

    The label is an English msgid (``_(label)`` shows it); its first word is the codec."""
    for codec, label in (("cp1251", N_("cp1251 (Windows Cyrillic)")), ("cp866", N_("cp866 (DOS Cyrillic)"))):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        other = [ch for ch in text if ord(ch) > 127]
        if other and sum(ch in _CYRILLIC for ch in other) >= 0.8 * len(other):
            return label
    return None
