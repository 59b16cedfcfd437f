"""Accepted values: states, transitions, bands, alert types and the other labels.

The vocabularies are the models' own: the `accepted_values` tests their YAML
declares, read from dbt's manifest (a mart's own test for the column, else the
test any model declares on a column of that name), and the seeds for what is
configuration (integration keys, categories, plans, alert types, severities,
channels, impact bands). Rules are per column name, so every mart with a
``segment`` or ``health_band`` column is checked alike; ``unknown`` is accepted
in the account attributes (§2) and ``all`` only in the roll-up columns of the
marts that publish roll-ups (§0).
"""

from __future__ import annotations

from collections.abc import Sequence

import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation

from integration_adoption.validation.reference import Reference

ROLLUP = "all"
UNKNOWN = "unknown"  # account attributes of accounts missing from the accounts table (§2)
UNKNOWN_COLUMNS = frozenset({"segment", "size_band", "current_plan", "plan_at_install"})

# Columns whose values the YAML declares under another column's name.
DECLARED_AS = {"current_state_transition": "transition"}

# Columns that carry `all` on roll-up rows, per mart.
ROLLUP_COLUMNS: dict[str, frozenset[str]] = {
    "fct_integration_funnel": frozenset({"integration_key", "segment"}),
    "fct_data_quality_checks": frozenset({"raw_source"}),
}

# Cohort labels: the cohort's first day, or `all` on the all-cohorts rows.
COHORT_PATTERN = r"^(?:\d{4}-\d{2}-\d{2}|all)$"
COHORT_COLUMNS = ("install_cohort", "activation_cohort")


def seed_value_sets(reference: Reference) -> dict[str, tuple[str, ...]]:
    """Accepted values per column name that the seeds and vars hold."""
    return {
        "integration_key": reference.integration_keys,
        "integration_category": reference.categories,
        "category": reference.categories,
        "intended_cadence": reference.cadences,
        "integration_kind": reference.integration_kinds,
        "size_band": reference.size_bands,
        "current_plan": reference.plans,
        "plan_at_install": reference.plans,
        "alert_type": reference.alert_types,
        "severity": reference.severities,
        "channel": reference.channels,
        "impact_band": reference.impact_bands,
    }


def accepted(table: str, column: str, reference: Reference) -> tuple[str, ...] | None:
    """The values ``table.column`` accepts, or None when nothing declares them."""
    declared = reference.declared
    values = seed_value_sets(reference).get(column)
    if values is None:
        values = declared.accepted_values.get(table, {}).get(column)
    if values is None:
        values = declared.accepted_values_of_column(DECLARED_AS.get(column, column))
    if values is None:
        return None
    extra = ((UNKNOWN,) if column in UNKNOWN_COLUMNS else ()) + (
        (ROLLUP,) if column in ROLLUP_COLUMNS.get(table, frozenset()) else ()
    )
    return values + tuple(value for value in extra if value not in values)


def missing_signals_pattern(reference: Reference) -> str:
    """A comma-separated list of health signals (§6: the row lists the missing signals)."""
    signal = "|".join(reference.health_signals)
    return rf"^(?:{signal})(?:,(?:{signal}))*$"


def expectations(table: str, columns: Sequence[str], reference: Reference) -> list[Expectation]:
    """In-set expectations for every labelled column of ``table``; nulls are not checked here."""
    found: list[Expectation] = []
    for column in columns:
        values = accepted(table, column, reference)
        if values is not None:
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
