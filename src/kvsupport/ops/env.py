"""What every operation needs from the edges: paths, the clock, config, tariffs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from kvsupport.storage.api import Store
    from kvsupport.storage.outputs import Kept

from kvsupport.core.tariffs import Tariffs
from kvsupport.storage import paths
from kvsupport.storage.config import Config, load_config

_UNSET = object()


class Env:
    """Resolved once per command; the clock is read once, here, and passed on.

    A plain class (not a dataclass): it is on the path of every command.
    """

    def __init__(
        self,
        ledger_option: str | None = None,
        tariffs_option: str | None = None,
        config_option: str | None = None,
        quiet: bool = False,
        now: datetime | None = None,
    ) -> None:
        self.ledger_option = ledger_option
        self.tariffs_option = tariffs_option
        self.config_option = config_option
        self.quiet = quiet
        self.now = now if now is not None else datetime.now(UTC)
        self._fixed_now = now is not None
        self.action: str | None = None  # the command, as the ledger's journal names the change
        self._location: str | None = None
        self._config: Config | None = None
        self._tariffs: Tariffs | None = None
        self._tz: tzinfo | object | None = _UNSET

    @property
    def ledger_path(self) -> Path:
        """The ledger file (SPEC §4 resolution order)."""
        return paths.ledger_path(self.ledger_option)

    @property
    def ledger_location(self) -> str:
        """The ledger: a file path, or a ``postgresql://`` URL (SPEC §9)."""
        if self._location is None:
            self._location = paths.ledger_location(self.ledger_option)
        return self._location

    def store(
        self, *, write: bool = False, long_read: bool = False, recover: bool = False, rehearse: bool = False
    ) -> AbstractContextManager[Store]:
        """One unit of work on the ledger (:func:`kvsupport.storage.open_store`)."""
        from kvsupport.storage import open_store

        return open_store(
            self.ledger_location,
            write=write,
            long_read=long_read,
            recover=recover,
            rehearse=rehearse,
            consultant=self.consultant if write else None,
            action=self.action,
        )

    @property
    def consultant(self) -> str:
        """Who is working: the config's ``consultant.name``, else the login name."""
        name = self.config.text("consultant.name")
        if name:
            return name
        import getpass

        try:
            return getpass.getuser()
        except (KeyError, OSError):  # no login name (a container without a passwd entry)
            return "consultant"

    def tick(self) -> datetime:
        """The clock read again (unless a fixed ``now`` was given): a command that
        waited for the ledger's lock must not date its work before the one it waited for."""
        if not self._fixed_now:
            self.now = datetime.now(UTC)
        return self.now

    @property
    def tariffs_path(self) -> Path:
        """The tariff file (SPEC §4 resolution order)."""
        return paths.tariffs_path(self.tariffs_option)

    @property
    def config_path(self) -> Path:
        """The config file (SPEC §4 resolution order)."""
        return paths.config_path(self.config_option)

    @property
    def kept(self) -> Kept:
        """What no output file of this command may be written over: the ledger's files,
        the config and the tariff file (:mod:`kvsupport.storage.outputs`)."""
        from contextlib import suppress

        from kvsupport.errors import KvsupportError
        from kvsupport.storage.outputs import Kept

        files = []
        for where in ("config_path", "tariffs_path"):
            with suppress(KvsupportError):  # a path the system refuses: no file to keep there
                files.append(getattr(self, where))
        try:
            ledger: str | None = self.ledger_location
        except KvsupportError:  # a location refused: no ledger files to keep
            ledger = None
        return Kept(ledger, tuple(files))

    @property
    def config(self) -> Config:
        """The checked config (read once)."""
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    @property
    def tz(self) -> tzinfo | None:
        """The local zone: config ``timezone``, else the system's (:func:`system_zone`; looked up once).

        ``None`` only when the system's zone has no name (a POSIX ``TZ`` rule, a copied
        ``/etc/localtime``): then the C library's local time is used.
        """
        if self._tz is _UNSET:
            self._tz = self.config.tz or system_zone()
        return self._tz  # type: ignore[return-value]

    @property
    def tariffs(self) -> Tariffs:
        """The checked tariff file (read once)."""
        if self._tariffs is None:
            from kvsupport.storage.tariff_file import load_tariffs

            self._tariffs = load_tariffs(self.tariffs_path)
        return self._tariffs

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the local zone."""
        return moment.astimezone(self.tz)

    @property
    def today(self) -> date:
        """The local date now."""
        return self.local(self.now).date()


LOCALTIME = "/etc/localtime"


def system_zone(environ: Mapping[str, str] | None = None, localtime: str = LOCALTIME) -> tzinfo | None:
    """The system's local zone as a ``ZoneInfo``, or ``None`` when it has no name.

    As the C library decides: ``TZ`` when it is set (``Europe/Moscow``,
    ``:Europe/Moscow``, or a path into a ``zoneinfo`` directory), else the zone
    that ``/etc/localtime`` links to. A real zone, rather than the C library's
    ``astimezone()``, lets a wall time the clocks skip be refused, and makes
    arithmetic across a clock change exact. A ``TZ`` that names no zone (a POSIX
    rule such as ``MSK-3``) gives ``None``, never ``/etc/localtime``'s zone: the
    C library follows ``TZ`` then too. Cheap: one environment look-up or one
    ``readlink``, no dependency (tzlocal does the same with more cases and cost).
    """
    env = os.environ if environ is None else environ
    name = env.get("TZ")
    if name is not None:
        name = name.removeprefix(":")
        if name.startswith("/"):
            key = _zone_key(name) if name != localtime else _link_key(localtime)
        else:
            key = name
        return _zone(key)
    return _zone(_link_key(localtime))


def _link_key(path: str) -> str | None:
    try:
        return _zone_key(os.readlink(path))
    except OSError:  # not a link (a copied file), or missing
        return None


def _zone_key(path: str) -> str | None:
    """``America/New_York`` from ``/usr/share/zoneinfo/America/New_York`` (or ``../usr/share/…``)."""
    _, found, key = path.rpartition("zoneinfo/")
    return key if found else None


def _zone(key: str | None) -> tzinfo | None:
    if not key:
        return None
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(key)
    except (LookupError, ValueError, OSError):  # not a zone name, or not a zone file
        return None
