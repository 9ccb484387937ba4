"""Whole-process benchmark of the installed ``kvsupport`` at 20k, 200k and 2M sessions (issue 16).

Usage (from the repo, in the venv where kvsupport is installed)::

    python benchmarks/run.py                      # 20k and 200k, prints Markdown tables
    python benchmarks/run.py --sizes 20000 200000 2000000 --runs 5 --peers \\
        --postgres URL --profile --write BENCHMARKS.md

Ledgers are generated deterministically through kvsupport's own storage and
billing code (10 years, 30 clients, all three services, invoices issued for
every month but the last two, and paid but one in 40 of them), checked
(``ledger check``, a month's report) and cached under
``benchmarks/results/ledgers/`` by size and :data:`GENERATOR_VERSION`. Each
command runs as a whole process, several times after a warm-up, interleaved
with its counterparts and with the same venv's ``python -c pass``; the tables
give the median, min-max, the ratio of medians to ``python -c pass``, the ratio
to each counterpart, the peak RSS of the process itself (``os.wait4``, see
:data:`SPAWN`) and issue 16's goal where it sets one, computed from the figures.

Counterparts: ``benchmarks/floor.py`` (what ``session status`` cannot do
without, stdlib only), ``benchmarks/minimal_export.py`` (the export's CSV bytes,
stdlib only); with ``--peers``, Watson (``td-watson``, a cached venv) and
Timewarrior (``timew``) on the same sessions (benchmarks/peers.py); with
``--postgres URL``, the file ledger's rows beside a PostgreSQL ledger's holding
the same data. ``--profile`` adds import times and a cProfile listing of
``session status`` and ``report`` at 200k sessions.
"""

from __future__ import annotations

import argparse
import io
import json
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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from peers import month_bounds

MSK = timezone(timedelta(hours=3))
TIMEZONE = "Europe/Moscow"  # the ledgers' zone, UTC+3 all these years like MSK
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=MSK)
YEARS = 10
CLIENTS = 30
UNPAID_EVERY = 40
BIN = Path(sys.executable).parent
#: What the cached ledgers are keyed by besides their size: change it when
#: :func:`generate` would write a different ledger.
GENERATOR_VERSION = 5
SUPPLIER: dict[str, object] = {
    "timezone": TIMEZONE,
    "supplier.name": "ООО «Бонус»",
    "supplier.inn": "7707083893",
    "supplier.account": "40702810938000012345",
}


def generate(directory: Path, size: int) -> Path:
    """A ledger of ``size`` finished sessions over 10 years, through kvsupport's own code.

    Each month's sessions are billed as they are made (the body of
    ``kvsupport.ops.invoices.issue`` for a month: one invoice per client, dated
    the 1st of the next month) and stored already marked, all in one change of
    the ledger: sessions put once, never read back. Issuing month by month
    through ``issue`` commits ~120 changes, each rewriting the ledger's journal,
    and re-reads and re-writes every session: most of an hour at 2M sessions.
    ``size`` 0: the clients and config only.
    """
    from kvsupport.core.billing import invoiceable
    from kvsupport.core.models import Client, Segment, Session
    from kvsupport.ops import invoices
    from kvsupport.ops.env import Env
    from kvsupport.storage.config import save_config
    from kvsupport.storage.jsonfiles.store import open_ledger

    rng = random.Random(size)
    ledger_path = directory / "ledger.json"
    config = directory / "config.toml"
    save_config(config, SUPPLIER)
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
    if not size:
        return directory
    env = Env(ledger_option=str(ledger_path), config_option=str(config), now=NOW.astimezone(UTC))
    number_format = str(env.config.get("invoice.number_format"))
    supplier = env.config.supplier()
    if missing := invoices.missing_supplier_requisites(supplier):
        raise SystemExit(f"the generated config lacks {missing}")
    start_day = date(2017, 1, 1)  # the first price list; ~10 years to NOW
    last = date(NOW.year, NOW.month, 1) - timedelta(days=40)  # the last month invoiced
    days = (NOW.date() - timedelta(days=1) - start_day).days
    slots_per_day = max(1, -(-size // days))
    # 11 minutes a session while a day's fit in 22 hours (up to ~430k sessions);
    # denser ledgers get shorter slots and sessions, so that none overlap.
    slot_minutes = min(11, 22 * 60 // slots_per_day)
    step = days / size
    with env.store(write=True) as store:
        month: list[Session] = []

        def store_month() -> None:
            """Bill ``month`` if it is invoiced, then store its sessions (marked) and invoices."""
            first = month[0].started_at.date().replace(day=1)
            period = f"{first:%Y-%m}"
            billed: dict[int, str] = {}
            issued = []
            if first <= last:
                on = (first + timedelta(days=32)).replace(day=1)
                for code, group in invoices._by_client(invoiceable(month, period, env.tz)).items():
                    invoice = invoices._invoice_for(
                        env, store, store.client(code), group, period, on, number_format
                    )
                    if invoice is None:
                        continue
                    invoice = invoice._replace(
                        supplier=supplier, act_date=invoices._act_date(env, invoice, group, None)
                    )
                    for ln in invoice.lines:
                        if ln.kind == "session" and ln.session is not None:
                            billed[ln.session] = invoice.number
                    issued.append(invoice)
            for s in month:
                store.put_session(s._replace(invoice=billed[s.id]) if s.id in billed else s)
            for invoice in issued:
                fees = {ln.fee_key: invoice.number for ln in invoice.lines if ln.fee_key}
                if fees:
                    client = store.client(invoice.client_code)
                    store.put_client(client._replace(fees_charged={**client.fees_charged, **fees}))
                store.add_invoice(invoice)
            month.clear()

        day, first_of_day = start_day - timedelta(days=1), 0
        for n in range(size):
            if (today := start_day + timedelta(days=int(n * step))) != day:
                day, first_of_day = today, n
            # A day's sessions in time order: a month is made (and billed) in one piece.
            slot = n - first_of_day
            begin = datetime(day.year, day.month, day.day, 9, 0, tzinfo=MSK)
            begin += timedelta(minutes=slot_minutes * slot)
            minutes = rng.randint(5, 9) if slot_minutes == 11 else max(1, slot_minutes - 1)
            service = rng.choice(("line", "backup", "remote"))
            if month and (begin.year, begin.month) != (month[0].started_at.year, month[0].started_at.month):
                store_month()
            month.append(
                Session(
                    id=store.new_session_id(),
                    client=f"client{rng.randrange(CLIENTS):02d}",
                    service=service,
                    segments=(Segment(begin, begin + timedelta(minutes=minutes)),),
                    problem="проблема",
                    consent="письмо",
                    backup_confirmed=True,
                )
            )
        store_month()
    # Clients pay within a fortnight; one invoice in UNPAID_EVERY is still owed.
    with open_ledger(ledger_path, write=True) as ledger:
        for n, invoice in enumerate(ledger.invoices()):
            if n % UNPAID_EVERY and invoice.date < last:
                ledger.put_invoice(invoice._replace(status="paid", paid_on=invoice.date + timedelta(14)))
    return directory


CACHE = Path(__file__).parent / "results" / "ledgers"  # git-ignored (benchmarks/results/)
CHECK_MONTH = "2026-10"


def kv_env(directory: Path) -> dict[str, str]:
    """The environment that points ``kvsupport`` at the ledger and config in ``directory``."""
    env = {
        **os.environ,
        "KVSUPPORT_LEDGER": str(directory / "ledger.json"),
        "KVSUPPORT_CONFIG": str(directory / "config.toml"),
        "NO_COLOR": "1",
    }
    env.pop("KVSUPPORT_TARIFFS", None)
    return env


def cached_ledger(size: int) -> Path:
    """The generated ledger of ``size`` sessions under :data:`CACHE`, made (and checked) if missing.

    The check: ``kvsupport ledger check`` passes and counts ``size`` sessions,
    and ``report --month`` of :data:`CHECK_MONTH` has sessions and a total.
    """
    ready = CACHE / f"g{GENERATOR_VERSION}-{size}"
    if (ready / "checked").exists():
        return ready
    partial = ready.with_name(ready.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(ready, ignore_errors=True)
    partial.mkdir(parents=True)
    began = time.perf_counter()
    # In a child process: a parent holding the data would inflate every
    # measured child's peak RSS (fork) and its start-up.
    subprocess.run([sys.executable, __file__, "--generate", str(partial), str(size)], check=True)
    print(f"generated {size} sessions in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    env = kv_env(partial)
    kv = str(BIN / "kvsupport")
    check = subprocess.run([kv, "ledger", "check"], env=env, capture_output=True, text=True, check=False)
    said = (check.stdout + check.stderr).strip()
    if check.returncode != 0 or f" {size} sessions" not in said:
        raise SystemExit(f"ledger check of {partial}: {said}")
    report = json.loads(
        subprocess.run(
            [kv, "report", "--month", CHECK_MONTH, "--format", "json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    sessions = sum(r["sessions"] for r in report["rows"])
    amount = sum(Decimal(r["amount"]) for r in report["rows"])
    if not sessions or not amount:
        raise SystemExit(f"report --month {CHECK_MONTH} of {partial}: {report}")
    summary = f"{said}; {CHECK_MONTH}: {sessions} sessions, {amount} RUB\n"
    (partial / "checked").write_text(summary, "utf-8")
    partial.rename(ready)
    print(summary.strip(), file=sys.stderr)
    return ready


def copy_ledger(size: int, work: Path) -> Path:
    """A fresh copy of the cached ledger of ``size`` sessions in ``work`` (runs change it)."""
    directory = work / f"ledger-{size}"
    shutil.rmtree(directory, ignore_errors=True)
    shutil.copytree(cached_ledger(size), directory, symlinks=True)
    return directory


#: How each measured command is started: ``sh -c SPAWN sh ARGV...``. The first
#: shell starts a second one in the background and prints its pid; the second
#: waits for a line on stdin, then execs ARGV. The harness is the subreaper of
#: its descendants (Linux's ``PR_SET_CHILD_SUBREAPER``), so once the first shell
#: has exited, the second is its child; it starts the clock, sends the line and
#: reaps it with ``os.wait4``. Why not ``subprocess.Popen(argv)``: a child's
#: ``ru_maxrss`` is the peak of every image the process ran, and a process
#: forked (or vforked) from the harness starts as a copy of the harness --
#: ``/bin/true`` "peaked" at the harness's 15-120 MiB. Forked from a small
#: shell, it starts at the shell's ~1.5 MiB: the ``/bin/true`` row shows it.
SPAWN = """exec 3<&0; /bin/sh -c 'read -r go; exec "$@" </dev/null' sh "$@" <&3 >/dev/null 2>&1 & echo $!"""
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Adopt the orphans among the harness's descendants (see :data:`SPAWN`)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def _run(argv: Sequence[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in KiB (the process's own) and exit code of ``argv``."""
    launcher = subprocess.Popen(
        ["/bin/sh", "-c", SPAWN, "sh", *argv],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert launcher.stdin is not None
    assert launcher.stdout is not None
    pid = int(launcher.stdout.readline())
    launcher.stdout.close()
    launcher.wait()  # now the waiting shell is the harness's child
    begin = time.perf_counter()
    launcher.stdin.write(b"\n")
    launcher.stdin.close()
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - begin
    return wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def _quiet(argv: Sequence[str], env: dict[str, str]) -> None:
    """Run ``argv`` untimed, ignoring its exit code (what goes ahead of a timed run)."""
    subprocess.run(
        argv,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )


@dataclass
class Command:
    """One timed command: ``before`` runs untimed ahead of each run, ``python`` gives the baseline.

    ``label`` names it in the ratio column of the row it is a counterpart in;
    ``ok`` are the exit codes that are not a failure.
    """

    name: str
    argv: list[str]
    env: dict[str, str]
    before: list[str] | None = None
    python: Path = field(default_factory=lambda: BIN / "python")
    label: str = ""
    ok: tuple[int, ...] = (0,)


@dataclass
class Timing:
    """Figures of one command: wall seconds and peak RSS per run, and the baseline run after each."""

    name: str
    size: int
    wall: list[float]
    rss_kib: list[int]
    base: list[float]
    label: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def ratio(self) -> float:
        """Median over the median ``python -c pass`` run beside it."""
        return self.median / statistics.median(self.base)

    @property
    def rss_mib(self) -> float:
        return max(self.rss_kib) / 1024


@dataclass
class Row:
    """Commands measured together: kvsupport's first, then its counterparts."""

    key: str  # what the goals know it by: "status", "export-csv", ...
    section: str
    timings: list[Timing]

    @property
    def main(self) -> Timing:
        return self.timings[0]


def measure_together(commands: Sequence[Command], size: int, runs: int) -> list[Timing]:
    """Run each command ``runs`` times after a warm-up, in turn, each run followed by ``python -c pass``.

    Commands measured together (kvsupport's and its counterparts) alternate
    run by run, so drift in the machine's speed falls on all of them.
    """
    figures: list[tuple[list[float], list[int], list[float]]] = [([], [], []) for _ in commands]
    for i in range(runs + 1):
        for command, (wall, rss, base) in zip(commands, figures, strict=True):
            if command.before:
                _quiet(command.before, command.env)
            seconds, peak, code = _run(command.argv, command.env)
            if code not in command.ok:
                raise SystemExit(f"{' '.join(command.argv)} exited {code}")
            b, _, _ = _run([str(command.python), "-c", "pass"], command.env)
            if i:
                wall.append(seconds)
                rss.append(peak)
                base.append(b)
    return [Timing(c.name, size, *f, label=c.label) for c, f in zip(commands, figures, strict=True)]


def _digest(argv: list[str], env: dict[str, str]) -> str:
    """SHA-256 of what ``argv`` writes to stdout (read as it comes: an export can be large)."""
    import hashlib

    digest = hashlib.sha256()
    with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        while chunk := proc.stdout.read(1 << 20):
            digest.update(chunk)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}")
    return digest.hexdigest()


def size_name(size: int) -> str:
    return f"{size:,} sessions"


def bench_size(size: int, runs: int, work: Path, peers: bool = False, watson_max: int = 200000) -> list[Row]:
    """Every command of issue 16 on a ledger of ``size`` sessions, each beside its counterparts."""
    directory = copy_ledger(size, work)
    env = kv_env(directory)
    kv = str(BIN / "kvsupport")
    month = CHECK_MONTH
    section = size_name(size)
    start = [kv, "session", "start", "client01", "line", "--at", "-30m", "--allow-overlap"]
    stop = [kv, "session", "stop"]
    cancel = [kv, "session", "cancel"]
    beside: dict[str, list[Command]] = {}

    def add(key: str, command: Command) -> None:
        beside.setdefault(key, []).append(command)

    here = Path(__file__).parent
    ledger, config = str(directory / "ledger.json"), str(directory / "config.toml")
    tariffs = str(_packaged_tariffs())
    floor = [str(BIN / "python"), str(here / "floor.py"), ledger, config, tariffs]
    add("status", Command("floor: benchmarks/floor.py", floor, env, label="floor"))
    minimal = [str(BIN / "python"), str(here / "minimal_export.py"), ledger]
    if _digest(minimal, env) != _digest([kv, "export", "--format", "csv"], env):
        raise SystemExit(f"{size}: benchmarks/minimal_export.py does not write the bytes of export")
    add(
        "export-csv", Command("minimal exporter: benchmarks/minimal_export.py", minimal, env, label="minimal")
    )
    cancels: list[tuple[list[str], dict[str, str]]] = [(cancel, env)]
    first, last = month_bounds(month)
    after = (date.fromisoformat(last) + timedelta(days=1)).isoformat()
    if peers and size <= watson_max:
        from peers import prepare_watson

        w = prepare_watson(directory, env, TIMEZONE, month)
        w_start = w.argv("start", "client01", "+line")
        w_cancel = w.argv("cancel")
        cancels.append((w_cancel, w.env))
        for key, args, before in (
            ("status", ["status"], None),
            # Like kvsupport's: cancel before each start, start before each stop.
            ("start", w_start[1:], w_cancel),
            ("stop", ["stop"], w_start),
            ("report", ["report", "--from", first, "--to", last, "--no-pager"], None),
            ("report-json", ["report", "--from", first, "--to", last, "--json"], None),
            # Watson has no export; its whole history as JSON is `log --all --json`.
            ("export-json", ["log", "--all", "--json"], None),
        ):
            add(key, Command(f"watson: {' '.join(args)}", w.argv(*args), w.env, before, w.python, "watson"))
    if peers:
        from peers import prepare_timew

        t = prepare_timew(directory, env, TIMEZONE, month)
        # Like kvsupport's --at -30m --allow-overlap: :adjust lets it overlap (trims) the last one.
        t_start = t.argv("start", "30min", "ago", "client01", "line", ":adjust")
        t_cancel = t.argv("cancel")
        cancels.append((t_cancel, t.env))
        for key, args, before, ok in (
            # `timew` alone shows what is being tracked; it exits 1 when nothing is.
            ("status", [], None, (0, 1)),
            ("start", t_start[1:], t_cancel, (0,)),
            ("stop", ["stop"], t_start, (0,)),
            ("report", ["summary", first, "-", after], None, (0,)),
            ("report-json", ["export", first, "-", after], None, (0,)),
            ("export-json", ["export"], None, (0,)),
        ):
            name = f"timew: {' '.join(args)}".rstrip(": ")
            add(key, Command(name, t.argv(*args), t.env, before, BIN / "python", "timew", ok))

    rows: list[Row] = []

    def row(key: str, command: Command, n: int = runs) -> None:
        rows.append(Row(key, section, measure_together([command, *beside.get(key, [])], size, n)))
        print(f"{section}: {command.name} done", file=sys.stderr)

    row("status", Command("session status", [kv, "session", "status"], env))
    row("start", Command("session start", start, env, before=cancel))
    for argv, e in cancels:
        _quiet(argv, e)
    row("stop", Command("session stop", stop, env, before=start))
    row("report", Command(f"report --month {month}", [kv, "report", "--month", month], env))
    report_json = [kv, "report", "--month", month, "--format", "json"]
    row("report-json", Command(f"report --month {month} --format json", report_json, env))
    dry = [kv, "invoice", "--month", month, "--dry-run"]
    # Every would-be invoice printed as a terminal document.
    row("dry-run", Command(f"invoice --month {month} --dry-run", dry, env))
    row(
        "dry-run-json",
        Command(f"invoice --month {month} --dry-run --format json", [*dry, "--format", "json"], env),
    )
    listing = [kv, "invoice", "list"]
    row("invoice-list-unpaid", Command("invoice list --unpaid", [*listing, "--unpaid"], env))
    for fmt in ("json", "csv"):
        argv = [*listing, "--unpaid", "--format", fmt]
        row(f"invoice-list-unpaid-{fmt}", Command(f"invoice list --unpaid --format {fmt}", argv, env))
    row("invoice-list-overdue", Command("invoice list --overdue", [*listing, "--overdue"], env))
    n_export = max(3, runs // 2) if size < 1_000_000 else 2
    for fmt in ("csv", "json"):
        argv = [kv, "export", "--format", fmt]
        row(f"export-{fmt}", Command(f"export --format {fmt}", argv, env), n_export)
    shutil.rmtree(directory)  # the copies of big ledgers add up
    return rows


def _packaged_tariffs() -> Path:
    """The price list kvsupport reads when none is configured (its packaged ``tariffs.toml``)."""
    import importlib.util

    spec = importlib.util.find_spec("kvsupport")
    assert spec is not None
    assert spec.origin is not None
    return Path(spec.origin).parent / "data" / "tariffs.toml"


def _shifted_export(source: Path, hours: int, target: Path) -> int:
    """``kvsupport export --format csv`` of the ledger in ``source``, every time ``hours`` later."""
    import csv

    kv = str(BIN / "kvsupport")
    done = subprocess.run(
        [kv, "export", "--format", "csv"], env=kv_env(source), capture_output=True, check=True, text=True
    )
    rows = list(csv.DictReader(done.stdout.splitlines()))
    shift = timedelta(hours=hours)
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for r in rows:
            for column in ("start", "end"):
                r[column] = (datetime.fromisoformat(r[column]) + shift).isoformat()
            writer.writerow(r)
    return len(rows)


def bench_import(rows: int, into: int, runs: int, work: Path) -> list[Row]:
    """``import`` of ``rows`` CSV rows into an empty ledger (the clients only) and into one of ``into``.

    The rows are the export of the ledger of ``rows`` sessions moved 14 hours
    on (its day's sessions end before 10:10, the big ledger's start at 09:00 and
    end by 19:30: 23:00-00:10 meets none of them). Each run imports into a
    fresh copy of either ledger, copied untimed ahead of it.
    """
    csv_file = work / "import.csv"
    count = _shifted_export(cached_ledger(rows), 14, csv_file)
    empty = work / "import-empty-template"
    empty.mkdir()
    subprocess.run([sys.executable, __file__, "--generate", str(empty), "0"], check=True)
    big = cached_ledger(into)
    kv = str(BIN / "kvsupport")
    commands = []
    for name, template in (
        (f"import {count} rows into {into:,} sessions", big),
        (f"import {count} rows into an empty ledger", empty),
    ):
        target = work / f"import-into-{template.name}"
        copy = ["/bin/sh", "-c", 'rm -rf "$1" && cp -a "$2" "$1"', "sh", str(target), str(template)]
        label = "into empty" if template is empty else ""
        commands.append(Command(name, [kv, "import", str(csv_file)], kv_env(target), copy, label=label))
    timings = measure_together(commands, into, runs)
    for template in (big, empty):
        shutil.rmtree(work / f"import-into-{template.name}", ignore_errors=True)
    return [Row("import", f"import of {count:,} rows", timings)]


def bench_controls(runs: int) -> list[Row]:
    """``/bin/true`` (what the RSS column reads for a process that does nothing) and ``python -c pass``."""
    env = {**os.environ}
    out = []
    for key, command in (
        ("true", Command("/bin/true", ["/bin/true"], env)),
        ("python", Command("python -c pass", [str(BIN / "python"), "-c", "pass"], env)),
    ):
        out.append(Row(key, "controls", measure_together([command], 0, runs)))
    return out


def bench_postgres(url: str, size: int, runs: int, work: Path) -> list[Row]:
    """The core rows on a PostgreSQL ledger holding the same data, each beside the file ledger's.

    The data get there by ``kvsupport ledger copy`` of the cached file ledger
    into a schema of its own (``bench_...``, dropped afterwards).
    """
    import psycopg

    schema = f"bench_g{GENERATOR_VERSION}_{size}_{os.getpid()}"
    sep = "&" if "?" in url else "?"
    location = f"{url}{sep}options={quote(f'-c search_path={schema}')}"
    directory = copy_ledger(size, work)
    env = kv_env(directory)
    kv = str(BIN / "kvsupport")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        began = time.perf_counter()
        subprocess.run([kv, "--ledger", location, "ledger", "init"], env=env, check=True, capture_output=True)
        subprocess.run(
            [kv, "ledger", "copy", str(directory / "ledger.json"), location],
            env=env,
            check=True,
            capture_output=True,
        )
        said = subprocess.run(
            [kv, "--ledger", location, "ledger", "check"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if said.returncode != 0 or f" {size} sessions" not in said.stdout + said.stderr:
            raise SystemExit(f"ledger check of {location}: {said.stdout}{said.stderr}")
        print(
            f"PostgreSQL ledger of {size} sessions loaded in {time.perf_counter() - began:.0f} s",
            file=sys.stderr,
        )
        pg = {**env, "KVSUPPORT_LEDGER": location}
        month = CHECK_MONTH
        section = f"PostgreSQL, {size_name(size)}"
        rows: list[Row] = []
        start = ["session", "start", "client01", "line", "--at", "-30m", "--allow-overlap"]
        for key, args, before in (
            ("status", ["session", "status"], None),
            ("start", start, ["session", "cancel"]),
            ("stop", ["session", "stop"], start),
            ("report", ["report", "--month", month], None),
            ("report-json", ["report", "--month", month, "--format", "json"], None),
            ("dry-run-json", ["invoice", "--month", month, "--dry-run", "--format", "json"], None),
            ("invoice-list-unpaid", ["invoice", "list", "--unpaid"], None),
            ("export-csv", ["export", "--format", "csv"], None),
        ):
            argv = [kv, *args]
            prior = None if before is None else [kv, *before]
            n = runs if not key.startswith("export") else max(3, runs // 2)
            if key == "stop":
                for e in (env, pg):
                    _quiet([kv, "session", "cancel"], e)
            rows.append(
                Row(
                    key,
                    section,
                    measure_together(
                        [
                            Command(f"pg: {' '.join(args)}", argv, pg, prior),
                            Command(" ".join(args), argv, env, prior, label="file ledger"),
                        ],
                        size,
                        n,
                    ),
                )
            )
            print(f"{section}: {' '.join(args)} done", file=sys.stderr)
        return rows
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


#: Issue 16's goals: the ratio to ``python -c pass`` at every size ...
GOALS_EVERY_SIZE = {"status": 3.5, "start": 4.0, "stop": 4.0}
#: ... and at 200k sessions.
GOALS_AT_200K = {"report": 10.0, "report-json": 10.0, "dry-run": 10.0, "dry-run-json": 10.0}
IMPORT_WITHIN = 1.5  # import into the 200k ledger, over into an empty one
IMPORT_RSS_MIB = 150
EXPORT_WITHIN = 1.2  # export --format csv over the minimal exporter
#: "Flat in history": an invoice listing's ratio to ``python -c pass`` at a size,
#: over its ratio at the smallest size measured, at most this.
FLAT_WITHIN = 1.25


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def goal(row: Row, rows: list[Row]) -> str:
    """The verdict of issue 16's goal for ``row``, from the figures (empty where it sets none)."""
    t = row.main
    if row.section.startswith("PostgreSQL"):
        return ""
    if row.key in GOALS_EVERY_SIZE:
        limit = GOALS_EVERY_SIZE[row.key]
        return f"{_met(t.ratio <= limit)}: {t.ratio:.1f}× (goal ≤ {limit}×)"
    if row.key in GOALS_AT_200K and t.size == 200000:
        limit = GOALS_AT_200K[row.key]
        return f"{_met(t.ratio <= limit)}: {t.ratio:.1f}× (goal ≤ {limit:.0f}×)"
    if row.key == "import":
        empty = row.timings[1]
        within = t.median / empty.median
        rss = max(t.rss_mib, empty.rss_mib)
        ok = within <= IMPORT_WITHIN and rss < IMPORT_RSS_MIB
        return (
            f"{_met(ok)}: {within:.2f}× into empty (goal ≤ {IMPORT_WITHIN}×), "
            f"peak RSS {rss:.0f} MiB (goal < {IMPORT_RSS_MIB} MiB)"
        )
    if row.key == "export-csv":
        within = t.median / row.timings[1].median
        return f"{_met(within <= EXPORT_WITHIN)}: {within:.2f}× minimal (goal ≤ {EXPORT_WITHIN}×)"
    if row.key.startswith("invoice-list"):
        same = [r for r in rows if r.key == row.key and not r.section.startswith("PostgreSQL")]
        smallest = min(same, key=lambda r: r.main.size).main
        if smallest is t:
            return "(flatness: the base)"
        growth = t.ratio / smallest.ratio
        return (
            f"{_met(growth <= FLAT_WITHIN)}: flat, {growth:.2f}× its {smallest.size:,} ratio ≤ {FLAT_WITHIN}×"
        )
    return ""


def _beside(row: Row) -> str:
    """The ratio column: kvsupport's median over each counterpart's, measured run by run beside it."""
    t = row.main
    return ", ".join(f"{t.median / c.median:.2f}× {c.label}" for c in row.timings[1:] if c.label)


def table(rows: list[Row], every: list[Row]) -> str:
    """A Markdown table of rows of one section."""
    out = [
        "| command | median ms | min–max ms | × `python -c pass` | kvsupport × counterpart | "
        "peak RSS MiB | goal (issue 16) |",
        "|---|---:|---:|---:|---|---:|---|",
    ]
    for r in rows:
        for n, t in enumerate(r.timings):
            lo, hi = min(t.wall) * 1000, max(t.wall) * 1000
            name = f"`{t.name}`" if n == 0 else f"  ↳ `{t.name}`"
            out.append(
                f"| {name} | {t.median * 1000:.0f} | {lo:.0f}–{hi:.0f} | {t.ratio:.2f} | "
                f"{_beside(r) if n == 0 else ''} | {t.rss_mib:.1f} | {goal(r, every) if n == 0 else ''} |"
            )
    base = [b for r in rows for t in r.timings for b in t.base]
    out.append("")
    out.append(
        f"`python -c pass` beside these rows: median {statistics.median(base) * 1000:.0f} ms "
        f"({len(base)} runs). Runs per row: {len(rows[0].main.wall)} after a warm-up."
    )
    return "\n".join(out)


def goals_summary(rows: list[Row]) -> str:
    """Every verdict in one list."""
    out = ["| goal | size | verdict |", "|---|---:|---|"]
    for r in rows:
        if (verdict := goal(r, rows)) and not verdict.startswith("("):
            out.append(f"| `{r.main.name}` | {r.main.size:,} | {verdict} |")
    return "\n".join(out)


def profile(size: int, work: Path) -> str:
    """ "Where the time goes": ``-X importtime`` and a cProfile top 15 of status and report at ``size``."""
    import pstats

    directory = copy_ledger(size, work)
    env = kv_env(directory)
    kv = str(BIN / "kvsupport")
    py = str(BIN / "python")
    out = [f"## Where the time goes ({size_name(size)})", ""]
    out.append(
        "Each command once more, under `python -X importtime` (import costs, µs; the top 15 by "
        "self time, and the top-level imports by cumulative time) and under cProfile (the top 15 "
        "functions by cumulative time). Both slow the process: read the shares, not the totals."
    )
    for args in (["session", "status"], ["report", "--month", CHECK_MONTH]):
        title = " ".join(args)
        for _ in range(2):  # the first run compiles what is not compiled yet
            done = subprocess.run(
                [py, "-X", "importtime", kv, *args], env=env, capture_output=True, text=True, check=True
            )
        imports: list[tuple[int, int, str]] = []
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, cumulative, name = line.removeprefix("import time:").split("|", 2)
            imports.append((int(self_us), int(cumulative), name.rstrip()))
        total = sum(i[0] for i in imports)
        out += [
            "",
            f"### `kvsupport {title}`",
            "",
            f"Imports: {len(imports)} modules, {total / 1000:.0f} ms self time in all.",
            "",
        ]
        out += ["| module (top level) | cumulative ms |", "|---|---:|"]
        top = sorted((i for i in imports if not i[2].startswith("  ")), key=lambda i: -i[1])[:10]
        out += [f"| `{name.strip()}` | {cum / 1000:.1f} |" for _s, cum, name in top]
        out += ["", "| module (any) | self ms | cumulative ms |", "|---|---:|---:|"]
        out += [
            f"| `{name.strip()}` | {s / 1000:.1f} | {cum / 1000:.1f} |"
            for s, cum, name in sorted(imports, key=lambda i: -i[0])[:15]
        ]
        stats = work / "profile.out"
        subprocess.run(
            [py, "-m", "cProfile", "-o", str(stats), kv, *args], env=env, capture_output=True, check=False
        )
        text = io.StringIO()
        pstats.Stats(str(stats), stream=text).sort_stats("cumulative").print_stats(15)
        listing = text.getvalue()
        listing = listing[listing.index("   ncalls") :] if "   ncalls" in listing else listing
        out += ["", "cProfile, top 15 by cumulative time:", "", "```", listing.rstrip(), "```"]
    shutil.rmtree(directory)
    return "\n".join(out)


def header(argv: list[str], peers: bool) -> str:
    """The top of BENCHMARKS.md: when, where, with what, made how."""
    out = [
        "# Benchmarks",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores "
        f"({_cpu_model()}), {platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"kvsupport {_kvsupport_version()}.",
        "",
        f"Made by `python benchmarks/run.py {' '.join(argv)}`.",
        "",
    ]
    if peers:
        from peers import timew_version, versions, watson_venv

        out += [
            f"Peers: {versions(watson_venv())} (`watson: ...` rows, same Python in a venv of its own); "
            f"{timew_version()} (`timew: ...` rows, compiled C++). Both hold the same sessions as the "
            "ledger (frames and data files converted from its export, checked against its month).",
            "",
        ]
    return "\n".join(out)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _kvsupport_version() -> str:
    from importlib.metadata import version

    return version("kvsupport")


HOW = """\
How to read it. Every command runs as a whole process, after one warm-up run, its runs
interleaved with those of its counterparts (the `↳` rows under it) and each run followed by
the same venv's `python -c pass`; the machine is shared and noisy, so the ratios of medians
measured side by side are the figures to compare, not the milliseconds. "× `python -c pass`"
is a row's median over the median `python -c pass` run beside it; "kvsupport × counterpart"
is kvsupport's median over the counterpart's (below 1: kvsupport is faster). Peak RSS is the
process's own (`ru_maxrss` from `os.wait4` of a process started from a small shell, not
forked from the harness: the `/bin/true` row shows the floor that leaves). `floor` is
benchmarks/floor.py: the lock, the manifest, config and tariff TOML and the zone, stdlib only
(what Python itself allows `session status`); `minimal` is benchmarks/minimal_export.py, the
same CSV bytes (checked) from the ledger files, stdlib only. The ledgers are made through
kvsupport's own code (10 years, 30 clients, three services, invoices for every month but the
last two, one in 40 unpaid) and cached under benchmarks/results/ledgers/.
"""


def render(rows: list[Row], argv: list[str], peers: bool, profiled: str, notes: Sequence[str] = ()) -> str:
    """The whole file: the header, a table per section, the goals, where the time goes."""
    sections: dict[str, list[Row]] = {}
    for r in rows:
        sections.setdefault(r.section, []).append(r)
    out = [header(argv, peers), HOW, *(f"{n}\n" for n in notes)]
    for name, part in sections.items():
        out += [f"## {name[0].upper()}{name[1:]}", "", table(part, rows), ""]
    out += ["## Goals", "", goals_summary(rows), ""]
    out.append(
        f"Flat in history: an `invoice list` row's ratio to `python -c pass` within {FLAT_WITHIN}× "
        "of its ratio at the smallest size."
    )
    if profiled:
        out += ["", profiled]
    return "\n".join(out) + "\n"


def main() -> None:
    """Parse arguments, run, print (and optionally write) the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20000, 200000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--import-rows", type=int, default=20000, help="0: no import rows")
    parser.add_argument("--import-into", type=int, default=200000)
    parser.add_argument("--write", type=Path, help="write the tables into this Markdown file")
    parser.add_argument(
        "--peers",
        action="store_true",
        help="also time Watson (td-watson, in a cached venv) and Timewarrior on the same sessions",
    )
    parser.add_argument("--watson-max", type=int, default=200000, help="no Watson rows above this size")
    parser.add_argument("--postgres", metavar="URL", help="also the core rows on a PostgreSQL ledger there")
    parser.add_argument("--postgres-size", type=int, default=200000)
    parser.add_argument("--profile", action="store_true", help='add "Where the time goes" (200k sessions)')
    parser.add_argument("--prepare", type=int, nargs="+", metavar="SIZE", help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=2, metavar=("DIR", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(Path(args.generate[0]), int(args.generate[1]))
        return
    if args.prepare:
        for size in args.prepare:
            print(cached_ledger(size))
        return
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"):
        if os.environ.pop(name, None) is not None:
            print(f"{name} unset for the measured processes", file=sys.stderr)
    become_subreaper()
    rows: list[Row] = []
    profiled = ""
    notes = []
    if args.peers and any(size > args.watson_max for size in args.sizes):
        notes.append(
            f"Watson is left out above {args.watson_max:,} sessions (`--watson-max`): it reads and "
            "rewrites its whole frames file on every change (`stop` took ~10 s at 200k)."
        )
    if any(size >= 1_000_000 for size in args.sizes):
        notes.append("At 1M sessions and more the export rows run twice after the warm-up, not more.")

    def progress() -> None:
        """What is measured so far, into the file: a run that fails late leaves the rest."""
        if args.write:
            note = "\n**Partial: the run that makes this file is still going (or failed).**\n"
            args.write.write_text(render(rows, sys.argv[1:], args.peers, profiled, notes) + note, "utf-8")

    with tempfile.TemporaryDirectory(prefix="kvsupport-bench-") as tmp:
        work = Path(tmp)
        for size in args.sizes:
            cached_ledger(size)
        rows += bench_controls(args.runs)
        for size in args.sizes:
            rows += bench_size(size, args.runs, work, peers=args.peers, watson_max=args.watson_max)
            progress()
        if args.import_rows:
            rows += bench_import(args.import_rows, args.import_into, max(3, args.runs // 2), work)
            progress()
        if args.postgres:
            rows += bench_postgres(args.postgres, args.postgres_size, args.runs, work)
            progress()
        if args.profile:
            profiled = profile(200000, work)
    result = render(rows, sys.argv[1:], args.peers, profiled, notes)
    print(result)
    if args.write:
        args.write.write_text(result, "utf-8")


if __name__ == "__main__":
    main()
