"""Checks of the warehouse `make test` built from the messy test data.

The dbt build runs first (`make test-dbt`); these tests read the DuckDB file it
wrote and compare what the models say with the generator's ground truth: the
quarantine must hold exactly the rows the generator broke on purpose, the
awkward-but-valid rows must be kept, and the funnel's activation rates must
agree with the true rates within sampling error.
"""

from __future__ import annotations

import math

from .conftest import TEST_RAW as RAW
from .conftest import scalar

# Two-sided z for the activation truth check: each integration's measured rate
# must lie within Z standard errors of the true rate (binomial sampling error).
Z = 3.5


def test_every_injected_bad_row_is_quarantined_with_its_reason(con, truth):
    expected = truth["messy"]["expected_rejections"]
    actual = dict(
        con.execute(
            "select rejection_reason, count(*) "
            "from staging.stg_product__integration_events_rejected group by rejection_reason"
        ).fetchall()
    )
    assert actual == expected


def test_raw_rows_are_clean_quarantined_or_collapsed(con, truth):
    messy = truth["messy"]
    raw = scalar(con, f"select count(*) from read_parquet('{RAW}/integration_events/*.parquet')")
    clean = scalar(con, "select count(*) from staging.stg_product__integration_events")
    quarantined = scalar(
        con, "select count(*) from staging.stg_product__integration_events_rejected"
    )
    collapsed = scalar(
        con,
        "select sum(collapsed_duplicate_count) "
        "from staging.base_product__integration_events_triaged",
    )
    assert raw == messy["raw_rows"]
    assert clean == messy["expected_clean_rows"]
    assert collapsed == messy["collapsed_exact_duplicates"]
    assert raw == clean + quarantined + collapsed


def test_awkward_but_valid_rows_are_kept(con, truth):
    messy = truth["messy"]
    unknown_account_events = scalar(
        con,
        """
        select count(*)
        from staging.stg_product__integration_events as events
        left join staging.stg_product__accounts as accounts
            on events.account_id = accounts.account_id
        where accounts.account_id is null
        """,
    )
    assert unknown_account_events == messy["unknown_account_rows"]
    unknown_in_dim = scalar(
        con, "select count(*) from marts.dim_accounts where not is_known_account"
    )
    assert unknown_in_dim == messy["unknown_accounts"]
    late = scalar(
        con,
        """
        select count(*) from staging.stg_product__integration_events
        where loaded_at > occurred_at + interval 1 day
        """,
    )
    assert late == messy["late_rows"]


def test_funnel_activation_rate_matches_the_true_rate(con, truth):
    rows = con.execute(
        """
        select integration_key, activation_observable_connections, activation_rate
        from marts.fct_integration_funnel
        where cohort_grain = 'month' and install_cohort = 'all' and segment = 'all'
            and integration_key != 'all'
        """
    ).fetchall()
    assert len(rows) == len(truth["integrations"])
    misses = []
    for key, observable, measured in rows:
        true_rate = truth["integrations"][key]["true_activation_rate"]
        standard_error = math.sqrt(true_rate * (1 - true_rate) / observable)
        if abs(measured - true_rate) > Z * standard_error:
            misses.append((key, observable, round(measured, 4), round(true_rate, 4)))
    assert not misses, f"activation rate outside {Z} standard errors of the truth: {misses}"


def test_stored_counts_are_bigint_not_128_bit_integers(con):
    # DuckDB sums integers into a 128-bit hugeint: stored, it takes twice the
    # bytes in every later window, sort and join that reads it, so each stored
    # model casts its counts back to bigint (the marts' type)
    wide_columns = con.execute(
        "select columns.table_schema || '.' || columns.table_name || '.' || columns.column_name "
        "from information_schema.columns as columns "
        "inner join information_schema.tables as tables "
        "using (table_catalog, table_schema, table_name) "
        "where tables.table_type = 'BASE TABLE' and columns.data_type = 'HUGEINT' "
        "order by 1"
    ).fetchall()
    assert wide_columns == []
