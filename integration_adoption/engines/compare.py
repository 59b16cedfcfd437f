"""Every mart of one engine equal to the same mart of another, row for row.

Both sides are read into pandas, normalised (timestamps to naive UTC,
decimals to floats, dates to dates), sorted by every column and compared:
text, dates, timestamps, booleans and integers exactly, floating point
numbers within a tolerance (|a - b| <= ATOL + RTOL * |b|, both 1e-9 by
default), nulls equal only to nulls.

    python -m integration_adoption.engines.compare --left duckdb --right postgres \\
        --manifest target/postgres/manifest.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import importlib
import json
import math
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

RTOL = 1e-9
ATOL = 1e-9
# sorting rounds floats to this many significant digits, so rows whose floats
# differ within the tolerance still sort into the same place
SORT_SIGNIFICANT_DIGITS = 6


class Engine(Protocol):
    name: str

    def read_table(self, schema: str, table: str) -> pd.DataFrame: ...

    def close(self) -> None: ...


def open_engine(name: str, **options: Any) -> Engine:
    """`integration_adoption.engines.<name>_engine.open_engine(**options)`."""
    module = importlib.import_module(f"integration_adoption.engines.{name}_engine")
    return module.open_engine(**options)


def marts_from_manifest(manifest: Path) -> list[tuple[str, str]]:
    """(schema, table) of every enabled table model under models/marts/."""
    nodes = json.loads(manifest.read_text())["nodes"].values()
    marts = sorted(
        (node["schema"], node["alias"])
        for node in nodes
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
        and node["config"].get("enabled", True)
        and node["config"].get("materialized") in ("table", "incremental")
    )
    if not marts:
        raise ValueError(f"no marts in {manifest}")
    return marts


# ---------- normalising one column to comparable values


def _kind(values: Iterable[Any]) -> str:
    kinds = set()
    for value in values:
        if _is_null(value):
            continue
        if isinstance(value, bool | np.bool_):
            kinds.add("bool")
        elif isinstance(value, int | np.integer):
            kinds.add("int")
        elif isinstance(value, float | decimal.Decimal | np.floating):
            kinds.add("float")
        elif isinstance(value, dt.datetime | pd.Timestamp | np.datetime64):
            kinds.add("timestamp")
        elif isinstance(value, dt.date):
            kinds.add("date")
        else:
            kinds.add("text")
    if kinds <= {"int", "float"} and "float" in kinds:
        return "float"
    if len(kinds) > 1:
        return "mixed:" + ",".join(sorted(kinds))
    return kinds.pop() if kinds else "null"


def _is_null(value: Any) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _normalise_value(value: Any, kind: str) -> Any:
    if _is_null(value):
        return None
    if kind == "float":
        return float(value)
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(value)
    if kind == "timestamp":
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("UTC").tz_localize(None)
        return stamp.to_pydatetime()
    if kind == "date":
        return value if not isinstance(value, dt.datetime) else value.date()
    return str(value)


def normalise(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            column: pd.Series(
                [_normalise_value(value, kinds[column]) for value in frame[column]],
                dtype="object",
            )
            for column in frame.columns
        }
    )


def _sort_key(value: Any, kind: str) -> tuple[int, Any]:
    if value is None:
        return (1, 0)
    if kind == "float":
        return (0, float(f"{value:.{SORT_SIGNIFICANT_DIGITS - 1}e}"))
    return (0, value)


def sort_rows(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """Rows ordered by every column, non-float columns first (nulls last)."""
    columns = sorted(frame.columns, key=lambda column: kinds[column] == "float")
    keys = [
        tuple(_sort_key(row[index], kinds[column]) for index, column in enumerate(columns))
        for row in frame[columns].itertuples(index=False, name=None)
    ]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return frame.iloc[order].reset_index(drop=True)


# ---------- comparing


@dataclass
class TableComparison:
    table: str
    left_rows: int
    right_rows: int
    problems: list[str] = field(default_factory=list)
    differing_values: dict[str, int] = field(default_factory=dict)
    max_abs_diff: float = 0.0

    @property
    def equal(self) -> bool:
        return not self.problems and not self.differing_values


def compare_frames(
    table: str, left: pd.DataFrame, right: pd.DataFrame, rtol: float = RTOL, atol: float = ATOL
) -> TableComparison:
    result = TableComparison(table, len(left), len(right))
    left_columns, right_columns = list(left.columns), list(right.columns)
    if set(left_columns) != set(right_columns):
        result.problems.append(
            f"columns differ: only left {sorted(set(left_columns) - set(right_columns))}, "
            f"only right {sorted(set(right_columns) - set(left_columns))}"
        )
        return result
    right = right[left_columns]
    kinds: dict[str, str] = {}
    for column in left_columns:
        left_kind, right_kind = _kind(left[column]), _kind(right[column])
        if "null" in (left_kind, right_kind):
            left_kind = right_kind = left_kind if right_kind == "null" else right_kind
        if {left_kind, right_kind} == {"int", "float"}:
            left_kind = right_kind = "float"
        if left_kind != right_kind:
            result.problems.append(f"{column}: {left_kind} on the left, {right_kind} on the right")
        kinds[column] = left_kind
    if result.problems:
        return result
    if len(left) != len(right):
        result.problems.append(f"{len(left)} rows on the left, {len(right)} on the right")
    left = sort_rows(normalise(left, kinds), kinds)
    right = sort_rows(normalise(right, kinds), kinds)
    rows = min(len(left), len(right))
    for column in left_columns:
        differing = 0
        for a, b in zip(left[column][:rows], right[column][:rows], strict=True):
            if a is None or b is None:
                differing += (a is None) != (b is None)
            elif kinds[column] == "float":
                if math.isinf(a) or math.isinf(b):
                    differing += a != b
                    continue
                diff = abs(a - b)
                result.max_abs_diff = max(result.max_abs_diff, diff)
                differing += diff > atol + rtol * abs(b)
            else:
                differing += a != b
        if differing:
            result.differing_values[column] = differing
    return result


def compare_engines(
    left: Engine,
    right: Engine,
    tables: list[tuple[str, str]],
    rtol: float = RTOL,
    atol: float = ATOL,
) -> list[TableComparison]:
    results = []
    for schema, table in tables:
        results.append(
            compare_frames(
                f"{schema}.{table}",
                left.read_table(schema, table),
                right.read_table(schema, table),
                rtol,
                atol,
            )
        )
    return results


def report(results: list[TableComparison], left: str, right: str) -> str:
    lines = [f"{'mart':<45} {left + ' rows':>12} {right + ' rows':>14} {'max |diff|':>11}  result"]
    for result in results:
        verdict = "equal" if result.equal else "DIFFERENT"
        lines.append(
            f"{result.table:<45} {result.left_rows:>12} {result.right_rows:>14} "
            f"{result.max_abs_diff:>11.3g}  {verdict}"
        )
        lines.extend(f"    {problem}" for problem in result.problems)
        lines.extend(
            f"    {column}: {count} values differ"
            for column, count in result.differing_values.items()
        )
    equal = sum(result.equal for result in results)
    lines.append(
        f"{equal}/{len(results)} marts equal, {sum(r.left_rows for r in results)} rows, "
        f"max |diff| {max((r.max_abs_diff for r in results), default=0.0):.3g} "
        f"(tolerance {ATOL:g} + {RTOL:g}·|value|)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--left", default="duckdb", help="engine name (default: duckdb)")
    parser.add_argument("--right", required=True, help="engine name, e.g. postgres")
    parser.add_argument(
        "--left-duckdb",
        type=Path,
        default=Path("warehouse/test.duckdb"),
        help="the DuckDB warehouse when --left is duckdb",
    )
    parser.add_argument("--manifest", type=Path, default=Path("target/manifest.json"))
    args = parser.parse_args(argv)
    left_options = {"database": args.left_duckdb} if args.left == "duckdb" else {}
    left, right = open_engine(args.left, **left_options), open_engine(args.right)
    try:
        results = compare_engines(left, right, marts_from_manifest(args.manifest))
    finally:
        left.close()
        right.close()
    print(report(results, args.left, args.right))
    return 0 if all(result.equal for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
