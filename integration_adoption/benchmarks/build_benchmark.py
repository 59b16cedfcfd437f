"""Time a full dbt build and a one-day incremental run against the floor, and
check that the incremental warehouse equals a full refresh, row for row.

The floor is one DuckDB query that reads every raw event once and parses its
timestamp (the least any build must do). Per dataset, three builds:

1. a full refresh of the models (no tests) on the raw data without its last
   load day: the like-for-like denominator of the incremental run;
2. a one-day incremental run of the models on the full raw data, on that
   warehouse;
3. a full `dbt build --full-refresh` (models + tests) on the full raw data,
   into a second warehouse;

then every mart and stored intermediate of (2) is compared with (3) (doubles
within a relative 1e-9; both warehouses are kept when they differ). Each
dataset's report ends with a per-node time table of the three builds (from
their run_results.json, slowest node of the full build first, each node's
share of its run: benchmarks/node_times.py). The
lookback is widened to the latest arrival of the last load day (measured from
the raw data), as the equality requires. Everything is measured in the same
run, on the same machine, and reported as ratios, because these machines are
noisy. Not part of `make test`: run `make bench` or this module directly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from integration_adoption.benchmarks.node_times import load_run_results, node_time_table
from integration_adoption.dbt_cli import MODELS_ONLY, ROOT, dbt_argv, dbt_env
from integration_adoption.raw_snapshots import ARRIVAL_COLUMNS, raw_before_last_load_days
from integration_adoption.warehouse_diff import RELATIVE_TOLERANCE, Comparison, compare

FLOOR_QUERY = """
    select
        connection_id,
        cast(cast(occurred_at as timestamptz) at time zone 'UTC' as date) as d,
        count(*)
    from read_parquet('{events}/*.parquet')
    group by all
"""
# when each event table's rows occurred, in UTC, in the report's order (with the
# session in UTC, text without an offset is UTC, as in parse_iso_timestamp_utc)
OCCURRED_AT = {
    "integration_events": "timezone('UTC', try_cast(occurred_at as timestamptz))",
    "partner_webhook_deliveries": "epoch_ms(sent_at_epoch_ms)",
}
# the rows the history cut removes (those raw_before_last_load_days does not keep):
# how many, on which load days, and how many days after they occurred at the latest
ARRIVALS_QUERY = """
    with

    cut as (
        select max(cast({arrival} as date)) - {days} as last_kept_date
        from read_parquet('{folder}/*.parquet')
    ),

    removed as (
        select
            cast(raw.{arrival} as date) as loaded_date,
            cast({occurred} as date) as occurred_date
        from read_parquet('{folder}/*.parquet') as raw
        cross join cut
        where not coalesce(cast(raw.{arrival} as date) <= cut.last_kept_date, false)
    )

    select
        count(*),
        min(loaded_date),
        max(loaded_date),
        max(datediff('day', occurred_date, loaded_date))
    from removed
"""
DBT_BUILD = ["build", "--quiet"]


@dataclass(frozen=True)
class Arrivals:
    """The rows of one event table that only the incremental run sees."""

    table: str
    rows: int
    first_load_date: dt.date | None
    last_load_date: dt.date | None
    latest_days: int | None  # most days between occurring and loading


@dataclass(frozen=True)
class Builds:
    history_run_s: float
    incremental_run_s: float
    full_build_s: float
    # each build's run_results.json, by the label of its column in the node table
    run_results: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Figures:
    label: str
    events: int
    floor_s: float
    builds: Builds
    arrivals: list[Arrivals]
    lookback_days: int
    peak_rss_gb: float
    incremental_warehouse_gb: float
    full_warehouse_gb: float
    comparison: Comparison

    @property
    def equal(self) -> bool:
        return not self.comparison.differing

    def rows(self) -> list[tuple[str, str]]:
        full_build_s = self.builds.full_build_s
        history_run_s = self.builds.history_run_s
        incremental_run_s = self.builds.incremental_run_s
        return [
            ("raw events", f"{self.events:,}"),
            ("floor (one read + timestamp parse)", f"{self.floor_s:.1f} s"),
            ("full dbt build (models + tests)", f"{full_build_s:.1f} s"),
            ("  ratio to the floor", f"{full_build_s / self.floor_s:.1f}x"),
            (
                "full run, models only, of the history without its last load day",
                f"{history_run_s:.1f} s",
            ),
            ("one-day incremental run, models only", f"{incremental_run_s:.1f} s"),
            ("  ratio to the full build", f"{incremental_run_s / full_build_s:.1%}"),
            (
                "  ratio to the full run of the history",
                f"{incremental_run_s / history_run_s:.1%}",
            ),
            ("  rows added (events / webhook deliveries)", self.rows_added()),
            ("  loaded on", self.load_dates()),
            ("  the latest of them after it occurred", days(latest_arrival_days(self.arrivals))),
            ("lookback used", days(self.lookback_days)),
            ("peak memory of any child process", f"{self.peak_rss_gb:.2f} GiB"),
            (
                "warehouse files (incremental / full)",
                f"{self.incremental_warehouse_gb:.2f} / {self.full_warehouse_gb:.2f} GiB",
            ),
            *self.equality_rows(),
        ]

    def rows_added(self) -> str:
        return " / ".join(f"{a.rows:,}" for a in self.arrivals)

    def load_dates(self) -> str:
        dates = sorted(
            {d for a in self.arrivals for d in (a.first_load_date, a.last_load_date) if d}
        )
        if not dates:
            return "-"
        return str(dates[0]) if len(dates) == 1 else f"{dates[0]} .. {dates[-1]}"

    def equality_rows(self) -> list[tuple[str, str]]:
        compared = len(self.comparison.tables)
        tolerated = [
            (f"  {table}", f"{rows:,} rows equal within {RELATIVE_TOLERANCE:g} relative")
            for table, rows in self.comparison.within_tolerance.items()
        ]
        if self.equal:
            return [("incremental = full refresh", f"yes ({compared} tables compared)"), *tolerated]
        differing = self.comparison.differing
        return [
            ("incremental = full refresh", f"NO: {len(differing)} of {compared} tables differ"),
            *[(f"  {table}", f"{rows:,} rows differ") for table, rows in differing.items()],
            *tolerated,
        ]

    def table(self) -> str:
        rows = self.rows()
        name_width = max(len(name) for name, _ in rows)
        value_width = max(len(value) for _, value in rows)
        lines = [f"  {name:<{name_width}}  {value:>{value_width}}" for name, value in rows]
        return "\n".join([self.label, *lines, *self.node_lines()])

    def node_lines(self) -> list[str]:
        """The per-node time table of the builds (slowest of the full build first)."""
        if not self.builds.run_results:
            return []
        table = node_time_table(self.builds.run_results)
        return ["", "  per node (run_results.json), share of the run's summed node time:"] + [
            f"  {line}" for line in table.splitlines()
        ]


def days(count: int | None) -> str:
    if count is None:
        return "-"
    return f"{count} day" if count == 1 else f"{count} days"


def progress(label: str, message: str) -> None:
    print(f"{dt.datetime.now():%H:%M:%S} [{label}] {message}", file=sys.stderr, flush=True)


def timed_dbt(label: str, phase: str, argv: list[str], env: dict[str, str]) -> float:
    """Run one dbt command (its output to stderr) and return its wall time."""
    progress(label, f"{phase}: started")
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, stdout=sys.stderr)
    seconds = time.perf_counter() - start
    progress(label, f"{phase}: done in {seconds:.1f} s")
    return seconds


def generate(out: Path, accounts: int, end: dt.date) -> None:
    if (out / "ground_truth.json").exists():
        return
    start = end - dt.timedelta(days=730)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "integration_adoption.generator",
            "--out",
            str(out),
            "--accounts",
            str(accounts),
            "--seed",
            "42",
            "--quiet",
            "--start-date",
            start.isoformat(),
            "--end-date",
            end.isoformat(),
        ],
        cwd=ROOT,
        check=True,
    )


@contextmanager
def quiet_duckdb() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection without DuckDB's progress bar (stderr is the run's log)."""
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        yield con


def floor(raw: Path) -> tuple[int, float]:
    """The raw events and the seconds of the floor query over them."""
    events_folder = raw / "integration_events"
    with quiet_duckdb() as con:
        events = con.execute(
            f"select count(*) from read_parquet('{events_folder}/*.parquet')"
        ).fetchone()[0]
        start = time.perf_counter()
        con.execute(FLOOR_QUERY.format(events=events_folder)).fetchall()
        return events, time.perf_counter() - start


def last_load_days_arrivals(raw: Path, days: int) -> list[Arrivals]:
    """Per event table, the rows loaded in the last `days` load days and how late they are."""
    found = []
    with quiet_duckdb() as con:
        con.execute("set TimeZone = 'UTC'")  # after connecting: it needs the icu extension
        for table, occurred in OCCURRED_AT.items():
            query = ARRIVALS_QUERY.format(
                arrival=ARRIVAL_COLUMNS[table], occurred=occurred, folder=raw / table, days=days
            )
            rows, first, last, latest = con.execute(query).fetchone()
            found.append(Arrivals(table, rows, first, last, latest))
    return found


def default_lookback_days() -> int:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text())
    return int(project["vars"]["incremental_lookback_days"])


def latest_arrival_days(arrivals: list[Arrivals]) -> int | None:
    """The most days any new row was loaded after it occurred."""
    return max((a.latest_days for a in arrivals if a.latest_days is not None), default=None)


def lookback_days(arrivals: list[Arrivals]) -> int:
    """The project's lookback, widened to the latest of the new arrivals."""
    return max(default_lookback_days(), latest_arrival_days(arrivals) or 0)


def remove_warehouse(database: Path) -> None:
    for suffix in ("", ".wal"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)


def gib(path: Path) -> float:
    return path.stat().st_size / 1024**3


def duckdb_config() -> dict[str, str]:
    """The builds' memory limit (IA_DUCKDB_MEMORY_LIMIT), for the comparison too."""
    limit = os.environ.get("IA_DUCKDB_MEMORY_LIMIT")
    return {"memory_limit": limit} if limit else {}


def build_three(
    label: str, raw: Path, history: Path, warehouses: tuple[Path, Path], lookback: int
) -> Builds:
    """The history run and the incremental run into the first warehouse, the full
    build into the second; the history's raw copy is removed once it is built."""
    incremental_db, full_db = warehouses
    target = warehouses[0].with_name("target")
    dbt_vars = {"incremental_lookback_days": lookback}
    history_run_s = timed_dbt(
        label,
        "history: full run, models only",
        dbt_argv([*DBT_BUILD, "--full-refresh", *MODELS_ONLY], target, dbt_vars),
        dbt_env(history, incremental_db),
    )
    history_results = load_run_results(target / "run_results.json")
    shutil.rmtree(history)
    incremental_run_s = timed_dbt(
        label,
        "incremental run, models only",
        dbt_argv([*DBT_BUILD, *MODELS_ONLY], target, dbt_vars),
        dbt_env(raw, incremental_db),
    )
    incremental_results = load_run_results(target / "run_results.json")
    full_build_s = timed_dbt(
        label,
        "full build, models + tests",
        dbt_argv([*DBT_BUILD, "--full-refresh"], target, dbt_vars),
        dbt_env(raw, full_db),
    )
    run_results = {
        "full build": load_run_results(target / "run_results.json"),
        "incremental": incremental_results,
        "history": history_results,
    }
    return Builds(history_run_s, incremental_run_s, full_build_s, run_results)


def timed_comparison(label: str, incremental_db: Path, full_db: Path) -> Comparison:
    progress(label, "comparing the incremental warehouse with the full refresh")
    start = time.perf_counter()
    # row hashes: EXCEPT ALL over the rows took 8 min and 13.5 GiB at 10 M events
    comparison = compare(incremental_db, full_db, config=duckdb_config(), by_hash=True)
    seconds = time.perf_counter() - start
    progress(label, f"compared {len(comparison.tables)} tables in {seconds:.1f} s")
    return comparison


def measure(label: str, raw: Path, work: Path, new_load_days: int) -> Figures:
    progress(label, f"{shutil.disk_usage(work).free / 1024**3:.0f} GiB free on {work}")
    events, floor_s = floor(raw)
    progress(label, f"{events:,} raw events; floor {floor_s:.1f} s")
    arrivals = last_load_days_arrivals(raw, new_load_days)
    lookback = lookback_days(arrivals)
    progress(label, f"lookback {lookback} days")
    incremental_db = work / f"{label}_incremental.duckdb"
    full_db = work / f"{label}_full.duckdb"
    remove_warehouse(incremental_db)
    remove_warehouse(full_db)
    progress(label, f"cutting the last {new_load_days} load day(s) off the raw data")
    history = raw_before_last_load_days(raw, work / f"{label}_history", days=new_load_days)
    figures = Figures(
        label=label,
        events=events,
        floor_s=floor_s,
        builds=build_three(label, raw, history, (incremental_db, full_db), lookback),
        arrivals=arrivals,
        lookback_days=lookback,
        peak_rss_gb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2,
        incremental_warehouse_gb=gib(incremental_db),
        full_warehouse_gb=gib(full_db),
        comparison=timed_comparison(label, incremental_db, full_db),
    )
    if figures.equal:
        remove_warehouse(incremental_db)
        remove_warehouse(full_db)
    else:
        progress(label, f"kept both warehouses to look into: {incremental_db}, {full_db}")
    return figures


def append_results(results: Path, table: str, first: bool) -> None:
    """Append one dataset's table; the first of a run under a dated heading."""
    with results.open("a") as out:
        if first:
            out.write(f"\n## {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC — {machine()}\n")
        out.write(f"\n```\n{table}\n```\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--accounts",
        type=int,
        nargs="+",
        default=[2000, 12000],
        help="generator accounts per dataset (about 820 events each)",
    )
    parser.add_argument("--work", type=Path, default=ROOT / "data" / "bench")
    parser.add_argument("--end-date", type=dt.date.fromisoformat, default=dt.date(2025, 12, 31))
    parser.add_argument(
        "--new-load-days",
        type=int,
        default=2,
        help="load days the incremental run adds to the history (default: 2, the last "
        "simulated day's load and the arrivals just after its midnight)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=None,
        help="append each dataset's figures to this markdown file as it is measured",
    )
    args = parser.parse_args(argv)
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    all_equal = True
    for number, accounts in enumerate(args.accounts):
        raw = args.work / f"raw_{accounts}"
        progress(f"accounts_{accounts}", f"generating {raw} (skipped if it exists)")
        generate(raw, accounts, args.end_date)
        figures = measure(f"accounts_{accounts}", raw, args.work, args.new_load_days)
        print("\n" + figures.table(), flush=True)
        if args.results:
            append_results(args.results, figures.table(), first=number == 0)
        all_equal = all_equal and figures.equal
    if not all_equal:
        print("\nthe incremental warehouse differs from a full refresh", file=sys.stderr)
        return 1
    return 0


def machine() -> str:
    """Cores, memory and the versions that matter, for the results file."""
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (
        f"{os.cpu_count()} cores, {memory_gib:.0f} GiB, Python {sys.version.split()[0]}, "
        f"duckdb {duckdb.__version__}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
