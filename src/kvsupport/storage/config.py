"""The config file (TOML): the supplier's requisites, numbering, time zone, language.

Read with ``tomllib``, written with ``tomli-w`` (SPEC §4). Every key is known
and checked; an unknown key or a malformed INN/BIK/account is refused, naming
the file and the key.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Sequence
from datetime import tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from kvsupport.errors import ConfigError, InvalidValue
from kvsupport.i18n import _


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue("must be non-empty text")
    return value.strip()


_NUMBER_SPEC = re.compile(r"(?:0[1-9])?d?")  # "", "d", "04d": a width only with zeros, no spaces


def _number_format(value: object) -> str:
    text = _text(value)
    usage = 'use the fields {year} and {seq}, e.g. "{year}-{seq:04d}"'
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise InvalidValue(f"bad format {text!r} ({exc}); {usage}") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in ("year", "seq") or conversion is not None or not _NUMBER_SPEC.fullmatch(spec or ""):
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise InvalidValue(f"bad format {text!r}: {shown} is not a number field; {usage}")
    sample = text.format(year=2026, seq=1)
    if "{seq" not in text or sample == text.format(year=2026, seq=2):
        raise InvalidValue("the format must contain {seq} so numbers differ")
    return text


def _due_days(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365:
        raise InvalidValue("must be a whole number of days, 0-365")
    return value


def _max_hours(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8784:
        from kvsupport.i18n import _

        raise InvalidValue(_("must be a whole number of hours, 1-8784"))
    return value


def _timezone(value: object) -> str:
    text = _text(value)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(f"unknown time zone {text!r} (e.g. Europe/Moscow)") from None
    return text


def _language(value: object) -> str:
    if value not in ("ru", "en"):
        raise InvalidValue("must be ru or en")
    return str(value)


def _requisite(name: str) -> Callable[[object], str]:
    def check(value: object) -> str:
        from kvsupport.core import requisites

        checker: Callable[[str], str] = getattr(requisites, f"check_{name}")
        return checker(_text(value))

    return check


def _kind(value: object) -> str:
    from kvsupport.core.models import PARTY_KINDS

    if value not in PARTY_KINDS:
        raise InvalidValue(_("must be company or entrepreneur (an individual entrepreneur, ИП)"))
    return str(value)


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "1", "да"):
        return True
    if text in ("no", "false", "0", "нет"):
        return False
    raise InvalidValue(_("must be yes or no"))


def _account_digits(value: object) -> str:
    text = _text(value).replace(" ", "")
    if len(text) != 20 or not text.isdigit():
        raise InvalidValue("an account number has 20 digits")
    return text


KEYS: dict[str, Callable[[object], object]] = {
    "supplier.name": _text,
    "supplier.inn": _requisite("inn"),
    "supplier.kpp": _requisite("kpp"),
    "supplier.ogrn": _requisite("ogrn"),
    "supplier.address": _text,
    "supplier.bank": _text,
    "supplier.bik": _requisite("bik"),
    "supplier.correspondent_account": _account_digits,
    "supplier.account": _account_digits,
    "supplier.director": _text,
    "supplier.kind": _kind,
    "supplier.director_title": _text,
    "supplier.accountant": _text,
    "supplier.stamp": _yes_no,
    "consultant.name": _text,
    "invoice.number_format": _number_format,
    "invoice.due_days": _due_days,
    "session.max_hours": _max_hours,
    "timezone": _timezone,
    "documents.language": _language,
}

DEFAULTS: dict[str, object] = {
    "supplier.kind": "company",
    "invoice.number_format": "{year}-{seq:04d}",
    "invoice.due_days": 5,
    "session.max_hours": 24,
    "documents.language": "ru",
}


class Config(NamedTuple):
    """Checked settings, flat: ``{"supplier.inn": "7707083893", ...}``."""

    path: Path
    values: dict[str, object] = {}  # noqa: RUF012 - never mutated

    def get(self, key: str) -> object:
        """A value, or its default, or ``None``."""
        return self.values.get(key, DEFAULTS.get(key))

    def text(self, key: str) -> str | None:
        """A text value or ``None``."""
        value = self.get(key)
        return None if value is None else str(value)

    @property
    def tz(self) -> tzinfo | None:
        """The configured zone; ``None`` means the system's."""
        name = self.values.get("timezone")
        if not name:
            return None
        from zoneinfo import ZoneInfo

        return ZoneInfo(str(name))

    @property
    def language(self) -> str:
        """The language of documents."""
        return str(self.get("documents.language"))

    def supplier(self) -> dict[str, object]:
        """The supplier block frozen into each invoice."""
        out: dict[str, object] = {}
        for key in KEYS:
            if key.startswith("supplier."):
                out[key.split(".", 1)[1]] = self.get(key)
        out["consultant"] = self.values.get("consultant.name")
        return out


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def cross_check(values: dict[str, object]) -> list[str]:
    """Problems between keys: accounts' control keys against the BIK; the INN, KPP and
    OGRN against the supplier's kind (an entrepreneur has no KPP)."""
    from kvsupport.core import requisites

    problems = [
        f"supplier.{field}: {message}"
        for field, message in requisites.kind_problems(
            str(values.get("supplier.kind", "company")),
            values.get("supplier.inn"),
            values.get("supplier.kpp"),
            values.get("supplier.ogrn"),
        )
    ]
    bik = values.get("supplier.bik")
    if isinstance(bik, str):
        for key, check in (
            ("supplier.account", requisites.check_account),
            ("supplier.correspondent_account", requisites.check_correspondent_account),
        ):
            account = values.get(key)
            if isinstance(account, str):
                try:
                    check(account, bik)
                except InvalidValue as exc:
                    problems.append(f"{key}: {exc.message}")
    return problems


def load_config(path: Path) -> Config:
    """Read and check the config; a missing file is an empty config."""
    import tomllib

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    values: dict[str, object] = {}
    for key, value in _flatten(data).items():
        check = KEYS.get(key)
        if check is None:
            raise ConfigError(f"{path}: unknown key '{key}'", hint=f"known keys: {', '.join(KEYS)}")
        try:
            values[key] = check(value)
        except InvalidValue as exc:
            raise ConfigError(f"{path}: {key}: {exc.message}") from None
    problems = cross_check(values)
    if problems:
        raise ConfigError(f"{path}: {problems[0]}")
    return Config(path, values)


def set_value(config: Config, key: str, value: str) -> Config:
    """A config with ``key`` set to ``value`` (checked), written to its file."""
    return set_values(config, [(key, value)])


def set_values(config: Config, pairs: Sequence[tuple[str, str]]) -> Config:
    """A config with every ``(key, value)`` of ``pairs`` set (``""`` removes the key),
    checked together and written once: a bank change (BIK, account and correspondent
    account) passes only as a whole, and a refusal writes nothing."""
    values = dict(config.values)
    seen: set[str] = set()
    for key, value in pairs:
        check = KEYS.get(key)
        if check is None:
            raise InvalidValue(f"unknown config key '{key}'", hint=f"known keys: {', '.join(KEYS)}")
        if key in seen:
            raise InvalidValue(_("{key} is given twice").format(key=key))
        seen.add(key)
        if value == "":
            values.pop(key, None)
            continue
        try:
            values[key] = check(value)
        except InvalidValue as exc:
            raise InvalidValue(f"{key}: {exc.message}", hint=exc.hint) from None
    problems = cross_check(values)
    if problems:
        hint = None
        if len(pairs) == 1 and len(problems) == 1:
            hint = _("set related keys in one command: kvsupport config set KEY VALUE KEY VALUE …")
        raise InvalidValue(problems[0], hint=hint)
    save_config(config.path, values)
    return Config(config.path, values)


def unset_value(config: Config, key: str) -> Config:
    """A config without ``key``, written to its file."""
    if key not in KEYS:
        raise InvalidValue(f"unknown config key '{key}'", hint=f"known keys: {', '.join(KEYS)}")
    values = {k: v for k, v in config.values.items() if k != key}
    save_config(config.path, values)
    return Config(config.path, values)


def save_config(path: Path, values: dict[str, object]) -> None:
    """Write the config as nested TOML tables with ``tomli-w``."""
    import tomli_w

    from kvsupport.storage.atomic import make_private_dir, write_atomic

    nested: dict[str, Any] = {}
    for key in KEYS:  # a stable order: the order of SPEC §4
        if key in values:
            *sections, name = key.split(".")
            table = nested
            for section in sections:
                table = table.setdefault(section, {})
            table[name] = values[key]
    make_private_dir(path.parent)
    write_atomic(path, tomli_w.dumps(nested).encode("utf-8"))
