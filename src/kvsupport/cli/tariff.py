"""``kvsupport tariff …``: the versioned price list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kvsupport.cli.options import FormatOpt, ItemFormat, ItemFormatOpt, ListFormat, OutputOpt, env_of
from kvsupport.cli.output import Column, print_json, print_rows, say
from kvsupport.cli.parse import day
from kvsupport.core.models import TariffVersion
from kvsupport.core.money import money_str

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
    rows = [
        {"effective": v.label, "title": v.title, "vat": v.vat, "services": ", ".join(v.services)}
        for v in env.tariffs.versions
    ]
    columns: list[Column] = [
        ("effective", "Effective", "left"),
        ("title", "Title", "left"),
        ("vat", "VAT", "left"),
        ("services", "Services", "left"),
    ]
    print_rows(
        rows, fmt.value, columns, title=str(env.tariffs_path), drop=("vat",), output=output, sheet="tariffs"
    )


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
        ("key", "Service", "left"),
        ("title", "Title", "left"),
        ("hourly_rate", "RUB/hour", "right"),
        ("minimum_minutes", "Min. min", "right"),
        ("rounding", "Rounding", "left"),
        ("fee", "One-time fee", "right"),
    ]
    for service in record["services"]:
        fee = service["one_time_fee"]
        service["fee"] = fee["amount"] if fee else ""
        service["rounding"] = f"{service['rounding']} to {service['step_minutes']} min"
    vat = "без НДС" if version.vat == "none" else f"НДС {version.vat}% included"
    title = f"{version.title} — effective {version.label}, {vat}"
    print_rows(record["services"], "text", columns, title=title)


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
    say(env, f"{path}: {len(tariffs.versions)} version(s), no problems")


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
        f"added version {version.label} to {target}; edit its prices there, then run "
        "'kvsupport tariff check'",
    )
