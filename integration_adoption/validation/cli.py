"""Command line: run the checkpoint over the marts and the raw tables, write Data Docs."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from integration_adoption.validation import checkpoint, loading, report
from integration_adoption.validation.manifest import ManifestMissingError
from integration_adoption.validation.marts import MARTS, is_versioned_relation
from integration_adoption.validation.reference import PROJECT_DIR, load_reference
from integration_adoption.validation.suites import MARTS as MARTS_LAYER
from integration_adoption.validation.suites import RAW

EXIT_FAILED = 1
EXIT_UNAVAILABLE = 2


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m integration_adoption.validation",
        description=(
            "great-expectations checkpoint over the published marts (schema marts) and the "
            "raw tables on arrival. Exits 1 when an expectation fails, naming suite, table, "
            "expectation, column and the observed values; writes GX Data Docs HTML."
        ),
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("IA_DUCKDB_PATH", "warehouse/integration_adoption.duckdb")),
        help="DuckDB warehouse with the marts (default: $IA_DUCKDB_PATH or the demo warehouse)",
    )
    parser.add_argument(
        "--raw-data-path",
        type=Path,
        default=Path(os.environ.get("IA_RAW_DATA_PATH", "data/raw")),
        help="folder of the raw Parquet files, one folder per table "
        "(default: $IA_RAW_DATA_PATH or data/raw)",
    )
    parser.add_argument(
        "--docs-dir",
        type=Path,
        default=Path("artifacts/gx"),
        help="where the Data Docs site is written (default: artifacts/gx; replaced each run)",
    )
    parser.add_argument(
        "--layer",
        choices=("all", RAW, MARTS_LAYER),
        default="all",
        help="validate the raw tables, the marts, or both (default)",
    )
    parser.add_argument(
        "--table",
        action="append",
        default=None,
        metavar="NAME",
        help="validate only this table (repeatable)",
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=PROJECT_DIR,
        help="dbt project whose seeds, vars and sources' YAML give the reference values",
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        default=None,
        help="dbt manifest whose tests give the grains and accepted values "
        "(default: <project-dir>/target/manifest.json, written by any dbt build or parse)",
    )
    parser.add_argument(
        "--lock-timeout",
        type=float,
        default=120.0,
        help="seconds to wait while a build holds the warehouse's write lock (default 120)",
    )
    parser.add_argument("--quiet", action="store_true", help="print only failures and the total")
    return parser.parse_args(argv)


def _selected(names: Sequence[str], only: list[str] | None) -> list[str]:
    return [name for name in names if only is None or name in only]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    try:
        reference = load_reference(args.project_dir, args.manifest)
    except ManifestMissingError as error:
        print(f"validation: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    tables: list[checkpoint.TableToValidate] = []
    if args.layer in ("all", RAW):
        raw_tables = _selected(list(reference.raw_contracts), args.table)
        raw = loading.read_raw(args.raw_data_path, raw_tables)
        tables += [checkpoint.TableToValidate(RAW, t, raw.get(t)) for t in raw_tables]
    if args.layer in ("all", MARTS_LAYER):
        mart_tables = _selected(MARTS, args.table)
        try:
            marts, present = loading.read_marts(args.database, mart_tables, args.lock_timeout)
        except loading.WarehouseUnavailableError as error:
            print(f"validation: {error}", file=sys.stderr)
            return EXIT_UNAVAILABLE
        undeclared = [t for t in present if t not in MARTS and not is_versioned_relation(t)]
        if undeclared and not args.quiet:
            print(f"note: marts without a suite here: {', '.join(undeclared)}")
        tables += [checkpoint.TableToValidate(MARTS_LAYER, t, marts.get(t)) for t in mart_tables]
    if not tables:
        print("validation: no table selected", file=sys.stderr)
        return EXIT_UNAVAILABLE

    def progress(outcome: checkpoint.TableOutcome) -> None:
        if args.quiet:
            return
        checked = len(outcome.result.results) if outcome.result is not None else 0
        status = "ok" if outcome.success else "FAILED"
        print(
            f"{outcome.suite:<46} {outcome.rows:>9,} rows {checked:>4} expectations "
            f"{outcome.seconds:>6.1f}s  {status}",
            flush=True,
        )

    outcomes, index = checkpoint.run(tables, reference, args.docs_dir, progress)
    text, passed = report.summary(outcomes)
    print(text)
    print(f"Data Docs: {index}  ({time.monotonic() - started:.1f}s)")
    return 0 if passed else EXIT_FAILED
