"""Publish the marts the dashboard reads as a snapshot file, atomically.

DuckDB lets one process write a database file, and a process that holds it
open, even read-only, locks every writer out. So the dashboard never opens the
warehouse `dbt build` writes. After a build, this step copies the `marts`
schema into a new file beside the snapshot (`<snapshot>.tmp-<pid>`) and
renames it over the snapshot (`os.replace`, atomic on one filesystem). A
reader has either the old file or the new one open, never a half-written one,
and a build never waits for the dashboard.

    python -m integration_adoption.dashboard.snapshot \
        --warehouse warehouse/integration_adoption.duckdb \
        --snapshot warehouse/dashboard_snapshot.duckdb
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import time
from pathlib import Path

import duckdb

DEFAULT_WAREHOUSE = Path(os.environ.get("IA_DUCKDB_PATH", "warehouse/integration_adoption.duckdb"))
DEFAULT_SNAPSHOT = Path(
    os.environ.get("IA_DASHBOARD_SNAPSHOT", "warehouse/dashboard_snapshot.duckdb")
)
SCHEMA = "marts"
META_TABLE = "dashboard_meta.snapshot"


def _attach_read_only(con: duckdb.DuckDBPyConnection, warehouse: Path, wait_seconds: float) -> None:
    """Attach the warehouse read-only, waiting while a build still holds its lock."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con.execute(f"attach '{warehouse}' as src (read_only)")
            return
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() >= deadline:
                raise
            time.sleep(0.5)


def publish(warehouse: Path, snapshot: Path, wait_seconds: float = 60.0) -> dict[str, int]:
    """Copy every relation of the warehouse's marts schema to `snapshot`, atomically.

    Returns the row count of each copied relation. Waits up to `wait_seconds`
    for a build that still holds the warehouse's lock.
    """
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `make build` first")
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    temporary = snapshot.with_name(f"{snapshot.name}.tmp-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(temporary))
        try:
            _attach_read_only(con, warehouse, wait_seconds)
            relations = [
                row[0]
                for row in con.execute(
                    "select table_name from information_schema.tables "
                    "where table_catalog = 'src' and table_schema = ? order by table_name",
                    [SCHEMA],
                ).fetchall()
            ]
            if not relations:
                raise RuntimeError(f"{warehouse} has no {SCHEMA} schema: has dbt built it?")
            con.execute(f"create schema {SCHEMA}")
            for name in relations:
                con.execute(
                    f'create table {SCHEMA}."{name}" as select * from src.{SCHEMA}."{name}"'
                )
                row = con.execute(f'select count(*) from {SCHEMA}."{name}"').fetchone()
                counts[name] = int(row[0]) if row else 0
            con.execute("detach src")
            con.execute("create schema dashboard_meta")
            con.execute(
                f"create table {META_TABLE} as select ? as source_path, ? as published_at",
                [str(warehouse), dt.datetime.now(dt.UTC).replace(tzinfo=None)],
            )
            con.execute("checkpoint")
        finally:
            con.close()
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, snapshot)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m integration_adoption.dashboard.snapshot",
        description="Copy the marts to the dashboard's snapshot file (write to temp + rename).",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=DEFAULT_WAREHOUSE,
        help="the DuckDB file dbt builds (default: $IA_DUCKDB_PATH or %(default)s)",
    )
    parser.add_argument(
        "--snapshot",
        type=Path,
        default=DEFAULT_SNAPSHOT,
        help="the file the dashboard reads (default: $IA_DASHBOARD_SNAPSHOT or %(default)s)",
    )
    parser.add_argument(
        "--wait-seconds",
        type=float,
        default=60.0,
        help="how long to wait for a build that still holds the warehouse (default %(default)s)",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        counts = publish(args.warehouse, args.snapshot, args.wait_seconds)
    except (FileNotFoundError, RuntimeError, duckdb.Error) as error:
        print(f"snapshot not published: {error}", file=sys.stderr)
        return 1
    print(
        f"published {len(counts)} marts ({sum(counts.values()):,} rows) to {args.snapshot} "
        f"in {time.monotonic() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
