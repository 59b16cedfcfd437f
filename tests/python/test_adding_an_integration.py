"""Adding an integration whose history is older than the lookback, on an existing
incremental warehouse (docs/adding_an_integration.md, "History older than the lookback").

A warehouse is built in full on `small_history`. Then a new integration arrives from a
new source system: a catalog row, mapping rows for the system's own event names, and
its whole history in the raw events table, each row with the loaded_at of its original
delivery (months before the last build, far beyond the lookback). The events are those
of one existing integration, re-keyed, so the new integration must end up with exactly
as many connections and events as that one.

As the guide says: a plain `dbt build` stops at the reconciliation with the counts and
the remedy, and publishes nothing (every mart as before); `dbt build --full-refresh`
then gives the same warehouse as a full build from scratch on the new data.

The project is copied, so the seed rows can be added as a user would.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from integration_adoption import warm_dbt
from integration_adoption.dbt_cli import MODELS_ONLY, dbt_argv, dbt_env
from integration_adoption.warehouse_diff import differences

from .conftest import NO_JSON, ROOT, in_slot, scalar

NEW_SOURCE = "acme_connector"
# the project's default incremental_lookback_days
LOOKBACK_DAYS = 3
# what the cleaning trims from text fields (metric-definitions §2: Unicode White_Space)
STRIPPED = r"nullif(regexp_replace({}, '^[\s\p{{Z}}\x{{85}}]+|[\s\p{{Z}}\x{{85}}]+$', '', 'g'), '')"
NEW_KEY = "acme_crm"
PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds", "tests", "analyses")


def dbt(command: list[str], project: Path, raw: Path, database: Path, target: Path):
    """`dbt <command>` in the project copy on `database` (one partial parse per target)."""
    argv = [*dbt_argv([*command, *NO_JSON], target), "--log-path", str(target.with_name("logs"))]
    with in_slot(database, target) as slot:
        return warm_dbt.run(
            argv, cwd=project, env=dbt_env(raw, slot), capture_output=True, text=True
        )


def copied_integration(con: duckdb.DuckDBPyConnection) -> str:
    """The existing integration of the product's raw events the new one copies: the one
    with the most connections among those with fewer than 60 (keeps the builds quick)."""
    return scalar(
        con,
        """
        select integration_key from staging.stg_product__integration_events
        group by integration_key
        having count(distinct connection_id) < 60
        order by count(distinct connection_id) desc, integration_key
        limit 1
        """,
    )


def add_the_integration(project: Path, raw: Path, new_raw: Path, copied: str) -> Path:
    """The new raw folder (the old one plus the new system's history, whose file is
    returned) and the seed rows."""
    shutil.copytree(raw, new_raw)
    history = new_raw / "integration_events" / "acme_connector_history.parquet"
    strip = STRIPPED.format
    with duckdb.connect() as con:
        # the copied integration's raw rows, as the new system delivers them: its own ids,
        # keys and event names, each with the loaded_at of the original delivery
        con.execute(
            f"""
            copy (
                select * replace (
                    '{NEW_SOURCE}:' || {strip("event_id")} as event_id,
                    '{NEW_SOURCE}' as source_system,
                    'acme.' || {strip("source_system")} || '.' || {strip("event_name")}
                        as event_name,
                    'acme_' || {strip("connection_id")} as connection_id,
                    '{NEW_KEY}' as integration_key
                )
                from read_parquet('{raw}/integration_events/*.parquet', union_by_name = true)
                where {strip("integration_key")} = ?
            ) to '{history}' (format parquet)
            """,
            [copied],
        )
        names = con.execute(
            f"select distinct event_name from '{history}' where event_name is not null"
        ).fetchall()

    seeds = project / "seeds"
    with (seeds / "event_name_map.csv").open() as f:
        mapping = {(r["source_system"], r["source_event_name"]): r for r in csv.DictReader(f)}
    with (seeds / "event_name_map.csv").open("a", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for (name,) in sorted(names):
            source_system, source_event_name = name.removeprefix("acme.").split(".", 1)
            original = mapping.get((source_system, source_event_name))
            if original is not None:  # an unmapped name stays unmapped
                writer.writerow([NEW_SOURCE, name, original["event_name"]])
    with (seeds / "integration_catalog.csv").open() as f:
        catalog = list(csv.DictReader(f))
    row = next(r for r in catalog if r["integration_key"] == copied)
    with (seeds / "integration_catalog.csv").open("a", newline="") as f:
        csv.DictWriter(f, fieldnames=list(row), lineterminator="\n").writerow(
            {**row, "integration_key": NEW_KEY, "display_name": "Acme CRM"}
        )
    return history


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, small_history: Path) -> dict:
    work = tmp_path_factory.mktemp("adding_an_integration")
    project = work / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy
        copy(ROOT / part, project / part)
    target = work / "target"
    warehouse = work / "warehouse.duckdb"

    # the existing incremental warehouse
    built = dbt(
        ["build", "--full-refresh", *MODELS_ONLY], project, small_history, warehouse, target
    )
    assert built.returncode == 0, built.stdout
    before = work / "before.duckdb"
    shutil.copy(warehouse, before)
    with duckdb.connect(str(before), read_only=True) as con:
        copied = copied_integration(con)

    new_raw = work / "raw_with_acme"
    history = add_the_integration(project, small_history, new_raw, copied)

    # the guide's first step is a plain build: it must stop before the marts
    plain = dbt(
        ["build", "--exclude", "resource_type:unit_test"], project, new_raw, warehouse, target
    )
    after_plain = work / "after_plain.duckdb"
    shutil.copy(warehouse, after_plain)

    # the remedy the message names, then a full build from scratch to compare with
    refreshed = dbt(["build", "--full-refresh", *MODELS_ONLY], project, new_raw, warehouse, target)
    assert refreshed.returncode == 0, refreshed.stdout
    scratch = work / "scratch.duckdb"
    fresh = dbt(["build", *MODELS_ONLY], project, new_raw, scratch, target)
    assert fresh.returncode == 0, fresh.stdout
    return {
        "copied": copied,
        "history": history,
        "before": before,
        "plain": plain,
        "after_plain": after_plain,
        "refreshed": warehouse,
        "scratch": scratch,
    }


def test_the_history_is_older_than_the_lookback(runs):
    # most of the new system's rows were loaded long before the last build's lookback
    with duckdb.connect(str(runs["before"]), read_only=True) as con:
        last_load = scalar(
            con, "select max(loaded_at) from staging.base_product__integration_events_triaged"
        )
    with duckdb.connect() as con:
        delivered, old = con.execute(
            f"""
            select count(*), count(*) filter (
                where loaded_at < ?::timestamp - interval {LOOKBACK_DAYS} day
            )
            from read_parquet(?)
            """,
            [last_load, str(runs["history"])],
        ).fetchone()
    assert delivered > 500
    assert old > delivered / 2


def test_a_plain_build_stops_with_the_counts_and_the_remedy(runs):
    plain = runs["plain"]
    assert plain.returncode != 0
    assert "raw rows do not reconcile" in plain.stdout
    assert "raw rows are in no model" in plain.stdout
    assert "dbt build --full-refresh" in plain.stdout


def test_a_plain_build_publishes_nothing(runs):
    # every mart as it was before the build (the triage's own table took the rows it
    # could see; nothing reads it until the reconciliation passes)
    assert differences(runs["before"], runs["after_plain"], intermediates=()) == {}
    with duckdb.connect(str(runs["after_plain"]), read_only=True) as con:
        assert (
            scalar(
                con,
                "select count(*) from marts.dim_integrations where integration_key = ?",
                NEW_KEY,
            )
            == 0
        )


def test_the_full_refresh_equals_a_full_build(runs):
    assert differences(runs["refreshed"], runs["scratch"]) == {}


def test_the_new_integration_has_the_copied_ones_connections_and_events(runs):
    with duckdb.connect(str(runs["refreshed"]), read_only=True) as con:
        per_key = dict(
            con.execute(
                """
                select integration_key, count(*) from marts.dim_connections
                where integration_key in (?, ?) group by integration_key
                """,
                [runs["copied"], NEW_KEY],
            ).fetchall()
        )
        events = dict(
            con.execute(
                """
                select integration_key, sum(event_count)
                from intermediate.int_connection_activity_daily
                where integration_key in (?, ?)
                group by integration_key
                """,
                [runs["copied"], NEW_KEY],
            ).fetchall()
        )
    assert per_key[NEW_KEY] == per_key[runs["copied"]] > 0
    assert events[NEW_KEY] == events[runs["copied"]]
