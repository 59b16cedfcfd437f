"""Accepted values: states, transitions, bands, alert types and the other labels.

The vocabularies of metric-definitions (§3 states and spell labels, §4 leak and
verdict, §6 bands and trend, §8 outcomes), and the seeds for what is
configuration (integration keys, categories, plans, alert types, severities,
channels, impact bands). Rules are per column name, so every mart with a
``segment`` or ``health_band`` column is checked alike; ``all`` is accepted only
in the roll-up columns of the marts that publish roll-ups (§0).
"""

from __future__ import annotations

from collections.abc import Sequence

import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation

from integration_adoption.validation.reference import Reference

ROLLUP = "all"
UNKNOWN = "unknown"  # account attributes of accounts missing from the accounts table (§2)

STATES = ("active", "failing", "dormant", "not_activated", "uninstalled")
TRANSITIONS = (
    "new",
    "resurrected",
    "installed",
    "uninstalled",
    "newly_dormant",
    "newly_failing",
    "newly_not_activated",
)
SEGMENTS = ("smb", "mid_market", "enterprise")
HEALTH_BANDS = ("healthy", "needs_attention", "at_risk")
TRENDS = ("up", "down", "flat")
LEAKS = ("first_value_problem", "durability_problem")
VERDICTS = ("healthy", "stalled", "too_early")
GRAINS = ("week", "month")
OUTCOMES = ("retained", "nrr", "expanded")
OUTCOME_KINDS = ("rate", "ratio")
COVARIATES = ("plan", "segment", "industry", "employee_count", "tenure_months", "mrr_at_t0")
COVARIATE_KINDS = ("categorical", "numeric")
RAW_SOURCES = ("product", "partner_webhooks")
CHECK_NAMES = (
    "raw_rows",
    "clean_rows",
    "quarantined_rows",
    "collapsed_duplicate_rows",
    "unknown_account_events",
    "unknown_accounts",
    "events_after_uninstall",
    "events_after_as_of_date",
    "late_loaded_events",
)

# Columns that carry `all` on roll-up rows, per mart.
ROLLUP_COLUMNS: dict[str, frozenset[str]] = {
    "fct_integration_funnel": frozenset({"integration_key", "segment"}),
    "fct_data_quality_checks": frozenset({"raw_source"}),
}

# Cohort labels: the cohort's first day, or `all` on the all-cohorts rows.
COHORT_PATTERN = r"^(?:\d{4}-\d{2}-\d{2}|all)$"
COHORT_COLUMNS = ("install_cohort", "activation_cohort")


def value_sets(reference: Reference) -> dict[str, tuple[str, ...]]:
    """Accepted values per column name, in every mart that has the column."""
    with_unknown = (UNKNOWN,)
    return {
        "integration_key": reference.integration_keys,
        "integration_category": reference.categories,
        "category": reference.categories,
        "intended_cadence": reference.cadences,
        "integration_kind": reference.integration_kinds,
        "segment": SEGMENTS + with_unknown,
        "size_band": reference.size_bands + with_unknown,
        "current_plan": reference.plans + with_unknown,
        "plan_at_install": reference.plans + with_unknown,
        "current_state": STATES,
        "state": STATES,
        "current_state_transition": TRANSITIONS,
        "health_band": HEALTH_BANDS,
        "trend": TRENDS,
        "leak_diagnosis": LEAKS,
        "funnel_verdict": VERDICTS,
        "cohort_grain": GRAINS,
        "period_grain": GRAINS,
        "alert_type": reference.alert_types,
        "severity": reference.severities,
        "channel": reference.channels,
        "impact_band": reference.impact_bands,
        "outcome": OUTCOMES,
        "outcome_kind": OUTCOME_KINDS,
        "covariate": COVARIATES,
        "covariate_kind": COVARIATE_KINDS,
        "raw_source": RAW_SOURCES,
        "check_name": CHECK_NAMES,
    }


def missing_signals_pattern(reference: Reference) -> str:
    """A comma-separated list of health signals (§6: the row lists the missing signals)."""
    signal = "|".join(reference.health_signals)
    return rf"^(?:{signal})(?:,(?:{signal}))*$"


def expectations(table: str, columns: Sequence[str], reference: Reference) -> list[Expectation]:
    """In-set expectations for every labelled column of ``table``; nulls are not checked here."""
    found: list[Expectation] = []
    sets = value_sets(reference)
    rollups = ROLLUP_COLUMNS.get(table, frozenset())
    for column in columns:
        if column in sets:
            values = sets[column] + ((ROLLUP,) if column in rollups else ())
            found.append(
                gxe.ExpectColumnValuesToBeInSet(
                    column=column,
                    value_set=list(values),
                    description=f"{table}.{column} is one of the accepted labels",
                )
            )
        elif column in COHORT_COLUMNS:
            found.append(
                gxe.ExpectColumnValuesToMatchRegex(
                    column=column,
                    regex=COHORT_PATTERN,
                    description=f"{table}.{column} is a cohort's first day or `all`",
                )
            )
        elif column == "missing_signals":
            found.append(
                gxe.ExpectColumnValuesToMatchRegex(
                    column=column,
                    regex=missing_signals_pattern(reference),
                    description=f"{table}.{column} lists health signals of the seed",
                )
            )
    return found
