"""The published marts the checkpoint covers: schema ``marts``, every public model."""

from __future__ import annotations

import re

MART_SCHEMA = "marts"

MARTS: tuple[str, ...] = (
    "dim_accounts",
    "dim_connections",
    "dim_integrations",
    "fct_connection_funnel",
    "fct_integration_funnel",
    "fct_retention_cohorts",
    "fct_integration_adoption_daily",
    "fct_connection_health_daily",
    "fct_account_health_daily",
    "fct_account_benchmarks",
    "fct_integration_alerts",
    "fct_integration_impact",
    "fct_integration_impact_balance",
    "fct_data_quality_checks",
)

# Versioned relations (dbt model versions, `<name>_v<N>`) sit beside the unsuffixed
# names consumers read; the checkpoint validates the unsuffixed ones.
_VERSIONED = re.compile(r"_v\d+$")


def is_versioned_relation(name: str) -> bool:
    """True for a dbt model version's relation such as ``dim_accounts_v2``."""
    return bool(_VERSIONED.search(name))
