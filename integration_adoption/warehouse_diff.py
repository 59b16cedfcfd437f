"""The one comparison of two warehouses' tables, row for row, used by the
benchmark and the incremental tests (two DuckDB warehouses: `compare`) and by
the engines (a mart read from DuckDB, PostgreSQL or Spark into data frames:
`compare_frames`, which engines/compare.py runs over every mart).

Both decide equality the same way: the same rows, as many copies of each, in
any order; text, dates, timestamps, booleans and integers exactly, nulls equal
only to nulls, doubles within RELATIVE_TOLERANCE (`within_tolerance`:
|a - b| <= 1e-9 * max(1, |a|, |b|), infinities only to themselves).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

# the models whose stored rows must not depend on how the warehouse was built
STORED_INTERMEDIATES = (
    "int_connection_activity_daily",
    "int_connection_state_runs",
    "int_connection_state_spells",
    "int_connection_cadence_runs",
    "int_connection_success_rates",
    "int_account_success_rates",
    "int_account_activity_daily",
    "int_account_health_inputs",
    "int_alerts_abandonment",
    "int_alerts_health_degradation",
    "int_account_snapshots",
    "int_account_impact_strata",
    "base_product__integration_events_triaged",
    "base_partner_webhooks__integration_events_triaged",
)
# doubles are equal when they differ by at most this, relative to the larger
# (absolute below 1): parallel sums may differ in their last bits
RELATIVE_TOLERANCE = 1e-9
# sorting data frames rounds doubles to this many significant digits, so rows
# whose doubles differ within the tolerance still sort into the same place
SORT_SIGNIFICANT_DIGITS = 6


def within_tolerance(a: float, b: float) -> bool:
    """Two doubles equal within RELATIVE_TOLERANCE (relative to the larger,
    absolute below 1); an infinity equals only itself."""
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= RELATIVE_TOLERANCE * max(1.0, abs(a), abs(b))


def within_tolerance_sql(this: str, other: str) -> str:
    """`within_tolerance` as a DuckDB condition on two double expressions (nulls
    and NaN equal only to themselves)."""
    return (
        f"({this} is not distinct from {other} or (isfinite({this}) and isfinite({other})"
        f" and abs({this} - {other}) <= {RELATIVE_TOLERANCE}"
        f" * greatest(1, abs({this}), abs({other}))))"
    )


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
        within_tolerance_sql(f"this.{name}", f"other.{name}")
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


# ---------- two engines' tables as data frames (make test-engines)


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
    """Each column as comparable Python values: timestamps naive UTC, decimals
    floats, dates dates, nulls None."""
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


@dataclass
class TableComparison:
    """One table of two engines: its rows on each side, what keeps them from
    being compared (columns, kinds, row counts), and the values that differ per
    column once both sides are sorted."""

    table: str
    left_rows: int
    right_rows: int
    problems: list[str] = field(default_factory=list)
    differing_values: dict[str, int] = field(default_factory=dict)
    max_abs_diff: float = 0.0

    @property
    def equal(self) -> bool:
        return not self.problems and not self.differing_values


def _column_kinds(
    left: pd.DataFrame, right: pd.DataFrame, result: TableComparison
) -> dict[str, str]:
    """Each column's kind, agreed between the sides (a problem where they differ)."""
    kinds: dict[str, str] = {}
    for column in left.columns:
        left_kind, right_kind = _kind(left[column]), _kind(right[column])
        if "null" in (left_kind, right_kind):
            left_kind = right_kind = left_kind if right_kind == "null" else right_kind
        if {left_kind, right_kind} == {"int", "float"}:
            left_kind = right_kind = "float"
        if left_kind != right_kind:
            result.problems.append(f"{column}: {left_kind} on the left, {right_kind} on the right")
        kinds[column] = left_kind
    return kinds


def compare_frames(table: str, left: pd.DataFrame, right: pd.DataFrame) -> TableComparison:
    """The same table from two engines, as data frames: equal when they hold the
    same columns of the same kinds and, sorted by every column, the same rows
    (doubles `within_tolerance`)."""
    result = TableComparison(table, len(left), len(right))
    left_columns, right_columns = list(left.columns), list(right.columns)
    if set(left_columns) != set(right_columns):
        result.problems.append(
            f"columns differ: only left {sorted(set(left_columns) - set(right_columns))}, "
            f"only right {sorted(set(right_columns) - set(left_columns))}"
        )
        return result
    right = right[left_columns]
    kinds = _column_kinds(left, right, result)
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
                if not (math.isinf(a) or math.isinf(b)):
                    result.max_abs_diff = max(result.max_abs_diff, abs(a - b))
                differing += not within_tolerance(a, b)
            else:
                differing += a != b
        if differing:
            result.differing_values[column] = differing
    return result
