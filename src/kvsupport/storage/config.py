"""The config file (TOML): the supplier's requisites, numbering, time zone, language.

Read with ``tomllib``, written with ``tomli-w`` (SPEC §4). Every key is known
and checked; an unknown key or a malformed INN/BIK/account is refused, naming
the file and the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from kvsupport import notices
from kvsupport.errors import ConfigError, InvalidValue
from kvsupport.i18n import _


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(_("must be non-empty text"))
    from kvsupport.core.text import control_character

    found = control_character(value.strip())
    if found is not None:
        raise InvalidValue(_("a control character ({char}) is not allowed").format(char=found))
    return value.strip()


_NUMBER_SPEC = re.compile(r"(?:0[1-9])?d?")  # "", "d", "04d": a width only with zeros, no spaces


def _number_format(value: object) -> str:
    text = _text(value)
    usage = _("use the fields {year} and {seq}, e.g. {example}").format(
        year="{year}", seq="{seq}", example='"{year}-{seq:04d}"'
    )
    try:
        import string

        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise InvalidValue(
            _("bad format {text} ({problem}); {usage}").format(text=repr(text), problem=exc, usage=usage)
        ) from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in ("year", "seq") or conversion is not None or not _NUMBER_SPEC.fullmatch(spec or ""):
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise InvalidValue(
                _("bad format {text}: {field} is not a number field; {usage}").format(
                    text=repr(text), field=shown, usage=usage
                )
            )
    sample = text.format(year=2026, seq=1)
    if "{seq" not in text or sample == text.format(year=2026, seq=2):
        raise InvalidValue(_("the format must contain {seq} so numbers differ").format(seq="{seq}"))
    return text


def _due_days(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365:
        raise InvalidValue(_("must be a whole number of days, 0-365"))
    return value


def _max_hours(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8784:
        raise InvalidValue(_("must be a whole number of hours, 1-8784"))
    return value


def _timezone(value: object) -> str:
    text = _text(value)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(
            _("unknown time zone {text} (e.g. {example})").format(text=repr(text), example="Europe/Moscow")
        ) from None
    return text


def _language(value: object) -> str:
    if value not in ("ru", "en"):
        raise InvalidValue(_("must be ru or en"))
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
        raise InvalidValue(_("an account number has 20 digits"))
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
    "supplier.email": _requisite("email"),  # the From of invoice e-mails (invoice send)
    "consultant.name": _text,
    "invoice.number_format": _number_format,
    "invoice.due_days": _due_days,
    "session.max_hours": _max_hours,
    "timezone": _timezone,
    "documents.language": _language,
    "ui.language": _language,
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


def _read_table(path: Path) -> dict[str, Any] | None:
    """The config file as a TOML table, ``None`` when it does not exist."""
    import tomllib

    from kvsupport.storage.reading import MAX_SETTINGS_BYTES, NotUtf8, decode_utf8, read_capped

    try:
        raw = read_capped(path, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(_("{path}: cannot read: {reason}").format(path=path, reason=exc.strerror)) from None
    try:
        return tomllib.loads(decode_utf8(raw))
    except NotUtf8 as exc:
        raise ConfigError(f"{path}: {exc.message}", hint=exc.hint) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("{path}: not valid TOML: {reason}").format(path=path, reason=exc)) from None
    except RecursionError:
        raise ConfigError(_("{path}: not valid TOML: nested too deeply").format(path=path)) from None


def ui_language(path: Path) -> str | None:
    """The config's ``ui.language`` (``ru``/``en``), read before anything else so the very
    first message is in it; ``None`` when unset, or when the file cannot be read — then
    the command itself reports the problem, in the locale's language."""
    try:
        data = _read_table(path)
    except (ConfigError, OSError, RecursionError):
        return None
    ui = (data or {}).get("ui")
    language = ui.get("language") if isinstance(ui, dict) else None
    return language if language in ("ru", "en") else None


def load_config(path: Path) -> Config:
    """Read and check the config; a missing file is an empty config."""
    data = _read_table(path)
    if data is None:
        return Config(path)
    try:
        flat = _flatten(data)
    except RecursionError:
        raise ConfigError(_("{path}: tables nested too deeply").format(path=path)) from None
    values: dict[str, object] = {}
    for key, value in flat.items():
        check = KEYS.get(key)
        if check is None:
            raise ConfigError(_("{path}: unknown key '{key}'").format(path=path, key=key), hint=_known_keys())
        try:
            values[key] = check(value)
        except InvalidValue as exc:
            raise ConfigError(f"{path}: {key}: {exc.message}") from None
    problems = cross_check(values)
    if problems:
        raise ConfigError(f"{path}: {problems[0]}")
    return Config(path, values)


def _known_keys() -> str:
    """The hint after an unknown key: every key there is."""
    return _("known keys: {keys}").format(keys=", ".join(KEYS))


def _checked(key: str, value: str) -> object:
    check = KEYS.get(key)
    if check is None:
        raise InvalidValue(_("unknown config key '{key}'").format(key=key), hint=_known_keys())
    try:
        return check(value)
    except InvalidValue as exc:
        raise InvalidValue(f"{key}: {exc.message}", hint=exc.hint) from None


def set_value(path: Path, key: str, value: str) -> Config:
    """The config of ``path`` with ``key`` set to ``value`` (checked), written back."""
    return set_values(path, [(key, value)])


def set_values(path: Path, pairs: Sequence[tuple[str, str]]) -> Config:
    """The config of ``path`` with every ``(key, value)`` of ``pairs`` set (``""`` removes
    the key), checked together and written once: a bank change (BIK, account and
    correspondent account) passes only as a whole, and a refusal writes nothing.

    The file is read again under its lock (:mod:`kvsupport.storage.filelock`), so
    two ``config set`` at once keep both changes.
    """
    changes: list[tuple[str, object | None]] = []
    seen: set[str] = set()
    for key, value in pairs:
        if key in KEYS and key in seen:
            raise InvalidValue(_("{key} is given twice").format(key=key))
        seen.add(key)
        if value == "":
            if key not in KEYS:
                raise InvalidValue(_("unknown config key '{key}'").format(key=key), hint=_known_keys())
            changes.append((key, None))
        else:
            changes.append((key, _checked(key, value)))
    with _locked_for_writing(path):
        values = dict(load_config(path).values)
        for key, checked in changes:
            if checked is None:
                values.pop(key, None)
            else:
                values[key] = checked
        problems = cross_check(values)
        if problems:
            hint = None
            if len(pairs) == 1 and len(problems) == 1:
                hint = _("set related keys in one command: kvsupport config set KEY VALUE KEY VALUE …")
            raise InvalidValue(problems[0], hint=hint)
        save_config(path, values)
    return Config(path, values)


def unset_value(path: Path, key: str) -> Config:
    """The config of ``path`` without ``key``, written back (under its lock)."""
    if key not in KEYS:
        raise InvalidValue(_("unknown config key '{key}'").format(key=key), hint=_known_keys())
    with _locked_for_writing(path):
        values = {k: v for k, v in load_config(path).values.items() if k != key}
        save_config(path, values)
    return Config(path, values)


@contextmanager
def _locked_for_writing(path: Path) -> Iterator[None]:
    from kvsupport.storage.filelock import locked

    _make_dir(path)
    with locked(path):
        yield


def _make_dir(path: Path) -> None:
    from kvsupport.storage.atomic import make_private_dir

    try:
        make_private_dir(path.parent)
    except OSError as exc:
        raise ConfigError(
            _("cannot create the directory of {path}: {reason}").format(
                path=path, reason=exc.strerror or exc
            ),
            hint=_("nothing was changed; give another file with --config or KVSUPPORT_CONFIG"),
        ) from None


def save_config(path: Path, values: dict[str, object]) -> None:
    """Write the config as nested TOML tables with ``tomli-w`` (a new file: owner only)."""
    import tomli_w

    from kvsupport.storage.atomic import write_atomic

    nested: dict[str, Any] = {}
    for key in KEYS:  # a stable order: the order of SPEC §4
        if key in values:
            *sections, name = key.split(".")
            table = nested
            for section in sections:
                table = table.setdefault(section, {})
            table[name] = values[key]
    _make_dir(path)
    try:
        notices.changing()
        write_atomic(path, tomli_w.dumps(nested).encode("utf-8"), mode=_mode_of(path, 0o600))
    except OSError as exc:
        raise ConfigError(
            _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc),
            hint=_("nothing was changed"),
        ) from None


def _mode_of(path: Path, default: int) -> int:
    """The permission bits of ``path`` as it is, else ``default`` (a rewrite keeps them)."""
    import stat

    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return default
