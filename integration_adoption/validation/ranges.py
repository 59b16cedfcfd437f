"""Ranges by the house naming rules: rates in 0..1, scores in 0..100, counts ≥ 0.

style.md names rates ``<what>_rate`` (in 0..1) and scores ``<what>_score`` (in
0..100); shares, percentiles, losses (1 - a rate) and weights are fractions too.
Columns are matched by name, so a new rate column of any mart is checked
without a new rule. Nulls are allowed (a rate with a zero denominator is null,
metric-definitions §0); only present values must lie in range.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation

from integration_adoption.validation.reference import Reference


@dataclass(frozen=True)
class Range:
    """Columns matching ``pattern`` hold values in [minimum, maximum] (None: unbounded)."""

    name: str
    pattern: re.Pattern[str]
    minimum: float | None
    maximum: float | None


RANGES: tuple[Range, ...] = (
    Range(
        "fraction",
        re.compile(r"(_rate|_share|_percentile|_loss|_weight)(_\d+d)?$|^retention_floor$"),
        0.0,
        1.0,
    ),
    Range("score", re.compile(r"_score$"), 0.0, 100.0),
    # a change of a 0..100 score
    Range("score change", re.compile(r"^score_change_\d+d$"), -100.0, 100.0),
    Range(
        "non-negative quantity",
        re.compile(
            r"_(connections|accounts)(_at_t0)?$|_(strata|count|integrations|categories|events)$"
            r"|^(attempts|work_events|failure_events|failures|records)(_prev)?(_\d+d)?$"
            r"|time_to_first_value|^variance_ratio_|_mrr$|^att_se$"
            r"|^(cohort_size|days_since_last_work|period_number|install_sequence|employee_count"
            r"|features_in_use|max_features_on_active_connection|mean_days_between_work_30d)$"
        ),
        0.0,
        None,
    ),
)


def classify(column: str) -> Range | None:
    """The range a column's name puts it in, if any (first match)."""
    for candidate in RANGES:
        if candidate.pattern.search(column):
            return candidate
    return None


def expectations(table: str, columns: Sequence[str], reference: Reference) -> list[Expectation]:
    """A between expectation for every column of ``table`` whose name says its range."""
    del reference
    found: list[Expectation] = []
    for column in columns:
        kind = classify(column)
        if kind is None:
            continue
        bounds = f"{kind.minimum:g}..{'' if kind.maximum is None else f'{kind.maximum:g}'}"
        found.append(
            gxe.ExpectColumnValuesToBeBetween(
                column=column,
                min_value=kind.minimum,
                max_value=kind.maximum,
                description=f"{table}.{column} is a {kind.name} in {bounds}",
            )
        )
    return found
