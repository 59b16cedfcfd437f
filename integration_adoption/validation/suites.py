"""Expectation suites per table, assembled from the concern modules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import great_expectations as gx
from great_expectations.expectations import Expectation

from integration_adoption.validation import (
    accepted_values,
    funnel,
    grain,
    ranges,
    raw_contract,
)
from integration_adoption.validation.reference import Reference

RAW = "raw"
MARTS = "marts"


class Concern(Protocol):
    """A module that contributes expectations for one concern."""

    def expectations(
        self, table: str, columns: Sequence[str], reference: Reference
    ) -> list[Expectation]: ...


CONCERNS: dict[str, tuple[Concern, ...]] = {
    MARTS: (grain, ranges, funnel, accepted_values),
    RAW: (raw_contract,),
}


def suite_name(layer: str, table: str) -> str:
    """``marts.fct_integration_funnel``, ``raw.integration_events``."""
    return f"{layer}.{table}"


def build_suite(
    layer: str, table: str, columns: Sequence[str], reference: Reference
) -> gx.ExpectationSuite:
    """The suite of ``table`` in ``layer``: every concern's expectations, in order."""
    expectations = [
        expectation
        for concern in CONCERNS[layer]
        for expectation in concern.expectations(table, columns, reference)
    ]
    return gx.ExpectationSuite(
        name=suite_name(layer, table),
        expectations=expectations,
        meta={"layer": layer, "table": table},
    )
