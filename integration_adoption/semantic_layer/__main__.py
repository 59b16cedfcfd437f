"""Command line: query semantic-layer metrics on a DuckDB warehouse, read-only.

    python -m integration_adoption.semantic_layer --database warehouse/integration_adoption.duckdb \
        --metrics activation_rate retention_90d_rate --group-by integration
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from integration_adoption.semantic_layer.engine import SemanticLayer, load_manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m integration_adoption.semantic_layer",
        description=(
            "Query the dbt semantic layer (MetricFlow) on a DuckDB warehouse through a "
            "read-only connection. Run `dbt parse` first: it writes the semantic manifest."
        ),
    )
    parser.add_argument("--database", type=Path, required=True, help="the DuckDB file")
    parser.add_argument(
        "--target-path", type=Path, default=Path("target"), help="dbt target folder (target)"
    )
    parser.add_argument("--metrics", nargs="+", required=True, help="metric names")
    parser.add_argument(
        "--group-by", nargs="*", default=[], help="e.g. integration metric_time__month"
    )
    parser.add_argument("--where", action="append", default=[], help="a MetricFlow filter")
    parser.add_argument("--explain", action="store_true", help="print the SQL, do not run it")
    args = parser.parse_args(argv)

    manifest = load_manifest(args.target_path)
    with duckdb.connect(str(args.database), read_only=True) as connection:
        layer = SemanticLayer(manifest, connection)
        if args.explain:
            print(layer.sql(args.metrics, args.group_by, args.where))
        else:
            layer.query(args.metrics, args.group_by, args.where).to_csv(sys.stdout, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
