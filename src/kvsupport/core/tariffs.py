"""Tariff versions: reading a parsed tariff file and finding the version in force.

:func:`tariffs_from_data` checks the whole document and reports every problem
at once, each as ``FILE: tariff[N] (effective D): KEY: what is wrong`` (in the
manner of ``bean-check``), so ``kvsupport tariff check`` lists all of them in
one run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from kvsupport.core import readable
from kvsupport.core.models import (
    REQUIREMENTS,
    ROUNDINGS,
    OneTimeFee,
    Rounding,
    Service,
    TariffVersion,
)
from kvsupport.core.money import parse_money
from kvsupport.errors import NotFound, Refused, TariffError
from kvsupport.i18n import _

_VERSION_KEYS = {"effective", "title", "vat", "services"}
_SERVICE_KEYS = {
    "title",
    "hourly_rate",
    "minimum_minutes",
    "step_minutes",
    "rounding",
    "requires",
    "one_time_fee",
}
_FEE_KEYS = {"key", "title", "amount"}


class Tariffs(NamedTuple):
    """All versions of one tariff file, oldest first."""

    source: str
    versions: tuple[TariffVersion, ...]

    def in_force(self, on: date) -> TariffVersion:
        """The version with the latest ``effective`` date not after ``on``."""
        found: TariffVersion | None = None
        for version in self.versions:
            if version.effective <= on:
                found = version
        if found is None:
            first = readable.day(self.versions[0].effective) if self.versions else _("none")
            raise NotFound(
                _("no tariff version in force on {date} in {file}").format(
                    date=readable.day(on), file=self.source
                ),
                hint=_("the earliest version starts {date}").format(date=first),
            )
        return found

    def service_on(self, key: str, on: date) -> tuple[TariffVersion, Service]:
        """The version in force on ``on`` and its service ``key``, or a refusal naming both."""
        version = self.in_force(on)
        service = version.services.get(key)
        if service is None:
            offered = ", ".join(sorted(version.services)) or _("none")
            raise Refused(
                _("service '{key}' is not in the tariff in force on {date} ({title})").format(
                    key=key, date=readable.day(on), title=version.title
                ),
                hint=_("services on that date: {services}").format(services=offered),
            )
        return version, service

    def by_label(self, label: str) -> TariffVersion:
        """The version whose effective date is ``label`` (``2017-01-01``)."""
        for version in self.versions:
            if version.label == label:
                return version
        raise NotFound(
            _("no tariff version effective {label} in {file}").format(label=label, file=self.source)
        )


class _Collector:
    """Gathers problems with their place in the file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{self.source}: {where}: {message}")


def tariffs_from_data(data: Mapping[str, object], source: str) -> Tariffs:
    """Build :class:`Tariffs` from a parsed TOML document, or raise every problem.

    ``source`` names the file in messages. Raises :class:`TariffError` whose
    ``problems`` lists each problem on its own line.
    """
    out = _Collector(source)
    for key in data:
        if key != "tariff":
            out.add(key, _("unknown key (a tariff file holds [[tariff]] tables only)"))
    raw_versions = data.get("tariff")
    versions: list[TariffVersion] = []
    if not isinstance(raw_versions, list) or not raw_versions:
        out.add("tariff", _("no [[tariff]] version found"))
    else:
        for index, raw in enumerate(raw_versions):
            version = _version(raw, index, out)
            if version is not None:
                versions.append(version)
    seen: dict[date, int] = {}
    for index, raw in enumerate(raw_versions if isinstance(raw_versions, list) else []):
        effective = raw.get("effective") if isinstance(raw, Mapping) else None
        if isinstance(effective, datetime) or not isinstance(effective, date):
            continue
        if effective in seen:
            out.add(
                f"tariff[{index}] (effective {effective.isoformat()})",
                _("{key}: {date} repeats tariff[{index}]").format(
                    key="effective", date=effective.isoformat(), index=seen[effective]
                ),
            )
        seen.setdefault(effective, index)
    if out.problems:
        raise TariffError(
            out.problems,
            hint=_("run '{command}' to see every problem").format(command="kvsupport tariff check"),
        )
    versions.sort(key=lambda v: v.effective)
    return Tariffs(source=source, versions=tuple(versions))


def _version(raw: object, index: int, out: _Collector) -> TariffVersion | None:
    where = f"tariff[{index}]"
    if not isinstance(raw, Mapping):
        out.add(where, _("must be a table"))
        return None
    effective = raw.get("effective")
    if isinstance(effective, datetime) or not isinstance(effective, date):
        out.add(
            where,
            _("{key}: must be a TOML date such as {example}").format(key="effective", example="2017-01-01"),
        )
        effective = None
    else:
        where = f"{where} (effective {effective.isoformat()})"
    before = len(out.problems)
    for key in raw:
        if key not in _VERSION_KEYS:
            out.add(where, _("{key}: unknown key").format(key=key))
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        out.add(where, _("{key}: must be a non-empty string").format(key="title"))
    vat = raw.get("vat", "none")
    if not _vat_ok(vat):
        out.add(
            where,
            _('{key}: must be "none" or a percentage as a string such as "20", not {value}').format(
                key="vat", value=repr(vat)
            ),
        )
    services: dict[str, Service] = {}
    raw_services = raw.get("services")
    if not isinstance(raw_services, Mapping) or not raw_services:
        out.add(
            where,
            _("{key}: at least one {table} table is needed").format(
                key="services", table="[tariff.services.KEY]"
            ),
        )
    else:
        for key, raw_service in raw_services.items():
            service = _service(str(key), raw_service, f"{where}: services.{key}", out)
            if service is not None:
                services[str(key)] = service
    if len(out.problems) > before or effective is None:
        return None
    assert isinstance(title, str)
    assert isinstance(vat, str)
    return TariffVersion(effective=effective, title=title, vat=vat, services=services)


def _vat_ok(vat: object) -> bool:
    if vat == "none":
        return True
    if not isinstance(vat, str):
        return False
    try:
        rate = Decimal(vat)
    except InvalidOperation:
        return False
    return rate.is_finite() and 0 < rate < 100


def _service(key: str, raw: object, where: str, out: _Collector) -> Service | None:
    if not isinstance(raw, Mapping):
        out.add(where, _("must be a table"))
        return None
    before = len(out.problems)
    for name in raw:
        if name not in _SERVICE_KEYS:
            out.add(where, _("{key}: unknown key").format(key=name))
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        out.add(where, _("{key}: must be a non-empty string").format(key="title"))
    rate = _money(raw.get("hourly_rate"), f"{where}.hourly_rate", out, required=True)
    minimum = _whole(raw.get("minimum_minutes", 0), f"{where}.minimum_minutes", 0, out)
    step = _whole(raw.get("step_minutes", 1), f"{where}.step_minutes", 1, out)
    rounding = raw.get("rounding", "up")
    if rounding not in ROUNDINGS:
        out.add(
            where,
            _("{key}: unknown mode {value} (use up, nearest or down)").format(
                key="rounding", value=repr(rounding)
            ),
        )
    requires = raw.get("requires", [])
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        out.add(where, _("{key}: must be a list of strings").format(key="requires"))
        requires = []
    for item in requires:
        if item not in REQUIREMENTS:
            out.add(
                where,
                _("{key}: unknown item {value} (known: {known})").format(
                    key="requires", value=repr(item), known=", ".join(REQUIREMENTS)
                ),
            )
    fee = _fee(raw.get("one_time_fee"), f"{where}.one_time_fee", out)
    if len(out.problems) > before:
        return None
    assert isinstance(title, str)
    assert rate is not None
    assert minimum is not None
    assert step is not None
    checked_rounding: Rounding = rounding
    return Service(
        key=key,
        title=title,
        hourly_rate=rate,
        minimum_minutes=minimum,
        step_minutes=step,
        rounding=checked_rounding,
        requires=tuple(requires),
        one_time_fee=fee,
    )


def _money(value: object, where: str, out: _Collector, *, required: bool) -> Decimal | None:
    if value is None:
        if required:
            out.add(where, _('missing (write it as a string such as "1300.00" or an integer)'))
        return None
    try:
        return parse_money(value)
    except ValueError as exc:
        out.add(where, str(exc))
        return None


def _whole(value: object, where: str, least: int, out: _Collector) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        out.add(
            where,
            _("must be a whole number of at least {least}, not {value}").format(
                least=least, value=repr(value)
            ),
        )
        return None
    return value


def _fee(raw: object, where: str, out: _Collector) -> OneTimeFee | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        out.add(
            where, _("must be a table {example}").format(example="{ key = ..., title = ..., amount = ... }")
        )
        return None
    before = len(out.problems)
    for name in raw:
        if name not in _FEE_KEYS:
            out.add(where, _("{key}: unknown key").format(key=name))
    key = raw.get("key")
    if not isinstance(key, str) or not key.strip():
        out.add(
            where, _("{key}: a one-time fee needs a key (it makes the fee once per client)").format(key="key")
        )
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        out.add(where, _("{key}: must be a non-empty string").format(key="title"))
    amount = _money(raw.get("amount"), f"{where}.amount", out, required=True)
    if len(out.problems) > before:
        return None
    assert isinstance(key, str)
    assert isinstance(title, str)
    assert amount is not None
    return OneTimeFee(key=key, title=title, amount=amount)


def latest(tariffs: Tariffs) -> TariffVersion:
    """The newest version of the file."""
    return tariffs.versions[-1]


def fee_keys(versions: Sequence[TariffVersion]) -> set[str]:
    """Every one-time fee key any version defines."""
    return {s.one_time_fee.key for v in versions for s in v.services.values() if s.one_time_fee}
