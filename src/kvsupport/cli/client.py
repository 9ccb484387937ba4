"""``kvsupport client …``: the organisations supported."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer

from kvsupport.cli.options import (
    FormatOpt,
    ItemFormat,
    ItemFormatOpt,
    ListFormat,
    OutputOpt,
    complete_client,
    env_of,
)
from kvsupport.cli.output import Column, print_json, print_rows, say
from kvsupport.cli.parse import day
from kvsupport.core import records
from kvsupport.core.models import Client
from kvsupport.core.text import printable
from kvsupport.i18n import N_, _
from kvsupport.ops import clients
from kvsupport.ops.clients import ClientFields
from kvsupport.ops.env import Env


class PartyKind(StrEnum):
    """What a client is in law."""

    company = "company"
    entrepreneur = "entrepreneur"


app = typer.Typer(add_completion=False, no_args_is_help=True, help="Clients: requisites, contacts, licence.")
commands = {"client": app}

CodeArg = Annotated[
    str,
    typer.Argument(metavar="CODE", help="Short client code, e.g. romashka.", autocompletion=complete_client),
]
InnOpt = Annotated[str | None, typer.Option(help="INN (10 or 12 digits, checksum checked).")]
KppOpt = Annotated[str | None, typer.Option(help="KPP (9 characters).")]
OgrnOpt = Annotated[str | None, typer.Option(help="OGRN or OGRNIP.")]
AddressOpt = Annotated[str | None, typer.Option(help="Legal address.")]
PhoneOpt = Annotated[str | None, typer.Option(help="Contact phone.")]
EmailOpt = Annotated[str | None, typer.Option(help="Contact e-mail.")]
TvOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--teamviewer-id",
        help='TeamViewer ID, 8-11 digits; several: repeat the option, or ID,ID ("" clears; edit replaces).',
        show_default=False,
    ),
]
KindOpt = Annotated[
    PartyKind | None,
    typer.Option(
        help="company (ООО, ТСЖ…, the default) or entrepreneur (ИП: no KPP, OGRNIP).", show_default=False
    ),
]
SignatoryOpt = Annotated[
    str | None,
    typer.Option(help='Who signs the act: title and name, e.g. "Председатель правления Петров П. П.".'),
]
ContractOpt = Annotated[
    str | None, typer.Option(help='The contract, e.g. "№ 15 от 01.02.2017" (printed «Основание: договор …»).')
]
LicenseOpt = Annotated[
    str | None, typer.Option("--license-until", help="Licence end date (free line until then).")
]


def client_record(client: Client, env: Env | None = None) -> dict[str, Any]:
    """The JSON shape of a client (:func:`kvsupport.core.records.client_record`)."""
    from kvsupport.core.records import client_record as record

    return record(client, None if env is None else env.today)


def _licence(env: Env, text: str | None) -> date | str | None:
    """``--license-until``: a date, ``""`` (clear it) or ``None`` (not given)."""
    return text if text is None or text == "" else day(env, text)


@app.command("add")
def client_add(
    ctx: typer.Context,
    code: CodeArg,
    name: Annotated[str, typer.Option(help='Full name, e.g. «ТСЖ "Лесная 5"».')],
    inn: InnOpt = None,
    kpp: KppOpt = None,
    ogrn: OgrnOpt = None,
    address: AddressOpt = None,
    phone: PhoneOpt = None,
    email: EmailOpt = None,
    teamviewer_id: TvOpt = None,
    license_until: LicenseOpt = None,
    fee_paid: Annotated[
        bool, typer.Option("--fee-paid", help="One-time fees were paid before kvsupport.")
    ] = False,
    kind: KindOpt = None,
    signatory: SignatoryOpt = None,
    contract: ContractOpt = None,
) -> None:
    """Add a client.

    Example: kvsupport client add romashka --name "ООО «Ромашка»" --inn 7707083893 --phone "+7 495 123-45-67"
    """
    env = env_of(ctx)
    fields = ClientFields(
        name=name,
        inn=inn,
        kpp=kpp,
        ogrn=ogrn,
        address=address,
        phone=phone,
        email=email,
        teamviewer_id=tuple(teamviewer_id) if teamviewer_id else None,
        license_until=_licence(env, license_until),
        fee_paid=fee_paid,
        kind=kind.value if kind else None,
        signatory=signatory,
        contract=contract,
    )
    client = clients.add(env, code, fields)
    say(env, _("added client {code}: {name}").format(code=client.code, name=client.name))


@app.command("edit")
def client_edit(
    ctx: typer.Context,
    code: CodeArg,
    new_code: Annotated[
        str | None,
        typer.Option("--code", help="A new code: sessions and orders follow, issued invoices keep theirs."),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Full name.")] = None,
    inn: InnOpt = None,
    kpp: KppOpt = None,
    ogrn: OgrnOpt = None,
    address: AddressOpt = None,
    phone: PhoneOpt = None,
    email: EmailOpt = None,
    teamviewer_id: TvOpt = None,
    license_until: LicenseOpt = None,
    fee_paid: Annotated[
        bool | None,
        typer.Option(
            "--fee-paid/--fee-not-paid",
            show_default=False,
            help="One-time fees paid before kvsupport.",
        ),
    ] = None,
    kind: KindOpt = None,
    signatory: SignatoryOpt = None,
    contract: ContractOpt = None,
) -> None:
    """Change a client's fields; an empty value ("") clears an optional field; --code renames.

    Example: kvsupport client edit romashka --code romashka-spb --license-until 2027-12-31
    """
    env = env_of(ctx)
    fields = ClientFields(
        name=name,
        inn=inn,
        kpp=kpp,
        ogrn=ogrn,
        address=address,
        phone=phone,
        email=email,
        teamviewer_id=tuple(teamviewer_id) if teamviewer_id else None,
        license_until=_licence(env, license_until),
        fee_paid=fee_paid,
        kind=kind.value if kind else None,
        signatory=signatory,
        contract=contract,
    )
    client, renamed = clients.edit(env, code, fields, new_code)
    from kvsupport.cli.client_archive import changed_message

    say(env, changed_message(client, fields.given(), renamed))


#: the keys of ``client_record``: the CSV header, also of an empty listing
RECORD_FIELDS = list(records.client_record(Client(code="", name=""), date.min))

COLUMNS: list[Column] = [  # headers are msgids: a table shows them in the interface's language
    ("code", N_("Code"), "left"),
    ("name", N_("Name"), "left"),
    ("inn", N_("INN"), "left"),
    ("phone", N_("Phone"), "left"),
    ("license_until", N_("Licence until"), "left"),
    ("fee_paid", N_("Fee paid"), "left"),
]


@app.command("list")
def client_list(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Archived clients too.")] = False,
    fmt: FormatOpt = ListFormat.text,
    output: OutputOpt = None,
) -> None:
    """List clients (archived ones with --all).

    Example: kvsupport client list --format csv
    """
    env = env_of(ctx)
    rows = [client_record(c, env) for c in clients.listing(env, archived=all_)]
    print_rows(
        rows,
        fmt.value,
        COLUMNS,
        empty=_("no clients yet: kvsupport client add CODE --name NAME"),
        fields=RECORD_FIELDS,
        drop=("fee_paid", "license_until", "inn", "phone"),
        text={"license_until": _licence_day},
        output=output,
        env=env,
        sheet="clients",
    )


@app.command("show")
def client_show(ctx: typer.Context, code: CodeArg, fmt: ItemFormatOpt = ItemFormat.text) -> None:
    """Show one client.

    Example: kvsupport client show romashka
    """
    env = env_of(ctx)
    record = client_record(clients.show(env, code), env)
    if fmt is ItemFormat.json:
        print_json(record)
        return
    shown = [
        (_(SHOW_LABELS[key]) if key in SHOW_LABELS else key.replace("_", " "), _shown(key, value))
        for key, value in record.items()
        # teamviewer_id: the first of teamviewer_ids, shown there
        if key != "teamviewer_id"
        and value not in (None, {}, "", [])
        and not (key == "archived" and not value)
    ]
    width = max([16, *(len(label) + 1 for label, _value in shown)])  # a Russian label may be longer
    for label, value in shown:
        print(printable(f"{label + ':':{width}} {value}"))


#: the labels of ``client show`` (msgids; in English the record's keys, as always)
SHOW_LABELS = {
    "code": N_("code"),
    "name": N_("name"),
    "inn": N_("inn"),
    "kpp": N_("kpp"),
    "ogrn": N_("ogrn"),
    "address": N_("address"),
    "phone": N_("phone"),
    "email": N_("email"),
    "teamviewer_ids": N_("teamviewer ids"),
    "license_until": N_("license until"),
    "fee_paid": N_("fee paid"),
    "fees_charged": N_("fees charged"),
    "kind": N_("kind"),
    "signatory": N_("signatory"),
    "contract": N_("contract"),
    "archived": N_("archived"),
    "former_codes": N_("former codes"),
    "license_ended": N_("license ended"),
}
#: what ``client show`` says a client is in law
KINDS = {"company": N_("company"), "entrepreneur": N_("entrepreneur")}


def _shown(key: str, value: object) -> str:
    """One value of ``client show`` as a person reads it, in the interface's language."""
    if isinstance(value, dict):
        return ", ".join(_("{fee} on {invoice}").format(fee=k, invoice=v) for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "license_until":
        return _licence_day(value)
    if key == "kind" and value in KINDS:
        return _(KINDS[str(value)])
    return str(value)


def _licence_day(value: object) -> str:
    """A licence's end date (``2027-12-31`` in the record) as the interface writes dates."""
    from kvsupport.cli import figures

    return figures.day(date.fromisoformat(str(value)))


from kvsupport.cli import client_archive  # noqa: E402, F401 - registers client archive|unarchive
