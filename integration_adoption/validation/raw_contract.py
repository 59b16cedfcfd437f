"""The raw tables on arrival: their contract, and plausibility rather than cleanliness.

Raw data is messy on purpose: staging quarantines bad rows (metric-definitions
§2), so these expectations do not demand clean rows. They check the contract —
every column of the sources' YAML present, with its type as DuckDB reads the
Parquet — strictly, and plausibility with ``mostly``: keys nearly always
present, event names nearly always mapped, properties nearly always JSON. A
share of bad rows beyond the thresholds means the feed itself broke.
"""

from __future__ import annotations

from collections.abc import Sequence

import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation

from integration_adoption.validation.reference import Reference

# Shares of rows that must pass; the rest is the quarantine's business.
MOSTLY_KEYS = 0.99  # keys and load metadata
MOSTLY_VALUES = 0.95  # mapped names, known integrations, parseable text
MIN_UNIQUE_EVENT_SHARE = 0.9  # delivery is at-least-once: some event_ids repeat

ISO_TIMESTAMP = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"


def contract(table: str, reference: Reference) -> list[Expectation]:
    """Columns present (extra columns allowed) and each of the contract's type."""
    columns = reference.raw_contracts[table].columns
    found: list[Expectation] = [
        gxe.ExpectTableRowCountToBeBetween(
            min_value=1, description=f"raw {table} has arrived (at least one row)"
        ),
        gxe.ExpectTableColumnsToMatchSet(
            column_set=list(columns),
            exact_match=False,
            description=f"raw {table} has every column of the raw contract",
        ),
    ]
    for column, dtype in columns.items():
        found.append(
            gxe.ExpectColumnTypeToBe(
                column=column,
                type_=dtype,
                description=f"raw {table}.{column} has the contract's type ({dtype})",
            )
        )
    return found


def _not_null(table: str, columns: Sequence[str]) -> list[Expectation]:
    return [
        gxe.ExpectColumnValuesToNotBeNull(
            column=column,
            mostly=MOSTLY_KEYS,
            description=f"raw {table}.{column} is nearly always present",
        )
        for column in columns
    ]


def _in_set(table: str, column: str, values: Sequence[str], what: str) -> Expectation:
    return gxe.ExpectColumnValuesToBeInSet(
        column=column,
        value_set=list(values),
        mostly=MOSTLY_VALUES,
        description=f"raw {table}.{column} is nearly always {what}",
    )


def _json(table: str, column: str) -> Expectation:
    return gxe.ExpectColumnValuesToBeJsonParseable(
        column=column,
        mostly=MOSTLY_VALUES,
        description=f"raw {table}.{column} is nearly always valid JSON",
    )


def _non_negative(table: str, column: str) -> Expectation:
    return gxe.ExpectColumnValuesToBeBetween(
        column=column,
        min_value=0,
        mostly=MOSTLY_KEYS,
        description=f"raw {table}.{column} is nearly always ≥ 0",
    )


def _product_source_systems(reference: Reference) -> tuple[str, ...]:
    """Source systems of the product table: the mapping's systems that are not a source."""
    other_sources = {c.source for c in reference.raw_contracts.values()}
    return tuple(s for s in reference.source_event_names if s not in other_sources)


def plausibility(table: str, reference: Reference) -> list[Expectation]:
    """Plausibility of the known raw tables, with ``mostly`` thresholds."""
    if table == "integration_events":
        systems = _product_source_systems(reference)
        names = sorted({n for s in systems for n in reference.source_event_names[s]})
        return [
            *_not_null(table, ["event_id", "account_id", "connection_id", "integration_key"]),
            *_not_null(table, ["occurred_at", "loaded_at"]),
            gxe.ExpectColumnProportionOfUniqueValuesToBeBetween(
                column="event_id",
                min_value=MIN_UNIQUE_EVENT_SHARE,
                description="raw integration_events: redeliveries repeat only a few event_ids",
            ),
            gxe.ExpectColumnValuesToMatchRegex(
                column="occurred_at",
                regex=ISO_TIMESTAMP,
                mostly=MOSTLY_VALUES,
                description="raw integration_events.occurred_at is nearly always ISO-8601 text",
            ),
            _in_set(table, "source_system", systems, "a system of the event_name_map seed"),
            _in_set(table, "event_name", names, "mapped by the event_name_map seed"),
            _in_set(table, "integration_key", reference.integration_keys, "in the catalog"),
            _json(table, "properties"),
        ]
    if table == "accounts":
        return [
            *_not_null(table, ["account_id", "segment", "created_at"]),
            gxe.ExpectColumnValuesToBeUnique(
                column="account_id",
                mostly=MOSTLY_KEYS,
                description="raw accounts: nearly one row per account_id",
            ),
            _in_set(table, "segment", reference.segments, "a known segment"),
            _non_negative(table, "employee_count"),
        ]
    if table == "account_monthly":
        return [
            *_not_null(table, ["account_id", "month", "plan"]),
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["account_id", "month"],
                mostly=MOSTLY_KEYS,
                description="raw account_monthly: nearly one row per account and month",
            ),
            _in_set(table, "plan", reference.plans, "a plan of the plan_limits seed"),
            _non_negative(table, "mrr"),
        ]
    if table == "partner_webhook_deliveries":
        source = reference.raw_contracts[table].source
        return [
            *_not_null(table, ["delivery_id", "workspace", "installation", "app"]),
            *_not_null(table, ["sent_at_epoch_ms", "received_at"]),
            _in_set(table, "hook", reference.source_event_names[source], "mapped"),
            _in_set(table, "app", reference.integration_keys, "in the catalog"),
            _non_negative(table, "sent_at_epoch_ms"),
            _json(table, "payload"),
        ]
    return []


def expectations(table: str, columns: Sequence[str], reference: Reference) -> list[Expectation]:
    """The contract and the plausibility of raw ``table``."""
    del columns  # the contract says which columns must be there
    return [*contract(table, reference), *plausibility(table, reference)]
