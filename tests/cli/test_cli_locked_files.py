"""The config and the tariff file: read-modify-write under a lock of their own (issue 9 A4),
their modes kept (B16), and a clear error when they cannot be written (§C)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
from cli_testkit import EnvExtra, Runner, assert_refused, console_script

from kvsupport.storage.paths import PACKAGED_TARIFFS

#: ten keys of the config, each with a good value: ``config set`` of all of them at once
TEN_KEYS = {
    "supplier.name": "ООО «Бонус»",
    "supplier.inn": "7707083893",
    "supplier.address": "Москва",
    "supplier.bank": "ПАО Сбербанк",
    "supplier.bik": "044525225",
    "supplier.director": "Иванов И. И.",
    "consultant.name": "Петров П. П.",
    "invoice.due_days": "7",
    "timezone": "Europe/Moscow",
    "documents.language": "en",
}


def _at_once(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Start every command before waiting for any: they race for the same file."""
    started = [
        subprocess.Popen([console_script(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for args in commands
    ]
    done = []
    for proc in started:
        out, err = proc.communicate(timeout=60)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def _flat(path: Path) -> dict[str, object]:
    flat: dict[str, object] = {}
    for section, value in tomllib.loads(path.read_text("utf-8")).items():
        if isinstance(value, dict):
            flat.update({f"{section}.{k}": v for k, v in value.items()})
        else:
            flat[section] = value
    return flat


@pytest.mark.slow
def test_ten_config_set_at_once_keep_all_ten_keys(isolated_files: Path) -> None:
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    done = _at_once(*(["config", "set", key, value] for key, value in TEN_KEYS.items()))
    assert [d.returncode for d in done] == [0] * 10, [d.stderr for d in done]
    kept = _flat(config)
    assert sorted(kept) == sorted(TEN_KEYS)
    assert kept["invoice.due_days"] == 7
    assert kept["supplier.bik"] == "044525225"
    lock = config.with_name("config.toml.lock")
    assert lock.exists()  # the lock file stays: it is never renamed or deleted


@pytest.mark.slow
def test_eight_tariff_new_at_once_lose_no_version(tmp_path: Path, run: Runner) -> None:
    tariffs = tmp_path / "prices.toml"
    shutil.copyfile(PACKAGED_TARIFFS, tariffs)
    years = range(2027, 2035)  # eight: without the lock, two of them nearly always read the same file
    done = _at_once(
        *(["--tariffs", str(tariffs), "tariff", "new", "--effective", f"{y}-01-01"] for y in years)
    )
    added = [d for d in done if d.returncode == 0]
    refused = [d for d in done if d.returncode != 0]
    assert added
    for d in refused:  # a later date came first: refused cleanly, the file is whole
        assert d.returncode == 1
        assert d.stderr.startswith("error: the new version must start after the latest one"), d.stderr
        assert "Traceback" not in d.stderr
    listed = run("--tariffs", str(tariffs), "tariff", "list", "--format", "json")
    assert listed.code == 0, listed.stderr
    effective = [v["effective"] for v in listed.json()]
    assert len(effective) == 1 + len(added)  # every version a command said it added is there
    for d in added:
        label = d.args[-1]
        assert label in effective


def test_tariff_new_keeps_a_private_file_private(tmp_path: Path, run: Runner) -> None:
    tariffs = tmp_path / "prices.toml"
    shutil.copyfile(PACKAGED_TARIFFS, tariffs)
    tariffs.chmod(0o600)
    result = run("--tariffs", str(tariffs), "tariff", "new", "--effective", "2027-01-01")
    assert result.code == 0, result.stderr
    assert stat.S_IMODE(tariffs.stat().st_mode) == 0o600
    assert "2027-01-01" in tariffs.read_text("utf-8")


def test_config_set_keeps_the_mode_of_an_existing_file(run: Runner) -> None:
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    assert run("config", "set", "supplier.name", "ООО «Бонус»").code == 0
    assert stat.S_IMODE(config.stat().st_mode) == 0o600  # a new config: owner only
    config.chmod(0o640)
    assert run("config", "set", "supplier.address", "Москва").code == 0
    assert stat.S_IMODE(config.stat().st_mode) == 0o640


def test_config_set_where_the_directory_cannot_be_made(tmp_path: Path, run: Runner) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the config's directory should be\n")
    config = blocker / "kvsupport" / "config.toml"
    result = run("--config", str(config), "config", "set", "supplier.name", "ООО «Бонус»")
    assert_refused(result, 1, "cannot create the directory", str(config))
    assert blocker.read_text() == "a file where the config's directory should be\n"


def test_tariff_new_where_the_directory_cannot_be_made(tmp_path: Path, run: Runner) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x\n")
    result = run(
        "--tariffs", str(PACKAGED_TARIFFS), "tariff", "new", "--effective", "2027-01-01",
        env_extra={"XDG_CONFIG_HOME": str(blocker)},
    )  # fmt: skip
    assert_refused(result, 1, "cannot create the directory")


def test_config_set_on_a_full_disk_is_one_error_and_keeps_the_old_file(
    run: Runner, run_process: Runner, enospc: EnvExtra
) -> None:
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    assert run("config", "set", "supplier.name", "ООО «Бонус»").code == 0
    before = config.read_bytes()
    result = run_process("config", "set", "supplier.address", "Москва", env_extra=enospc)
    assert_refused(result, 1, "cannot write", "No space left on device")
    assert config.read_bytes() == before
    assert [p.name for p in config.parent.iterdir() if ".tmp-" in p.name] == []


def test_tariff_new_on_a_full_disk_is_one_error_and_keeps_the_old_file(
    tmp_path: Path, run_process: Runner, enospc: EnvExtra
) -> None:
    tariffs = tmp_path / "prices.toml"
    shutil.copyfile(PACKAGED_TARIFFS, tariffs)
    before = tariffs.read_bytes()
    result = run_process(
        "--tariffs", str(tariffs), "tariff", "new", "--effective", "2027-01-01", env_extra=enospc
    )
    assert_refused(result, 1, "cannot write", "No space left on device")
    assert tariffs.read_bytes() == before
