"""The tests of an incremental model, right after its incremental run in the same dbt
invocation, check the rows that run wrote, not the whole history (issue 17, items 3
and 8: what a day's run reads grows with the new events, not the history). Every
other run checks every row. Two kinds (macros/testing/get_where_subquery.sql):
  * a replace_days model's tests read the days its run replaced; here the grain test
    of fct_connection_health_daily (connection_id, health_date);
  * the uniqueness tests of the event models read the keys the triage runs
    re-sorted (macros/testing/replaced_keys_log.sql); here event_id on
    stg_product__integration_events and triaged_row_id on the product triage table.

From the warehouse built day by day (conftest's `day_by_day`), planted before the
next incremental run (rows changed in place in the triage tables, so raw rows = clean
+ quarantined + collapsed still holds):
  * duplicates the run leaves alone: a health row of an old day, and an old clean
    event that takes the event_id of another old key. The run's `dbt build` passes
    and they stay; `dbt test` on its own, and the build with the var
    test_every_row, read every row and fail on both;
  * duplicates the run writes: an old row that takes the triaged_row_id of a
    quarantined row (a content hash, not its key) of a key the run re-sorts, another
    the event_id of a partner key it re-sorts (the test keeps every row whose value
    occurs on a re-sorted key, not only those keys' rows); then a second state spell
    planted upstream on the first day the run replaces, which doubles the
    connection's health row of it. Each fails the run's `dbt build`.
A failing test skips what is built from its model, so the failures that must show
side by side are planted on separate branches (product triage, partner events), and
the health mart's on a run of its own.

The singular test of the state rules reads, right after an incremental run of the
state spells, the days that run can have changed: each connection it rewrote from
its changed-from date on (its strategy, replace_from, logs both; macro
replaced_from_this_run). A broken spell of a connection the run leaves alone, and an
old broken spell of a connection it rewrites, are not reported by the run's build;
one the run writes (planted in the runs it copies) is; `dbt test` on its own reports
all three.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from integration_adoption import warm_dbt
from integration_adoption.dbt_cli import ROOT, dbt_argv, dbt_env

from .conftest import LOOKBACK_DAYS, NO_JSON, in_slot

MART = "marts.fct_connection_health_daily"
GRAIN_TEST = "unique_combination_of_columns_fct_connection_health_daily"
PRODUCT = "staging.base_product__integration_events_triaged"
PARTNER = "staging.base_partner_webhooks__integration_events_triaged"
LOG = "main.ia_replaced_keys"
EVENT_TEST = "unique_stg_product__integration_events_event_id"
PARTNER_EVENT_TEST = "unique_stg_partner_webhooks__integration_events_event_id"
ROW_ID_TEST = "unique_base_product__integration_events_triaged_triaged_row_id"
SPELLS = "intermediate.int_connection_state_spells"
RUNS = "intermediate.int_connection_state_runs"
RULES_TEST = "assert_state_spells_follow_the_rules"
# the models a run builds (with their tests): the mart alone, or the two triage
# branches and the mart
HEALTH = ["fct_connection_health_daily"]
SELECTED = [
    *HEALTH,
    "base_product__integration_events_triaged",
    "base_partner_webhooks__integration_events_triaged",
    "stg_product__integration_events",
    "stg_partner_webhooks__integration_events",
]


def dbt_on(
    command: str,
    raw: Path,
    database: Path,
    target: Path,
    every_row: bool = False,
    select: list[str] = SELECTED,
) -> subprocess.CompletedProcess:
    if every_row:
        # a var of its own: dbt parses the project again whenever the vars differ from
        # those of the parse saved in the target folder, so these runs keep theirs
        target = target.with_name(f"{target.name}_every_row")
    argv = dbt_argv(
        [command, *NO_JSON, "--select", *select, "--exclude", "resource_type:unit_test"],
        target,
        {
            "incremental_lookback_days": LOOKBACK_DAYS,
            **({"test_every_row": "true"} if every_row else {}),
        },
    )
    with in_slot(database, target) as slot:
        return warm_dbt.run(argv, cwd=ROOT, env=dbt_env(raw, slot), capture_output=True, text=True)


def failed(run: subprocess.CompletedProcess, *tests: str) -> bool:
    return run.returncode != 0 and all(f"Failure in test {test}" in run.stdout for test in tests)


def duplicated_days(database: Path) -> set[dt.date]:
    with duckdb.connect(str(database), read_only=True) as con:
        grain = "connection_id, health_date"
        rows = con.execute(
            f"select health_date from {MART} group by {grain} having count(*) > 1"
        ).fetchall()
    return {row[0] for row in rows}


def old_keys(con: duckdb.DuckDBPyConnection, table: str, count: int) -> list[str]:
    """The keys of the oldest clean events of a triage table, each delivered once."""
    rows = con.execute(
        f"""
        select triage_key from {table}
        where rejection_reason is null and collapsed_duplicate_count = 0
        order by loaded_at, triage_key limit ?
        """,
        [count],
    ).fetchall()
    return [row[0] for row in rows]


def new_key(con: duckdb.DuckDBPyConnection, table: str, condition: str) -> str:
    """A key of one row meeting `condition` that the next run re-sorts: the row was
    loaded within the lookback."""
    (key,) = con.execute(
        f"""
        select min(triage_key) from {table}
        where
            {condition}
            and loaded_at >= (select max(loaded_at) - to_days({LOOKBACK_DAYS - 1}) from {table})
            and triage_key in (select triage_key from {table} group by all having count(*) = 1)
        """
    ).fetchone()
    assert key is not None
    return key


def take_value(
    con: duckdb.DuckDBPyConnection, table: str, column: str, from_key: str, to_key: str
) -> object:
    """The row of `to_key` takes the `column` value of the row of `from_key`; returns
    the value it had."""
    (before,) = con.execute(
        f"select {column} from {table} where triage_key = ?", [to_key]
    ).fetchone()
    con.execute(
        f"""
        update {table}
        set {column} = (select {column} from {table} where triage_key = ?)
        where triage_key = ?
        """,
        [from_key, to_key],
    )
    return before


def logged_keys(database: Path, table: str) -> set[str]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            f"select replaced_key from {LOG} where relation_name = ? and replaced_key is not null",
            [table],
        ).fetchall()
    return {row[0] for row in rows}


@pytest.fixture
def warehouse(day_by_day, tmp_path) -> Path:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(day_by_day["after_minus_0"], copy)
    return copy


def test_an_old_duplicate_is_left_to_the_runs_that_read_every_row(day_by_day, warehouse):
    raw, target = day_by_day["raw_minus_0"], day_by_day["target"]
    with duckdb.connect(str(warehouse)) as con:
        (old_day,) = con.execute(f"select min(health_date) from {MART}").fetchone()
        con.execute(
            f"insert into {MART} select * from {MART} where health_date = ? limit 1", [old_day]
        )
    # a failing event test would skip the mart: the health row first, on its own
    every_row = dbt_on("build", raw, warehouse, target, every_row=True, select=HEALTH)
    assert failed(every_row, GRAIN_TEST), every_row.stdout

    with duckdb.connect(str(warehouse)) as con:
        first, second = old_keys(con, PRODUCT, 2)
        take_value(con, PRODUCT, "event_id", first, second)
    day_run = dbt_on("build", raw, warehouse, target)
    assert day_run.returncode == 0, day_run.stdout
    assert duplicated_days(warehouse) == {old_day}
    keys = logged_keys(warehouse, PRODUCT)
    assert keys and first not in keys and second not in keys
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sharing = con.execute(f"select count(*) from {PRODUCT} where event_id = ?", [first])
        assert sharing.fetchone() == (2,)

    every_row = dbt_on("build", raw, warehouse, target, every_row=True)
    assert failed(every_row, EVENT_TEST), every_row.stdout

    test_alone = dbt_on("test", raw, warehouse, target)
    assert failed(test_alone, GRAIN_TEST, EVENT_TEST), test_alone.stdout


def test_a_duplicate_the_run_writes_fails_it(day_by_day, warehouse):
    raw, target = day_by_day["raw_minus_0"], day_by_day["target"]
    # an old row takes the triaged_row_id of a product key the run re-sorts, another
    # the event_id of a partner key it re-sorts: the product and partner branches fail
    # side by side (each failure skips what is built from its model)
    with duckdb.connect(str(warehouse)) as con:
        # a quarantined row's triaged_row_id is its content hash, not its key
        product_new = new_key(con, PRODUCT, "triaged_row_id <> triage_key")
        partner_new = new_key(con, PARTNER, "rejection_reason is null")
        (product_old,), (partner_old,) = old_keys(con, PRODUCT, 1), old_keys(con, PARTNER, 1)
        row_id = take_value(con, PRODUCT, "triaged_row_id", product_new, product_old)
        event_id = take_value(con, PARTNER, "event_id", partner_new, partner_old)
    day_run = dbt_on("build", raw, warehouse, target)
    assert failed(day_run, ROW_ID_TEST, PARTNER_EVENT_TEST), day_run.stdout
    assert product_new in logged_keys(warehouse, PRODUCT)
    assert product_old not in logged_keys(warehouse, PRODUCT)
    assert partner_new in logged_keys(warehouse, PARTNER)
    assert partner_old not in logged_keys(warehouse, PARTNER)

    # then, with those undone, a second state spell planted upstream on the first day
    # the run replaces doubles the connection's health row of that day
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            f"update {PRODUCT} set triaged_row_id = ? where triage_key = ?", [row_id, product_old]
        )
        con.execute(
            f"update {PARTNER} set event_id = ? where triage_key = ?", [event_id, partner_old]
        )
        (newest,) = con.execute(f"select max(health_date) from {MART}").fetchone()
        first_day = newest - dt.timedelta(days=LOOKBACK_DAYS)
        (planted,) = con.execute(
            f"""
            insert into intermediate.int_connection_state_spells
            select * replace (spell_id || '-planted' as spell_id, ? as valid_from, ? as valid_to)
            from intermediate.int_connection_state_spells
            where
                ? between valid_from and coalesce(valid_to, ?)
                and connection_id = (
                    select min(connection_id) from {MART} where health_date = ?
                )
            returning connection_id
            """,
            [first_day, first_day, first_day, first_day, first_day],
        ).fetchone()
    assert planted
    day_run = dbt_on("build", raw, warehouse, target, select=HEALTH)
    assert duplicated_days(warehouse) == {first_day}
    assert failed(day_run, GRAIN_TEST), day_run.stdout


def failing_rows(run: subprocess.CompletedProcess, test: str) -> int:
    """The rows `test` reported in a failed run."""
    found = re.search(rf"Failure in test {test} .*?Got (\d+) results?", run.stdout, re.S)
    assert found, run.stdout
    return int(found.group(1))


def logged_first_days(database: Path, table: str) -> dict[str, dt.date]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            f"select replaced_key, first_day from {LOG} "
            "where relation_name = ? and replaced_key is not null",
            [table],
        ).fetchall()
    return dict(rows)


def test_the_state_tests_check_the_spells_the_run_wrote(day_by_day, warehouse):
    raw, target = day_by_day["raw_minus_0"], day_by_day["target"]
    # the run brings no new day (the warehouse has every load): it rewrites the
    # connections with activity since the changed-from date, each from its last
    # spell starting before that date, and leaves the others
    with duckdb.connect(str(warehouse)) as con:
        (changed_from,) = con.execute(
            f"select max(valid_to) - {LOOKBACK_DAYS} from {SPELLS}"
        ).fetchone()
        recent_ids = f"""
            select connection_id from intermediate.int_connection_activity_daily
            where activity_date >= date '{changed_from}'
        """
        (left_alone,) = con.execute(
            f"select min(connection_id) from {SPELLS} where state = 'dormant' "
            f"and connection_id not in ({recent_ids})"
        ).fetchone()
        # a dormant run ending on or after the changed-from date: rewritten, and its
        # days from that date on checked
        (rewritten,) = con.execute(
            f"select min(connection_id) from {RUNS} where state = 'dormant' "
            f"and valid_to >= date '{changed_from}' and connection_id in ({recent_ids})"
        ).fetchone()
        # a dormant spell ending before the day before it is followed by one starting
        # before the changed-from date: older than the first rewritten spell
        (old_spell_of_rewritten,) = con.execute(
            f"select min(connection_id) from {SPELLS} where state = 'dormant' "
            f"and valid_to < date '{changed_from}' - 1 and connection_id in ({recent_ids}) "
            f"and connection_id <> '{rewritten}'"
        ).fetchone()
        assert left_alone and rewritten and old_spell_of_rewritten
        # a dormant spell (run) turned active: no work in its window, a broken rule
        for table, connection, since in [
            (SPELLS, left_alone, dt.date.min),
            (RUNS, rewritten, changed_from),
            (SPELLS, old_spell_of_rewritten, dt.date.min),
        ]:
            (planted_from,) = con.execute(
                f"""
                update {table} set state = 'active'
                where
                    connection_id = ?
                    and valid_from = (
                        select min(valid_from) from {table}
                        where connection_id = ? and state = 'dormant' and valid_to >= ?
                    )
                returning valid_from
                """,
                [connection, connection, since],
            ).fetchone()
            if connection == old_spell_of_rewritten:
                old_planted_from = planted_from
    spells = ["int_connection_state_spells"]
    day_run = dbt_on("build", raw, warehouse, target, select=spells)
    assert failing_rows(day_run, RULES_TEST) == 1
    first_days = logged_first_days(warehouse, SPELLS)
    assert rewritten in first_days
    assert left_alone not in first_days
    # the changed-from date of a connection with stored spells
    assert old_planted_from < first_days[old_spell_of_rewritten] == changed_from

    test_alone = dbt_on("test", raw, warehouse, target, select=spells)
    assert failing_rows(test_alone, RULES_TEST) == 3
