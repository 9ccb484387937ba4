"""Client actions: add, edit, list, show."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from kvsupport.core.models import Client, PartyKind
from kvsupport.core.readable import quoted
from kvsupport.errors import InvalidValue
from kvsupport.i18n import _
from kvsupport.ops.client_codes import Renamed, check_new_code, rename
from kvsupport.ops.env import Env
from kvsupport.ops.teamviewer import refuse_shared_ids

CODE = re.compile(r"[^\W][\w-]*")  # letters (Cyrillic too), digits, '-', '_'


def check_code(code: str) -> str:
    """A client code: letters incl. Cyrillic, digits, ``-``, ``_``; not starting with ``-``."""
    if not CODE.fullmatch(code):
        raise InvalidValue(
            _("invalid client code {code}").format(code=quoted(code)),
            hint=_("use letters (Cyrillic too), digits, '-' and '_', e.g. romashka or тсж-лесная"),
        )
    return code


class ClientFields(NamedTuple):
    """A client's fields as typed: ``None`` leaves a field as it is, ``""`` clears an
    optional text (or the licence date)."""

    name: str | None = None
    inn: str | None = None
    kpp: str | None = None
    ogrn: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    teamviewer_id: tuple[str, ...] | None = None  # as typed; () clears them
    license_until: date | str | None = None
    fee_paid: bool | None = None
    kind: PartyKind | None = None  # never cleared
    signatory: str | None = None
    contract: str | None = None

    def is_empty(self) -> bool:
        """True when nothing would change."""
        return all(value is None for value in self)

    def given(self) -> list[str]:
        """The names of the fields given."""
        return [name for name, value in zip(self._fields, self, strict=True) if value is not None]


def checked(fields: ClientFields) -> ClientFields:
    """Requisites and contacts checked and normalised (a bad INN/KPP is refused)."""
    from kvsupport.core import requisites
    from kvsupport.core.teamviewer import teamviewer_ids

    def text(value: str | None, check: Callable[[str], str]) -> str | None:
        return value if value is None or value == "" else check(value)

    if fields.name is not None and not fields.name.strip():
        raise InvalidValue(_("the name must not be empty"))
    out = fields._replace(
        name=None if fields.name is None else fields.name.strip(),
        inn=text(fields.inn, requisites.check_inn),
        kpp=text(fields.kpp, requisites.check_kpp),
        ogrn=text(fields.ogrn, requisites.check_ogrn),
        phone=text(fields.phone, requisites.check_phone),
        email=text(fields.email, requisites.check_email),
        signatory=text(fields.signatory, _one_line),
        contract=text(fields.contract, _one_line),
        teamviewer_id=None if fields.teamviewer_id is None else teamviewer_ids(fields.teamviewer_id),
    )
    if out.kpp and out.inn and len(out.inn) == 12:
        raise InvalidValue(_("a KPP belongs to an organisation; a 12-digit INN has none"))
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _text(old: str | None, new: str | None) -> str | None:
    if new is None:
        return old
    return new or None


def with_fields(client: Client, fields: ClientFields) -> Client:
    """``client`` with the given ``fields`` set (``""`` clears)."""
    licence = client.license_until if fields.license_until is None else fields.license_until or None
    if isinstance(licence, str):
        raise TypeError("license_until must be parsed into a date at the edge")
    changed = client._replace(
        name=client.name if fields.name is None else fields.name,
        inn=_text(client.inn, fields.inn),
        kpp=_text(client.kpp, fields.kpp),
        ogrn=_text(client.ogrn, fields.ogrn),
        address=_text(client.address, fields.address),
        phone=_text(client.phone, fields.phone),
        email=_text(client.email, fields.email),
        teamviewer_ids=client.teamviewer_ids if fields.teamviewer_id is None else fields.teamviewer_id,
        license_until=licence,
        fee_paid=client.fee_paid if fields.fee_paid is None else fields.fee_paid,
        kind=client.kind if not fields.kind else fields.kind,
        signatory=_text(client.signatory, fields.signatory),
        contract=_text(client.contract, fields.contract),
    )
    if changed.kpp and changed.inn and len(changed.inn) == 12:
        raise InvalidValue(_("a KPP belongs to an organisation; a 12-digit INN has none"))
    return kind_check(changed)


def kind_check(client: Client) -> Client:
    """Refuse requisites that do not fit the client's kind (an entrepreneur: a 12-digit
    INN, no KPP, a 15-digit OGRNIP)."""
    from kvsupport.core.requisites import kind_problems

    problems = kind_problems(client.kind, client.inn, client.kpp, client.ogrn)
    if problems:
        field, message = problems[0]
        raise InvalidValue(f"--{field}: {message}")
    return client


def add(env: Env, code: str, fields: ClientFields) -> Client:
    """Add a client; a duplicate code is refused."""
    check_code(code)
    fields = checked(fields)
    if not fields.name:
        raise InvalidValue(_("the name must not be empty"))
    client = with_fields(Client(code=code, name=fields.name), fields)
    with env.store(write=True) as store:
        check_new_code(store.clients(), code)
        refuse_shared_ids(store, client)
        store.put_client(client)
        return client


def edit(
    env: Env, code: str, fields: ClientFields, new_code: str | None = None
) -> tuple[Client, Renamed | None]:
    """Change some fields of a client (``""`` clears an optional one); ``new_code`` renames
    it (:func:`kvsupport.ops.client_codes.rename`)."""
    if fields.is_empty() and new_code is None:
        raise InvalidValue(_("nothing to change"), hint=_("see 'kvsupport client edit --help'"))
    fields = checked(fields)
    with env.store(write=True) as store:
        client = store.client(code)
        renamed = None
        if new_code is not None:
            renamed = rename(store, client, new_code)
            client = renamed.client
        client = with_fields(client, fields)
        refuse_shared_ids(store, client)
        store.put_client(client)
        return client, renamed


def listing(env: Env, *, archived: bool = False) -> list[Client]:
    """The clients not archived (``archived``: every one), in the order they were added."""
    with env.store() as store:
        return [c for c in store.clients().values() if archived or not c.archived]


def show(env: Env, code: str) -> Client:
    """One client."""
    with env.store() as store:
        return store.client(code)


def licence_ended(client: Client, today: date) -> bool:
    """True when the client's licence ended before ``today``."""
    return client.license_until is not None and client.license_until < today
