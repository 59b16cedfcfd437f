"""Row-for-row comparison of two DuckDB warehouses built from the same data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# the models whose stored rows must not depend on how the warehouse was built
STORED_INTERMEDIATES = (
    "int_connection_activity_daily",
    "int_connection_state_spells",
    "int_account_activity_daily",
    "int_account_health_inputs",
    "base_product__integration_events_triaged",
    "stg_partner_webhooks__integration_events",
)
# doubles are equal when they differ by at most this, relative to the larger
# (absolute below 1): parallel sums may differ in their last bits
RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Comparison:
    """The tables compared (schema.table); of those, the rows differing per table;
    and per table, the rows that differed only in doubles within the tolerance."""

    tables: tuple[str, ...]
    differing: dict[str, int]
    within_tolerance: dict[str, int] = field(default_factory=dict)


def differences(
    left: Path, right: Path, intermediates: tuple[str, ...] = STORED_INTERMEDIATES
) -> dict[str, int]:
    """Rows of each mart (and each named intermediate table) missing from the other side.

    Doubles are equal within RELATIVE_TOLERANCE: parallel sums may differ in the last bits.
    A table present on the left and absent on the right counts all its rows.
    """
    return compare(left, right, intermediates).differing


def compare(
    left: Path,
    right: Path,
    intermediates: tuple[str, ...] = STORED_INTERMEDIATES,
    config: dict[str, str] | None = None,
    by_hash: bool = False,
) -> Comparison:
    """`differences`, with the list of tables compared; `config` goes to DuckDB
    (e.g. a memory_limit for large warehouses).

    Rows are first compared exactly (doubles rounded to 9 decimals); the rows
    left over on either side are then paired on their other columns, and a pair
    whose doubles agree within RELATIVE_TOLERANCE is equal (rounding alone puts
    two values a few ulps apart on either side of a boundary).

    `by_hash` skips the exact step and compares a 64-bit hash of each row (the
    leftovers are always found by hash): on 10 M events a few seconds a table
    instead of minutes, and little memory. A differing row is missed only if its
    hash collides (about 1 in 10^19).
    """
    found: dict[str, int] = {}
    tolerated: dict[str, int] = {}
    with duckdb.connect(config=config or {}) as con:
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        tables = con.execute(
            """
            select schema_name, table_name from duckdb_tables()
            where database_name = 'l'
                and (schema_name = 'marts' or list_contains(?, table_name))
            order by 1, 2
            """,
            [list(intermediates)],
        ).fetchall()
        if not tables:
            raise ValueError(f"no marts in {left}")
        right_tables = set(
            con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = 'r'"
            ).fetchall()
        )
        for schema, table in tables:
            name = f"{schema}.{table}"
            if (schema, table) not in right_tables:
                found[name] = con.execute(f"select count(*) from l.{schema}.{table}").fetchone()[0]
                continue
            columns = _columns(con, schema, table)
            if not by_hash and not _exact_differing(con, schema, table, columns):
                continue
            leftover = _leftovers(con, schema, table, columns)
            if not leftover:
                continue
            unmatched = _unmatched_within_tolerance(con, columns)
            if unmatched:
                found[name] = unmatched
            if leftover > unmatched:
                tolerated[name] = leftover - unmatched
    return Comparison(
        tables=tuple(f"{s}.{t}" for s, t in tables), differing=found, within_tolerance=tolerated
    )


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, bool]]:
    """The left table's columns, each with whether it is a double."""
    return [
        (name, kind in ("DOUBLE", "FLOAT"))
        for name, kind in con.execute(
            "select column_name, data_type from duckdb_columns() "
            "where database_name = 'l' and schema_name = ? and table_name = ? "
            "order by column_index",
            [schema, table],
        ).fetchall()
    ]


def _rounded(columns: list[tuple[str, bool]]) -> str:
    """The columns as a select list, doubles rounded to 9 decimals."""
    return ", ".join(f"round({name}, 9)" if double else name for name, double in columns)


def _plain(columns: list[tuple[str, bool]]) -> str:
    return ", ".join(name for name, _ in columns)


def _exact_differing(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, columns: list[tuple[str, bool]]
) -> int:
    """Rows either side has more copies of than the other (EXCEPT ALL both ways)."""
    rounded = _rounded(columns)
    return con.execute(
        f"""
        select count(*) from (
            (select {rounded} from l.{schema}.{table}
             except all select {rounded} from r.{schema}.{table})
            union all
            (select {rounded} from r.{schema}.{table}
             except all select {rounded} from l.{schema}.{table})
        )
        """
    ).fetchone()[0]


def _leftovers(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, columns: list[tuple[str, bool]]
) -> int:
    """Temp tables left_over / right_over: the rows (unrounded) whose hash, doubles
    rounded, one side has more copies of than the other; returns their count."""
    rounded = _rounded(columns)
    con.execute(
        f"""
        create or replace temp table unbalanced as
        select row_hash, sum(side) as balance from (
            select hash({rounded}) as row_hash, 1 as side from l.{schema}.{table}
            union all
            select hash({rounded}) as row_hash, -1 as side from r.{schema}.{table}
        )
        group by row_hash
        having sum(side) <> 0
        """
    )
    for side, database, sign in (("left_over", "l", 1), ("right_over", "r", -1)):
        con.execute(
            f"""
            create or replace temp table {side} as
            select {_plain(columns)} from (
                select
                    side_rows.*,
                    row_number() over (partition by unbalanced.row_hash) as copy_number,
                    {sign} * unbalanced.balance as surplus
                from (select *, hash({rounded}) as row_hash from {database}.{schema}.{table})
                    as side_rows
                inner join unbalanced on side_rows.row_hash = unbalanced.row_hash
                where {sign} * unbalanced.balance > 0
            )
            where copy_number <= surplus
            """
        )
    return con.execute(
        "select (select count(*) from left_over) + (select count(*) from right_over)"
    ).fetchone()[0]


def _unmatched_within_tolerance(
    con: duckdb.DuckDBPyConnection, columns: list[tuple[str, bool]]
) -> int:
    """Leftover rows with no row on the other side equal in every other column and
    within RELATIVE_TOLERANCE in every double."""
    if not any(double for _, double in columns):
        return con.execute(
            "select (select count(*) from left_over) + (select count(*) from right_over)"
        ).fetchone()[0]
    conditions = " and ".join(
        (
            f"(this.{name} is not distinct from other.{name} or abs(this.{name} - other.{name})"
            f" <= {RELATIVE_TOLERANCE} * greatest(1, abs(this.{name}), abs(other.{name})))"
        )
        if double
        else f"this.{name} is not distinct from other.{name}"
        for name, double in columns
    )
    unmatched = 0
    for this, other in (("left_over", "right_over"), ("right_over", "left_over")):
        unmatched += con.execute(
            f"""
            select count(*) from {this} as this
            where not exists (select 1 from {other} as other where {conditions})
            """
        ).fetchone()[0]
    # pairing alone would let two copies on one side match one row on the other:
    # per value of the other columns, the copies must also be as many on both sides
    others = [name for name, double in columns if not double]
    group = f"group by {', '.join(others)}" if others else ""
    surplus = con.execute(
        f"""
        select coalesce(sum(abs(copies)), 0) from (
            select sum(side) as copies from (
                select *, 1 as side from left_over
                union all
                select *, -1 as side from right_over
            )
            {group}
        )
        """
    ).fetchone()[0]
    return max(unmatched, int(surplus))
