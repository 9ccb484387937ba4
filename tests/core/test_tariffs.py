"""Tests for the tariff file: the shipped list, checking a broken one, ``tariff new``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kvsupport.core.models import OneTimeFee
from kvsupport.core.tariffs import tariffs_from_data
from kvsupport.errors import KvsupportError, TariffError
from kvsupport.storage.paths import PACKAGED_TARIFFS
from kvsupport.storage.tariff_file import append_version, load_tariffs

REPO_TARIFFS = Path(__file__).resolve().parents[2] / "tariffs.toml"

# --- the shipped 2017 list ----------------------------------------------------------------


@pytest.mark.parametrize("path", [PACKAGED_TARIFFS, REPO_TARIFFS], ids=["packaged", "repo-root"])
def test_shipped_list_loads(path: Path) -> None:
    tariffs = load_tariffs(path)
    (version,) = tariffs.versions
    assert version.effective == date(2017, 1, 1)
    assert version.title == "Прайс-лист на 01.01.2017"
    assert (version.vat, version.vat_rate) == ("none", None)
    assert set(version.services) == {"line", "backup", "remote"}

    line, backup, remote = (version.services[k] for k in ("line", "backup", "remote"))
    assert line.hourly_rate == 0
    assert line.is_free
    assert line.minimum_minutes == 0

    assert backup.requires == ("problem", "phone", "consent")
    assert (backup.hourly_rate, backup.minimum_minutes, backup.step_minutes, backup.rounding) == (
        Decimal("1300.00"),
        60,
        1,
        "up",
    )
    assert backup.one_time_fee is None

    assert remote.requires == ("backup_confirmed",)
    assert (remote.hourly_rate, remote.minimum_minutes, remote.step_minutes, remote.rounding) == (
        Decimal("1300.00"),
        60,
        1,
        "up",
    )
    assert remote.one_time_fee == OneTimeFee(
        key="remote-connection",
        title="Подключение к системе дистанционного обслуживания",
        amount=Decimal("4000.00"),
    )
    assert not remote.is_free


def test_repo_root_list_is_the_packaged_default() -> None:
    assert REPO_TARIFFS.read_bytes() == PACKAGED_TARIFFS.read_bytes()


# --- a broken document: every problem at once -----------------------------------------------

BROKEN: dict[str, object] = {
    "tariff": [
        {
            "effective": date(2017, 1, 1),
            "title": "first",
            "vat": "none",
            "services": {"backup": {"title": "Копия", "hourly_rate": "-5.00"}},
        },
        {
            "effective": date(2017, 1, 1),
            "title": "same day",
            "services": {"backup": {"title": "Копия", "hourly_rate": 1300.0}},
        },
        {
            "effective": date(2018, 1, 1),
            "title": "third",
            "colour": "red",
            "services": {
                "remote": {
                    "title": "Подключение",
                    "hourly_rate": "1300.00",
                    "rounding": "sideways",
                    "requires": ["backup_confirmed", "blessing"],
                    "one_time_fee": {"title": "Подключение", "amount": "4000.00"},
                }
            },
        },
        {
            "effective": date(2019, 1, 1),
            "services": {"line": {"title": "Линия", "hourly_rate": 0}},
        },
    ]
}

# (version, key, what the message must say)
BROKEN_PROBLEMS = [
    ("tariff[1] (effective 2017-01-01)", "effective", "tariff[0]"),
    ("tariff[0] (effective 2017-01-01)", "services.backup.hourly_rate", "negative"),
    (
        "tariff[1] (effective 2017-01-01)",
        "services.backup.hourly_rate",
        "a float cannot hold kopecks exactly",
    ),
    ("tariff[2] (effective 2018-01-01)", "rounding", "'sideways'"),
    ("tariff[2] (effective 2018-01-01)", "requires", "'blessing'"),
    ("tariff[2] (effective 2018-01-01)", "services.remote.one_time_fee", "key"),
    ("tariff[2] (effective 2018-01-01)", "colour", "unknown key"),
    ("tariff[3] (effective 2019-01-01)", "title", "non-empty"),
]


def test_broken_document_reports_every_problem_at_once() -> None:
    with pytest.raises(TariffError) as caught:
        tariffs_from_data(BROKEN, "broken.toml")
    problems = caught.value.problems
    assert caught.value.message == problems[0]
    for version, key, says in BROKEN_PROBLEMS:
        prefix = f"broken.toml: {version}: "
        matching = [p for p in problems if p.startswith(prefix) and key in p[len(prefix) :] and says in p]
        assert len(matching) == 1, f"{version} {key} {says!r} not reported once in:\n" + "\n".join(problems)
    assert len(problems) == len(BROKEN_PROBLEMS), "\n".join(problems)


def test_every_problem_names_file_version_and_key() -> None:
    with pytest.raises(TariffError) as caught:
        tariffs_from_data(BROKEN, "broken.toml")
    for problem in caught.value.problems:
        file, version, rest = problem.split(": ", 2)
        assert file == "broken.toml"
        assert version.startswith("tariff[")
        assert "(effective 20" in version
        assert ":" in rest, f"no key named in {problem!r}"


def test_float_rate_message_explains_floats() -> None:
    with pytest.raises(TariffError) as caught:
        tariffs_from_data(BROKEN, "broken.toml")
    (floats,) = [p for p in caught.value.problems if "float" in p]
    assert "write it as a string" in floats


def test_duplicate_dates_are_named_by_their_place_in_the_file() -> None:
    """An invalid version before them must not shift the numbers of the repeated ones."""
    good = {"line": {"title": "Линия", "hourly_rate": 0}}
    data = {
        "tariff": [
            {"effective": date(2016, 1, 1), "services": good},  # no title
            {"effective": date(2017, 1, 1), "title": "a", "services": good},
            {"effective": date(2017, 1, 1), "title": "b", "services": good},
        ]
    }
    with pytest.raises(TariffError) as caught:
        tariffs_from_data(data, "dup.toml")
    problems = caught.value.problems
    assert len(problems) == 2, problems
    assert problems[0].startswith("dup.toml: tariff[0] (effective 2016-01-01): title:")
    assert problems[1].startswith("dup.toml: tariff[2] (effective 2017-01-01): effective:")
    assert "tariff[1]" in problems[1]


LINE = {"title": "Линия", "hourly_rate": 0}


@pytest.mark.parametrize(
    ("data", "where", "says"),
    [
        ({}, "tariff", "no [[tariff]]"),
        (
            {"tariff": [{"effective": date(2017, 1, 1), "title": "t", "services": {"line": LINE}}], "x": 1},
            "x",
            "unknown key",
        ),
        ({"tariff": []}, "tariff", "no [[tariff]]"),
        ({"tariff": ["2017"]}, "tariff[0]", "table"),
        ({"tariff": [{"title": "t", "services": {"line": LINE}}]}, "tariff[0]", "effective"),
        (
            {"tariff": [{"effective": datetime(2017, 1, 1, 9, 0), "title": "t", "services": {"line": LINE}}]},  # noqa: DTZ001
            "tariff[0]",
            "effective",
        ),
        (
            {
                "tariff": [
                    {"effective": date(2017, 1, 1), "title": "t", "vat": 20.0, "services": {"line": LINE}}
                ]
            },
            "tariff[0] (effective 2017-01-01)",
            "vat",
        ),
        (
            {
                "tariff": [
                    {"effective": date(2017, 1, 1), "title": "t", "vat": "100", "services": {"line": LINE}}
                ]
            },
            "tariff[0] (effective 2017-01-01)",
            "vat",
        ),
        (
            {"tariff": [{"effective": date(2017, 1, 1), "title": "t", "services": {}}]},
            "tariff[0] (effective 2017-01-01)",
            "services",
        ),
        (
            {
                "tariff": [
                    {
                        "effective": date(2017, 1, 1),
                        "title": "t",
                        "services": {"x": {"title": "x", "hourly_rate": 1, "step_minutes": 0}},
                    }
                ]
            },
            "tariff[0] (effective 2017-01-01): services.x.step_minutes",
            "at least 1",
        ),
        (
            {
                "tariff": [
                    {
                        "effective": date(2017, 1, 1),
                        "title": "t",
                        "services": {"x": {"title": "x", "hourly_rate": "1.005"}},
                    }
                ]
            },
            "tariff[0] (effective 2017-01-01): services.x.hourly_rate",
            "two decimals",
        ),
        (
            {"tariff": [{"effective": date(2017, 1, 1), "title": "t", "services": {"x": {"title": "x"}}}]},
            "tariff[0] (effective 2017-01-01): services.x.hourly_rate",
            "missing",
        ),
        (
            {
                "tariff": [
                    {
                        "effective": date(2017, 1, 1),
                        "title": "t",
                        "services": {"x": {"title": "x", "hourly_rate": "9" * 35}},
                    }
                ]
            },
            "tariff[0] (effective 2017-01-01): services.x.hourly_rate",
            "too large",
        ),
    ],
)
def test_single_problem_is_reported(data: dict[str, object], where: str, says: str) -> None:
    with pytest.raises(TariffError) as caught:
        tariffs_from_data(data, "one.toml")
    (problem,) = caught.value.problems
    assert problem.startswith(f"one.toml: {where}")
    assert says in problem


# --- reading the file -------------------------------------------------------------------------


def test_toml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "tariffs.toml"
    path.write_text('[[tariff]]\neffective = 2017-01-01\ntitle = "unterminated\n', "utf-8")
    with pytest.raises(TariffError) as caught:
        load_tariffs(path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}: ")
    assert "line 3" in problem


def test_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(TariffError, match=r"nowhere\.toml"):
        load_tariffs(path)


def test_problems_in_a_file_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "tariffs.toml"
    text = PACKAGED_TARIFFS.read_text("utf-8").replace('hourly_rate = "1300.00"', "hourly_rate = 1300.5")
    path.write_text(text, "utf-8")
    with pytest.raises(TariffError) as caught:
        load_tariffs(path)
    assert len(caught.value.problems) == 2  # backup and remote
    for problem in caught.value.problems:
        assert problem.startswith(f"{path}: tariff[0] (effective 2017-01-01): services.")
        assert ".hourly_rate: " in problem


# --- tariff new: appending a version ------------------------------------------------------------


def test_append_version_keeps_the_file_and_adds_a_block(tmp_path: Path) -> None:
    path = tmp_path / "tariffs.toml"
    original = PACKAGED_TARIFFS.read_bytes()
    path.write_bytes(original)

    added = append_version(path, path, date(2027, 1, 1))

    text = path.read_bytes()
    assert text.startswith(original)  # comments and layout kept byte for byte
    tail = text[len(original) :].decode("utf-8")
    assert tail.count("[[tariff]]") == 1
    assert "effective = 2027-01-01" in tail
    assert added.effective == date(2027, 1, 1)

    tariffs = load_tariffs(path)
    old, new = tariffs.versions
    assert (old.effective, new.effective) == (date(2017, 1, 1), date(2027, 1, 1))
    assert new.title == "Прайс-лист на 01.01.2027"
    assert new.vat == old.vat
    assert dict(new.services) == dict(old.services)


def test_append_version_to_a_new_file_starts_from_the_source(tmp_path: Path) -> None:
    path = tmp_path / "user" / "tariffs.toml"
    append_version(path, PACKAGED_TARIFFS, date(2027, 1, 1))
    assert path.read_bytes().startswith(PACKAGED_TARIFFS.read_bytes())
    assert [v.label for v in load_tariffs(path).versions] == ["2017-01-01", "2027-01-01"]


def test_append_version_twice(tmp_path: Path) -> None:
    path = tmp_path / "tariffs.toml"
    path.write_bytes(PACKAGED_TARIFFS.read_bytes())
    append_version(path, path, date(2027, 1, 1))
    after_first = path.read_bytes()
    append_version(path, path, date(2028, 3, 1))
    assert path.read_bytes().startswith(after_first)
    assert [v.label for v in load_tariffs(path).versions] == ["2017-01-01", "2027-01-01", "2028-03-01"]


@pytest.mark.parametrize("effective", [date(2017, 1, 1), date(2016, 12, 31)])
def test_append_version_refuses_a_date_not_after_the_latest(tmp_path: Path, effective: date) -> None:
    path = tmp_path / "tariffs.toml"
    original = PACKAGED_TARIFFS.read_bytes()
    path.write_bytes(original)
    with pytest.raises(KvsupportError, match="2017-01-01"):
        append_version(path, path, effective)
    assert path.read_bytes() == original
