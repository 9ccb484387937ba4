"""``tariff list|show|check|new`` and ``config set|show|path`` (SPEC §4, §5)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from cli_testkit import Runner

from kvsupport.storage.paths import PACKAGED_TARIFFS


@pytest.fixture
def tariffs_copy(tmp_path: Path) -> Path:
    """A copy of the shipped ``tariffs.toml``."""
    copy = tmp_path / "tariffs.toml"
    shutil.copyfile(PACKAGED_TARIFFS, copy)
    return copy


def test_tariff_list_json(run: Runner) -> None:
    result = run("tariff", "list", "--format", "json")
    assert result.code == 0
    assert result.stderr == ""
    (version,) = result.json()
    assert version["effective"] == "2017-01-01"
    assert version["vat"] == "none"


def test_tariff_list_text(run: Runner) -> None:
    result = run("tariff", "list")
    assert result.code == 0
    assert "2017-01-01" in result.stdout
    assert "Прайс-лист на 01.01.2017" in result.stdout


def test_tariff_show_json_is_the_2017_list(run: Runner) -> None:
    result = run("tariff", "show", "--on", "2026-11-25", "--format", "json")
    assert result.code == 0
    assert result.stderr == ""
    record = result.json()
    assert record["effective"] == "2017-01-01"
    services = {s["key"]: s for s in record["services"]}
    assert list(services) == ["line", "backup", "remote"]
    assert services["line"]["hourly_rate"] == "0.00"
    assert services["backup"]["hourly_rate"] == "1300.00"
    assert services["backup"]["minimum_minutes"] == 60
    assert services["backup"]["requires"] == ["problem", "phone", "consent"]
    assert services["remote"]["requires"] == ["backup_confirmed"]
    assert services["remote"]["one_time_fee"]["amount"] == "4000.00"
    assert services["backup"]["one_time_fee"] is None


def test_tariff_show_text(run: Runner) -> None:
    result = run("tariff", "show")
    assert result.code == 0
    assert result.stderr == ""
    for text in ("backup", "remote", "1300.00", "4000.00", "без НДС"):
        assert text in result.stdout


def test_tariff_check_of_the_file_in_use(run: Runner) -> None:
    result = run("tariff", "check")
    assert result.code == 0
    assert result.stdout == ""
    assert "no problems" in result.stderr


def test_tariff_new_appends_a_version(run: Runner, tariffs_copy: Path) -> None:
    env = {"KVSUPPORT_TARIFFS": str(tariffs_copy)}
    original = tariffs_copy.read_bytes()

    result = run("tariff", "new", "--effective", "2027-01-01", env_extra=env)
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert str(tariffs_copy) in result.stderr

    grown = tariffs_copy.read_bytes()
    assert grown.startswith(original)
    assert len(grown) > len(original)
    assert grown.decode("utf-8").splitlines().count("[[tariff]]") == 2

    listed = run("tariff", "list", "--format", "json", env_extra=env)
    assert listed.code == 0
    assert [v["effective"] for v in listed.json()] == ["2017-01-01", "2027-01-01"]

    assert run("tariff", "check", env_extra=env).code == 0
    before = run("tariff", "show", "--on", "2026-12-31", "--format", "json", env_extra=env).json()
    after = run("tariff", "show", "--on", "2027-01-01", "--format", "json", env_extra=env).json()
    assert (before["effective"], after["effective"]) == ("2017-01-01", "2027-01-01")
    assert after["services"] == before["services"]
    assert PACKAGED_TARIFFS.read_bytes() == original


def test_tariff_new_must_be_later_than_the_latest(run: Runner, tariffs_copy: Path) -> None:
    original = tariffs_copy.read_bytes()
    result = run(
        "tariff", "new", "--effective", "2016-01-01", env_extra={"KVSUPPORT_TARIFFS": str(tariffs_copy)}
    )
    assert result.code == 1
    assert result.stdout == ""
    assert result.first_error.startswith("error:")
    assert "2017-01-01" in result.first_error
    assert tariffs_copy.read_bytes() == original


def test_tariffs_option_beats_the_environment(run: Runner, tariffs_copy: Path) -> None:
    assert (
        run(
            "tariff", "new", "--effective", "2027-01-01", env_extra={"KVSUPPORT_TARIFFS": str(tariffs_copy)}
        ).code
        == 0
    )
    result = run(
        "--tariffs",
        str(tariffs_copy),
        "tariff",
        "list",
        "--format",
        "json",
        env_extra={"KVSUPPORT_TARIFFS": "/nope.toml"},
    )
    assert result.code == 0, result.stderr
    assert len(result.json()) == 2


# ------------------------------------------------------------------ config


def test_config_set_show_path(run: Runner) -> None:
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    assert not config.exists()

    result = run("config", "set", "supplier.inn", "7707083893")
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert "supplier.inn" in result.stderr
    assert config.exists()

    assert run("config", "set", "timezone", "Europe/Moscow").code == 0
    shown = run("config", "show", "--format", "json")
    assert shown.code == 0
    assert shown.stderr == ""
    values = shown.json()
    assert values["supplier.inn"] == "7707083893"
    assert values["timezone"] == "Europe/Moscow"
    assert values["invoice.number_format"] == "{year}-{seq:04d}"
    assert values["supplier.bik"] is None

    text = run("config", "show")
    assert text.code == 0
    assert "Europe/Moscow" in text.stdout
    assert "(default)" in text.stdout

    path = run("config", "path")
    assert path.code == 0
    assert path.stdout.strip() == str(config)
    assert path.stderr == ""


def test_config_set_empty_value_removes_the_key(run: Runner) -> None:
    assert run("config", "set", "consultant.name", "Иванов И. И.").code == 0
    assert run("config", "show", "--format", "json").json()["consultant.name"] == "Иванов И. И."
    assert run("config", "set", "consultant.name", "").code == 0
    assert run("config", "show", "--format", "json").json()["consultant.name"] is None


def test_config_unknown_key_is_refused_and_nothing_written(run: Runner) -> None:
    config = Path(os.environ["KVSUPPORT_CONFIG"])
    result = run("config", "set", "supplier.colour", "blue")
    assert result.code == 2
    assert result.stdout == ""
    assert result.first_error.startswith("error:")
    assert "supplier.colour" in result.first_error
    assert "timezone" in result.stderr  # the hint lists the known keys
    assert not config.exists()


def test_config_option_beats_the_environment(run: Runner, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    assert run("--config", str(other), "config", "set", "timezone", "Asia/Tokyo").code == 0
    assert "Asia/Tokyo" in other.read_text("utf-8")
    assert not Path(os.environ["KVSUPPORT_CONFIG"]).exists()
    assert run("--config", str(other), "config", "path").stdout.strip() == str(other)
