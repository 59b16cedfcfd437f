"""Per-node times of dbt runs, from their run_results.json: which models and
tests a build spends its time on, so the next slow node is obvious.

A node's share is its execution time over the sum of every node's time in
that run (with several threads the nodes overlap, so the sum exceeds the wall
time; shares of the summed time add up to 100 %).

With the bench's samples of the process tree (process_tree.py), each node also
gets the highest spill sampled while it ran (node_peaks), so the node that
fills DuckDB's temporary folder is named. With several threads a sample falls
in every node running at that moment: a node beside the one spilling shares
its peak, so read the list with the node times.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from integration_adoption.benchmarks.process_tree import Sample

# unique_id prefix → the type column
NODE_TYPES = {
    "model": "model",
    "test": "test",
    "unit_test": "unit test",
    "seed": "seed",
    "snapshot": "snapshot",
    "operation": "hook",
}
NAME_WIDTH = 64


@dataclass(frozen=True)
class NodeTime:
    unique_id: str
    seconds: float

    @property
    def node_type(self) -> str:
        return NODE_TYPES.get(self.unique_id.split(".", 1)[0], "other")

    @property
    def name(self) -> str:
        """The unique_id without its type and project (a model's version kept)."""
        parts = self.unique_id.split(".")
        return ".".join(parts[2:]) if len(parts) > 2 else self.unique_id


def load_run_results(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def node_times(run_results: Mapping[str, Any]) -> dict[str, NodeTime]:
    """Each node's execution time in one run, by unique_id."""
    return {
        result["unique_id"]: NodeTime(result["unique_id"], float(result["execution_time"]))
        for result in run_results.get("results", [])
    }


def nodes_over(
    run_results: Mapping[str, Any], share: float, wall_s: float | None = None
) -> list[tuple[str, float, float]]:
    """The nodes that took more than `share` of `wall_s` (default: the run's
    elapsed_time), longest first, as (name, seconds, share of `wall_s`)."""
    wall = float(run_results.get("elapsed_time") or 0.0) if wall_s is None else wall_s
    if wall <= 0:
        return []
    over = [
        (node.name, node.seconds, node.seconds / wall)
        for node in node_times(run_results).values()
        if node.seconds > share * wall
    ]
    return sorted(over, key=lambda item: (-item[1], item[0]))


def node_window(result: Mapping[str, Any]) -> tuple[float, float] | None:
    """When a node ran (seconds since the epoch): from the start of its first
    timing step (compile) to the end of its last (execute); None without timing."""
    steps = [
        (step["started_at"], step["completed_at"])
        for step in result.get("timing", [])
        if step.get("started_at") and step.get("completed_at")
    ]
    if not steps:
        return None

    def seconds(stamp: str) -> float:
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()

    return min(seconds(start) for start, _ in steps), max(seconds(end) for _, end in steps)


def node_peak_spill(run_results: Mapping[str, Any], timeline: Sequence[Sample]) -> dict[str, int]:
    """Per node, the most spill sampled while it ran, by unique_id; a node
    without a sample in its window (shorter than the interval) is left out."""
    peaks = {}
    for result in run_results.get("results", []):
        window = node_window(result)
        if window is None:
            continue
        start, end = window
        spilled = [sample.spill_bytes for sample in timeline if start <= sample.at <= end]
        if spilled:
            peaks[result["unique_id"]] = max(spilled)
    return peaks


def most_spilled(
    run_results: Mapping[str, Any], timeline: Sequence[Sample], count: int = 5
) -> list[tuple[str, int]]:
    """The `count` nodes with the most spill sampled while they ran (none that
    never spilled), most first, as (name, bytes)."""
    peaks = [
        (NodeTime(unique_id, 0.0).name, spill)
        for unique_id, spill in node_peak_spill(run_results, timeline).items()
        if spill > 0
    ]
    return sorted(peaks, key=lambda item: (-item[1], item[0]))[:count]


def shorten(name: str, width: int = NAME_WIDTH) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def node_time_table(runs: Mapping[str, Mapping[str, Any]], top: int | None = 25) -> str:
    """A fixed-width table of node times, one column pair (s, share) per run.

    `runs` maps a label (e.g. "full build") to that run's run_results.json;
    rows are sorted by the first run's time, longest first (then by name),
    nodes absent from a run show "-". With `top`, the rest are summed in one
    row. The last row is each run's total node time.
    """
    if not runs:
        return "(no runs)"
    times = {label: node_times(results) for label, results in runs.items()}
    totals = {label: sum(node.seconds for node in nodes.values()) for label, nodes in times.items()}
    first = next(iter(runs))
    every_id = {unique_id for nodes in times.values() for unique_id in nodes}

    def sort_key(unique_id: str) -> tuple[float, float, str]:
        in_first = times[first].get(unique_id)
        later = max(nodes[unique_id].seconds for nodes in times.values() if unique_id in nodes)
        return (-(in_first.seconds if in_first else -1.0), -later, unique_id)

    ordered = sorted(every_id, key=sort_key)
    shown = ordered if top is None else ordered[:top]
    rest = [] if top is None else ordered[top:]

    def cells(label: str, ids: list[str]) -> list[str]:
        present = [times[label][i].seconds for i in ids if i in times[label]]
        if not present:
            return ["-", "-"]
        seconds = sum(present)
        share = seconds / totals[label] if totals[label] else 0.0
        return [f"{seconds:.2f}", f"{share:.1%}"]

    header = ["node", "type"]
    for label in runs:
        header += [f"{label} s", "share"]
    rows = [header]
    for unique_id in shown:
        node = next(nodes[unique_id] for nodes in times.values() if unique_id in nodes)
        row = [shorten(node.name), node.node_type]
        for label in runs:
            row += cells(label, [unique_id])
        rows.append(row)
    if rest:
        row = [f"{len(rest)} other nodes", ""]
        for label in runs:
            row += cells(label, rest)
        rows.append(row)
    total = ["all nodes", ""]
    for label in runs:
        total += [f"{totals[label]:.2f}", "100.0%" if totals[label] else "-"]
    rows.append(total)
    return render(rows)


def render(rows: list[list[str]]) -> str:
    """Left-aligned text columns, right-aligned figures."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the table for run_results.json files given as LABEL=PATH."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("runs", nargs="+", metavar="LABEL=PATH", help="a run_results.json")
    parser.add_argument("--top", type=int, default=25, help="rows shown (0: every node)")
    args = parser.parse_args(argv)
    runs = {}
    for run in args.runs:
        label, _, path = run.rpartition("=")
        runs[label or Path(path).stem] = load_run_results(Path(path))
    print(node_time_table(runs, top=args.top or None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
