"""The cross-engine comparison (make test-engines) catches what it must.

Two small DuckDB warehouses stand in for two engines: the same mart, then
one changed number, one missing row, one changed string, and a float
difference inside the stated tolerance.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from integration_adoption.engines.compare import ATOL, compare_engines
from integration_adoption.engines.duckdb_engine import DuckDBEngine

from .conftest import write_example_mart

ROWS = [
    ("salesforce", "smb", 10, 0.25),
    ("slack", "all", 3, 1.0 / 3.0),
    ("hubspot", None, 0, None),
]


def warehouse(path: Path, rows: list[tuple]) -> DuckDBEngine:
    columns = "integration_key varchar, segment varchar, installs bigint, activation_rate double"
    return DuckDBEngine(write_example_mart(path, columns, rows))


def compare(tmp_path: Path, right_rows: list[tuple]):
    left = warehouse(tmp_path / "left.duckdb", ROWS)
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
    nudged = [(*row[:3], row[3] + ATOL / 10 if row[3] is not None else None) for row in ROWS]
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
