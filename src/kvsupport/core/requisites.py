"""Checks of Russian requisites (реквизиты) and contact details.

Each ``check_*`` function returns the normalised value -- surrounding and
inner whitespace removed, so ``7707 083 893`` gives ``7707083893`` -- or raises
:class:`~kvsupport.errors.InvalidValue` naming the field and the problem, e.g.
``invalid INN '7707083894': checksum does not match``.

INN and OGRN checksums come from python-stdnum (imported inside the functions:
its import is not free and most commands never check requisites). python-stdnum
has no KPP, BIK or bank-account module; those checks are written here.

Pure: no files, no clock, no terminal.
"""

from __future__ import annotations

import re

from kvsupport.errors import InvalidValue

__all__ = [
    "check_account",
    "check_bik",
    "check_correspondent_account",
    "check_email",
    "check_inn",
    "check_kpp",
    "check_ogrn",
    "check_phone",
]

_DIGIT_HINT = "a digit is probably mistyped; compare with the client's documents"

# Weights of the Bank of Russia control key for 20-digit accounts (23 digits
# with the 3-digit BIK prefix): 7, 1, 3 repeating.
_ACCOUNT_WEIGHTS = ((7, 1, 3) * 8)[:23]

# Plain strings: re compiles them on first use, not at import.
_KPP = r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}"
_PHONE_CHARS = r"[0-9 +\-()]+"


def _article(word: str) -> str:
    """«an INN», «a KPP»: by how the abbreviation is read aloud."""
    return "an" if word[:1] in "AEFHILMNORSX" else "a"


def _compact(text: str) -> str:
    """The text without any whitespace (inside or around)."""
    return "".join(text.split())


def _digits(field: str, text: str, lengths: tuple[int, ...], what: str) -> str:
    """Whitespace-free digits of one of the given lengths, or InvalidValue."""
    value = _compact(text)
    if not value:
        raise InvalidValue(f"invalid {field} '': it is empty", hint=f"{_article(field)} {field} is {what}")
    if not value.isascii() or not value.isdigit():
        raise InvalidValue(
            f"invalid {field} '{text.strip()}': must contain only digits",
            hint=f"{_article(field)} {field} is {what}",
        )
    if len(value) not in lengths:
        raise InvalidValue(
            f"invalid {field} '{text.strip()}': must be {what}, not {len(value)} digits",
            hint=f"{_article(field)} {field} is {what}",
        )
    return value


def check_inn(text: str) -> str:
    """INN (ИНН): 10 digits for an organisation, 12 for an individual
    entrepreneur, with the check digit(s) verified by ``stdnum.ru.inn``."""
    from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
    from stdnum.ru import inn

    what = "10 digits (organisation) or 12 digits (individual entrepreneur)"
    value = _digits("INN", text, (10, 12), what)
    try:
        return str(inn.validate(value))
    except InvalidChecksum:
        problem = "checksum does not match"
    except InvalidLength:  # a subclass of InvalidFormat: catch it first
        problem = f"must be {what}"
    except InvalidFormat:
        problem = "must contain only digits"
    except ValidationError:
        problem = "not a valid INN"
    raise InvalidValue(f"invalid INN '{text.strip()}': {problem}", hint=_DIGIT_HINT)


def check_kpp(text: str) -> str:
    """KPP (КПП): 9 characters -- 4 digits (tax office code), 2 digits or
    capital Latin letters A-Z (reason code), 3 digits (serial number).

    A KPP has no checksum, so only its shape can be checked; python-stdnum has
    no KPP module. Lower-case and Cyrillic letters are refused rather than
    guessed at (a Cyrillic ``А`` looks like a Latin ``A``).
    """
    value = _compact(text)
    hint = "a KPP is 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits"
    if not value:
        raise InvalidValue("invalid KPP '': it is empty", hint=hint)
    if len(value) != 9:
        raise InvalidValue(f"invalid KPP '{text.strip()}': must be 9 characters, not {len(value)}", hint=hint)
    if not re.fullmatch(_KPP, value):
        raise InvalidValue(
            f"invalid KPP '{text.strip()}': characters 1-4 and 7-9 must be digits, "
            "5-6 digits or capital Latin letters A-Z",
            hint=hint,
        )
    return value


def check_ogrn(text: str) -> str:
    """OGRN (ОГРН, 13 digits) or OGRNIP (ОГРНИП, 15 digits), check digit included.

    Uses ``stdnum.ru.ogrn``, with one correction: the OGRNIP check digit is the
    last digit of the remainder modulo 13 (a remainder of 10-12 gives 0-2), and
    python-stdnum 2.2 compares the whole remainder, refusing such valid numbers.
    """
    from stdnum.exceptions import (
        InvalidChecksum,
        InvalidComponent,
        InvalidFormat,
        InvalidLength,
        ValidationError,
    )
    from stdnum.ru import ogrn

    what = "13 digits (OGRN) or 15 digits (OGRNIP)"
    value = _digits("OGRN", text, (13, 15), what)
    try:
        return str(ogrn.validate(value))
    except InvalidChecksum:
        if len(value) == 15 and int(value[:14]) % 13 % 10 == int(value[14]):
            return value
        problem = "checksum does not match"
    except InvalidComponent:
        if len(value) == 13:
            problem = "a 13-digit OGRN cannot start with 0"
        else:
            problem = "a 15-digit OGRNIP must start with 3 or 4"
    except InvalidLength:  # a subclass of InvalidFormat: catch it first
        problem = f"must be {what}"
    except InvalidFormat:
        problem = "must contain only digits"
    except ValidationError:
        problem = "not a valid OGRN"
    raise InvalidValue(f"invalid OGRN '{text.strip()}': {problem}", hint=_DIGIT_HINT)


def check_bik(text: str) -> str:
    """BIK (БИК) of a Russian bank: 9 digits starting with ``04``. No checksum."""
    value = _digits("BIK", text, (9,), "9 digits starting with 04")
    if not value.startswith("04"):
        raise InvalidValue(
            f"invalid BIK '{text.strip()}': a Russian bank's BIK starts with 04",
            hint="a BIK is 9 digits starting with 04",
        )
    return value


def _control_key_ok(digits23: str) -> bool:
    """The Bank of Russia key: sum of digit * (7, 1, 3, 7, 1, 3, ...) ends in 0."""
    return sum(int(d) * w for d, w in zip(digits23, _ACCOUNT_WEIGHTS, strict=True)) % 10 == 0


def check_account(account: str, bik: str) -> str:
    """Settlement account (расчётный счёт): 20 digits whose control key (the
    9th digit) matches the bank's BIK.

    The key covers the last 3 digits of the BIK followed by the 20 account
    digits, weighted 7, 1, 3 repeating; the weighted sum must end in 0. The
    BIK is checked first (:func:`check_bik`).
    """
    bik_value = check_bik(bik)
    value = _digits("account", account, (20,), "20 digits")
    if not _control_key_ok(bik_value[-3:] + value):
        raise InvalidValue(
            f"invalid account '{account.strip()}': control key does not match BIK {bik_value}",
            hint="check both the account and the BIK; one of them is probably mistyped",
        )
    return value


def check_correspondent_account(account: str, bik: str) -> str:
    """Correspondent account (корреспондентский счёт): 20 digits starting with
    ``301`` whose control key matches the BIK.

    The key covers ``0``, the 5th and 6th digits of the BIK, then the 20
    account digits, weighted 7, 1, 3 repeating; the sum must end in 0.
    """
    bik_value = check_bik(bik)
    value = _digits("correspondent account", account, (20,), "20 digits starting with 301")
    if not value.startswith("301"):
        raise InvalidValue(
            f"invalid correspondent account '{account.strip()}': must start with 301",
            hint="a correspondent account is 20 digits starting with 301",
        )
    if not _control_key_ok("0" + bik_value[4:6] + value):
        raise InvalidValue(
            f"invalid correspondent account '{account.strip()}': control key does not match BIK {bik_value}",
            hint="check both the account and the BIK; one of them is probably mistyped",
        )
    return value


def check_phone(text: str) -> str:
    """A phone number, leniently: digits, spaces, ``+``, ``-``, ``(`` and ``)``
    only, at least 5 digits. Returned stripped, otherwise as typed."""
    value = text.strip()
    hint = "e.g. +7 (495) 123-45-67"
    if not value:
        raise InvalidValue("invalid phone '': it is empty", hint=hint)
    if not re.fullmatch(_PHONE_CHARS, value):
        raise InvalidValue(
            f"invalid phone '{value}': only digits, spaces, +, -, ( and ) are allowed", hint=hint
        )
    if sum(char.isdigit() for char in value) < 5:
        raise InvalidValue(f"invalid phone '{value}': needs at least 5 digits", hint=hint)
    return value


def check_email(text: str) -> str:
    """An e-mail address, minimally: no whitespace, exactly one ``@`` with
    something before it, and a dot inside the domain part. Returned stripped."""
    value = text.strip()
    hint = "e.g. buh@example.ru"
    if not value:
        raise InvalidValue("invalid email '': it is empty", hint=hint)
    if any(char.isspace() for char in value):
        raise InvalidValue(f"invalid email '{value}': must not contain spaces", hint=hint)
    if value.count("@") != 1:
        raise InvalidValue(f"invalid email '{value}': must contain exactly one @", hint=hint)
    local, domain = value.split("@")
    if not local:
        raise InvalidValue(f"invalid email '{value}': nothing before the @", hint=hint)
    if "." not in domain or domain[0] == "." or domain[-1] == "." or ".." in domain:
        raise InvalidValue(
            f"invalid email '{value}': the part after @ needs a domain such as example.ru",
            hint=hint,
        )
    return value


def kind_problems(kind: str, inn: object, kpp: object, ogrn: object) -> list[tuple[str, str]]:
    """What does not fit a party's kind (SPEC §8.1), as ``(field, message)`` pairs.

    An individual entrepreneur (``entrepreneur``) has a 12-digit INN, no KPP and a
    15-digit OGRNIP; nothing more is required of a ``company``. Values already
    checked one by one (``None`` when not on record).
    """
    from kvsupport.i18n import _

    if kind != "entrepreneur":
        return []
    problems = []
    if isinstance(inn, str) and len(inn) != 12:
        problems.append(("inn", _("an entrepreneur's INN has 12 digits, not {n}").format(n=len(inn))))
    if kpp:
        problems.append(("kpp", _("an entrepreneur has no KPP; remove it")))
    if isinstance(ogrn, str) and len(ogrn) != 15:
        problems.append(("ogrn", _("an entrepreneur's OGRNIP has 15 digits, not {n}").format(n=len(ogrn))))
    return problems
