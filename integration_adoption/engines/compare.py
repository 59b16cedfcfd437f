"""Every mart of one engine equal to the same mart of another, row for row.

Both sides are read into pandas and compared by warehouse_diff.compare_frames,
the comparison the benchmark and the incremental tests use too: normalised
(timestamps to naive UTC, decimals to floats, dates to dates), sorted by every
column, text, dates, timestamps, booleans and integers exactly, doubles within
warehouse_diff.RELATIVE_TOLERANCE, nulls equal only to nulls.

    python -m integration_adoption.engines.compare --left duckdb --right postgres \\
        --manifest target/postgres/manifest.json
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from integration_adoption.warehouse_diff import (
    RELATIVE_TOLERANCE,
    TableComparison,
    compare_frames,
)

__all__ = ["RELATIVE_TOLERANCE", "TableComparison", "compare_engines", "compare_frames"]


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


# ---------- comparing (the comparison itself is warehouse_diff.compare_frames)


def compare_engines(
    left: Engine, right: Engine, tables: list[tuple[str, str]]
) -> list[TableComparison]:
    """Each (schema, table) read from both engines and compared."""
    return [
        compare_frames(
            f"{schema}.{table}", left.read_table(schema, table), right.read_table(schema, table)
        )
        for schema, table in tables
    ]


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
        f"(doubles within {RELATIVE_TOLERANCE:g} relative, absolute below 1)"
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
