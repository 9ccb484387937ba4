"""Checks of Russian requisites (реквизиты) and contact details.

Each ``check_*`` function returns the normalised value -- surrounding and
inner whitespace removed, so ``7707 083 893`` gives ``7707083893`` -- or raises
:class:`~kvsupport.errors.InvalidValue` naming the field and the problem, e.g.
``invalid INN '7707083894': checksum does not match``.

The checks are written here, python-stdnum's INN and OGRN modules aside: the
formulas are a line each, and importing python-stdnum costs ~45 ms (its util
module imports pydoc, ssl and inspect) -- four times Python's own start -- on
every command that reads a config with a supplier. tests/core/test_requisites.py
checks these against python-stdnum on many numbers; python-stdnum has no KPP,
BIK or bank-account module.

Pure: no files, no clock, no terminal.
"""

from __future__ import annotations

import re

from kvsupport.errors import InvalidValue
from kvsupport.i18n import N_, _, ngettext

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

_DIGIT_HINT = N_("a digit is probably mistyped; compare with the client's documents")
_BOTH_HINT = N_("check both the account and the BIK; one of them is probably mistyped")

# What each checked field is called in a message, how long it is, and the hint that says so.
_INN = (
    N_("INN"),
    N_("10 digits (organisation) or 12 digits (individual entrepreneur)"),
    N_("an INN is 10 digits (organisation) or 12 digits (individual entrepreneur)"),
)
_OGRN = (
    N_("OGRN"),
    N_("13 digits (OGRN) or 15 digits (OGRNIP)"),
    N_("an OGRN is 13 digits (OGRN) or 15 digits (OGRNIP)"),
)
_BIK = (N_("BIK"), N_("9 digits starting with 04"), N_("a BIK is 9 digits starting with 04"))
_ACCOUNT = (N_("account"), N_("20 digits"), N_("an account is 20 digits"))
_CORRESPONDENT = (
    N_("correspondent account"),
    N_("20 digits starting with 301"),
    N_("a correspondent account is 20 digits starting with 301"),
)

# Weights of the Bank of Russia control key for 20-digit accounts (23 digits
# with the 3-digit BIK prefix): 7, 1, 3 repeating.
_ACCOUNT_WEIGHTS = ((7, 1, 3) * 8)[:23]

# Plain strings: re compiles them on first use, not at import.
_KPP = r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}"
_PHONE_CHARS = r"[0-9 +\-()]+"


def _compact(text: str) -> str:
    """The text without any whitespace (inside or around)."""
    return "".join(text.split())


def _empty(field: str, hint: str) -> InvalidValue:
    """The refusal of an empty ``field`` (a msgid such as ``N_("INN")``)."""
    return InvalidValue(_("invalid {field} '{raw}': it is empty").format(field=_(field), raw=""), hint=hint)


def _digits(field: tuple[str, str, str], text: str, lengths: tuple[int, ...]) -> str:
    """Whitespace-free digits of one of the given lengths, or InvalidValue.

    ``field`` is one of the tables above: its name, its length and its hint (msgids).
    """
    name, what, hint = field
    value = _compact(text)
    if not value:
        raise _empty(name, _(hint))
    if not value.isascii() or not value.isdigit():
        raise InvalidValue(
            _("invalid {field} '{raw}': must contain only digits").format(field=_(name), raw=text.strip()),
            hint=_(hint),
        )
    if len(value) not in lengths:
        raise InvalidValue(
            ngettext(
                "invalid {field} '{raw}': must be {what}, not {count} digit",
                "invalid {field} '{raw}': must be {what}, not {count} digits",
                len(value),
            ).format(field=_(name), raw=text.strip(), what=_(what), count=len(value)),
            hint=_(hint),
        )
    return value


#: the weights of the INN check digits (Приказ ФНС: a weighted sum mod 11, then mod 10)
_INN_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN_12 = ((7, 2, 4, 10, 3, 5, 9, 4, 6, 8), (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    """The check digit of ``digits`` under ``weights``."""
    return sum(weight * int(digit) for weight, digit in zip(weights, digits, strict=False)) % 11 % 10


def check_inn(text: str) -> str:
    """INN (ИНН): 10 digits for an organisation, 12 for an individual
    entrepreneur, with the check digit(s) verified."""
    value = _digits(_INN, text, (10, 12))
    if len(value) == 10:
        valid = _weighted(value, _INN_10) == int(value[9])
    else:
        valid = _weighted(value, _INN_12[0]) == int(value[10]) and _weighted(value, _INN_12[1]) == int(
            value[11]
        )
    if valid:
        return value
    raise InvalidValue(
        _("invalid INN '{raw}': {problem}").format(raw=text.strip(), problem=_("checksum does not match")),
        hint=_(_DIGIT_HINT),
    )


def check_kpp(text: str) -> str:
    """KPP (КПП): 9 characters -- 4 digits (tax office code), 2 digits or
    capital Latin letters A-Z (reason code), 3 digits (serial number).

    A KPP has no checksum, so only its shape can be checked; python-stdnum has
    no KPP module. Lower-case and Cyrillic letters are refused rather than
    guessed at (a Cyrillic ``А`` looks like a Latin ``A``).
    """
    value = _compact(text)
    hint = _("a KPP is 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits")
    if not value:
        raise _empty(N_("KPP"), hint)
    if len(value) != 9:
        raise InvalidValue(
            _("invalid KPP '{raw}': must be 9 characters, not {count}").format(
                raw=text.strip(), count=len(value)
            ),
            hint=hint,
        )
    if not re.fullmatch(_KPP, value):
        raise InvalidValue(
            _(
                "invalid KPP '{raw}': characters 1-4 and 7-9 must be digits, "
                "5-6 digits or capital Latin letters A-Z"
            ).format(raw=text.strip()),
            hint=hint,
        )
    return value


def check_ogrn(text: str) -> str:
    """OGRN (ОГРН, 13 digits) or OGRNIP (ОГРНИП, 15 digits), check digit included:
    the last digit of the number before it modulo 11 (OGRN) or 13 (OGRNIP); a
    remainder of 10-12 gives its last digit."""
    value = _digits(_OGRN, text, (13, 15))
    if len(value) == 13 and value[0] == "0":
        problem = _("a 13-digit OGRN cannot start with 0")
    elif len(value) == 15 and value[0] not in "34":
        problem = _("a 15-digit OGRNIP must start with 3 or 4")
    elif int(value[:-1]) % (11 if len(value) == 13 else 13) % 10 != int(value[-1]):
        problem = _("checksum does not match")
    else:
        return value
    raise InvalidValue(
        _("invalid OGRN '{raw}': {problem}").format(raw=text.strip(), problem=problem), hint=_(_DIGIT_HINT)
    )


def check_bik(text: str) -> str:
    """BIK (БИК) of a Russian bank: 9 digits starting with ``04``. No checksum."""
    value = _digits(_BIK, text, (9,))
    if not value.startswith("04"):
        raise InvalidValue(
            _("invalid BIK '{raw}': a Russian bank's BIK starts with 04").format(raw=text.strip()),
            hint=_(_BIK[2]),
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
    value = _digits(_ACCOUNT, account, (20,))
    if not _control_key_ok(bik_value[-3:] + value):
        raise InvalidValue(
            _("invalid account '{raw}': control key does not match BIK {bik}").format(
                raw=account.strip(), bik=bik_value
            ),
            hint=_(_BOTH_HINT),
        )
    return value


def check_correspondent_account(account: str, bik: str) -> str:
    """Correspondent account (корреспондентский счёт): 20 digits starting with
    ``301`` whose control key matches the BIK.

    The key covers ``0``, the 5th and 6th digits of the BIK, then the 20
    account digits, weighted 7, 1, 3 repeating; the sum must end in 0.
    """
    bik_value = check_bik(bik)
    value = _digits(_CORRESPONDENT, account, (20,))
    if not value.startswith("301"):
        raise InvalidValue(
            _("invalid correspondent account '{raw}': must start with 301").format(raw=account.strip()),
            hint=_(_CORRESPONDENT[2]),
        )
    if not _control_key_ok("0" + bik_value[4:6] + value):
        raise InvalidValue(
            _("invalid correspondent account '{raw}': control key does not match BIK {bik}").format(
                raw=account.strip(), bik=bik_value
            ),
            hint=_(_BOTH_HINT),
        )
    return value


def check_phone(text: str) -> str:
    """A phone number, leniently: digits, spaces, ``+``, ``-``, ``(`` and ``)``
    only, at least 5 digits. Returned stripped, otherwise as typed."""
    value = text.strip()
    hint = _("e.g. {example}").format(example="+7 (495) 123-45-67")
    if not value:
        raise _empty(N_("phone"), hint)
    if not re.fullmatch(_PHONE_CHARS, value):
        raise InvalidValue(
            _("invalid phone '{raw}': only digits, spaces, +, -, ( and ) are allowed").format(raw=value),
            hint=hint,
        )
    if sum(char.isdigit() for char in value) < 5:
        raise InvalidValue(_("invalid phone '{raw}': needs at least 5 digits").format(raw=value), hint=hint)
    return value


def check_email(text: str) -> str:
    """An e-mail address, minimally: no whitespace, exactly one ``@`` with
    something before it, and a dot inside the domain part. Returned stripped."""
    value = text.strip()
    hint = _("e.g. {example}").format(example="buh@example.ru")
    if not value:
        raise _empty(N_("email"), hint)
    if any(char.isspace() for char in value):
        raise InvalidValue(_("invalid email '{raw}': must not contain spaces").format(raw=value), hint=hint)
    if value.count("@") != 1:
        raise InvalidValue(
            _("invalid email '{raw}': must contain exactly one @").format(raw=value), hint=hint
        )
    local, domain = value.split("@")
    if not local:
        raise InvalidValue(_("invalid email '{raw}': nothing before the @").format(raw=value), hint=hint)
    if "." not in domain or domain[0] == "." or domain[-1] == "." or ".." in domain:
        raise InvalidValue(
            _("invalid email '{raw}': the part after @ needs a domain such as example.ru").format(raw=value),
            hint=hint,
        )
    return value


def kind_problems(kind: str, inn: object, kpp: object, ogrn: object) -> list[tuple[str, str]]:
    """What does not fit a party's kind (SPEC §8.1), as ``(field, message)`` pairs.

    An individual entrepreneur (``entrepreneur``) has a 12-digit INN, no KPP and a
    15-digit OGRNIP; nothing more is required of a ``company``. Values already
    checked one by one (``None`` when not on record).
    """
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
