"""Peers for ``run.py --peers``: Watson (``td-watson`` from PyPI) and Timewarrior on the same sessions.

Watson lives in a venv of its own, made once and cached under
``~/.cache/kvsupport-bench/watson-venv`` (``$XDG_CACHE_HOME`` respected).
Its data come from the benchmark's ledger: ``kvsupport export --format json``
gives one row per segment, and each row becomes one Watson frame (project =
client code, tags = [service]) in the positional format of
``watson/frames.py`` (``Frame.dump``): ``[start, stop, project, id, tags,
updated_at]``, the times as integer Unix seconds. The frames go to a
``WATSON_DIR`` of their own, next to the ledger, with a config that turns
off every prompt and the pager.

Timewarrior (``timew``, the Debian package ``timewarrior``: a compiled C++
program) gets the same segments as intervals in its own data files,
``data/YYYY-MM.data`` under a ``TIMEWARRIORDB`` of its own, one line each:
``inc 20261001T060000Z - 20261001T060800Z # client01 line`` (tags = client
code and service). They are written from ``kvsupport export --format csv``
read as a stream, so even 2M sessions take little memory.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

WATSON_VERSION = "2.1.0"
WATSON_REQUIREMENT = f"td-watson=={WATSON_VERSION}"
# Frame ids must be 32 hex digits like Watson's own uuid4().hex; these are stable.
FRAME_NAMESPACE = uuid.UUID("6f1f3f0e-8a3c-4d55-9a57-1d0c2b6c9a10")
WATSON_CONFIG = """\
[options]
stop_on_start = false
stop_on_restart = false
confirm_new_project = false
confirm_new_tag = false
pager = false
report_current = false
log_current = false
"""


def cache_dir() -> Path:
    """Where the peers' venvs are kept between runs."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kvsupport-bench"


@dataclass(frozen=True)
class Watson:
    """A ready Watson: its venv and the environment that points it at one ``WATSON_DIR``."""

    venv: Path
    env: dict[str, str]

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def argv(self, *args: str) -> list[str]:
        return [str(self.venv / "bin" / "watson"), *args]


def _installed_version(venv: Path) -> str | None:
    watson = venv / "bin" / "watson"
    if not watson.exists():
        return None
    done = subprocess.run(
        [str(watson), "--version"], capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    # "Watson, version 2.1.0"
    return done.stdout.strip().rpartition(" ")[2] if done.returncode == 0 else None


def watson_venv() -> Path:
    """The cached venv with ``td-watson`` pinned to :data:`WATSON_VERSION`, made if missing."""
    venv = cache_dir() / "watson-venv"
    if _installed_version(venv) == WATSON_VERSION:
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    print(f"making {venv} with {WATSON_REQUIREMENT}", file=sys.stderr)
    # The interpreter that runs the benchmark, so both tools run on the same Python.
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, WATSON_REQUIREMENT],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    if (found := _installed_version(venv)) != WATSON_VERSION:
        raise SystemExit(f"{venv}: watson --version gives {found!r}, wanted {WATSON_VERSION}")
    return venv


def versions(venv: Path) -> str:
    """``td-watson 2.1.0, arrow 1.4.0, click 8.1.7`` as installed in ``venv``."""
    code = (
        "from importlib.metadata import version as v\n"
        "print(', '.join(f'{n} {v(n)}' for n in ('td-watson', 'arrow', 'click')))"
    )
    return subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def to_frames(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Rows of ``kvsupport export --format json`` as Watson frames, in start order."""
    frames = []
    for row in rows:
        start = int(datetime.fromisoformat(row["start"]).timestamp())
        stop = int(datetime.fromisoformat(row["end"]).timestamp())
        frame_id = uuid.uuid5(FRAME_NAMESPACE, f"{row['id']}/{row['start']}").hex
        frames.append([start, stop, row["client"], frame_id, [row["service"]], stop])
    frames.sort(key=lambda f: (f[0], f[3]))
    return frames


def month_bounds(month: str) -> tuple[str, str]:
    """``2026-10`` → (``2026-10-01``, ``2026-10-31``)."""
    first = date.fromisoformat(f"{month}-01")
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first.isoformat(), last.isoformat()


def prepare_watson(directory: Path, kv_env: dict[str, str], timezone: str, month: str) -> Watson:
    """A ``WATSON_DIR`` under ``directory`` holding the ledger's sessions as frames.

    ``kv_env`` is the environment the benchmark runs ``kvsupport`` in (it names
    the ledger and config). Watson reads dates in the local time zone, so it
    gets ``TZ=timezone``, the ledger's zone, and its month has the same bounds.
    The frames are written by a child process (see :func:`write_frames`): a
    parent that held the sessions would inflate the peak RSS of every process
    it starts afterwards.
    """
    venv = watson_venv()
    watson_dir = directory / "watson"
    watson_dir.mkdir()
    env = {k: v for k, v in kv_env.items() if not k.startswith("KVSUPPORT_")}
    env |= {"WATSON_DIR": str(watson_dir), "TZ": timezone, "PAGER": "cat", "NO_COLOR": "1"}
    watson = Watson(venv, env)
    subprocess.run([sys.executable, __file__, str(venv), month], env=kv_env | env, check=True)
    return watson


def write_frames(watson: Watson, kv_env: dict[str, str], month: str) -> None:
    """Export the ledger, write it as Watson's frames file and config, and check Watson reads it.

    The check: Watson's total for ``month`` must equal the sum of the same
    month's segments in the export.
    """
    kv = str(Path(sys.executable).parent / "kvsupport")
    rows: list[dict[str, Any]] = json.loads(
        subprocess.run(
            [kv, "export", "--format", "json"], env=kv_env, capture_output=True, check=True, text=True
        ).stdout
    )
    watson_dir = Path(watson.env["WATSON_DIR"])
    frames = to_frames(rows)
    (watson_dir / "frames").write_text(json.dumps(frames, ensure_ascii=False), "utf-8")
    (watson_dir / "config").write_text(WATSON_CONFIG, "utf-8")
    first, last = month_bounds(month)
    report = subprocess.run(
        watson.argv("report", "--from", first, "--to", last, "--json"),
        env=watson.env,
        capture_output=True,
        check=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    expected = sum(
        (datetime.fromisoformat(r["end"]) - datetime.fromisoformat(r["start"])).total_seconds()
        for r in rows
        if r["start"].startswith(month)
    )
    if json.loads(report.stdout)["time"] != expected:
        raise SystemExit(f"watson's {month} total {report.stdout[:200]!r} is not {expected} s")
    print(f"watson: {len(frames)} frames in {watson_dir}, {month} checked", file=sys.stderr)


TIMEW = "timew"


@dataclass(frozen=True)
class Timew:
    """A ready Timewarrior: the environment that points it at one ``TIMEWARRIORDB``."""

    env: dict[str, str]

    def argv(self, *args: str) -> list[str]:
        return [self.binary(), *args]

    @staticmethod
    def binary() -> str:
        found = shutil.which(TIMEW)
        if found is None:
            raise SystemExit("timew not found: apt-get install -y timewarrior")
        return found


def timew_version() -> str:
    """``Timewarrior 1.4.3`` (``timew --version``)."""
    done = subprocess.run(
        [Timew.binary(), "--version"], capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL
    )
    return f"Timewarrior {done.stdout.strip()}"


def _timew_stamp(text: str) -> str:
    """``2026-10-01T09:00:00+03:00`` → ``20261001T060000Z``."""
    return f"{datetime.fromisoformat(text).astimezone(UTC):%Y%m%dT%H%M%SZ}"


def prepare_timew(directory: Path, kv_env: dict[str, str], timezone: str, month: str) -> Timew:
    """A ``TIMEWARRIORDB`` under ``directory`` holding the ledger's sessions as intervals.

    Like Watson, it reads and prints dates in ``TZ=timezone``, the ledger's zone.
    The files are written by a child process (:func:`write_intervals`).
    """
    db = directory / "timew"
    (db / "data").mkdir(parents=True)
    (db / "timewarrior.cfg").write_text("", "utf-8")  # the defaults
    env = {k: v for k, v in kv_env.items() if not k.startswith("KVSUPPORT_")}
    env |= {"TIMEWARRIORDB": str(db), "TZ": timezone, "NO_COLOR": "1"}
    timew = Timew(env)
    subprocess.run([sys.executable, __file__, "--timew", month], env=kv_env | env, check=True)
    return timew


def write_intervals(timew: Timew, kv_env: dict[str, str], month: str) -> None:
    """Export the ledger as CSV, write each segment as an interval, and check timew reads them.

    The check: ``timew export`` of ``month`` has as many intervals, of as many
    seconds, as the month's rows of the export.
    """
    kv = str(Path(sys.executable).parent / "kvsupport")
    data = Path(timew.env["TIMEWARRIORDB"]) / "data"
    expected_count, expected_seconds, total = 0, 0.0, 0
    files: dict[str, Any] = {}
    with subprocess.Popen(
        [kv, "export", "--format", "csv"], env=kv_env, stdout=subprocess.PIPE, text=True, encoding="utf-8"
    ) as proc:
        assert proc.stdout is not None
        for row in csv.DictReader(proc.stdout):
            start, end = _timew_stamp(row["start"]), _timew_stamp(row["end"])
            name = f"{start[:4]}-{start[4:6]}.data"
            out = files.get(name)
            if out is None:
                for other in files.values():
                    other.close()  # the export is in time order: a month is done
                out = files[name] = (data / name).open("a", encoding="utf-8")
            out.write(f"inc {start} - {end} # {row['client']} {row['service']}\n")
            total += 1
            if row["start"].startswith(month):
                expected_count += 1
                expected_seconds += (
                    datetime.fromisoformat(row["end"]) - datetime.fromisoformat(row["start"])
                ).total_seconds()
    for out in files.values():
        out.close()
    if proc.returncode != 0:
        raise SystemExit(f"kvsupport export exited {proc.returncode}")
    for path in data.glob("*.data"):  # timew wants each file in time order
        lines = path.read_text("utf-8").splitlines(keepends=True)
        path.write_text("".join(sorted(lines)), "utf-8")
    # The first command after new data files rebuilds tags.data (and says so on stdout).
    subprocess.run(
        timew.argv("tags"), env=timew.env, capture_output=True, check=True, stdin=subprocess.DEVNULL
    )
    first, last = month_bounds(month)
    after = (date.fromisoformat(last) + timedelta(days=1)).isoformat()
    shown = subprocess.run(
        timew.argv("export", first, "-", after),
        env=timew.env,
        capture_output=True,
        check=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    intervals = json.loads(shown.stdout)
    seconds = sum(
        (
            datetime.strptime(i["end"], "%Y%m%dT%H%M%S%z") - datetime.strptime(i["start"], "%Y%m%dT%H%M%S%z")
        ).total_seconds()
        for i in intervals
    )
    if (len(intervals), seconds) != (expected_count, expected_seconds):
        raise SystemExit(
            f"timew's {month}: {len(intervals)} intervals of {seconds} s, "
            f"not {expected_count} of {expected_seconds} s"
        )
    print(f"timew: {total} intervals in {data}, {month} checked", file=sys.stderr)


if __name__ == "__main__" and sys.argv[1] == "--timew":
    # The child of prepare_timew: peers.py --timew MONTH, with the environment of both tools.
    both = dict(os.environ)
    write_intervals(
        Timew({k: v for k, v in both.items() if not k.startswith("KVSUPPORT_")}), both, sys.argv[2]
    )
elif __name__ == "__main__":
    # The child of prepare_watson: peers.py VENV MONTH, with the environment of both tools.
    both = dict(os.environ)
    write_frames(
        Watson(Path(sys.argv[1]), {k: v for k, v in both.items() if not k.startswith("KVSUPPORT_")}),
        both,
        sys.argv[2],
    )
