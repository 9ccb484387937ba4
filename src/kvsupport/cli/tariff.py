"""``kvsupport tariff …``: the versioned price list."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from kvsupport.cli import figures
from kvsupport.cli.options import FormatOpt, ItemFormat, ItemFormatOpt, ListFormat, OutputOpt, env_of
from kvsupport.cli.output import Column, print_json, print_rows, say
from kvsupport.cli.parse import day
from kvsupport.core.models import TariffVersion
from kvsupport.core.money import money_str
from kvsupport.i18n import N_, _, ngettext, pgettext

app = typer.Typer(add_completion=False, no_args_is_help=True, help="The versioned price list.")
commands = {"tariff": app}


def version_record(version: TariffVersion) -> dict[str, Any]:
    """The JSON shape of a tariff version."""
    services = []
    for service in version.services.values():
        fee = service.one_time_fee
        services.append(
            {
                "key": service.key,
                "title": service.title,
                "hourly_rate": money_str(service.hourly_rate),
                "minimum_minutes": service.minimum_minutes,
                "step_minutes": service.step_minutes,
                "rounding": service.rounding,
                "requires": list(service.requires),
                "one_time_fee": None
                if fee is None
                else {"key": fee.key, "title": fee.title, "amount": money_str(fee.amount)},
            }
        )
    return {
        "effective": version.label,
        "title": version.title,
        "vat": version.vat,
        "services": services,
    }


@app.command("list")
def tariff_list(ctx: typer.Context, fmt: FormatOpt = ListFormat.text, output: OutputOpt = None) -> None:
    """List the tariff versions and when each takes effect.

    Example: kvsupport tariff list
    """
    env = env_of(ctx)
    versions = env.tariffs.versions
    columns: list[Column] = [
        ("effective", _("Effective"), "left"),
        ("title", _("Title"), "left"),
        ("vat", _("VAT"), "left"),
        ("services", _("Services"), "left"),
    ]
    if fmt is ListFormat.text:  # dates and VAT as a reader reads them
        rows = [
            {
                "effective": figures.day(v.effective),
                "title": v.title,
                "vat": _vat_cell(v.vat),
                "services": ", ".join(v.services),
            }
            for v in versions
        ]
    else:
        rows = [
            {"effective": v.label, "title": v.title, "vat": v.vat, "services": ", ".join(v.services)}
            for v in versions
        ]
    print_rows(
        rows,
        fmt.value,
        columns,
        title=str(env.tariffs_path),
        drop=("vat",),
        output=output,
        env=env,
        sheet="tariffs",
    )


def _vat_cell(vat: str) -> str:
    """A version's VAT in the text listing: ``none`` or ``20`` in English (as in JSON);
    «без НДС» or «20 %» in Russian."""
    if not figures.russian():
        return vat
    return _("no VAT") if vat == "none" else f"{vat}{figures.NBSP}%"


def _rate_cell(amount: Decimal) -> str:
    """An hourly rate in ``tariff show``: ``1 300,00`` in Russian (the header says «₽/ч»),
    ``1300.00`` in English."""
    return figures.number(amount)


def _sum_cell(amount: Decimal) -> str:
    """A fee in ``tariff show``: ``4 000,00`` in Russian (the header says «₽»), ``4000.00``
    in English."""
    return figures.number(amount)


#: how a service's time is rounded, as ``tariff show`` says it (with {step}, minutes)
ROUNDING_WORDS = {
    "up": N_("up to {step} min"),
    "nearest": N_("nearest to {step} min"),
    "down": N_("down to {step} min"),
}


@app.command("show")
def tariff_show(
    ctx: typer.Context,
    on: Annotated[str | None, typer.Option(help="Date (default: today).", show_default=False)] = None,
    fmt: ItemFormatOpt = ItemFormat.text,
) -> None:
    """Show the prices in force on a date.

    Example: kvsupport tariff show --on 2026-11-25 --format json
    """
    env = env_of(ctx)
    version = env.tariffs.in_force(day(env, on))
    record = version_record(version)
    if fmt is ItemFormat.json:
        print_json(record)
        return
    columns: list[Column] = [
        ("key", _("Service"), "left"),
        ("title", _("Title"), "left"),
        ("hourly_rate", _("RUB/hour"), "right"),
        ("minimum_minutes", _("Min. min"), "right"),
        ("rounding", _("Rounding"), "left"),
        ("fee", pgettext("a column of sums", "One-time fee"), "right"),
    ]
    rows = []
    for service in version.services.values():
        fee = service.one_time_fee
        rows.append(
            {
                "key": service.key,
                "title": service.title,
                "hourly_rate": _rate_cell(service.hourly_rate),
                "minimum_minutes": service.minimum_minutes,
                "rounding": _(ROUNDING_WORDS[service.rounding]).format(step=service.step_minutes),
                "fee": _sum_cell(fee.amount) if fee else "",
            }
        )
    vat = "без НДС" if version.vat == "none" else _("НДС {rate}% included").format(rate=version.vat)
    title = _("{title} — effective {date}, {vat}").format(
        title=version.title, date=figures.day(version.effective), vat=vat
    )
    print_rows(rows, "text", columns, title=title)


@app.command("check")
def tariff_check(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(help="Tariff file (default: the one in use).", show_default=False),
    ] = None,
) -> None:
    """Check a tariff file and report every problem at once (exit 1 if any).

    Example: kvsupport tariff check ~/my-tariffs.toml
    """
    from kvsupport.storage.tariff_file import load_tariffs

    env = env_of(ctx)
    path = file or env.tariffs_path
    tariffs = load_tariffs(path)
    count = len(tariffs.versions)
    text = ngettext(
        "{path}: {count} version(s), no problems", "{path}: {count} version(s), no problems", count
    )
    say(env, text.format(path=path, count=count))


@app.command("new")
def tariff_new(
    ctx: typer.Context,
    effective: Annotated[str, typer.Option(help="The date the new prices take effect.")],
) -> None:
    """Append a copy of the latest version under a new date, to edit when prices change.

    Example: kvsupport tariff new --effective 2027-01-01
    """
    from kvsupport.storage import paths
    from kvsupport.storage.tariff_file import append_version

    env = env_of(ctx)
    source = env.tariffs_path
    target = source if source != paths.PACKAGED_TARIFFS else paths.user_tariffs_path()
    version = append_version(target, source, day(env, effective))
    say(
        env,
        _(
            "added version {label} to {target}; edit its prices there, then run 'kvsupport tariff check'"
        ).format(label=version.label, target=target),
    )
