"""Whole-process benchmark of the installed ``kvsupport`` at 1k, 20k and 200k sessions.

Usage (from the repo, in the venv where kvsupport is installed)::

    python benchmarks/run.py                 # 1k and 20k, prints a Markdown table
    python benchmarks/run.py --sizes 1000 20000 200000 --runs 10 --write BENCHMARKS.md

Ledgers are generated deterministically through kvsupport's own storage and
billing code (10 years, 30 clients, all three services, invoices issued for
every month but the last two). Each command runs as a whole process, several
times after a warm-up, interleaved with the same venv's ``python -c pass``;
the table gives the median, min-max, the ratio of medians to ``python -c
pass``, and the peak RSS of the process (from ``os.wait4``).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

MSK = timezone(timedelta(hours=3))
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=MSK)
YEARS = 10
CLIENTS = 30
BIN = Path(sys.executable).parent


@dataclass
class Timing:
    """Figures of one command."""

    name: str
    size: int
    wall: list[float]
    rss_kib: list[int]
    base: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.wall) * 1000

    @property
    def ratio(self) -> float:
        return statistics.median(self.wall) / statistics.median(self.base)


def generate(directory: Path, size: int) -> Path:
    """A ledger of ``size`` finished sessions over 10 years, through kvsupport's own code."""
    from kvsupport.core.models import Client, Segment, Session
    from kvsupport.ops import invoices
    from kvsupport.ops.env import Env
    from kvsupport.storage.config import save_config
    from kvsupport.storage.ledger import open_ledger

    rng = random.Random(size)
    ledger_path = directory / "ledger.json"
    config = directory / "config.toml"
    save_config(config, {"timezone": "Europe/Moscow", "supplier.name": "ООО «Бонус»"})
    start_day = date(2017, 1, 1)  # the first price list; ~10 years to NOW
    days = (NOW.date() - timedelta(days=1) - start_day).days
    slots_per_day = max(1, -(-size // days))
    with open_ledger(ledger_path, write=True) as ledger:
        for i in range(CLIENTS):
            ledger.put_client(
                Client(
                    code=f"client{i:02d}",
                    name=f"ТСЖ «Дом {i}»",
                    phone="+7 900 000-00-00",
                    fee_paid=i % 3 == 0,
                )
            )
        step = days / size
        for n in range(size):
            day = start_day + timedelta(days=int(n * step))
            slot = n % slots_per_day if step < 1 else 0
            begin = datetime(day.year, day.month, day.day, 9, 0, tzinfo=MSK) + timedelta(minutes=11 * slot)
            minutes = rng.randint(5, 9)
            service = rng.choice(("line", "backup", "remote"))
            segments = (Segment(begin, begin + timedelta(minutes=minutes)),)
            ledger.put_session(
                Session(
                    id=ledger.new_session_id(),
                    client=f"client{rng.randrange(CLIENTS):02d}",
                    service=service,
                    segments=segments,
                    problem="проблема",
                    consent="письмо",
                    backup_confirmed=True,
                )
            )
    env = Env(ledger_option=str(ledger_path), config_option=str(config), now=NOW.astimezone(UTC))
    month = date(start_day.year, start_day.month, 1)
    last = date(NOW.year, NOW.month, 1) - timedelta(days=40)
    while month <= last:
        issued_on = (month + timedelta(days=32)).replace(day=1)
        invoices.issue(env, month.year, month.month, issued_on=issued_on)
        month = issued_on
    return directory


def _run(argv: Sequence[str], env: dict[str, str]) -> tuple[float, int, int]:
    begin = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - begin
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, proc.returncode


def measure(
    name: str, size: int, argv: list[str], env: dict[str, str], runs: int, before: list[str] | None = None
) -> Timing:
    """Run ``argv`` ``runs`` times after a warm-up, interleaved with ``python -c pass``."""
    base_argv = [str(BIN / "python"), "-c", "pass"]
    wall, rss, base = [], [], []
    for i in range(runs + 1):
        if before:
            _run(before, env)
        seconds, peak, code = _run(argv, env)
        if code != 0:
            raise SystemExit(f"{' '.join(argv)} exited {code}")
        b, _, _ = _run(base_argv, env)
        if i:
            wall.append(seconds)
            rss.append(peak)
            base.append(b)
    return Timing(name, size, wall, rss, base)


def bench_size(size: int, runs: int, work: Path) -> list[Timing]:
    """Every budgeted command on a ledger of ``size`` sessions."""
    directory = work / f"ledger-{size}"
    directory.mkdir()
    began = time.perf_counter()
    # In a child process: a parent holding the data would inflate every
    # measured child's peak RSS (fork) and its start-up.
    subprocess.run([sys.executable, __file__, "--generate", str(directory), str(size)], check=True)
    print(f"generated {size} sessions in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    env = {
        **os.environ,
        "KVSUPPORT_LEDGER": str(directory / "ledger.json"),
        "KVSUPPORT_CONFIG": str(directory / "config.toml"),
        "NO_COLOR": "1",
    }
    env.pop("KVSUPPORT_TARIFFS", None)
    kv = str(BIN / "kvsupport")
    month = "2026-10"
    start = [kv, "session", "start", "client01", "line", "--at", "-30m", "--allow-overlap"]
    stop = [kv, "session", "stop"]
    out = [
        measure("session status", size, [kv, "session", "status"], env, runs),
        measure("session start", size, start, env, runs, before=[kv, "session", "cancel"]),
    ]
    subprocess.run([kv, "session", "cancel"], env=env, capture_output=True, check=False)
    out.append(measure("session stop", size, stop, env, runs, before=start))
    out.append(
        measure(
            f"invoice --month {month} --dry-run",
            size,
            [kv, "invoice", "--month", month, "--dry-run", "--format", "json"],
            env,
            runs,
        )
    )
    out.append(measure(f"report --month {month}", size, [kv, "report", "--month", month], env, runs))
    out.append(
        measure("export --format json", size, [kv, "export", "--format", "json"], env, max(3, runs // 3))
    )
    return out


def bench_import(rows: int, runs: int, work: Path) -> Timing:
    """``import`` of ``rows`` CSV rows into a ledger that has the clients."""
    source = work / "import-source"
    source.mkdir()
    subprocess.run([sys.executable, __file__, "--generate", str(source), str(rows)], check=True)
    env = {
        **os.environ,
        "KVSUPPORT_LEDGER": str(source / "ledger.json"),
        "KVSUPPORT_CONFIG": str(source / "config.toml"),
        "NO_COLOR": "1",
    }
    kv = str(BIN / "kvsupport")
    csv_text = subprocess.run(
        [kv, "export", "--format", "csv"], env=env, capture_output=True, check=True, text=True
    ).stdout
    csv_file = work / "sessions.csv"
    csv_file.write_text(csv_text, "utf-8")
    target = work / "import-target"
    from kvsupport.storage.ledger import open_ledger

    def fresh() -> None:
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        shutil.copy(source / "config.toml", target / "config.toml")
        with (
            open_ledger(source / "ledger.json") as src,
            open_ledger(target / "ledger.json", write=True) as dst,
        ):
            for client in src.clients().values():
                dst.put_client(client.with_changes(fees_charged={}))

    wall, rss, base = [], [], []
    for _ in range(runs):
        fresh()
        env_t = {**env, "KVSUPPORT_LEDGER": str(target / "ledger.json")}
        seconds, peak, code = _run([kv, "import", str(csv_file)], env_t)
        if code != 0:
            raise SystemExit(f"import exited {code}")
        wall.append(seconds)
        rss.append(peak)
        base.append(_run([str(BIN / "python"), "-c", "pass"], env_t)[0])
    return Timing(f"import of {rows} CSV rows", rows, wall, rss, base)


def table(timings: list[Timing]) -> str:
    """A Markdown table of the results."""
    rows = [
        "| command | sessions | median ms | min–max ms | × `python -c pass` | peak RSS MiB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for t in timings:
        lo, hi = min(t.wall) * 1000, max(t.wall) * 1000
        rows.append(
            f"| `{t.name}` | {t.size:,} | {t.median_ms:.0f} | {lo:.0f}–{hi:.0f} | "
            f"{t.ratio:.1f} | {max(t.rss_kib) / 1024:.0f} |"
        )
    base = statistics.median([b for t in timings for b in t.base]) * 1000
    rows.append("")
    rows.append(f"`python -c pass` in the same venv, interleaved: median {base:.0f} ms.")
    return "\n".join(rows)


def main() -> None:
    """Parse arguments, run, print (and optionally write) the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--import-rows", type=int, default=20000)
    parser.add_argument("--write", type=Path, help="write the table into this Markdown file")
    parser.add_argument("--generate", nargs=2, metavar=("DIR", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(Path(args.generate[0]), int(args.generate[1]))
        return
    timings: list[Timing] = []
    with tempfile.TemporaryDirectory(prefix="kvsupport-bench-") as tmp:
        work = Path(tmp)
        for size in args.sizes:
            timings += bench_size(size, args.runs, work)
        if args.import_rows:
            timings.append(bench_import(args.import_rows, max(2, args.runs // 3), work))
    result = table(timings)
    print(result)
    if args.write:
        header = (
            f"# Benchmarks\n\n{datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}.\n\n"
            f"Made by `python benchmarks/run.py {' '.join(sys.argv[1:])}`.\n\n"
        )
        args.write.write_text(header + result + "\n", "utf-8")


if __name__ == "__main__":
    main()
