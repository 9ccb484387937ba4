"""The tariff file on disk: read with ``tomllib``, versions appended with ``tomli-w``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from kvsupport.core.models import TariffVersion
from kvsupport.core.money import money_str
from kvsupport.core.tariffs import Tariffs, tariffs_from_data
from kvsupport.errors import KvsupportError, TariffError


def load_tariffs(path: Path) -> Tariffs:
    """Read and check ``path``; every problem is in the raised ``TariffError``."""
    import tomllib

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TariffError([f"{path}: no such tariff file"]) from None
    except OSError as exc:
        raise TariffError([f"{path}: cannot read: {exc.strerror}"]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise TariffError([f"{path}: not UTF-8 text (byte {exc.start})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise TariffError([f"{path}: TOML syntax error: {exc}"]) from None
    return tariffs_from_data(data, str(path))


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

    tariffs = load_tariffs(source)
    newest = tariffs.versions[-1]
    if effective <= newest.effective:
        raise KvsupportError(
            f"the new version must start after the latest one ({newest.effective.isoformat()})",
            hint="pass a later --effective date",
        )
    block = _as_array_block(tomli_w.dumps({"tariff": version_table(newest, effective)}))
    old = path.read_text("utf-8") if path.exists() else ""
    if path != source and not old:
        old = source.read_text("utf-8")
    sep = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
    text = f"{old}{sep}{block}"
    import tomllib

    tariffs_from_data(tomllib.loads(text), str(path))  # refuse to write a file we could not read
    from kvsupport.storage.atomic import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"), mode=0o644)
    return load_tariffs(path).in_force(effective)


def _as_array_block(dumped: str) -> str:
    """Turn ``[tariff]`` / ``[tariff.services.x]`` headers into an array-of-tables entry."""
    lines = []
    for line in dumped.splitlines():
        if line == "[tariff]":
            line = "[[tariff]]"
        lines.append(line)
    return "\n".join(lines) + "\n"
