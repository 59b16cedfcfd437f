"""Shared fixtures: small generator runs, and the test warehouse `make test` builds."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import msgpack
import pytest
from filelock import FileLock

from integration_adoption import warm_dbt
from integration_adoption.dbt_cli import DBT, MODELS_ONLY, dbt_argv, dbt_env
from integration_adoption.generator.config import RunConfig
from integration_adoption.generator.run import generate
from integration_adoption.raw_snapshots import raw_loaded_by

# A pytest-xdist worker runs under execnet, whose __main__ has neither a spec nor a
# file: pyspark (imported by great_expectations) takes that for its own doctest run
# and exits the worker. Give __main__ the file pyspark looks for.
_MAIN = sys.modules["__main__"]
if getattr(_MAIN, "__spec__", None) is None and not hasattr(_MAIN, "__file__"):
    _MAIN.__file__ = "<pytest-xdist worker>"

# the generator writes the partner's webhook log too: every dbt build of the
# suite reads it (the optional source is off by default, dbt_project.yml)
os.environ.setdefault("IA_PARTNER_WEBHOOKS_ENABLED", "true")

# the last simulated day of `small_history` (the day-by-day cuts lie before it)
SMALL_HISTORY_END = dt.date(2025, 6, 30)

START, END = dt.date(2024, 1, 1), dt.date(2025, 6, 30)


def run(
    out: Path,
    accounts: int,
    chunk: int,
    workers: int = 1,
    messy: bool = False,
    shape: str = "deep",
) -> Path:
    generate(
        RunConfig(
            out=out,
            seed=7,
            start_date=START,
            end_date=END,
            accounts=accounts,
            messy=messy,
            chunk_accounts=chunk,
            workers=workers,
            quiet=True,
            shape=shape,
        )
    )
    return out


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run(tmp_path_factory.mktemp("clean"), accounts=1500, chunk=500)


@pytest.fixture(scope="session")
def small_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six months of messy raw data for 150 accounts: small enough to build many times."""
    out = tmp_path_factory.mktemp("small_history")
    generate(
        RunConfig(
            out=out,
            seed=11,
            start_date=dt.date(2025, 1, 1),
            end_date=SMALL_HISTORY_END,
            accounts=150,
            messy=True,
            quiet=True,
        )
    )
    return out


@pytest.fixture(scope="session")
def messy_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run(tmp_path_factory.mktemp("messy"), accounts=600, chunk=250, workers=2, messy=True)


# ---------- the warehouse `make test` built from the messy test data
ROOT = Path(__file__).resolve().parents[2]
TEST_DATABASE = Path(os.environ.get("IA_TEST_DUCKDB", ROOT / "warehouse" / "test.duckdb"))
TEST_RAW = Path(os.environ.get("IA_TEST_RAW", ROOT / "data" / "test" / "raw"))


@pytest.fixture(scope="session")
def con() -> duckdb.DuckDBPyConnection:
    """Read-only connection to the test warehouse (built by `make test-dbt`)."""
    if not TEST_DATABASE.exists():
        pytest.fail(f"no warehouse at {TEST_DATABASE}: run `make test-dbt` first")
    connection = duckdb.connect(str(TEST_DATABASE), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def truth() -> dict[str, Any]:
    """The generator's ground truth for the test data."""
    path = TEST_RAW / "ground_truth.json"
    if not path.exists():
        pytest.fail(f"no ground truth at {path}: run `make test-data` first")
    return json.loads(path.read_text())


def write_example_mart(path: Path, columns: str, rows: list[tuple]) -> Path:
    """A one-table warehouse (marts.fct_example with `columns`, a SQL column list)
    holding `rows`: the stand-in the comparison tests build twice and compare."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(f"create table marts.fct_example ({columns})")
        con.executemany(
            f"insert into marts.fct_example values ({', '.join('?' * len(rows[0]))})", rows
        )
    return path


def scalar(con: duckdb.DuckDBPyConnection, query: str, *params: Any) -> Any:
    """The single value a query returns."""
    row = con.execute(query, list(params)).fetchone()
    assert row is not None
    return row[0]


# ---------- what is built once for every pytest worker of the session


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder every pytest worker of the session sees (its own without
    workers): what is built there once serves them all."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def built_once(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Path | None]:
    """The folder `name` in the shared folder, built once per session: yields the empty
    folder to the first worker that gets here (which builds in it), None to the others
    (which wait while it is built). The folder is marked built when the block ends."""
    shared = shared_folder(tmp_path_factory)
    work = shared / name
    with FileLock(str(shared / f"{name}.lock")):
        if (work / "built").exists():
            yield None
            return
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        yield work
        (work / "built").touch()


# ---------- one `dbt parse` of the project, shared by the tests that only read the manifest


@pytest.fixture(scope="session")
def parsed_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt parse` (no partial parse) into a target folder, once per session for every
    worker: manifest.json and semantic_manifest.json. The profile's DuckDB path only
    names the relations' database (its file stem, the test warehouse's); parse never
    opens it. Read it, never write it."""
    with built_once(tmp_path_factory, "parse") as work:
        if work is not None:
            _parse(work)
    return shared_folder(tmp_path_factory) / "parse" / "target"


def _parse(work: Path) -> None:
    warm_dbt.run(
        [
            *(str(DBT), "parse", "--quiet", "--no-partial-parse"),
            *("--target-path", str(work / "target"), "--log-path", str(work / "logs")),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DBT_PROFILES_DIR": str(ROOT),
            "IA_DUCKDB_PATH": str(work / f"{TEST_DATABASE.stem}.duckdb"),
        },
        check=True,
    )


@pytest.fixture(scope="session")
def manifest(parsed_target: Path) -> dict[str, Any]:
    """The parsed project's manifest.json (tests that change it work on a deep copy)."""
    return json.loads((parsed_target / "manifest.json").read_text())


# ---------- dbt on many warehouses with one partial parse
# The duckdb profile's path is part of what dbt checks before it reuses its saved parse
# (target/partial_parse.msgpack): each new path costs a full parse, the slowest step of a
# small build. So builds sharing a target folder run on one fixed path, the slot, that
# each warehouse is moved into for its run and out again afterwards (with its
# write-ahead log, which a killed run leaves behind). The raw data path is in the
# sources files too: a new one re-parses them and every node reading a source (5 s
# more than the 3.5 s of a parse that finds no change). Builds of many raw folders
# whose views are never read afterwards can read theirs through a fixed path as
# well (raw_in_slot: a symbolic link, as raw folders are shared between tests; a
# view built through it reads whatever the link points at next, so nothing may
# read one after the build).


def slot_folder(target: Path) -> Path:
    """The folder of the fixed paths of `target`'s builds (its warehouse, its raw data)."""
    return target.with_name(f"{target.name}_slot")


@contextmanager
def in_slot(database: Path, target: Path) -> Iterator[Path]:
    """Move `database` (and its .wal) to the fixed path of `target`'s builds and back."""
    slot = slot_folder(target) / "warehouse.duckdb"
    slot.parent.mkdir(parents=True, exist_ok=True)

    def move(source: Path, destination: Path) -> None:
        for suffix in ("", ".wal"):
            moving = source.with_name(source.name + suffix)
            landing = destination.with_name(destination.name + suffix)
            assert not landing.exists(), f"{landing} is in the way"
            if moving.exists():
                moving.rename(landing)

    move(database, slot)
    try:
        yield slot
    finally:
        move(slot, database)


@contextmanager
def raw_in_slot(raw: Path, target: Path) -> Iterator[Path]:
    """A fixed path of `target`'s builds that points at `raw` while the context lasts
    (only for builds whose views are not read afterwards: see above)."""
    link = slot_folder(target) / "raw"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(raw.resolve(), target_is_directory=True)
    try:
        yield link
    finally:
        link.unlink()


@contextmanager
def slot_env(raw: Path, database: Path, target: Path) -> Iterator[dict[str, str]]:
    """dbt_env for a build in `target` of `database` from `raw`, both in the slot (only
    for builds whose views are not read afterwards: see above)."""
    with in_slot(database, target) as slot, raw_in_slot(raw, target) as linked:
        yield dbt_env(linked, slot)


# The suite's builds write no JSON artifacts (manifest.json, run_results.json: about a
# second of each small build) unless a test reads them; the parse dbt saves for the next
# run (partial_parse.msgpack) is written either way.
NO_JSON = ["--no-write-json"]


def assert_sources_read(target: Path, raw: Path) -> None:
    """The build in `target` read its sources from `raw`: the parse it used (saved in
    target/partial_parse.msgpack whenever dbt parsed anything, so also when the raw path
    changed) saw it."""
    saved = msgpack.unpackb((target / "partial_parse.msgpack").read_bytes(), strict_map_key=False)
    locations = [source["meta"]["external_location"] for source in saved["sources"].values()]
    assert locations and all(f"'{raw}/" in location for location in locations), locations


# ---------- the small history arriving day by day, built incrementally once per session
# (the incremental-equality and the crash-recovery tests both start from these builds)

# the generator delays late rows by at most 12 days; the lookback must cover that
LOOKBACK_DAYS = 14
NEW_DAYS = 3


def dbt_models(command: list[str], target: Path) -> list[str]:
    """argv of `dbt <command>` on seeds and models only, with the wide lookback."""
    return dbt_argv(
        [*command, *MODELS_ONLY, *NO_JSON], target, {"incremental_lookback_days": LOOKBACK_DAYS}
    )


def run_dbt_models(command: list[str], raw: Path, database: Path, target: Path) -> None:
    argv = dbt_models([*command, "--quiet"], target)
    with in_slot(database, target) as slot:
        warm_dbt.run(argv, cwd=ROOT, env=dbt_env(raw, slot), check=True)
    assert_sources_read(target, raw)


@pytest.fixture(scope="session")
def day_by_day(tmp_path_factory: pytest.TempPathFactory, small_history: Path) -> dict[str, Path]:
    """`small_history` cut into snapshots that arrive one load day at a time: a full
    build on the first, then one incremental run per day. Returns the raw snapshots
    (`raw_minus_N`: what had arrived N days before the simulated end; `raw_minus_0`
    is everything, the last day and the late arrivals after it), a copy of the
    warehouse after each run (`after_minus_N`) and the dbt target folder. The cuts
    lie inside the simulated period, so each run brings a day of new events and the
    as-of date moves on: states lapse and scores leave their daily window as on a
    real schedule (the load days after the end bring late arrivals only).
    Copies: tests may only copy them. Built once per session: with several pytest
    workers, the first builds it in their shared temporary folder and the others wait
    for it (the crash-recovery and incremental-equality files may run on two workers)."""
    base = tmp_path_factory.getbasetemp()
    with built_once(tmp_path_factory, "day_by_day") as work:
        builder = work is not None
        if builder:
            paths = _build_day_by_day(work, small_history)
            (work / "paths.json").write_text(
                json.dumps({key: str(path) for key, path in paths.items()})
            )
            # the target folder as the builds left it, for the other workers to copy
            # (the builder's tests go on writing in the original meanwhile)
            shutil.copytree(paths["target"], work / "target_as_built")
    work = shared_folder(tmp_path_factory) / "day_by_day"
    paths = {key: Path(path) for key, path in json.loads((work / "paths.json").read_text()).items()}
    if not builder:
        # the tests build in the target folder: the worker that built it keeps it (and
        # the parse saved there), another worker builds in its own copy (whose slot
        # path differs, so its first build parses the whole project)
        target = base / "day_by_day_target"
        if not target.exists():
            shutil.copytree(work / "target_as_built", target)
        paths["target"] = target
    return paths


def _build_day_by_day(work: Path, small_history: Path) -> dict[str, Path]:
    target = work / "target"
    warehouse = work / "warehouse.duckdb"
    paths: dict[str, Path] = {"work": work, "target": target}
    for days_before_last in range(NEW_DAYS, -1, -1):
        raw = work / f"raw_minus_{days_before_last}"
        if days_before_last == 0:
            shutil.copytree(small_history, raw)
        else:
            last_load = SMALL_HISTORY_END - dt.timedelta(days=days_before_last)
            raw_loaded_by(small_history, raw, last_load)
        first = days_before_last == NEW_DAYS
        run_dbt_models(["build", "--full-refresh"] if first else ["build"], raw, warehouse, target)
        after = work / f"after_minus_{days_before_last}.duckdb"
        shutil.copy(warehouse, after)
        paths[f"raw_minus_{days_before_last}"] = raw
        paths[f"after_minus_{days_before_last}"] = after
    return paths


# ---------- two workers (make test: `pytest -n 2 --dist loadfile --no-loadscope-reorder`)
# Each file runs on one worker, so its module fixtures are built once; the longest
# files are handed out first (in this order: no reordering by test count), so the
# two workers finish close together.
LONGEST_FIRST = (
    "test_impact_truth.py",
    "test_dashboard_browser.py",
    "test_impact_history.py",
    "test_crash_recovery.py",
    "test_incremental_equality.py",
    "test_first_build.py",
    "test_ci_recipe.py",
    "test_adding_an_integration.py",
    # after the files that build day_by_day (crash recovery, incremental equality):
    # it is built by then, and the last files handed out are the short ones
    "test_tests_check_the_replaced_days.py",
    "test_contract_versions.py",
    "test_secrets.py",
    # the files of 15-30 s, so that the last ones handed out take seconds
    "test_validation.py",
    "test_access.py",
    "test_package_project.py",
    "test_bad_vars.py",
    "test_generator.py",
    "test_conventions.py",
    "test_warm_dbt.py",
)


def pytest_sessionfinish(session: pytest.Session) -> None:
    # the warm dbt server of this worker (integration_adoption/warm_dbt.py)
    warm_dbt.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)
