"""Funnel monotonic: no stage holds more than the stage before it.

The §4 invariants of metric-definitions (installed ≥ activation_observable ≥
activated ≥ retained_N_observable ≥ retained_N, and the setup side stage), the
same chain per connection in the drill-down, the §5 cohort chain (cohort size ≥
observable ≥ retained on or after ≥ retained on), and the part ≤ whole counts
of the other marts. Each chain is checked pair by pair, so a failure names the
two stages that are out of order.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation

from integration_adoption.validation.reference import Reference

Chain = tuple[str, ...]

CHAINS: dict[str, tuple[Chain, ...]] = {
    "fct_integration_funnel": (
        (
            "installed_connections",
            "activation_observable_connections",
            "activated_connections",
            "retained_30d_observable_connections",
            "retained_30d_connections",
        ),
        (
            "activated_connections",
            "retained_90d_observable_connections",
            "retained_90d_connections",
        ),
        # observable at day 90 implies observable at day 30
        ("retained_30d_observable_connections", "retained_90d_observable_connections"),
        ("installed_connections", "setup_observable_connections", "setup_completed_connections"),
    ),
    # flags per connection: True ≥ False, so a later stage never holds without the earlier
    "fct_connection_funnel": (
        (
            "is_activation_observable",
            "is_counted_activated",
            "is_retained_30d_observable",
            "is_retained_30d",
        ),
        ("is_counted_activated", "is_retained_90d_observable", "is_retained_90d"),
        ("is_retained_30d_observable", "is_retained_90d_observable"),
        ("is_ever_activated", "is_activated", "is_counted_activated"),
    ),
    "fct_retention_cohorts": (
        (
            "cohort_size",
            "observable_connections",
            "retained_or_after_connections",
            "retained_connections",
        ),
    ),
    "fct_integration_adoption_daily": (
        (
            "installed_to_date_connections",
            "live_connections",
            "active_connections",
            "rhythm_met_connections",
        ),
        ("uninstalled_to_date_connections", "uninstalled_on_day_connections"),
    ),
    "dim_integrations": (
        ("installed_connections", "installing_accounts"),
        ("installed_connections", "uninstalled_connections"),
    ),
    "dim_connections": (
        ("event_count", "work_event_count"),
        ("event_count", "failure_event_count"),
    ),
    "dim_accounts": (("installed_connections", "active_integrations", "active_categories"),),
    "fct_connection_health_daily": (
        ("attempts_7d", "work_events_7d", "work_events"),
        ("attempts_7d", "failures_7d", "failure_events"),
        ("attempts", "work_events"),
        ("attempts", "failure_events"),
    ),
    "fct_account_health_daily": (
        ("attempts_30d", "attempts_7d", "failures_7d"),
        ("records_30d", "records_7d"),
        ("active_integrations", "active_categories"),
    ),
    "fct_integration_impact": (
        ("alive_accounts", "treated_accounts", "matched_treated_accounts"),
        ("alive_accounts", "control_accounts", "matched_control_accounts"),
        ("activated_connections", "active_connections_at_t0"),
    ),
    "fct_integration_impact_balance": (
        ("treated_accounts", "matched_treated_accounts"),
        ("control_accounts", "matched_control_accounts"),
    ),
}


def pairs(chain: Chain) -> list[tuple[str, str]]:
    """Consecutive stages of a chain: (a, b, c) → (a, b), (b, c)."""
    return list(itertools.pairwise(chain))


def expectations(table: str, columns: Sequence[str], reference: Reference) -> list[Expectation]:
    """One ``a ≥ b`` expectation per consecutive pair of every chain of ``table``."""
    del columns, reference
    found: list[Expectation] = []
    for chain in CHAINS.get(table, ()):
        for earlier, later in pairs(chain):
            found.append(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A=earlier,
                    column_B=later,
                    or_equal=True,
                    description=f"{table}: {earlier} ≥ {later} (no stage exceeds the one before)",
                )
            )
    return found
