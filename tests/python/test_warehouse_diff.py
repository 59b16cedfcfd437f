"""The incremental = full refresh comparison (warehouse_diff) catches what it must.

Two small DuckDB warehouses stand in for an incremental and a fully refreshed
build: rows in another order and doubles a few ulps apart are equal, even
across a rounding boundary; a changed value, a missing or extra copy, and a
missing table are reported, in both the exact and the hashed mode.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from integration_adoption.warehouse_diff import compare

from .conftest import write_example_mart

ROWS = [
    ("salesforce", "smb", 10, 0.25, 12_345_678.9),
    ("slack", "all", 3, 1.0 / 3.0, 0.0),
    ("slack", "all", 3, 1.0 / 3.0, 0.0),  # two identical rows
    ("hubspot", None, 0, None, -2.5),
]
# a value on a 9-decimal rounding boundary and its neighbour a few ulps below
ON_BOUNDARY = 0.1234567895
BELOW_BOUNDARY = math.nextafter(math.nextafter(ON_BOUNDARY, 0.0), 0.0)


def warehouse(path: Path, rows: list[tuple]) -> Path:
    columns = (
        "integration_key varchar, segment varchar, installs bigint, "
        "activation_rate double, revenue double"
    )
    return write_example_mart(path, columns, rows)


def differing(tmp_path: Path, right_rows: list[tuple], by_hash: bool) -> dict[str, int]:
    left = warehouse(tmp_path / "left.duckdb", ROWS)
    right = warehouse(tmp_path / "right.duckdb", right_rows)
    return compare(left, right, intermediates=(), by_hash=by_hash).differing


@pytest.fixture(params=[False, True], ids=["exact", "hashed"])
def by_hash(request) -> bool:
    return request.param


def test_the_boundary_values_round_apart():
    # the premise of the next test: rounding alone would call these different
    with duckdb.connect() as con:
        rounded = con.execute("select round(?, 9), round(?, 9)", [ON_BOUNDARY, BELOW_BOUNDARY])
        above, below = rounded.fetchone()
    assert above != below


def test_the_same_rows_in_another_order_are_equal(tmp_path, by_hash):
    assert differing(tmp_path, list(reversed(ROWS)), by_hash) == {}


def test_doubles_a_few_ulps_apart_are_equal_across_a_rounding_boundary(tmp_path, by_hash):
    left = warehouse(tmp_path / "left.duckdb", [("slack", "all", 3, ON_BOUNDARY, 1.0)])
    right = warehouse(tmp_path / "right.duckdb", [("slack", "all", 3, BELOW_BOUNDARY, 1.0)])
    comparison = compare(left, right, intermediates=(), by_hash=by_hash)
    assert comparison.differing == {}
    assert comparison.within_tolerance == {"marts.fct_example": 2}


def test_an_extra_copy_within_the_tolerance_is_reported(tmp_path, by_hash):
    # two rows a few ulps from the right's one row: each pairs with it, yet one is extra
    left_rows = [("slack", "all", 3, ON_BOUNDARY, 1.0), ("slack", "all", 3, ON_BOUNDARY, 1.0)]
    left = warehouse(tmp_path / "left.duckdb", left_rows)
    right = warehouse(tmp_path / "right.duckdb", [("slack", "all", 3, BELOW_BOUNDARY, 1.0)])
    assert compare(left, right, intermediates=(), by_hash=by_hash).differing == {
        "marts.fct_example": 1
    }


def test_a_large_double_is_compared_relative_to_its_size(tmp_path, by_hash):
    relative_1e_11 = [(*ROWS[0][:4], 12_345_678.9 * (1 + 1e-11)), *ROWS[1:]]
    (tmp_path / "close").mkdir()
    assert differing(tmp_path / "close", relative_1e_11, by_hash) == {}
    relative_1e_7 = [(*ROWS[0][:4], 12_345_678.9 * (1 + 1e-7)), *ROWS[1:]]
    (tmp_path / "far").mkdir()
    assert differing(tmp_path / "far", relative_1e_7, by_hash) == {"marts.fct_example": 2}


def test_negative_zero_equals_zero(tmp_path, by_hash):
    negative_zero = [*ROWS[:1], *[(*row[:4], -0.0) for row in ROWS[1:3]], ROWS[3]]
    assert differing(tmp_path, negative_zero, by_hash) == {}


@pytest.mark.parametrize(
    ("changed", "rows"),
    [
        ([(*ROWS[0][:3], 0.25 + 1e-6, ROWS[0][4]), *ROWS[1:]], 2),  # beyond the tolerance
        ([ROWS[0], ROWS[1], ROWS[3]], 1),  # one copy of a duplicated row fewer
        ([*ROWS, ROWS[0]], 1),  # one copy more
        ([("salesforce", "mid_market", *ROWS[0][2:]), *ROWS[1:]], 2),  # a changed string
        ([("salesforce", "smb", 11, *ROWS[0][3:]), *ROWS[1:]], 2),  # a changed integer
        ([*ROWS[:3], ("hubspot", None, 0, 0.0, -2.5)], 2),  # null became a number
    ],
    ids=["double", "fewer-copies", "more-copies", "string", "integer", "null"],
)
def test_a_difference_is_reported(tmp_path, by_hash, changed, rows):
    assert differing(tmp_path, changed, by_hash) == {"marts.fct_example": rows}


def test_a_table_missing_on_the_right_counts_all_its_rows(tmp_path, by_hash):
    left = warehouse(tmp_path / "left.duckdb", ROWS)
    right = tmp_path / "right.duckdb"
    with duckdb.connect(str(right)) as con:
        con.execute("create schema marts")
    assert compare(left, right, intermediates=(), by_hash=by_hash).differing == {
        "marts.fct_example": len(ROWS)
    }
