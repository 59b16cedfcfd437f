"""Command line: query semantic-layer metrics on a DuckDB warehouse, read-only.

Prints CSV sorted by the group-by columns; a query MetricFlow rejects prints
its message (with the names it suggests) and exits 2, without a traceback.

    .venv/bin/python -m integration_adoption.semantic_layer \
        --database warehouse/integration_adoption.duckdb \
        --metrics activation_rate retention_90d_rate --group-by integration
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb
from metricflow_semantic_interfaces.protocols.semantic_manifest import SemanticManifest
from metricflow_semantics.errors.error_classes import MetricFlowException

from integration_adoption.semantic_layer.engine import SemanticLayer, load_manifest


def _connect(database: Path, manifest: SemanticManifest) -> duckdb.DuckDBPyConnection:
    """A read-only connection in which the manifest's database name is `database`.

    The manifest names the database of the warehouse dbt last parsed for (its
    file's stem): after `make test`, target/ names `test`. Attached under that
    name, any warehouse of this project answers, whichever build wrote target/.
    """
    names = {model.node_relation.database for model in manifest.semantic_models}
    name = names.pop() if len(names) == 1 else None
    if not name or name == database.stem:
        return duckdb.connect(str(database), read_only=True)
    connection = duckdb.connect()
    quoted = name.replace('"', '""')
    path = database.as_posix().replace("'", "''")
    connection.execute(f"attach '{path}' as \"{quoted}\" (read_only)")
    connection.execute(f'use "{quoted}"')
    return connection


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

    if not args.database.exists():
        print(f"no warehouse at {args.database}: `make build` builds the demo one", file=sys.stderr)
        return 1
    try:
        manifest = load_manifest(args.target_path)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    with _connect(args.database, manifest) as connection:
        layer = SemanticLayer(manifest, connection)
        try:
            if args.explain:
                print(layer.sql(args.metrics, args.group_by, args.where))
            else:
                frame = layer.query(args.metrics, args.group_by, args.where)
                frame.to_csv(sys.stdout, index=False)
        except BrokenPipeError:  # the reader stopped early (`| head`)
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stdout for the rest of the exit
        except MetricFlowException as error:
            # MetricFlow's own message names the bad input and suggests names
            print(error, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
