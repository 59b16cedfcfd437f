"""The bench (`make bench`, `ia-bench`): how long a full dbt build and a
one-day incremental run take against the floor, how much memory and spill they
need, and whether the incremental warehouse equals a full refresh, row for row.

Datasets: the named ones the generator makes (`deep-10m`, `wide-10m`,
`deep-100m`; or SHAPE:ACCOUNTS, e.g. `wide:3000`), or folders of raw data in
the README's layout (`--raw PATH`; read only, nothing is written there). In the
same run, first, the same commands on a 50-account dataset measure dbt's fixed
cost, which is subtracted before every ratio (ratios.py has the arithmetic and
the targets). The fixed cost is run twice and each command's faster run kept:
one run varied by 30 % between bench runs on a shared machine.

Per dataset:

0. the floor: `select connection_id, cast(try_cast(occurred_at as timestamptz)
   at time zone 'UTC' as date), count(*) from read_parquet('<raw>/integration_events
   /*.parquet') group by 1, 2` in a fresh DuckDB process with default settings,
   right before the builds;
1. history: a full refresh of the models only (`dbt build --full-refresh`
   without tests) on the raw data without its last load days: the models-only
   figure, and the warehouse the incremental run starts from;
2. the incremental run: `dbt build` (models and every test `make test` runs)
   on the full raw data, on that warehouse: what a scheduled job runs;
3. the full build: `dbt build --full-refresh` (models + every test) on the full
   raw data, into a second warehouse;

then every mart and stored intermediate of (2) is compared with (3) (doubles
within a relative 1e-9; both warehouses are kept when they differ). Each build
runs with DuckDB's memory_limit from IA_DUCKDB_MEMORY_LIMIT (the profile's
var; 7GB here unless set, 1 GiB below the 8 GiB target for the tree) and is
sampled every 0.5 s for the summed RSS of the dbt process tree and the size of
DuckDB's temporary directory (process_tree.py).
Each report ends with a per-node time table (run_results.json; node_times.py)
that flags any node above 25 % of the full build. The lookback is widened to
the latest arrival of the last load days (measured from the raw data), as the
equality requires. Not part of `make test`; docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import yaml

from integration_adoption.benchmarks import ratios
from integration_adoption.benchmarks.node_times import (
    load_run_results,
    most_spilled,
    node_time_table,
    nodes_over,
)
from integration_adoption.benchmarks.process_tree import Sampled, run_sampled
from integration_adoption.dbt_cli import MODELS_ONLY, ROOT, dbt_argv, dbt_env
from integration_adoption.raw_snapshots import ARRIVAL_COLUMNS, raw_before_last_load_days
from integration_adoption.warehouse_diff import RELATIVE_TOLERANCE, Comparison, compare

# issue 17's floor, word for word; the child prints the query's seconds
FLOOR_QUERY = (
    "select connection_id, cast(try_cast(occurred_at as timestamptz) at time zone 'UTC' as date),"
    " count(*) from read_parquet('{events}/*.parquet') group by 1, 2"
)
FLOOR_SCRIPT = """
import sys, time, duckdb
con = duckdb.connect()
start = time.perf_counter()
con.execute(sys.argv[1]).to_arrow_table()
print(time.perf_counter() - start)
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
DEFAULT_MEMORY_LIMIT = "7GB"
PARTNER_TABLE = "partner_webhook_deliveries"
GENERATOR_SEED = 42


@dataclass(frozen=True)
class Dataset:
    """A generated dataset: the generator's shape, accounts and simulated days."""

    name: str
    shape: str
    accounts: int
    days: int  # simulated days, ending on --end-date


# deep: about 820 events an account over two years; wide: about 47 over 18 months
SHAPE_DAYS = {"deep": 731, "wide": 549}
NAMED_DATASETS = {
    "deep-10m": Dataset("deep-10m", "deep", 12_000, SHAPE_DAYS["deep"]),
    "wide-10m": Dataset("wide-10m", "wide", 210_000, SHAPE_DAYS["wide"]),
    "deep-100m": Dataset("deep-100m", "deep", 120_000, SHAPE_DAYS["deep"]),
}
FIXED_COST = Dataset("fixed-50", "deep", 50, SHAPE_DAYS["deep"])
# a single fixed-cost run took 32.5, 35.0 and 41.6 s for the same full build in
# three bench runs: noise on a shared machine only adds time, so each command's
# fastest of these runs is the fixed cost subtracted
FIXED_COST_RUNS = 2


def dataset(spec: str) -> Dataset:
    """A named dataset, or SHAPE:ACCOUNTS (e.g. `wide:3000`) over the shape's period."""
    if spec in NAMED_DATASETS:
        return NAMED_DATASETS[spec]
    shape, _, accounts = spec.partition(":")
    if shape not in SHAPE_DAYS or not accounts.isdigit() or int(accounts) < 1:
        raise argparse.ArgumentTypeError(
            f"{spec!r}: a dataset is one of {', '.join(NAMED_DATASETS)} or SHAPE:ACCOUNTS "
            f"with SHAPE one of {', '.join(SHAPE_DAYS)}"
        )
    return Dataset(f"{shape}-{accounts}", shape, int(accounts), SHAPE_DAYS[shape])


@dataclass(frozen=True)
class Arrivals:
    """The rows of one event table that only the incremental run sees."""

    table: str
    rows: int
    first_load_date: dt.date | None
    last_load_date: dt.date | None
    latest_days: int | None  # most days between occurring and loading


@dataclass(frozen=True)
class Build:
    """One dbt command: its time and peaks, and its run_results.json."""

    sampled: Sampled
    run_results: dict[str, Any]

    @property
    def seconds(self) -> float:
        return self.sampled.seconds


@dataclass(frozen=True)
class Builds:
    history: Build  # models only, full refresh, without the last load days
    incremental: Build  # models + tests
    full: Build  # models + tests, full refresh

    def labelled(self) -> dict[str, Build]:
        return {"full build": self.full, "incremental": self.incremental, "history": self.history}

    def timings(self, floor_s: float) -> ratios.Timings:
        return ratios.Timings(
            floor_s=floor_s,
            models_s=self.history.seconds,
            incremental_s=self.incremental.seconds,
            full_s=self.full.seconds,
        )

    @property
    def peak_rss_bytes(self) -> int:
        return max(build.sampled.peak_rss_bytes for build in self.labelled().values())

    @property
    def peak_spill_bytes(self) -> int:
        return max(build.sampled.peak_spill_bytes for build in self.labelled().values())


@dataclass
class Figures:
    label: str
    events: int
    history_events: int
    floor_s: float
    builds: Builds
    arrivals: list[Arrivals]
    lookback_days: int
    memory_limit: str
    incremental_warehouse_gb: float
    full_warehouse_gb: float
    comparison: Comparison
    fixed: Figures | None = None  # the fixed-cost dataset's (None: this is it)

    @property
    def equal(self) -> bool:
        return not self.comparison.differing

    def verdict(self) -> ratios.Verdict | None:
        if self.fixed is None:
            return None
        try:
            return ratios.verdict(
                self.events,
                self.builds.timings(self.floor_s),
                self.fixed.builds.timings(self.fixed.floor_s),
                self.builds.peak_rss_bytes,
                self.builds.peak_spill_bytes,
            )
        except ValueError:  # a full build no longer than its fixed cost: no ratio
            return None

    def rows(self) -> list[tuple[str, str]]:
        builds = self.builds
        history_share = self.history_events / self.events if self.events else 0.0
        return [
            ("raw events", f"{self.events:,}"),
            ("floor (issue 17's query, fresh DuckDB process)", f"{self.floor_s:.1f} s"),
            ("full dbt build (models + tests)", f"{builds.full.seconds:.1f} s"),
            (
                "models only: full refresh of the history",
                f"{builds.history.seconds:.1f} s",
            ),
            ("  its raw events (all but the last load days)", f"{history_share:.2%}"),
            (
                "one-day incremental dbt build (models + tests)",
                f"{builds.incremental.seconds:.1f} s",
            ),
            *self.ratio_rows(),
            ("  rows added (events / webhook deliveries)", self.rows_added()),
            ("  loaded on", self.load_dates()),
            ("  the latest of them after it occurred", days(latest_arrival_days(self.arrivals))),
            ("lookback used", days(self.lookback_days)),
            ("DuckDB memory_limit (IA_DUCKDB_MEMORY_LIMIT)", self.memory_limit),
            *self.peak_rows(),
            (
                "warehouse files (incremental / full)",
                f"{self.incremental_warehouse_gb:.2f} / {self.full_warehouse_gb:.2f} GiB",
            ),
            *self.equality_rows(),
        ]

    def ratio_rows(self) -> list[tuple[str, str]]:
        result = self.verdict()
        if self.fixed is None:
            return []
        fixed = self.fixed.builds
        if result is None:
            return [
                (
                    "fixed cost (50 accounts: full / models / incremental)",
                    f"{fixed.full.seconds:.1f} / {fixed.history.seconds:.1f} / "
                    f"{fixed.incremental.seconds:.1f} s: no ratio, the full build was no longer",
                )
            ]
        ok = result.checks()
        return [
            (
                "fixed cost (50 accounts: full / models / incremental)",
                f"{fixed.full.seconds:.1f} / {fixed.history.seconds:.1f} / "
                f"{fixed.incremental.seconds:.1f} s",
            ),
            (
                "(full build - fixed) / floor (target ≤ 10x)",
                f"{result.full_ratio:.1f}x {ratios.mark(ok['full build'])}",
            ),
            (
                "(models only - fixed) / floor (target ≤ 8x)",
                f"{result.models_ratio:.1f}x {ratios.mark(ok['models only'])}",
            ),
            (
                "(incremental - fixed) / (full - fixed) "
                f"(target ≤ {result.incremental_target:.0%})",
                f"{result.incremental_share:.1%} {ratios.mark(ok['incremental'])}",
            ),
            (
                "  before subtracting the fixed costs",
                f"{self.builds.incremental.seconds / self.builds.full.seconds:.1%}",
            ),
        ]

    def peak_rows(self) -> list[tuple[str, str]]:
        rows = []
        for label, build in self.builds.labelled().items():
            memory = build.sampled.peak_rss_bytes
            spill = build.sampled.peak_spill_bytes
            memory_ok = ratios.mark(memory <= ratios.PEAK_MEMORY_TARGET_BYTES)
            spill_ok = ratios.mark(spill <= ratios.SPILL_TARGET_BYTES)
            rows.append(
                (
                    f"peak memory, process tree / spill: {label} (≤ 8 GiB / ≤ 10 GB)",
                    f"{memory / 1024**3:.2f} GiB {memory_ok} / {spill / 1000**3:.2f} GB {spill_ok}",
                )
            )
        return rows

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
        """The per-node time table of the builds (slowest of the full build first) and
        the nodes above 25 % of the full build (after its fixed cost)."""
        runs = {label: build.run_results for label, build in self.builds.labelled().items()}
        table = node_time_table(runs)
        full_s = self.builds.full.seconds
        if self.fixed is not None:
            full_s -= self.fixed.builds.full.seconds
        over = nodes_over(self.builds.full.run_results, ratios.NODE_SHARE_TARGET, full_s)
        flagged = (
            "; ".join(f"{name} {seconds:.1f} s ({share:.0%})" for name, seconds, share in over)
            if over
            else "none"
        )
        basis = "after its fixed cost, " if self.fixed is not None else ""
        return [
            "",
            "  per node (run_results.json), share of the run's summed node time:",
            *[f"  {line}" for line in table.splitlines()],
            f"  nodes above 25% of the full build's wall time ({basis}{full_s:.1f} s): {flagged}",
            "  most spill sampled while a node ran (nodes running beside it share the sample):",
            *self.spill_lines(),
        ]

    def spill_lines(self) -> list[str]:
        lines = []
        for label, build in self.builds.labelled().items():
            spilled = most_spilled(build.run_results, build.sampled.timeline)
            named = ", ".join(f"{name} {spill / 1000**3:.2f} GB" for name, spill in spilled)
            lines.append(f"    {label}: {named or 'none'}")
        return lines


def days(count: int | None) -> str:
    if count is None:
        return "-"
    return f"{count} day" if count == 1 else f"{count} days"


def progress(label: str, message: str) -> None:
    print(f"{dt.datetime.now():%H:%M:%S} [{label}] {message}", file=sys.stderr, flush=True)


def spill_folder(database: Path) -> Path:
    """DuckDB's default temp_directory for a database file: `<file>.tmp` beside it."""
    return database.with_name(database.name + ".tmp")


def timed_dbt(
    label: str, phase: str, argv: list[str], env: dict[str, str], database: Path, target: Path
) -> Build:
    """Run one dbt command (its output to stderr), sampling its process tree and spill."""
    progress(label, f"{phase}: started")
    sampled = run_sampled(
        argv, env=env, cwd=ROOT, spill=[spill_folder(database)], stdout=sys.stderr.fileno()
    )
    progress(
        label,
        f"{phase}: done in {sampled.seconds:.1f} s, peak {sampled.peak_rss_bytes / 1024**3:.2f} "
        f"GiB, spill {sampled.peak_spill_bytes / 1000**3:.2f} GB",
    )
    # kept per command (the next one overwrites run_results.json) for a closer look
    kept = target / f"run_results.{phase.split(':')[0].split(',')[0].replace(' ', '-')}.json"
    shutil.copyfile(target / "run_results.json", kept)
    return Build(sampled, load_run_results(kept))


def generate(out: Path, data: Dataset, end: dt.date) -> Path:
    """Generate `data` into `out` unless the same dataset is already there."""
    start = end - dt.timedelta(days=data.days - 1)
    truth_path = out / "ground_truth.json"
    if truth_path.exists():
        truth = json.loads(truth_path.read_text())
        if (
            truth.get("accounts_requested") == data.accounts
            and truth.get("seed") == GENERATOR_SEED
            and truth.get("start_date") == start.isoformat()
            and truth.get("end_date") == end.isoformat()
            and truth.get("shape", {}).get("name", "deep") == data.shape
        ):
            return out
    subprocess.run(
        [
            sys.executable,
            "-m",
            "integration_adoption.generator",
            "--out",
            str(out),
            "--accounts",
            str(data.accounts),
            "--shape",
            data.shape,
            "--seed",
            str(GENERATOR_SEED),
            "--quiet",
            "--start-date",
            start.isoformat(),
            "--end-date",
            end.isoformat(),
        ],
        cwd=ROOT,
        check=True,
    )
    return out


@contextmanager
def quiet_duckdb() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection without DuckDB's progress bar (stderr is the run's log)."""
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        yield con


def count_events(raw: Path) -> int:
    with quiet_duckdb() as con:
        folder = raw / "integration_events"
        return con.execute(f"select count(*) from read_parquet('{folder}/*.parquet')").fetchone()[0]


def floor(raw: Path) -> float:
    """The seconds of issue 17's floor query in a fresh DuckDB process with default
    settings (the query's execution and its result as Arrow, not Python's start-up)."""
    query = FLOOR_QUERY.format(events=raw / "integration_events")
    done = subprocess.run(
        [sys.executable, "-c", FLOOR_SCRIPT, query],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"the floor query failed on {raw}:\n{done.stderr}")
    return float(done.stdout.split()[-1])


def last_load_days_arrivals(raw: Path, days: int) -> list[Arrivals]:
    """Per event table, the rows loaded in the last `days` load days and how late they are."""
    found = []
    with quiet_duckdb() as con:
        con.execute("set TimeZone = 'UTC'")  # after connecting: it needs the icu extension
        for table, occurred in OCCURRED_AT.items():
            if not (raw / table).is_dir():
                continue
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
    shutil.rmtree(spill_folder(database), ignore_errors=True)


def gib(path: Path) -> float:
    return path.stat().st_size / 1024**3


def duckdb_config() -> dict[str, str]:
    """The builds' memory limit (IA_DUCKDB_MEMORY_LIMIT), for the comparison too."""
    limit = os.environ.get("IA_DUCKDB_MEMORY_LIMIT")
    return {"memory_limit": limit} if limit else {}


def bench_env(raw: Path, database: Path) -> dict[str, str]:
    """dbt's environment: the partner's webhook log read when the folder has one."""
    return {
        **dbt_env(raw, database),
        "IA_PARTNER_WEBHOOKS_ENABLED": str((raw / PARTNER_TABLE).is_dir()).lower(),
    }


def build_three(
    label: str, raw: Path, history: Path, warehouses: tuple[Path, Path], lookback: int
) -> Builds:
    """The history run and the incremental run into the first warehouse, the full
    build into the second; the history's raw copy is removed once it is built."""
    incremental_db, full_db = warehouses
    target = warehouses[0].with_name(f"{label}_target")
    dbt_vars = {"incremental_lookback_days": lookback}
    history_run = timed_dbt(
        label,
        "history: full refresh, models only",
        dbt_argv([*DBT_BUILD, "--full-refresh", *MODELS_ONLY], target, dbt_vars),
        bench_env(history, incremental_db),
        incremental_db,
        target,
    )
    shutil.rmtree(history)
    incremental_run = timed_dbt(
        label,
        "one-day incremental build, models + tests",
        dbt_argv(DBT_BUILD, target, dbt_vars),
        bench_env(raw, incremental_db),
        incremental_db,
        target,
    )
    full_build = timed_dbt(
        label,
        "full build, models + tests",
        dbt_argv([*DBT_BUILD, "--full-refresh"], target, dbt_vars),
        bench_env(raw, full_db),
        full_db,
        target,
    )
    return Builds(history_run, incremental_run, full_build)


def timed_comparison(label: str, incremental_db: Path, full_db: Path) -> Comparison:
    progress(label, "comparing the incremental warehouse with the full refresh")
    start = time.perf_counter()
    # row hashes: EXCEPT ALL over the rows took 8 min and 13.5 GiB at 10 M events
    comparison = compare(incremental_db, full_db, config=duckdb_config(), by_hash=True)
    seconds = time.perf_counter() - start
    progress(label, f"compared {len(comparison.tables)} tables in {seconds:.1f} s")
    return comparison


def measure(
    label: str, raw: Path, work: Path, new_load_days: int, fixed: Figures | None
) -> Figures:
    """The floor, then the three builds and the comparison, on `raw` (only read)."""
    progress(label, f"{shutil.disk_usage(work).free / 1024**3:.0f} GiB free on {work}")
    events = count_events(raw)
    arrivals = last_load_days_arrivals(raw, new_load_days)
    lookback = lookback_days(arrivals)
    progress(label, f"{events:,} raw events; lookback {lookback} days")
    incremental_db = work / f"{label}_incremental.duckdb"
    full_db = work / f"{label}_full.duckdb"
    remove_warehouse(incremental_db)
    remove_warehouse(full_db)
    progress(label, f"cutting the last {new_load_days} load day(s) off the raw data")
    history = raw_before_last_load_days(raw, work / f"{label}_history", days=new_load_days)
    history_events = count_events(history)
    floor_s = floor(raw)  # right before the builds
    progress(label, f"floor {floor_s:.2f} s")
    figures = Figures(
        label=label,
        events=events,
        history_events=history_events,
        floor_s=floor_s,
        builds=build_three(label, raw, history, (incremental_db, full_db), lookback),
        arrivals=arrivals,
        lookback_days=lookback,
        memory_limit=os.environ.get("IA_DUCKDB_MEMORY_LIMIT", "the profile's default"),
        incremental_warehouse_gb=gib(incremental_db),
        full_warehouse_gb=gib(full_db),
        comparison=timed_comparison(label, incremental_db, full_db),
        fixed=fixed,
    )
    if figures.equal:
        remove_warehouse(incremental_db)
        remove_warehouse(full_db)
    else:
        progress(label, f"kept both warehouses to look into: {incremental_db}, {full_db}")
    return figures


def fastest(runs: list[Figures]) -> Figures:
    """One fixed cost from repeated runs of the same commands: each command's fastest
    run, and the warehouses equal only if every run's were."""
    first = runs[0]
    builds = [run.builds for run in runs]
    return replace(
        first,
        builds=Builds(
            history=min((b.history for b in builds), key=lambda build: build.seconds),
            incremental=min((b.incremental for b in builds), key=lambda build: build.seconds),
            full=min((b.full for b in builds), key=lambda build: build.seconds),
        ),
        comparison=next((run.comparison for run in runs if not run.equal), first.comparison),
    )


def summary(measured: list[Figures]) -> str:
    """The run's markdown table: one row per dataset, after the fixed cost."""
    rows = []
    fixed_lines = {}
    for figures in measured:
        result = figures.verdict()
        if figures.fixed is None:
            continue
        if result is None:
            rows.append(
                f"| {figures.label} | {figures.events:,} | no ratio: the full build took "
                "no longer than its fixed cost |"
            )
        else:
            rows.append(ratios.summary_row(figures.label, figures.floor_s, result, figures.equal))
        fixed = figures.fixed.builds
        fixed_lines[figures.fixed.label] = (
            f"{fixed.full.seconds:.1f} s full build, {fixed.history.seconds:.1f} s models only, "
            f"{fixed.incremental.seconds:.1f} s incremental"
        )
    described = "; ".join(f"{label}: {line}" for label, line in fixed_lines.items())
    return ratios.summary_table(
        rows,
        "Fixed cost subtracted (the same commands on 50 accounts, each command's faster "
        f"of {FIXED_COST_RUNS} runs): {described}.",
    )


def append_results(results: Path, text: str, heading: bool = False) -> None:
    """Append one block; the first of a run under a dated heading."""
    with results.open("a") as out:
        if heading:
            out.write(f"\n## {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC — {machine()}\n")
        out.write(f"\n{text}\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="ia-bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--datasets",
        type=dataset,
        nargs="+",
        default=None,
        metavar="DATASET",
        help=f"generated datasets: {', '.join(NAMED_DATASETS)} or SHAPE:ACCOUNTS "
        "(default: the three named ones, unless --raw is given)",
    )
    parser.add_argument(
        "--raw",
        type=Path,
        nargs="+",
        default=[],
        metavar="PATH",
        help="folders of raw data in the README's layout, measured as they are (only read)",
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
        "--memory-limit",
        default=os.environ.get("IA_DUCKDB_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT,
        help="DuckDB's memory_limit for every build (IA_DUCKDB_MEMORY_LIMIT; default "
        f"{DEFAULT_MEMORY_LIMIT})",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=None,
        help="append each dataset's figures, then the run's summary, to this markdown file",
    )
    args = parser.parse_args(argv)
    if args.datasets is None:
        args.datasets = [] if args.raw else list(NAMED_DATASETS.values())
    for raw in args.raw:
        if not (raw / "integration_events").is_dir():
            parser.error(f"--raw {raw}: no integration_events folder (the README's layout)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["IA_DUCKDB_MEMORY_LIMIT"] = args.memory_limit
    work = args.work.resolve()
    user = [raw.resolve() for raw in args.raw]
    if any(work == raw or raw in work.parents for raw in user):
        raise SystemExit("--work must not lie inside a --raw folder: nothing is written there")
    work.mkdir(parents=True, exist_ok=True)
    # the fixed cost, per setting of the partner's webhook log (the same commands),
    # each run of it
    fixed: dict[bool, list[Figures]] = {}

    def fixed_cost(partner: bool) -> Figures:
        if partner not in fixed:
            raw = generate(work / "raw_fixed-50", FIXED_COST, args.end_date)
            if not partner:  # the same 50 accounts without the optional source
                raw = copy_without_partner(raw, work / "raw_fixed-50_no_partner")
            label = FIXED_COST.name if partner else f"{FIXED_COST.name}-no-partner"
            labels = [label, *(f"{label}-run{run}" for run in range(2, FIXED_COST_RUNS + 1))]
            fixed[partner] = [measure(run, raw, work, args.new_load_days, None) for run in labels]
        return fastest(fixed[partner])

    targets: list[tuple[str, Path]] = []
    for data in args.datasets:
        targets.append((data.name, work / f"raw_{data.name}"))
    for number, raw in enumerate(user, start=1):
        label = f"raw-{raw.name}"
        # two folders of the same name get their own warehouses
        targets.append((label if label not in dict(targets) else f"{label}-{number}", raw))
    measured = []
    for number, (label, raw) in enumerate(targets):
        generated = next((d for d in args.datasets if d.name == label), None)
        if generated is not None:
            progress(label, f"generating {raw} (skipped if the same dataset is there)")
            generate(raw, generated, args.end_date)
        base = fixed_cost((raw / PARTNER_TABLE).is_dir())
        figures = measure(label, raw, work, args.new_load_days, base)
        print("\n" + figures.table(), flush=True)
        if args.results:
            append_results(args.results, f"```\n{figures.table()}\n```", heading=number == 0)
        measured.append(figures)
    if measured:
        fixed_tables = "\n\n".join(f.table() for runs in fixed.values() for f in runs)
        print("\n" + fixed_tables + "\n\n" + summary(measured), flush=True)
        if args.results:
            append_results(args.results, f"```\n{fixed_tables}\n```\n\n{summary(measured)}")
    if not all(f.equal for f in [*measured, *(f for runs in fixed.values() for f in runs)]):
        print("\nthe incremental warehouse differs from a full refresh", file=sys.stderr)
        return 1
    return 0


def copy_without_partner(raw: Path, out: Path) -> Path:
    """`raw` without the partner's webhook log (for a user folder that has none)."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(raw, out, ignore=shutil.ignore_patterns(PARTNER_TABLE))
    return out


def machine() -> str:
    """Cores, memory, the versions that matter and the commit, for the results file."""
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{os.cpu_count()} cores, {memory_gib:.0f} GiB, Python {sys.version.split()[0]}, "
        f"duckdb {duckdb.__version__}, commit {commit or 'unknown'}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
