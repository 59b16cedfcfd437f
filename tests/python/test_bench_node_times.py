"""The bench report's per-node time table and each node's spill, on small
hand-made run_results.json files and samples whose shares and peaks were
worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from integration_adoption.benchmarks.node_times import (
    load_run_results,
    most_spilled,
    node_peak_spill,
    node_time_table,
)
from integration_adoption.benchmarks.process_tree import Sample


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


# the samples: one a second from T0, spill in GB as listed
T0 = dt.datetime(2026, 12, 6, 1, 0, tzinfo=dt.UTC).timestamp()
SPILL_GB = [0, 1, 4, 2, 0, 0, 0, 3]  # at T0 + 0 s ... T0 + 7 s
TIMELINE = [Sample(T0 + s, 10**9, int(gb * 1000**3)) for s, gb in enumerate(SPILL_GB)]


def ran(unique_id: str, start_s: float, end_s: float) -> dict[str, Any]:
    """A node compiled from T0 + start_s and executed up to T0 + end_s."""

    def stamp(offset: float) -> str:
        at = dt.datetime.fromtimestamp(T0 + offset, dt.UTC)
        return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    middle = (start_s + end_s) / 2
    return {
        "unique_id": unique_id,
        "execution_time": end_s - start_s,
        "timing": [
            {"name": "compile", "started_at": stamp(start_s), "completed_at": stamp(middle)},
            {"name": "execute", "started_at": stamp(middle), "completed_at": stamp(end_s)},
        ],
    }


def test_each_node_gets_the_most_spill_sampled_while_it_ran() -> None:
    run = {
        "results": [
            ran("model.p.a", 1.5, 3.2),  # samples at 2 s (compiling), 3 s: 4, 2 GB
            ran("model.p.b", 3.5, 3.9),  # no sample inside: left out
            ran("model.p.c", 4.0, 6.0),  # samples at 4, 5, 6 s: never spilled
            ran("test.p.d", 6.5, 7.5),  # the sample at 7 s: 3 GB
            {"unique_id": "model.p.e", "execution_time": 0.0, "timing": []},  # not run
        ]
    }
    assert node_peak_spill(run, TIMELINE) == {
        "model.p.a": 4 * 1000**3,
        "model.p.c": 0,
        "test.p.d": 3 * 1000**3,
    }
    assert most_spilled(run, TIMELINE) == [("a", 4 * 1000**3), ("d", 3 * 1000**3)]
    assert most_spilled(run, TIMELINE, count=1) == [("a", 4 * 1000**3)]
    assert most_spilled(run, []) == []
