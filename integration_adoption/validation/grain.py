"""Grain: one row per grain (compound keys per mart), and keys never null.

The grains are those the marts' YAML declares (``unique`` /
``unique_combination_of_columns`` tests); the keys are the grain plus the
entities every row belongs to (metric-definitions §1).
"""

from __future__ import annotations

from collections.abc import Sequence

import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation

from integration_adoption.validation.reference import Reference

GRAINS: dict[str, tuple[str, ...]] = {
    "dim_accounts": ("account_id",),
    "dim_connections": ("connection_id",),
    "dim_integrations": ("integration_key",),
    "fct_connection_funnel": ("connection_id",),
    "fct_integration_funnel": ("integration_key", "cohort_grain", "install_cohort", "segment"),
    "fct_retention_cohorts": (
        "integration_key",
        "period_grain",
        "activation_cohort",
        "period_number",
    ),
    "fct_integration_adoption_daily": ("integration_key", "activity_date"),
    "fct_connection_health_daily": ("connection_id", "health_date"),
    "fct_account_health_daily": ("account_id", "score_date"),
    "fct_account_benchmarks": ("account_id",),
    "fct_integration_alerts": ("alert_id",),
    "fct_integration_impact": ("integration_key", "outcome"),
    "fct_integration_impact_balance": ("integration_key", "covariate", "covariate_level"),
    "fct_data_quality_checks": ("raw_source", "check_name", "check_detail"),
}

# Keys beside the grain that every row carries (never null).
FOREIGN_KEYS: dict[str, tuple[str, ...]] = {
    "dim_connections": ("account_id", "integration_key", "installed_date"),
    "fct_connection_funnel": ("account_id", "integration_key", "segment", "installed_date"),
    "fct_connection_health_daily": ("account_id", "integration_key"),
    "fct_account_health_daily": ("segment",),
    "fct_integration_alerts": ("alert_type", "account_id", "fired_date"),
}

# Natural keys that are unique as well as the grain: an alert fires once per
# (type, connection or account, day) — metric-definitions §7.
ALTERNATE_KEYS: dict[str, tuple[str, ...]] = {
    "fct_integration_alerts": ("alert_type", "account_id", "connection_id", "fired_date"),
}


def _unique(table: str, key: tuple[str, ...], what: str) -> Expectation:
    description = f"{what} of {table}: one row per ({', '.join(key)})"
    if len(key) == 1:
        return gxe.ExpectColumnValuesToBeUnique(column=key[0], description=description)
    return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(key), description=description)


def expectations(table: str, columns: Sequence[str], reference: Reference) -> list[Expectation]:
    """Uniqueness of the grain (and alternate keys) and not-null keys of ``table``."""
    del columns, reference  # the grain is declared per mart, not discovered
    if table not in GRAINS:
        return []
    grain = GRAINS[table]
    found: list[Expectation] = [_unique(table, grain, "grain")]
    if table in ALTERNATE_KEYS:
        found.append(_unique(table, ALTERNATE_KEYS[table], "natural key"))
    for column in (*grain, *FOREIGN_KEYS.get(table, ())):
        found.append(
            gxe.ExpectColumnValuesToNotBeNull(
                column=column, description=f"key {column} of {table} is never null"
            )
        )
    return found
