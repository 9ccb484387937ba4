"""Client actions: add, edit, list, show."""

from __future__ import annotations

import re
from datetime import date

from kvsupport.core.models import Client
from kvsupport.errors import InvalidValue, Refused
from kvsupport.ops.env import Env
from kvsupport.storage.ledger import open_ledger

CODE = re.compile(r"[^\W][\w-]*")  # letters (Cyrillic too), digits, '-', '_'


def check_code(code: str) -> str:
    """A client code: letters incl. Cyrillic, digits, ``-``, ``_``; not starting with ``-``."""
    if not CODE.fullmatch(code):
        raise InvalidValue(
            f"invalid client code {code!r}",
            hint="use letters (Cyrillic too), digits, '-' and '_', e.g. romashka or тсж-лесная",
        )
    return code


def checked_fields(values: dict[str, object]) -> dict[str, object]:
    """Requisites and contacts checked and normalised (a bad INN/KPP is refused)."""
    from kvsupport.core import requisites

    checks = {
        "inn": requisites.check_inn,
        "kpp": requisites.check_kpp,
        "ogrn": requisites.check_ogrn,
        "phone": requisites.check_phone,
        "email": requisites.check_email,
    }
    out: dict[str, object] = {}
    for key, value in values.items():
        if isinstance(value, str) and key in checks:
            value = checks[key](value)
        if isinstance(value, str) and key == "name" and not value.strip():
            raise InvalidValue("the name must not be empty")
        if isinstance(value, str) and key in ("signatory", "contract"):
            value = " ".join(value.split())
        out[key] = value
    inn = out.get("inn")
    if isinstance(out.get("kpp"), str) and isinstance(inn, str) and len(inn) == 12:
        raise InvalidValue("a KPP belongs to an organisation; a 12-digit INN has none")
    return out


def add(env: Env, code: str, values: dict[str, object]) -> Client:
    """Add a client; a duplicate code is refused."""
    check_code(code)
    values = checked_fields(values)
    with open_ledger(env.ledger_path, write=True) as ledger:
        if code in ledger.clients():
            raise Refused(f"client '{code}' exists", hint=f"change it with 'kvsupport client edit {code}'")
        client = kind_check(Client(code=code, **values))  # type: ignore[arg-type]
        ledger.put_client(client)
        return client


def edit(env: Env, code: str, values: dict[str, object]) -> Client:
    """Change some fields of a client (``""`` clears an optional one)."""
    if not values:
        raise InvalidValue("nothing to change", hint="see 'kvsupport client edit --help'")
    cleared = {k: None for k, v in values.items() if v == "" and k not in ("name", "kind")}
    values = checked_fields({k: v for k, v in values.items() if k not in cleared})
    with open_ledger(env.ledger_path, write=True) as ledger:
        client = ledger.client(code).with_changes(**values, **cleared)
        merged = kind_check(merged_kpp_check(client))
        ledger.put_client(merged)
        return merged


def merged_kpp_check(client: Client) -> Client:
    """Refuse a KPP beside a 12-digit INN after an edit."""
    if client.kpp and client.inn and len(client.inn) == 12:
        raise InvalidValue("a KPP belongs to an organisation; a 12-digit INN has none")
    return client


def kind_check(client: Client) -> Client:
    """Refuse requisites that do not fit the client's kind (an entrepreneur: a 12-digit
    INN, no KPP, a 15-digit OGRNIP)."""
    from kvsupport.core.requisites import kind_problems

    problems = kind_problems(client.kind, client.inn, client.kpp, client.ogrn)
    if problems:
        field, message = problems[0]
        raise InvalidValue(f"--{field}: {message}")
    return client


def listing(env: Env) -> list[Client]:
    """All clients, in the order they were added."""
    with open_ledger(env.ledger_path) as ledger:
        return list(ledger.clients().values())


def show(env: Env, code: str) -> Client:
    """One client."""
    with open_ledger(env.ledger_path) as ledger:
        return ledger.client(code)


def licence_ended(client: Client, today: date) -> bool:
    """True when the client's licence ended before ``today``."""
    return client.license_until is not None and client.license_until < today


FIELDS = list(Client._fields)
