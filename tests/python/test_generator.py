"""Tests of the demo-data generator on small runs."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from integration_adoption.generator.cli import default_end_date
from integration_adoption.generator.fastfmt import iso_matrix, strings_from_matrix
from integration_adoption.generator.tables import (
    ACCOUNTS_SCHEMA,
    BILLING_LOAD_HOUR,
    EVENTS_SCHEMA,
    MONTHLY_SCHEMA,
)

from .conftest import run

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TABLES = {
    "integration_events": EVENTS_SCHEMA,
    "accounts": ACCOUNTS_SCHEMA,
    "account_monthly": MONTHLY_SCHEMA,
}


def truth(out: Path) -> dict[str, Any]:
    return json.loads((out / "ground_truth.json").read_text())


def read(out: Path, table: str) -> pa.Table:
    files = sorted((out / table).glob("part-*.parquet"))
    return pa.concat_tables([pq.read_table(f) for f in files])


def sql(out: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for table in TABLES:
        con.execute(f"create view {table} as select * from read_parquet('{out}/{table}/*.parquet')")
    con.execute(f"create view name_map as select * from read_csv('{SEEDS}/event_name_map.csv')")
    con.execute(f"create view catalog as select * from read_csv('{SEEDS}/integration_catalog.csv')")
    con.execute(f"create view plans as select * from read_csv('{SEEDS}/plan_limits.csv')")
    return con


# Parses occurred_at like the staging macro: offset text via timestamptz, else UTC.
PARSED = """
    case
        when regexp_matches(
            occurred_at,
            '[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$'
        )
            then timezone('UTC', try_cast(occurred_at as timestamptz))
        else try_cast(occurred_at as timestamp)
    end
"""


def test_cli_help() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "integration_adoption.generator", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in ("--out", "--seed", "--start-date", "--end-date", "--accounts", "--messy"):
        assert option in res.stdout


def test_iso_formatter_matches_arrow() -> None:
    ms = np.random.default_rng(1).integers(-(10**12), 4 * 10**12, 5000)
    ours = strings_from_matrix(iso_matrix(ms, "T", True, None))
    arrow = pa.compute.strftime(pa.array(ms, pa.timestamp("ms")), format="%Y-%m-%dT%H:%M:%S")
    assert ours.equals(arrow)


def test_same_seed_gives_byte_identical_files(clean_run: Path, tmp_path: Path) -> None:
    again = run(tmp_path / "again", accounts=1500, chunk=500)
    files = sorted(p.relative_to(clean_run) for p in clean_run.rglob("*.parquet"))
    assert files == sorted(p.relative_to(again) for p in again.rglob("*.parquet"))
    for f in files:
        assert (clean_run / f).read_bytes() == (again / f).read_bytes(), f
    assert (clean_run / "ground_truth.json").read_text() == (
        again / "ground_truth.json"
    ).read_text()


def test_output_does_not_depend_on_chunking_or_workers(tmp_path: Path) -> None:
    a = run(tmp_path / "a", accounts=520, chunk=250, workers=1)
    b = run(tmp_path / "b", accounts=520, chunk=1000, workers=2)
    for table in TABLES:
        assert read(a, table).equals(read(b, table)), table
    assert truth(a) == truth(b)


def test_other_seed_differs(tmp_path: Path) -> None:
    a = run(tmp_path / "a", accounts=250, chunk=250)
    b = tmp_path / "b"
    from integration_adoption.generator.config import RunConfig
    from integration_adoption.generator.run import generate

    generate(RunConfig(b, 8, *_dates(), accounts=250, chunk_accounts=250, quiet=True))
    assert not read(a, "integration_events").equals(read(b, "integration_events"))


def _dates() -> tuple[Any, Any]:
    from .conftest import END, START

    return START, END


def test_schemas(clean_run: Path, messy_run: Path) -> None:
    for out in (clean_run, messy_run):
        for table, schema in TABLES.items():
            for f in (out / table).glob("part-*.parquet"):
                assert pq.read_schema(f).remove_metadata().equals(schema), (table, f)


def test_timestamp_formats_per_source_system(clean_run: Path) -> None:
    events = read(clean_run, "integration_events").to_pandas()
    patterns = {
        "app_backend": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
        "sync_engine": r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d",
        "actions_service": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d",
    }
    assert set(events["source_system"]) == set(patterns)
    for system, pattern in patterns.items():
        texts = events.loc[events["source_system"] == system, "occurred_at"]
        assert texts.str.fullmatch(pattern).all(), system
    actions = events.loc[events["source_system"] == "actions_service", "occurred_at"]
    assert not actions.str.endswith("+00:00").any()


def test_clean_events_are_valid(clean_run: Path) -> None:
    con = sql(clean_run)
    row = con.execute(
        f"""
        with e as (select *, {PARSED} as occurred from integration_events)
        select
            count(*) as n,
            count(distinct event_id) as ids,
            count(*) filter (where occurred is null) as unparsed,
            count(*) filter (where loaded_at <= occurred) as loaded_before,
            count(*) filter (where loaded_at > occurred + interval 1 hour) as slow,
            count(*) filter (where not json_valid(properties)) as bad_json,
            count(*) filter (
                where integration_key not in (select integration_key from catalog)
            ) as unknown_int,
            count(*) filter (where (source_system, event_name) not in
                (select (source_system, source_event_name) from name_map)) as unmapped,
            count(*) filter (where account_id not in (select account_id from accounts)) as orphan
        from e
        """
    ).fetchone()
    assert row is not None
    n, ids, *defects = row
    assert n > 100_000 and ids == n
    assert defects == [0] * len(defects)


def test_event_payloads_match_their_kind(clean_run: Path) -> None:
    con = sql(clean_run)
    rows = con.execute(
        """
        select m.event_name,
            count(*) filter (where e.properties->>'records_count' is null) as no_records,
            count(*) filter (where e.properties->>'error_code' is null) as no_error,
            count(*) filter (where e.properties->>'direction' is null) as no_direction,
            count(*) filter (where e.user_id is null) as no_user,
            count(*) filter (
                where e.properties->>'trigger' = 'manual' and e.user_id is null
            ) as bad_manual
        from integration_events e
        join name_map m using (source_system)
        where e.event_name = m.source_event_name
        group by 1
        """
    ).fetchall()
    by_name = {r[0]: r[1:] for r in rows}
    assert set(by_name) >= {
        "installed",
        "setup_completed",
        "sync_succeeded",
        "action_performed",
        "sync_failed",
        "auth_failed",
        "config_changed",
        "uninstalled",
    }
    for name in ("sync_succeeded", "action_performed"):
        assert by_name[name][0] == 0 and by_name[name][4] == 0
    for name in ("sync_failed", "auth_failed"):
        assert by_name[name][1] == 0
    for name in ("setup_completed", "config_changed"):
        assert by_name[name][2] == 0
    for name in ("installed", "uninstalled", "setup_completed", "config_changed"):
        assert by_name[name][3] == 0  # a person did these


def test_work_and_failures_come_from_the_kind_specific_system(clean_run: Path) -> None:
    con = sql(clean_run)
    bad = con.execute(
        """
        select count(*) from integration_events e join catalog c using (integration_key)
        where e.source_system <> case
            when e.event_name like 'connection.%' then 'app_backend'
            when c.integration_kind = 'sync' then 'sync_engine'
            else 'actions_service' end
        """
    ).fetchone()
    assert bad == (0,)


def test_some_installs_missing_or_late_stamped(clean_run: Path) -> None:
    counts = truth(clean_run)["counts"]
    con = sql(clean_run)
    missing = con.execute(
        """
        select count(*) from (
            select connection_id from integration_events group by 1
            having count(*) filter (where event_name = 'connection.created') = 0)
        """
    ).fetchone()
    assert missing == (counts["connections_without_install_event"],)
    assert counts["connections_without_install_event"] > 0
    assert counts["connections_with_install_after_first_event"] > 0


def test_account_monthly(clean_run: Path) -> None:
    con = sql(clean_run)
    monthly = con.execute("select * from account_monthly").df()
    assert (monthly["month"].dt.day == 1).all()
    assert (monthly["mrr"] >= 0).all()
    assert np.allclose(monthly["mrr"], monthly["mrr"].round(2))
    plans = {r["plan"] for r in csv.DictReader((SEEDS / "plan_limits.csv").open())}
    assert set(monthly["plan"]) <= plans
    assert con.execute(
        "select count(*) from (select account_id, month from account_monthly"
        " group by all having count(*) > 1)"
    ).fetchone() == (0,)
    churn = pq.read_table(clean_run / "ground_truth_details" / "account_churn.parquet").to_pandas()
    forms = churn["churn_form"].dropna().value_counts()
    assert forms.get("zero_mrr_rows", 0) > 0 and forms.get("no_rows", 0) > 0
    # MRR changes within accounts (expansion and contraction both happen)
    steps = con.execute(
        """
        select sum((mrr > prev)::int), sum((mrr < prev and mrr > 0)::int) from (
            select mrr, lag(mrr) over (partition by account_id order by month) as prev
            from account_monthly)
        """
    ).fetchone()
    assert steps is not None and steps[0] > 0 and steps[1] > 0


def test_churn_stops_events_and_revenue(clean_run: Path) -> None:
    con = sql(clean_run)
    churn_path = clean_run / "ground_truth_details" / "account_churn.parquet"
    late = con.execute(
        f"""
        with c as (select * from read_parquet('{churn_path}') where churn_month is not null)
        select
            (select count(*) from integration_events e join c using (account_id)
             where {PARSED.replace("occurred_at", "e.occurred_at")} >= c.churn_month),
            (select count(*) from account_monthly m join c using (account_id)
             where m.month >= c.churn_month and m.mrr > 0),
            (select count(*) from c)
        """
    ).fetchone()
    assert late is not None
    assert late[0] == 0 and late[1] == 0 and late[2] > 0


def test_failure_episodes_are_in_the_events(clean_run: Path) -> None:
    con = sql(clean_run)
    path = clean_run / "ground_truth_details" / "failure_episodes.parquet"
    row = con.execute(
        f"""
        with ep as (select * from read_parquet('{path}')),
        f as (
            select connection_id, cast({PARSED} as date) as d from integration_events
            where event_name in ('sync.failed', 'auth.rejected', 'ActionFailed', 'TokenRevoked')
        )
        select count(*), count(*) filter (where not exists (
            select 1 from f where f.connection_id = ep.connection_id
            and f.d between ep.start_date and ep.end_date))
        from ep
        """
    ).fetchone()
    assert row is not None and row[0] > 0
    assert row[1] == 0
    outcomes = set(pq.read_table(path).column("outcome").to_pylist())
    assert outcomes == {"fixed", "abandoned"}


def test_activation_rate_matches_truth(clean_run: Path) -> None:
    """The §4 funnel's right-censored activation rate estimates true_activation_rate."""
    con = sql(clean_run)
    rows = con.execute(
        f"""
        with e as (
            select e.connection_id, e.integration_key, cast({PARSED} as date) as d,
                m.event_name in ('sync_succeeded', 'action_performed') as is_work
            from integration_events e join name_map m
                on e.source_system = m.source_system and e.event_name = m.source_event_name
        ),
        as_of_date as (select max(d) as as_of from e),
        conn as (
            select connection_id, integration_key, min(d) as installed,
                min(d) filter (where is_work) as activated
            from e group by all
        )
        select c.integration_key, k.conversion_window_days as w,
            count(*) filter (where date_diff('day', installed, as_of) >= w) as observable,
            count(*) filter (where date_diff('day', installed, as_of) >= w
                and date_diff('day', installed, activated) <= w) as activated
        from conn c join catalog k using (integration_key), as_of_date
        group by all
        """
    ).fetchall()
    # integrations of other source systems (a partner's) are checked in their own tests
    t = {k: v for k, v in truth(clean_run)["integrations"].items() if "source_system" not in v}
    z_scores, diffs, weights = [], [], []
    for key, _window, observable, activated in rows:
        p = t[key]["true_activation_rate"]
        rate = activated / observable
        z_scores.append((rate - p) / math.sqrt(p * (1 - p) / observable))
        diffs.append(rate - p)
        weights.append(observable)
    assert len(rows) == len(t)
    assert max(abs(z) for z in z_scores) < 4.0, z_scores
    assert abs(np.average(diffs, weights=weights)) < 0.015


def test_true_effects_and_confounding(clean_run: Path) -> None:
    g = truth(clean_run)
    imp = g["impact"]
    assert imp["defined"] and imp["t0"] == "2024-06-01" and imp["horizon_months"] == 12
    rows = imp["integrations"]
    zero = [k for k, v in rows.items() if v["beta"] == 0]
    strong = [k for k, v in rows.items() if v["beta"] <= -0.4]
    assert len(zero) >= 3 and strong
    for k in zero:
        assert rows[k]["att_retention_true"] in (0, 0.0, None)
    for k in strong:
        assert rows[k]["att_retention_true"] > 0.02, k
    # Confounding: adopters of zero-effect integrations still retain better than non-adopters.
    naive = [rows[k]["naive_retention_difference"] for k in zero if rows[k]["n_treated"] >= 20]
    assert np.mean(naive) > 0.03, naive


def test_potential_outcomes_are_the_observed_ones_and_the_true_effect(clean_run: Path) -> None:
    """Per account alive at T0 by integration: `with` is what account_monthly shows,
    the treated accounts' mean `with` - `without` is the ground truth's ATT, and an
    integration without an effect (beta 0) changes nobody's outcome."""
    g = truth(clean_run)
    imp = g["impact"]
    path = clean_run / g["details"]["impact_potential_outcomes"]
    con = sql(clean_run)
    con.execute(f"create view po as select * from read_parquet('{path}')")
    mismatched = con.execute(
        f"""
        with m as (
            select
                account_id,
                max(case when month = date '{imp["t0"]}' then mrr end) as mrr_t0,
                coalesce(max(case when month = date '{imp["outcome_month"]}' then mrr end), 0)
                    as mrr_h
            from account_monthly group by account_id
        )
        select
            count(*),
            count(*) filter (
                where po.retained_with != (m.mrr_h > 0)::int
                or po.expanded_with != (m.mrr_h > m.mrr_t0)::int
                or abs(po.nrr_with - m.mrr_h / m.mrr_t0) > 1e-12
            ),
            count(*) filter (where m.mrr_t0 is null or m.mrr_t0 <= 0),
            (select count(*) from m where mrr_t0 > 0) * count(distinct po.integration_key)
        from po left join m using (account_id)
        """
    ).fetchone()
    assert mismatched is not None and mismatched[1:3] == (0, 0)
    assert mismatched[0] == mismatched[3] and mismatched[0] > 0
    per_integration = {
        key: (n, effect, changed)
        for key, n, effect, changed in con.execute(
            """
            select
                integration_key,
                count(*) filter (where is_treated),
                avg(retained_with - retained_without) filter (where is_treated),
                count(*) filter (
                    where retained_with != retained_without or nrr_with != nrr_without
                    or expanded_with != expanded_without
                )
            from po group by integration_key
            """
        ).fetchall()
    }
    assert len(per_integration) >= 10
    for key, (n, effect, changed) in per_integration.items():
        row = imp["integrations"][key]
        assert n == row["n_treated"], key
        if n:
            assert math.isclose(effect, row["att_retention_true"], abs_tol=1e-12), key
        if row["beta"] == 0:
            assert changed == 0, key
    assert any(changed for _, _, changed in per_integration.values())


def test_larger_accounts_adopt_more(clean_run: Path) -> None:
    con = sql(clean_run)
    per_segment = dict(
        con.execute(
            """
            select a.segment, count(distinct e.connection_id) / count(distinct a.account_id)
            from accounts a left join integration_events e using (account_id) group by 1
            """
        ).fetchall()
    )
    assert per_segment["enterprise"] > per_segment["mid_market"] > per_segment["smb"]


def test_ground_truth_keys(clean_run: Path) -> None:
    g = truth(clean_run)
    for key in (
        "seed",
        "start_date",
        "end_date",
        "counts",
        "integrations",
        "impact",
        "messy",
        "parameters",
    ):
        assert key in g
    catalog = [
        r["integration_key"] for r in csv.DictReader((SEEDS / "integration_catalog.csv").open())
    ]
    assert list(g["integrations"]) == catalog
    assert set(g["parameters"]["segments"]) == {"smb", "mid_market", "enterprise"}
    for v in g["integrations"].values():
        assert 0 < v["true_activation_rate"] < 1 and "beta" in v
    counts = g["counts"]
    assert counts["events"] == read(clean_run, "integration_events").num_rows
    assert counts["connections"] == sum(counts["connections_by_integration"].values())
    assert counts["accounts"] == read(clean_run, "accounts").num_rows


def test_messy_counts_match_the_files(messy_run: Path) -> None:
    """Classify raw rows as §2 does; every count must equal what ground truth recorded."""
    m = truth(messy_run)["messy"]
    con = sql(messy_run)
    con.execute(
        f"""
        create table triaged as
        with e as (select *, {PARSED} as occurred from integration_events),
        r as (
            select *, case
                when event_id is null or connection_id is null or account_id is null
                    or integration_key is null then 'null_key'
                when occurred is null then 'unparseable_timestamp'
                when occurred > loaded_at + interval 1 day then 'future_timestamp'
                when (source_system, event_name) not in
                    (select (source_system, source_event_name) from name_map)
                    then 'unknown_event_name'
                when not json_valid(properties) then 'invalid_properties'
                when coalesce(least(
                    try_cast(properties->>'records_count' as bigint),
                    try_cast(properties->>'api_calls' as bigint),
                    try_cast(properties->>'bytes' as bigint),
                    try_cast(properties->>'custom_fields_count' as bigint)), 0) < 0
                    then 'invalid_properties'
                when integration_key not in (select integration_key from catalog)
                    then 'unknown_integration'
            end as reason
            from e
        ),
        ok as (
            select *, md5(concat_ws('|', event_id, source_system, event_name, occurred_at,
                account_id, connection_id, integration_key, user_id, properties)) as h
            from r where reason is null
        ),
        ranked as (
            select *, first(h order by loaded_at, h) over (partition by event_id) as kept_h,
                row_number() over (partition by event_id, h order by loaded_at) as copy_no
            from ok
        )
        select reason, null as h, null as kept_h, null::bigint as copy_no
        from r where reason is not null
        union all
        select case when h <> kept_h then 'conflicting_duplicate'
                    when copy_no > 1 then 'collapsed' else 'clean' end, h, kept_h, copy_no
        from ranked
        """
    )
    got = dict(con.execute("select reason, count(*) from triaged group by 1").fetchall())
    for reason, expected in m["expected_rejections"].items():
        assert got.get(reason, 0) == expected, reason
    assert got.get("collapsed", 0) == m["collapsed_exact_duplicates"]
    assert got["clean"] == m["expected_clean_rows"]
    assert sum(got.values()) == m["raw_rows"]
    assert all(v > 0 for v in m["injected"].values()), m["injected"]


def test_messy_awkward_rows_are_recorded(messy_run: Path) -> None:
    m = truth(messy_run)["messy"]
    con = sql(messy_run)
    late = con.execute(
        f"""select count(distinct event_id) from integration_events
            where loaded_at > {PARSED} + interval 1 day and loaded_at is not null
              and {PARSED} is not null
              and event_id in (
                select event_id from integration_events group by 1 having count(*) = 1)"""
    ).fetchone()
    assert late == (m["late_rows"],)
    orphans = con.execute(
        """
        select count(*), count(distinct account_id) from integration_events
        where account_id not in (select account_id from accounts)
          and event_id is not null and connection_id is not null and integration_key is not null
          and event_id in (select event_id from integration_events group by 1 having count(*) = 1)
        """
    ).fetchone()
    assert orphans == (m["unknown_account_rows"], m["unknown_accounts"])
    assert m["unknown_accounts"] > 0


@pytest.mark.parametrize("bad", [["--accounts", "0"], ["--end-date", "2020-13-01"]])
def test_cli_rejects_bad_input(bad: list[str], tmp_path: Path) -> None:
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "integration_adoption.generator",
            "--out",
            str(tmp_path / "o"),
            *bad,
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode != 0


def test_refuses_to_wipe_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(SystemExit):
        run(tmp_path, accounts=10, chunk=250)
    assert (tmp_path / "precious.txt").exists()


def test_no_personal_text_in_ids(clean_run: Path) -> None:
    ids = read(clean_run, "integration_events").column("event_id").to_pylist()[:1000]
    assert all(re.fullmatch(r"evt_[0-9a-f]{16}", i) for i in ids)


@pytest.mark.parametrize(
    ("now", "end"),
    [
        # 00:25 UTC: today's 06:00 billing load has not happened, so not yesterday
        ("2026-12-04T00:25:00", "2026-12-02"),
        ("2026-12-04T05:59:59", "2026-12-02"),
        # from 06:00 UTC on, yesterday's loads have all landed
        ("2026-12-04T06:00:00", "2026-12-03"),
        ("2026-12-04T23:59:00", "2026-12-03"),
    ],
)
def test_the_default_end_leaves_no_load_in_the_future(now: str, end: str) -> None:
    at = dt.datetime.fromisoformat(now).replace(tzinfo=dt.UTC)
    assert default_end_date(at) == dt.date.fromisoformat(end)
    # the last billing load of that end date lies at or before `now`
    last_load = dt.datetime.combine(
        default_end_date(at) + dt.timedelta(days=1), dt.time(BILLING_LOAD_HOUR), tzinfo=dt.UTC
    )
    assert last_load <= at
