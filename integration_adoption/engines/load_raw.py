"""Loads the raw Parquet files into PostgreSQL tables with the raw contract's types.

On DuckDB the sources read the Parquet files directly; every other engine
reads warehouse tables in the schema `raw_schema` (var, default `raw`). This
loader creates them from the same files, so every engine builds from the
same input. Row counts are checked after the load.

    python -m integration_adoption.engines.load_raw --raw-data-path data/test/raw
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from psycopg2 import sql

from integration_adoption.engines.postgres_engine import connect
from integration_adoption.engines.raw_contract import RawTable, raw_tables

# contract data_type -> PostgreSQL type
POSTGRES_TYPES = {
    "varchar": "text",
    "bigint": "bigint",
    "integer": "integer",
    "double": "double precision",
    "date": "date",
    "timestamp": "timestamp",
    "boolean": "boolean",
}


def parquet_glob(raw_data_path: Path, table: RawTable) -> str:
    files = sorted((raw_data_path / table.name).glob("*.parquet"))
    if not files:
        raise FileNotFoundError(f"no Parquet files for {table.name} under {raw_data_path}")
    return str(raw_data_path / table.name / "*.parquet")


def export_csv(raw_data_path: Path, table: RawTable, out: Path) -> int:
    """The contract's columns of `table` as CSV (NULL unquoted, '' quoted); returns rows."""
    files = parquet_glob(raw_data_path, table)
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        relation = f"read_parquet('{files}', union_by_name = true)"
        present = {row[0] for row in con.execute(f"describe select * from {relation}").fetchall()}
        wanted = [name for name, _ in table.columns]
        missing = [name for name in wanted if name not in present]
        if missing:
            raise ValueError(f"{table.name}: the Parquet files lack contract columns {missing}")
        extra = sorted(present - set(wanted))
        if extra:
            raise ValueError(
                f"{table.name}: the Parquet files have columns outside the contract {extra}"
            )
        select = ", ".join(f'"{name}"' for name in wanted)
        con.execute(f"copy (select {select} from {relation}) to '{out}' (header, format csv)")
        return con.execute(f"select count(*) from {relation}").fetchone()[0]


def load(raw_data_path: Path, schema: str, quiet: bool = False) -> dict[str, int]:
    """(Re)creates `schema` and one table per raw table; returns rows per table."""
    tables = raw_tables()
    loaded: dict[str, int] = {}
    connection = connect()
    try:
        with connection, connection.cursor() as cursor, tempfile.TemporaryDirectory() as tmp:
            cursor.execute(
                sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(schema))
            )
            cursor.execute(sql.SQL("create schema {}").format(sql.Identifier(schema)))
            for table in tables:
                started = time.monotonic()
                csv_path = Path(tmp) / f"{table.name}.csv"
                expected = export_csv(raw_data_path, table, csv_path)
                target = sql.Identifier(schema, table.name)
                columns = sql.SQL(", ").join(
                    sql.SQL("{} {}").format(
                        sql.Identifier(name), sql.SQL(POSTGRES_TYPES[data_type.lower()])
                    )
                    for name, data_type in table.columns
                )
                cursor.execute(sql.SQL("create table {} ({})").format(target, columns))
                copy = sql.SQL("copy {} from stdin with (format csv, header true)").format(target)
                with csv_path.open() as handle:
                    cursor.copy_expert(copy.as_string(cursor), handle)
                cursor.execute(sql.SQL("select count(*) from {}").format(target))
                rows = cursor.fetchone()[0]
                if rows != expected:
                    raise RuntimeError(
                        f"{table.name}: loaded {rows} rows, the Parquet files hold {expected}"
                    )
                cursor.execute(sql.SQL("analyze {}").format(target))
                loaded[table.name] = rows
                if not quiet:
                    print(
                        f"{schema}.{table.name}: {rows} rows ({time.monotonic() - started:.1f} s)",
                        file=sys.stderr,
                    )
    finally:
        connection.close()
    return loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-data-path", type=Path, required=True)
    parser.add_argument("--schema", default="raw", help="the var raw_schema (default: raw)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    load(args.raw_data_path, args.schema, args.quiet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
