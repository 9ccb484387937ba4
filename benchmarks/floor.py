"""The floor of ``session status``: what Python itself allows, stdlib only.

Usage: ``python benchmarks/floor.py LEDGER.json CONFIG.toml TARIFFS.toml``.

What ``session status`` cannot do without: take the ledger's lock (``flock``,
shared), read the manifest JSON, read the two TOML files (config and tariff),
load the time zone, and print whether a session is running. Everything
``kvsupport session status`` spends beyond this is its own (the CLI framework,
its models, checks and messages).
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import tomllib
import zoneinfo
from pathlib import Path


def main(ledger: Path, config: Path, tariffs: Path) -> None:
    fd = os.open(ledger.with_name(ledger.name + ".d") / "lock", os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_SH)
    manifest = json.loads(ledger.read_bytes())
    settings = tomllib.loads(config.read_text("utf-8"))
    tomllib.loads(tariffs.read_text("utf-8"))
    zone = zoneinfo.ZoneInfo(settings.get("timezone", "Europe/Moscow"))
    os.close(fd)
    running = manifest["running"]
    print(f"{len(running)} running ({zone.key})" if running else "no session is running")


if __name__ == "__main__":
    main(*map(Path, sys.argv[1:4]))
