"""The cross-engine comparison (make test-engines) catches what it must, and
decides as the warehouse comparison of the bench does.

Two small DuckDB warehouses stand in for two engines: the same mart, then
one changed number, one missing row, one changed string, and a float
difference inside the stated tolerance.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from integration_adoption.engines.compare import RELATIVE_TOLERANCE, compare_engines
from integration_adoption.engines.duckdb_engine import DuckDBEngine
from integration_adoption.warehouse_diff import compare as compare_warehouses
from integration_adoption.warehouse_diff import within_tolerance

from .conftest import write_example_mart

ROWS = [
    ("salesforce", "smb", 10, 0.25),
    ("slack", "all", 3, 1.0 / 3.0),
    ("hubspot", None, 0, None),
]


def warehouse(path: Path, rows: list[tuple]) -> DuckDBEngine:
    columns = "integration_key varchar, segment varchar, installs bigint, activation_rate double"
    return DuckDBEngine(write_example_mart(path, columns, rows))


def compare(tmp_path: Path, right_rows: list[tuple], left_rows: list[tuple] = ROWS):
    left = warehouse(tmp_path / "left.duckdb", left_rows)
    right = warehouse(tmp_path / "right.duckdb", right_rows)
    try:
        (result,) = compare_engines(left, right, [("marts", "fct_example")])
    finally:
        left.close()
        right.close()
    return result


def test_the_same_rows_in_another_order_are_equal(tmp_path):
    assert compare(tmp_path, list(reversed(ROWS))).equal


def test_a_float_difference_within_the_tolerance_is_equal(tmp_path):
    nudged = [
        (*row[:3], row[3] + RELATIVE_TOLERANCE / 10 if row[3] is not None else None) for row in ROWS
    ]
    assert compare(tmp_path, nudged).equal


@pytest.mark.parametrize(
    "changed",
    [
        [(*ROWS[0][:3], 0.25 + 1e-6), *ROWS[1:]],  # a number beyond the tolerance
        ROWS[:2],  # a missing row
        [("salesforce", "mid_market", 10, 0.25), *ROWS[1:]],  # a changed string
        [("salesforce", "smb", 11, 0.25), *ROWS[1:]],  # a changed integer
        [*ROWS[:2], ("hubspot", None, 0, 0.0)],  # null became a number
    ],
    ids=["number", "missing-row", "string", "integer", "null"],
)
def test_a_difference_is_reported(tmp_path, changed):
    assert not compare(tmp_path, changed).equal


# (a, b, equal?): absolute below 1, relative above, infinities only to themselves
PAIRS = [
    (0.5, 0.5 + 5e-10, True),
    (0.5, 0.5 + 1.2e-9, False),  # the engines once took up to 1e-9 + 1e-9 * |b|
    (1e7, 1e7 * (1 + 5e-10), True),
    (1e7, 1e7 * (1 + 2e-9), False),
    (-0.0, 0.0, True),
    (float("inf"), float("inf"), True),
    (float("inf"), 1e308, False),
    (float("-inf"), float("inf"), False),
]


@pytest.mark.parametrize(("a", "b", "equal"), PAIRS, ids=[f"{a!r}-{b!r}" for a, b, _ in PAIRS])
def test_engines_and_warehouses_share_one_tolerance(tmp_path, a, b, equal):
    """The engines' frame comparison, the bench's warehouse comparison (both
    modes) and within_tolerance agree on every pair."""
    left_rows, right_rows = [("slack", "all", 3, a)], [("slack", "all", 3, b)]
    assert within_tolerance(a, b) is equal
    assert compare(tmp_path, right_rows=right_rows, left_rows=left_rows).equal is equal
    for by_hash in (False, True):
        found = compare_warehouses(
            tmp_path / "left.duckdb", tmp_path / "right.duckdb", intermediates=(), by_hash=by_hash
        )
        assert (found.differing == {}) is equal, by_hash
