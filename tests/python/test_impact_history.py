"""fct_integration_impact_history (metric-definitions §8.1, "Stability over T0")
on a generated 48-month history.

A small clean dataset (300 accounts, January 2022 to December 2025) is generated
into a temporary folder and built with dbt (`+fct_integration_impact`, which holds
`+fct_integration_impact_history`; then the data tests of the impact models). With
the as-of date pinned to 2025-12-31, the last complete month is December 2025 and
the default T0 is December 2024; stepping back 3 months while the 12 months before
T0 lie within account_monthly (which starts in January 2022, so T0 ≥ January 2023)
gives, by hand, the T0s below. The counts at each T0 are recomputed from the raw
Parquet files (alive accounts, controls) and from the connection states (treated),
not from the impact models. The dbt build takes about 35 s of CPU (a minute
and a half to two minutes of wall time on two busy cores).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from integration_adoption import warm_dbt
from integration_adoption.dbt_cli import dbt_argv, dbt_env
from integration_adoption.warehouse_diff import differences

from .conftest import NO_JSON, ROOT, assert_sources_read

ACCOUNTS = 300
START, END = "2022-01-01", "2025-12-31"
AS_OF = "2025-12-31"
# worked out by hand from the months above (docstring): the default T0 first
DEFAULT_T0 = dt.date(2024, 12, 1)
EARLIER_T0S = [
    dt.date(y, m, 1)
    for y, m in [(2024, 9), (2024, 6), (2024, 3), (2023, 12), (2023, 9), (2023, 6), (2023, 3)]
]
# the impact models whose data tests run on the long history
IMPACT_MODELS = [
    "int_account_snapshot_dates",
    "int_account_adoption_at_t0",
    "int_account_snapshots",
    "int_account_impact_strata",
    "fct_integration_impact_history",
    "fct_integration_impact",
    "fct_integration_impact_balance",
]


def run_dbt(
    command: list[str], raw: Path, database: Path, dbt_vars: dict[str, object] | None = None
) -> None:
    """One dbt command on `database` and `raw`, the as-of date pinned (and `dbt_vars`), in
    the target folder beside the warehouse."""
    # the partner's webhook log is not needed here: leave the optional source off
    env = dbt_env(raw, database) | {"IA_PARTNER_WEBHOOKS_ENABLED": "false"}
    target = database.parent / "target"
    argv = dbt_argv([*command, *NO_JSON], target, {"as_of_date": f'"{AS_OF}"', **(dbt_vars or {})})
    warm_dbt.run(argv, cwd=ROOT, env=env, check=True)
    assert_sources_read(target, raw)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(raw folder, warehouse) of the 48-month dataset, built."""
    work = tmp_path_factory.mktemp("impact_history")
    raw, database, target = work / "raw", work / "warehouse.duckdb", work / "target"
    subprocess.run(
        [
            *(sys.executable, "-m", "integration_adoption.generator"),
            *("--out", str(raw), "--seed", "21", "--start-date", START, "--end-date", END),
            *("--accounts", str(ACCOUNTS), "--quiet"),
        ],
        cwd=ROOT,
        check=True,
    )
    build = ["build", "--quiet", "--select", "+fct_integration_impact", *IMPACT_MODELS[-1:]]
    for command in (
        [*build, "--resource-type", "seed", "model"],
        ["test", "--quiet", "--select", *IMPACT_MODELS, "--exclude-resource-type", "unit_test"],
    ):
        run_dbt(command, raw, database)
    assert target.is_dir()
    return raw, database


@pytest.fixture(scope="module")
def con(built: tuple[Path, Path]) -> duckdb.DuckDBPyConnection:
    raw, database = built
    connection = duckdb.connect(str(database), read_only=True)
    connection.execute("set TimeZone = 'UTC'")
    for view, folder in (("raw_monthly", "account_monthly"), ("raw_events", "integration_events")):
        connection.execute(
            f"create temp view {view} as select * from read_parquet('{raw}/{folder}/**/*.parquet')"
        )
    yield connection
    connection.close()


def test_the_history_spans_48_months(con):
    first, last, months = con.execute(
        "select min(month), max(month), count(distinct month) from raw_monthly"
    ).fetchone()
    assert (first, last, months) == (dt.date(2022, 1, 1), dt.date(2025, 12, 1), 48)


def test_t0s_are_the_ones_worked_out_by_hand(con):
    rows = con.execute(
        "select distinct t0_date, is_default_t0 "
        "from marts.fct_integration_impact_history order by t0_date desc"
    ).fetchall()
    assert rows == [(DEFAULT_T0, True), *[(t0, False) for t0 in EARLIER_T0S]]
    # every T0: every integration of the catalog, three outcomes, outcomes 12 months later
    integrations = con.execute("select count(*) from config.integration_catalog").fetchone()[0]
    per_t0 = con.execute(
        "select t0_date, count(*), count(distinct integration_key), "
        "bool_and(outcome_month_date = t0_date + interval 12 month) "
        "from marts.fct_integration_impact_history group by 1"
    ).fetchall()
    assert all(
        rows == 3 * integrations and keys == integrations and horizon
        for _, rows, keys, horizon in per_t0
    )


def test_alive_accounts_at_every_t0_from_the_raw_months(con):
    """alive_accounts at each T0 = the raw accounts with MRR > 0 in T0's month."""
    differing = con.execute(
        """
        with raw_alive as (
            select month as t0_date, count(distinct account_id) as alive
            from raw_monthly
            where mrr > 0
            group by 1
        )
        select history.t0_date, history.alive_accounts, raw_alive.alive
        from marts.fct_integration_impact_history as history
        left join raw_alive on history.t0_date = raw_alive.t0_date
        where history.alive_accounts is distinct from raw_alive.alive
        """
    ).fetchall()
    assert differing == []


@pytest.mark.parametrize("t0", [EARLIER_T0S[3], EARLIER_T0S[-1]])
def test_treated_and_controls_at_an_earlier_t0(con, t0):
    """At an earlier T0, per integration: controls are alive accounts with no raw event
    of the integration before T0 (a connection is installed at its first event);
    treated, alive accounts with a connection activated before T0 and in the active
    state (int_connection_state_spells) on T0 - 1; neither, the rest."""
    expected = con.execute(
        """
        with alive as (
            select distinct account_id from raw_monthly where month = $t0 and mrr > 0
        ),
        installed_before as (
            select distinct account_id, integration_key
            from raw_events
            where cast(occurred_at as timestamptz) < cast($t0 as timestamptz)
        ),
        treated as (
            select distinct lifecycle.account_id, lifecycle.integration_key
            from intermediate.int_connections_lifecycle as lifecycle
            inner join intermediate.int_connection_state_spells as spells
                on lifecycle.connection_id = spells.connection_id
            where
                lifecycle.activated_date < $t0
                and spells.state = 'active'
                and $t0 - 1 between spells.valid_from and spells.valid_to
        ),
        counts as (
            select
                catalog.integration_key,
                count(*) as alive,
                count(*) filter (where installed_before.account_id is null) as controls,
                count(*) filter (where treated.account_id is not null) as treated
            from alive
            cross join config.integration_catalog as catalog
            left join installed_before
                on alive.account_id = installed_before.account_id
                and catalog.integration_key = installed_before.integration_key
            left join treated
                on alive.account_id = treated.account_id
                and catalog.integration_key = treated.integration_key
            group by 1
        )
        select integration_key, treated, controls, alive - treated - controls
        from counts
        order by 1
        """,
        {"t0": t0},
    ).fetchall()
    published = con.execute(
        """
        select integration_key, treated_accounts, control_accounts, neither_accounts
        from marts.fct_integration_impact_history
        where t0_date = $t0 and outcome = 'retained'
        order by 1
        """,
        {"t0": t0},
    ).fetchall()
    assert published == expected
    assert sum(row[1] for row in expected) > 0 and sum(row[2] for row in expected) > 0


def test_default_rows_are_the_main_mart(con):
    columns = ", ".join(
        row[0]
        for row in con.execute(
            "select column_name from duckdb_columns() "
            "where schema_name = 'marts' and table_name = 'fct_integration_impact' "
            "order by column_index"
        ).fetchall()
    )
    history = f"select {columns} from marts.fct_integration_impact_history where t0_date = $t0"
    main = f"select {columns} from marts.fct_integration_impact"
    assert con.execute(main).fetchall(), "fct_integration_impact is empty"
    for left, right in ((history, main), (main, history)):
        assert con.execute(f"{left} except all {right}", {"t0": DEFAULT_T0}).fetchall() == []


def test_earlier_t0s_differ_from_the_default(con):
    """The earlier T0s are their own analyses, not copies of the default one."""
    distinct = con.execute(
        "select count(distinct (alive_accounts, treated_accounts, control_accounts)) "
        "from marts.fct_integration_impact_history "
        "where outcome = 'retained' and integration_key = 'salesforce'"
    ).fetchone()[0]
    assert distinct > 1


# A late billing change at one T0: one account alive there pays twice as much in
# T0's month. Only the snapshots of that T0 read that month (the others read their
# own T0's month and the one 12 months later), so only its integration x T0 groups
# change, and a run must compute those again and leave every other group as it was.
CHANGED_T0 = EARLIER_T0S[-1]
# the billing view is selected too: it reads the raw folder it was built on
BILLING = "stg_product__account_monthly"
CHAIN = "int_account_snapshots+"


def double_mrr(source: Path, folder: Path, month: dt.date) -> str:
    """Write to `folder` the billing parquet of `source` with one account alive in
    `month` (the first by id) paying twice its MRR then; returns the account."""
    with duckdb.connect() as con:
        con.execute(f"create table billing as select * from read_parquet('{source}/*.parquet')")
        (account,) = con.execute(
            "select min(account_id) from billing where month = ? and mrr > 0", [month]
        ).fetchone()
        con.execute(
            "update billing set mrr = 2 * mrr where account_id = ? and month = ?", [account, month]
        )
        for old in folder.glob("*.parquet"):
            old.unlink()
        con.execute(f"copy billing to '{folder}/part-00000.parquet' (format parquet)")
    return account


SNAPSHOTS = "intermediate.int_account_snapshots"
FOLLOWERS = (
    "intermediate.int_account_impact_strata",
    "marts.fct_integration_impact_history",
    "marts.fct_integration_impact_balance",
)
# the impact models the comparisons read besides the marts
CHAIN_TABLES = ("int_account_snapshots", "int_account_impact_strata")


def group_versions(database: Path) -> dict[str, dict[str, str]]:
    """Per model of strategy replace_groups, its groups' versions (ia_group_versions)."""
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select relation_name, group_key, invocation_id from main.ia_group_versions"
        ).fetchall()
    versions: dict[str, dict[str, str]] = {}
    for relation, group, invocation in rows:
        versions.setdefault(relation, {})[group] = invocation
    return versions


def assert_followers_hold(versions: dict[str, dict[str, str]]) -> None:
    """Each follower holds the source's versions (each followed by the follower's basis:
    its vars and seeds)."""
    for follower in FOLLOWERS:
        held = {group: version.split(" ")[0] for group, version in versions[follower].items()}
        assert held == versions[SNAPSHOTS], follower


@pytest.fixture(scope="module")
def billed_again(
    built: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The built warehouse after the billing change: `incremental`, run first on the
    snapshots alone (their followers miss that run) and then on the whole chain;
    `full`, the chain refreshed in full on the same data."""
    raw, database = built
    work = tmp_path_factory.mktemp("impact_billed_again")
    changed = work / "raw"
    shutil.copytree(raw, changed)
    double_mrr(raw / "account_monthly", changed / "account_monthly", CHANGED_T0)
    incremental, full = work / "incremental.duckdb", work / "full.duckdb"
    for copy in (incremental, full):
        shutil.copy(database, copy)
    run_dbt(["run", "--quiet", "--select", BILLING, "int_account_snapshots"], changed, incremental)
    run_dbt(["run", "--quiet", "--select", CHAIN], changed, incremental)
    run_dbt(["run", "--quiet", "--full-refresh", "--select", BILLING, CHAIN], changed, full)
    # then the MRR cut into thirds, not quarters: the snapshots do not change, the strata do
    thirds = {"mrr_band_quantiles": 3}
    recut, recut_full = work / "recut.duckdb", work / "recut_full.duckdb"
    for copy in (recut, recut_full):
        shutil.copy(incremental, copy)
    run_dbt(["run", "--quiet", "--select", CHAIN], changed, recut, thirds)
    run_dbt(["run", "--quiet", "--full-refresh", "--select", CHAIN], changed, recut_full, thirds)
    # then a month earlier: the last complete month, so every T0, moves back
    earlier = {"as_of_date": '"2025-11-30"'}
    moved, moved_full = work / "moved.duckdb", work / "moved_full.duckdb"
    for copy in (moved, moved_full):
        shutil.copy(incremental, copy)
    dates = ["int_connections_lifecycle", "int_as_of_date", "int_account_snapshot_dates+"]
    run_dbt(["run", "--quiet", "--select", *dates], changed, moved, earlier)
    run_dbt(["run", "--quiet", "--full-refresh", "--select", *dates], changed, moved_full, earlier)
    return {
        "before": database,
        "incremental": incremental,
        "full": full,
        "recut": recut,
        "recut_full": recut_full,
        "moved": moved,
        "moved_full": moved_full,
    }


def test_a_late_billing_change_equals_a_full_refresh(billed_again):
    # the change reaches the matched comparison at that T0
    assert "marts.fct_integration_impact_history" in differences(
        billed_again["before"], billed_again["full"], CHAIN_TABLES
    )
    assert differences(billed_again["incremental"], billed_again["full"], CHAIN_TABLES) == {}


def test_a_late_billing_change_rewrites_only_its_t0_groups(billed_again):
    before = group_versions(billed_again["before"])
    after = group_versions(billed_again["incremental"])
    source, earlier = after[SNAPSHOTS], before[SNAPSHOTS]
    changed = {group for group, version in source.items() if version != earlier[group]}
    assert changed and {group.split("|")[1] for group in changed} == {CHANGED_T0.isoformat()}
    # each follower caught up on the run after the one it missed
    assert_followers_hold(after)


def test_a_changed_var_computes_every_group_again(billed_again):
    assert "intermediate.int_account_impact_strata" in differences(
        billed_again["incremental"], billed_again["recut_full"], CHAIN_TABLES
    )
    assert differences(billed_again["recut"], billed_again["recut_full"], CHAIN_TABLES) == {}


def test_a_new_as_of_month_rewrites_every_group(billed_again):
    assert differences(billed_again["moved"], billed_again["moved_full"], CHAIN_TABLES) == {}
    before = group_versions(billed_again["incremental"])[SNAPSHOTS]
    after = group_versions(billed_again["moved"])
    source = after[SNAPSHOTS]
    # every T0 a month earlier: no group is one the warehouse held, all of one version
    assert source and not set(source) & set(before) and len(set(source.values())) == 1
    assert_followers_hold(after)
