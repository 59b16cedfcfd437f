"""A user's first `dbt build`: the raw contract's three tables only, no warehouse folder yet,
and raw data that is missing or does not match the contract (README "Bring your own data").

Each test runs the real `dbt build` on small generated data (`small_history`, 150 accounts),
with the optional partner source off, as a user's own three tables are. The tests share one
folder and its paths (`home`): each starts with no raw folder and no warehouse folder there,
and dbt reuses the parse the first one saved (a new warehouse path, raw path or target folder
would cost a full parse, most of a small build's time).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from integration_adoption import warm_dbt
from integration_adoption.dbt_cli import ROOT, dbt_argv, dbt_env

from .conftest import NO_JSON

THREE_TABLES = ("integration_events", "accounts", "account_monthly")


@dataclass(frozen=True)
class Home:
    """The fixed paths of the module's builds: the raw folder, the warehouse, dbt's target."""

    raw: Path
    database: Path
    target: Path


@pytest.fixture(scope="module")
def home_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("first_build")


@pytest.fixture
def home(home_folder: Path) -> Home:
    """The module's paths, with no raw folder and no warehouse folder yet."""
    paths = Home(
        raw=home_folder / "raw",
        database=home_folder / "warehouse" / "integration_adoption.duckdb",
        target=home_folder / "target",
    )
    shutil.rmtree(paths.raw, ignore_errors=True)
    shutil.rmtree(paths.database.parent, ignore_errors=True)
    return paths


def dbt_build(home: Home, *args: str) -> subprocess.CompletedProcess[str]:
    """`dbt build` as a user types it: the partner source left at its default (off)."""
    env = dbt_env(home.raw, home.database)
    env.pop("IA_PARTNER_WEBHOOKS_ENABLED", None)
    return warm_dbt.run(
        dbt_argv(["build", "--quiet", *NO_JSON, *args], home.target),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def three_tables(small_history: Path, raw: Path) -> Path:
    """The raw contract's three tables of `small_history`, without the partner's folder."""
    for table in THREE_TABLES:
        shutil.copytree(small_history / table, raw / table)
    return raw


def test_a_build_on_the_three_tables_passes_every_test(home, small_history):
    raw = three_tables(small_history, home.raw)
    # no warehouse folder yet: the build creates it
    database = home.database
    # every model and data test; the unit tests do not read the data, and with the partner
    # source off those of the models that read it are disabled: the others compile as with
    # it on, and `make test-dbt` runs them
    result = dbt_build(home, "--exclude", "resource_type:unit_test")
    assert result.returncode == 0, result.stdout + result.stderr
    with duckdb.connect(str(database), read_only=True) as con:
        sources = con.execute(
            "select distinct raw_source from marts.fct_data_quality_checks order by 1"
        ).fetchall()
        assert sources == [("all",), ("product",)]
        (raw_rows,) = con.execute(
            "select row_count from marts.fct_data_quality_checks "
            "where raw_source = 'product' and check_name = 'raw_rows'"
        ).fetchone()
        (delivered,) = con.execute(
            f"select count(*) from read_parquet('{raw}/integration_events/*.parquet')"
        ).fetchone()
        assert raw_rows == delivered
        partner_tables = con.execute(
            "select table_name from information_schema.tables where table_name like '%partner%'"
        ).fetchall()
        assert partner_tables == []


def test_no_raw_data_says_where_it_looked_and_what_to_do(home):
    # no raw folder, and no warehouse folder
    raw = home.raw
    result = dbt_build(home)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    message = [line for line in output.splitlines() if "No raw data in" in line]
    assert len(message) == 1, output
    assert str(raw) in message[0]
    assert "make demo-data" in message[0] and "IA_RAW_DATA_PATH" in message[0]
    # no error of a model reading the missing files, and the warehouse folder was made
    assert "No files found" not in output and "Cannot open file" not in output
    assert home.database.exists()


def contract_message(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert result.returncode != 0
    lines = [line for line in output.splitlines() if "does not match the raw contract" in line]
    assert len(lines) == 1, output
    assert "Runtime Error" not in output and "Binder Error" not in output, output
    return lines[0]


def rewrite(source: Path, target: Path, select: str) -> None:
    """Write `target` as `select` over the Parquet file `source` (the `data` relation)."""
    with duckdb.connect() as con:
        con.execute(f"create view data as select * from read_parquet('{source}')")
        con.execute(f"copy ({select}) to '{target}' (format parquet)")


@pytest.fixture
def raw_three(home, small_history) -> Path:
    return three_tables(small_history, home.raw)


def test_a_file_without_columns_and_a_struct_are_named(home, raw_three):
    events = raw_three / "integration_events"
    first = sorted(events.glob("*.parquet"))[0]
    rewrite(
        first,
        events / "late_batch.parquet",
        "select * exclude (occurred_at, loaded_at) from data limit 5",
    )
    rewrite(
        first,
        events / "struct_batch.parquet",
        "select * replace ({'records_count': 1} as properties) from data limit 5",
    )
    message = contract_message(dbt_build(home))
    assert f"{events}/late_batch.parquet has no column occurred_at" in message
    assert f"{events}/late_batch.parquet has no column loaded_at" in message
    assert f"{events}/struct_batch.parquet: properties is STRUCT" in message
    # the good files are not named
    assert str(first) not in message


def test_a_column_missing_from_every_file_is_named_per_file(home, raw_three):
    events = raw_three / "integration_events"
    files = sorted(events.glob("*.parquet"))
    for path in files:
        moved = path.with_suffix(".old")
        path.rename(moved)
        rewrite(moved, path, "select * exclude (properties) from data")
        moved.unlink()
    message = contract_message(dbt_build(home))
    for path in files:
        assert f"{path} has no column properties (varchar)" in message


def test_warehouse_tables_are_checked_too(home, raw_three):
    """raw_from_files false: the tables of raw_schema, named with the column."""
    database = home.database
    database.parent.mkdir()
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw")
        for table in THREE_TABLES:
            parquet = f"read_parquet('{raw_three}/{table}/*.parquet')"
            con.execute(f"create table raw.{table} as select * from {parquet}")
        con.execute("alter table raw.accounts drop column segment")
        con.execute("alter table raw.account_monthly alter mrr type varchar")
    message = contract_message(dbt_build(home, "--vars", "{raw_from_files: false}"))
    assert "the table raw.accounts has no column segment (varchar)" in message
    assert "the table raw.account_monthly: mrr is VARCHAR, the contract says double" in message
