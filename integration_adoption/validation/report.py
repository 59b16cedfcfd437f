"""Readable messages for failed expectations: suite, table, expectation, column, observed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from great_expectations.core import ExpectationValidationResult

from integration_adoption.validation.checkpoint import TableOutcome

COLUMN_KWARGS = ("column", "column_A", "column_B", "column_list", "column_set")
SAMPLE_SIZE = 5


@dataclass(frozen=True)
class Failure:
    """One failed expectation, in words."""

    suite: str
    table: str
    expectation: str
    columns: str
    description: str
    observed: str


def _columns(kwargs: dict[str, Any]) -> str:
    parts = []
    for key in COLUMN_KWARGS:
        if key in kwargs and kwargs[key] is not None:
            value = kwargs[key]
            parts.append(", ".join(value) if isinstance(value, list) else str(value))
    return " ≥ ".join(parts) if "column_A" in kwargs else ", ".join(parts)


def _plain(value: Any) -> Any:
    """numpy scalars, timestamps and tuples of them as plain Python values, for printing."""
    if isinstance(value, pd.Timestamp):
        return str(value.date()) if value == value.normalize() else value.isoformat()
    if isinstance(value, tuple | list):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value.item() if hasattr(value, "item") else value


def _exception_message(info: Any) -> str | None:
    if not info:
        return None
    if isinstance(info, dict) and "exception_message" in info:
        return info["exception_message"] if info.get("raised_exception") else None
    if isinstance(info, dict):  # keyed by metric: the first message that was raised
        for nested in info.values():
            message = _exception_message(nested)
            if message:
                return message
    return None


def observed(result: ExpectationValidationResult) -> str:
    """What the data showed: the observed value, or the share and a sample of failing values."""
    message = _exception_message(result.exception_info)
    if message:
        return f"error: {message}"
    details = result.result or {}
    if "observed_value" in details:
        return f"observed {_plain(details['observed_value'])!r}"
    parts = []
    if details.get("unexpected_count") is not None:
        total = details.get("element_count")
        percent = details.get("unexpected_percent")
        share = f" ({percent:.3g}%)" if percent is not None else ""
        parts.append(f"{details['unexpected_count']:,} of {total:,} rows unexpected{share}")
    mostly = result.expectation_config.kwargs.get("mostly")
    if mostly is not None:
        parts.append(f"mostly {mostly:g} required")
    sample = details.get("partial_unexpected_list")
    if sample:
        parts.append(f"sample {_plain(sample[:SAMPLE_SIZE])!r}")
    return "; ".join(parts) or "no detail"


def failures(outcome: TableOutcome) -> list[Failure]:
    """The failed expectations of one table (a missing table is one failure)."""
    if outcome.result is None:
        return [
            Failure(outcome.suite, outcome.table, "table_exists", "", "", outcome.missing or "")
        ]
    found = []
    for result in outcome.result.results:
        if result.success:
            continue
        config = result.expectation_config
        found.append(
            Failure(
                suite=outcome.suite,
                table=outcome.table,
                expectation=config.type,
                columns=_columns(config.kwargs),
                description=config.description or "",
                observed=observed(result),
            )
        )
    return found


def format_failure(failure: Failure) -> str:
    """Three lines: where, what the rule says, what the data showed."""
    column = f"  column {failure.columns}" if failure.columns else ""
    lines = [f"FAILED  suite {failure.suite}  table {failure.table}  {failure.expectation}{column}"]
    if failure.description:
        lines.append(f"        rule: {failure.description}")
    lines.append(f"        {failure.observed}")
    return "\n".join(lines)


def summary(outcomes: Iterable[TableOutcome]) -> tuple[str, bool]:
    """The failure report (empty when all passed) and whether everything passed."""
    items = list(outcomes)
    found = [failure for outcome in items for failure in failures(outcome)]
    evaluated = sum(len(outcome.result.results) for outcome in items if outcome.result is not None)
    lines = [format_failure(failure) for failure in found]
    verdict = "passed" if not found else f"FAILED: {len(found)} failed"
    lines.append(f"{len(items)} suites, {evaluated} expectations: {verdict}")
    return "\n".join(lines), not found
