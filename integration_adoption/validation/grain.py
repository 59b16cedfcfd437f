"""Grain: one row per grain (compound keys per mart), and keys never null.

The grains are those the models' YAML declares, read from dbt's manifest
(validation/manifest.py): the grain is a column with `unique` and `not_null`,
else the `unique_combination_of_columns`; any other unique key (an alert's
natural key, metric-definitions §7) is checked too. Never null: the grain and
every column the YAML tests `not_null`.
"""

from __future__ import annotations

from collections.abc import Sequence

import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation

from integration_adoption.validation.reference import Reference


def _unique(table: str, key: tuple[str, ...], what: str) -> Expectation:
    description = f"{what} of {table}: one row per ({', '.join(key)})"
    if len(key) == 1:
        return gxe.ExpectColumnValuesToBeUnique(column=key[0], description=description)
    return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(key), description=description)


def expectations(table: str, columns: Sequence[str], reference: Reference) -> list[Expectation]:
    """Uniqueness of the grain (and other unique keys) and not-null keys of ``table``."""
    del columns  # the grain is declared per model, not discovered
    keys = reference.declared.keys.get(table, ())
    if not keys:
        return []
    grain, *natural_keys = keys
    found: list[Expectation] = [_unique(table, grain, "grain")]
    found += [_unique(table, key, "natural key") for key in natural_keys]
    never_null = dict.fromkeys((*grain, *reference.declared.not_null.get(table, ())))
    for column in never_null:
        found.append(
            gxe.ExpectColumnValuesToNotBeNull(
                column=column, description=f"{column} of {table} is never null"
            )
        )
    return found
