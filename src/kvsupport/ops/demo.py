"""A sample month built through the real operations, in a ledger of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from kvsupport.i18n import _
from kvsupport.ops import clients, invoices, sessions
from kvsupport.ops.clients import ClientFields
from kvsupport.ops.env import Env
from kvsupport.ops.sessions import Details
from kvsupport.storage import paths
from kvsupport.storage.config import save_config

SUPPLIER: dict[str, object] = {
    "supplier.name": "ООО «Бонус»",
    "supplier.inn": "7707083893",
    "supplier.kpp": "773601001",
    "supplier.address": "г. Москва, ул. Вавилова, д. 19",
    "supplier.bank": "ПАО Сбербанк",
    "supplier.bik": "044525225",
    "supplier.correspondent_account": "30101810400000000225",
    "supplier.account": "40702810538000123456",
    "supplier.director": "Иванов И. И.",
    "consultant.name": "Петров П. П.",
    "timezone": "Europe/Moscow",
}


@dataclass
class Demo:
    """Where the sample lives and what was issued."""

    directory: Path
    env: Env
    issued: invoices.Issued
    steps: list[str]


def build(directory: Path, now: datetime) -> Demo:
    """Two clients and a month of the source terms' cases, then the month's invoices."""
    env = Env(
        ledger_option=str(directory / "ledger.json"),
        tariffs_option=str(paths.PACKAGED_TARIFFS),
        config_option=str(directory / "config.toml"),
        now=now,
    )
    save_config(env.config_path, SUPPLIER)
    today = env.today
    first = today.replace(day=1)
    year, month = (first - timedelta(days=1)).year, (first - timedelta(days=1)).month
    clients.add(
        env,
        "romashka",
        ClientFields(
            name="ТСЖ «Ромашка»",
            inn="5001007329",
            kpp="500101001",
            address="г. Балашиха, ул. Лесная, д. 5",
            phone="+7 495 123-45-67",
            license_until=today + timedelta(days=365),
        ),
    )
    clients.add(
        env,
        "lesnaya",
        ClientFields(name="УК «Лесная»", phone="+7 916 000-11-22", license_until=today - timedelta(days=365)),
    )

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(year, month, day, hour, minute, tzinfo=env.tz)

    steps = []
    consent = Details(problem="не сходятся начисления пени", consent=f"письмо от 02.{month:02d}")
    s = sessions.add(env, "romashka", "backup", at(3, 10), at(3, 11, 1), consent).session
    steps.append(
        _("backup by e-mail, 61 min → session {id}, billed 61 min (every started minute)").format(id=s.id)
    )
    remote = Details(problem="перенос базы на новый компьютер", backup_confirmed=True)
    s = sessions.add(env, "romashka", "remote", at(10, 14), at(10, 15, 30), remote).session
    steps.append(
        _("remote, 90 min, the client's first → session {id}, plus the one-time connection fee").format(
            id=s.id
        )
    )
    s = sessions.add(env, "lesnaya", "remote", at(17, 9), at(17, 9, 20), remote).session
    env_resume = Env(env.ledger_option, env.tariffs_option, env.config_option, now=at(17, 9, 25))
    sessions.resume(env_resume, s.id, at(17, 9, 25))
    sessions.stop(
        Env(env.ledger_option, env.tariffs_option, env.config_option, now=at(17, 9, 55)), at(17, 9, 55)
    )
    steps.append(
        _("remote, link dropped after 20 min, resumed for 30 → session {id}: one minimum, 1300.00").format(
            id=s.id
        )
    )
    call = sessions.add(env, "lesnaya", "line", at(24, 11), at(24, 11, 12), Details(problem="отчёт"))
    steps.append(
        _("free phone line, 12 min → session {id}: logged, never invoiced").format(id=call.session.id)
    )
    warning = _("warning:")  # as the command line prefixes a warning
    steps.extend(f"{warning} {w}" for w in call.warnings)
    issued = invoices.issue(env, year, month)
    return Demo(directory, env, issued, steps)
