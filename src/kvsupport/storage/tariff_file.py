"""The tariff file on disk: read with ``tomllib``, versions appended with ``tomli-w``."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from kvsupport import notices
from kvsupport.core.models import TariffVersion
from kvsupport.core.money import money_str
from kvsupport.core.tariffs import Tariffs, tariffs_from_data
from kvsupport.errors import KvsupportError, TariffError
from kvsupport.i18n import _


def _read_text(path: Path) -> str:
    """The tariff file as text (capped, UTF-8, a byte-order mark dropped)."""
    from kvsupport.storage.reading import MAX_SETTINGS_BYTES, NotUtf8, decode_utf8, read_capped

    try:
        raw = read_capped(path, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        raise TariffError([_("{path}: no such tariff file").format(path=path)]) from None
    except OSError as exc:
        raise TariffError(
            [_("{path}: cannot read: {reason}").format(path=path, reason=exc.strerror)]
        ) from None
    try:
        return decode_utf8(raw)
    except NotUtf8 as exc:
        raise TariffError([f"{path}: {exc.message}"], hint=exc.hint) from None


def _parse(text: str, path: Path) -> Tariffs:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TariffError([_("{path}: TOML syntax error: {reason}").format(path=path, reason=exc)]) from None
    except RecursionError:
        raise TariffError([_("{path}: TOML syntax error: nested too deeply").format(path=path)]) from None
    return tariffs_from_data(data, str(path))


def load_tariffs(path: Path) -> Tariffs:
    """Read and check ``path``; every problem is in the raised ``TariffError``."""
    return _parse(_read_text(path), path)


def version_table(version: TariffVersion, effective: date) -> dict[str, Any]:
    """A version as a TOML table, re-dated to ``effective`` (for ``tariff new``)."""
    services: dict[str, Any] = {}
    for key, service in version.services.items():
        table: dict[str, Any] = {"title": service.title}
        rate = service.hourly_rate
        table["hourly_rate"] = money_str(rate) if rate else 0
        table["minimum_minutes"] = service.minimum_minutes
        if service.step_minutes != 1:
            table["step_minutes"] = service.step_minutes
        if service.rounding != "up":
            table["rounding"] = service.rounding
        if service.requires:
            table["requires"] = list(service.requires)
        fee = service.one_time_fee
        if fee is not None:
            table["one_time_fee"] = {
                "key": fee.key,
                "title": fee.title,
                "amount": money_str(fee.amount),
            }
        services[key] = table
    return {
        "effective": effective,
        "title": f"Прайс-лист на {effective.strftime('%d.%m.%Y')}",
        "vat": version.vat,
        "services": services,
    }


def append_version(path: Path, source: Path, effective: date) -> TariffVersion:
    """Append to ``path`` a copy of the latest version of ``source``, dated ``effective``.

    The file is appended to, never rewritten, so the user's comments and layout
    survive. ``tomli-w`` writes an array of tables as one inline array, so each
    version is written as its own ``[[tariff]]`` block: the table is dumped
    under a ``tariff`` key and its header rewritten, then the result is checked
    by reading the whole file back before anything is written.
    """
    import tomli_w

    from kvsupport.storage.filelock import locked

    path = Path(os.path.realpath(path))  # a linked file (dotfiles) is written where it is
    _make_dir(path)
    with locked(path):  # read again under the lock: two at once keep both versions
        old = _read_text(path) if path.exists() else ""
        base = _parse(old, path) if old else load_tariffs(source)
        newest = base.versions[-1]
        if effective <= newest.effective:
            raise KvsupportError(
                _("the new version must start after the latest one ({date})").format(
                    date=newest.effective.isoformat()
                ),
                hint=_("pass a later {option} date").format(option="--effective"),
            )
        block = _as_array_block(tomli_w.dumps({"tariff": version_table(newest, effective)}))
        if not old:
            old = _read_text(source)
        sep = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
        text = f"{old}{sep}{block}"
        added = _parse(text, path).in_force(effective)  # refuse to write a file we could not read
        _write(path, text.encode("utf-8"))
    return added


def _make_dir(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KvsupportError(
            _("cannot create the directory of {path}: {reason}").format(
                path=path, reason=exc.strerror or exc
            ),
            hint=_("nothing was changed; give another file with --tariffs or KVSUPPORT_TARIFFS"),
        ) from None


def _write(path: Path, data: bytes) -> None:
    """Replace the file atomically, keeping its permission bits (a private list stays private)."""
    import stat

    from kvsupport.storage.atomic import write_atomic

    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o644  # a new price list: readable, like the one that ships
    try:
        notices.changing()
        write_atomic(path, data, mode=mode)
    except OSError as exc:
        raise KvsupportError(
            _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc),
            hint=_("nothing was changed"),
        ) from None


def _as_array_block(dumped: str) -> str:
    """Turn ``[tariff]`` / ``[tariff.services.x]`` headers into an array-of-tables entry."""
    lines = []
    for line in dumped.splitlines():
        if line == "[tariff]":
            line = "[[tariff]]"
        lines.append(line)
    return "\n".join(lines) + "\n"
