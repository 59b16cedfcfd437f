"""A second source system end to end: the partner's webhook log (docs/adding_an_integration.md).

Reads the warehouse `make test` built from the messy test data (as test_warehouse.py does)
and checks that the partner's integration (pipedrive, delivered only by the source
partner_webhooks) flows into every mart with the generator's true numbers, and that the
bad partner rows the generator injected are quarantined with the right reasons.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from .conftest import TEST_RAW as RAW
from .conftest import scalar

SOURCE = "partner_webhooks"
CLEAN = "staging.stg_partner_webhooks__integration_events"
REJECTED = "staging.stg_partner_webhooks__integration_events_rejected"
Z = 3.5  # as test_warehouse.py: standard errors allowed around a true rate


@pytest.fixture(scope="module")
def partner_keys(truth: dict[str, Any]) -> list[str]:
    keys = [k for k, v in truth["integrations"].items() if v.get("source_system") == SOURCE]
    assert keys == ["pipedrive"]
    return keys


def test_raw_rows_are_clean_quarantined_or_collapsed(con, truth):
    expected = truth["messy"]["partner"]
    raw = scalar(
        con, f"select count(*) from read_parquet('{RAW}/partner_webhook_deliveries/*.parquet')"
    )
    # the clean and the quarantine views, each with its collapsed copies
    clean, quarantined, collapsed = con.execute(
        f"""
        select
            (select count(*) from {CLEAN}),
            (select count(*) from {REJECTED}),
            (select sum(collapsed_duplicate_count) from {CLEAN})
            + (select sum(collapsed_duplicate_count) from {REJECTED})
        """
    ).fetchone()
    assert raw == expected["raw_rows"] == truth["counts"]["partner_raw_rows"]
    assert clean == expected["expected_clean_rows"] == truth["counts"]["partner_events"]
    assert collapsed == expected["collapsed_exact_duplicates"] > 0
    assert raw == clean + quarantined + collapsed


def test_injected_bad_partner_rows_are_quarantined_with_their_reasons(con, truth):
    expected = {k: v for k, v in truth["messy"]["partner"]["expected_rejections"].items() if v}
    assert set(expected) == {
        "null_key",
        "future_timestamp",
        "unknown_event_name",
        "invalid_properties",
    }
    actual = dict(
        con.execute(
            f"select rejection_reason, count(*) from {REJECTED} group by rejection_reason"
        ).fetchall()
    )
    assert actual == expected
    # the data-quality mart publishes the same numbers under the partner's source
    published = dict(
        con.execute(
            "select check_detail, row_count from marts.fct_data_quality_checks "
            "where raw_source = ? and check_name = 'quarantined_rows'",
            [SOURCE],
        ).fetchall()
    )
    assert published == expected


def test_partner_events_are_in_the_union_and_nowhere_else(con, truth, partner_keys):
    by_source = dict(
        con.execute(
            """
            select source_system = ?, count(*)
            from intermediate.int_connection_events_unioned
            where integration_key in (select unnest(?))
            group by 1
            """,
            [SOURCE, partner_keys],
        ).fetchall()
    )
    assert by_source == {True: truth["counts"]["partner_events"]}


def test_connections_reach_the_connection_marts(con, truth, partner_keys):
    expected = truth["counts"]["partner_connections_by_integration"]
    for key in partner_keys:
        n = expected[key]
        assert n > 50, "too few partner connections to test anything"
        assert (
            scalar(con, "select count(*) from marts.dim_connections where integration_key = ?", key)
            == n
        )
        assert (
            scalar(
                con,
                "select count(*) from marts.fct_connection_funnel where integration_key = ?",
                key,
            )
            == n
        )
        installed, category = con.execute(
            "select installed_connections, category from marts.dim_integrations "
            "where integration_key = ?",
            [key],
        ).fetchone()
        assert (installed, category) == (n, "crm")
        funnel_installed = scalar(
            con,
            """
            select installed_connections from marts.fct_integration_funnel
            where integration_key = ? and cohort_grain = 'month'
                and install_cohort = 'all' and segment = 'all'
            """,
            key,
        )
        assert funnel_installed == n
        inferred = scalar(
            con,
            "select count(*) from marts.dim_connections "
            "where integration_key = ? and is_install_inferred",
            key,
        )
        assert inferred == truth["counts"]["partner_connections_without_install_event"]


def test_connections_live_through_every_state(con, partner_keys):
    for key in partner_keys:
        states = {
            state
            for (state,) in con.execute(
                "select distinct current_state from marts.dim_connections "
                "where integration_key = ?",
                [key],
            ).fetchall()
        }
        # installs that never activate, active, dormant and uninstalled ones
        assert {"active", "dormant", "not_activated", "uninstalled"} <= states, states


def test_activation_rate_matches_the_true_rate(con, truth, partner_keys):
    for key in partner_keys:
        observable, rate = con.execute(
            """
            select activation_observable_connections, activation_rate
            from marts.fct_integration_funnel
            where integration_key = ? and cohort_grain = 'month'
                and install_cohort = 'all' and segment = 'all'
            """,
            [key],
        ).fetchone()
        true_rate = truth["integrations"][key]["true_activation_rate"]
        standard_error = math.sqrt(true_rate * (1 - true_rate) / observable)
        assert abs(rate - true_rate) <= Z * standard_error, (key, rate, true_rate)


def test_retention_cohorts_and_daily_adoption_are_present_and_sane(con, partner_keys):
    for key in partner_keys:
        rows = con.execute(
            """
            select period_number, cohort_size, observable_connections, retained_connections
            from marts.fct_retention_cohorts
            where integration_key = ? and period_grain = 'month'
                and activation_cohort = 'all' and period_number in (0, 1)
            order by period_number
            """,
            [key],
        ).fetchall()
        activated = scalar(
            con,
            "select count(*) from marts.dim_connections "
            "where integration_key = ? and is_ever_activated",
            key,
        )
        # period 0: every activated connection, active on its activation day
        assert rows[0][1:] == (activated, activated, activated) and activated > 0
        _, cohort_size, observable, retained = rows[1]
        assert activated >= cohort_size >= observable >= retained > 0

        days, peak_active, bad = con.execute(
            """
            select
                count(*),
                max(active_connections),
                count(*) filter (
                    where active_connections > live_connections
                        or active_rate not between 0 and 1
                )
            from marts.fct_integration_adoption_daily
            where integration_key = ?
            """,
            [key],
        ).fetchone()
        assert days > 300 and peak_active > 0 and bad == 0
