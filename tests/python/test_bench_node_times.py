"""The bench report's per-node time table, on small hand-made run_results.json
files whose shares were worked out by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from integration_adoption.benchmarks.node_times import load_run_results, node_time_table


def results(*nodes: tuple[str, float]) -> dict[str, Any]:
    return {
        "elapsed_time": 99.0,  # wall time: not what shares are of
        "results": [
            {"unique_id": unique_id, "execution_time": seconds, "status": "success"}
            for unique_id, seconds in nodes
        ],
    }


# full build: 6 + 3 + 1 = 10 s of node time; incremental: 1.5 + 0.5 = 2 s
FULL = results(
    ("test.p.unique_fct_a_id.abc123", 3.0),
    ("model.p.fct_a.v1", 6.0),
    ("unit_test.p.fct_a.scenario", 1.0),
)
INCREMENTAL = results(("model.p.int_b", 0.5), ("model.p.fct_a.v1", 1.5))


def rows(table: str) -> list[list[str]]:
    return [re.split(r"\s{2,}", line.strip()) for line in table.splitlines()]


def test_rows_sorted_by_the_first_run_with_shares_of_each_run() -> None:
    table = rows(node_time_table({"full": FULL, "incremental": INCREMENTAL}, top=None))
    assert table == [
        ["node", "type", "full s", "share", "incremental s", "share"],
        ["fct_a.v1", "model", "6.00", "60.0%", "1.50", "75.0%"],
        ["unique_fct_a_id.abc123", "test", "3.00", "30.0%", "-", "-"],
        ["fct_a.scenario", "unit test", "1.00", "10.0%", "-", "-"],
        # absent from the first run: after every node it has
        ["int_b", "model", "-", "-", "0.50", "25.0%"],
        ["all nodes", "10.00", "100.0%", "2.00", "100.0%"],
    ]


def test_nodes_beyond_top_are_summed_in_one_row() -> None:
    table = rows(node_time_table({"full": FULL, "incremental": INCREMENTAL}, top=2))
    assert [row[0] for row in table] == [
        "node",
        "fct_a.v1",
        "unique_fct_a_id.abc123",
        "2 other nodes",
        "all nodes",
    ]
    # the unit test (full) and int_b (incremental)
    assert table[3][1:] == ["1.00", "10.0%", "0.50", "25.0%"]


def test_reads_run_results_files(tmp_path: Path) -> None:
    path = tmp_path / "run_results.json"
    path.write_text(json.dumps(FULL))
    table = rows(node_time_table({"full": load_run_results(path)}, top=1))
    assert table[1] == ["fct_a.v1", "model", "6.00", "60.0%"]
    assert table[2] == ["2 other nodes", "4.00", "40.0%"]
