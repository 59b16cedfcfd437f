"""Time a full dbt build and a one-day incremental run against the floor.

The floor is one DuckDB query that reads every raw event once and parses its
timestamp (the least any build must do). Everything is measured in the same
run, on the same machine, and reported as ratios, because these machines are
noisy. Not part of `make test`: run `make bench` or this module directly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from integration_adoption.raw_snapshots import raw_before_last_load_days

ROOT = Path(__file__).resolve().parents[2]
FLOOR_QUERY = """
    select
        connection_id,
        cast(cast(occurred_at as timestamptz) at time zone 'UTC' as date) as d,
        count(*)
    from read_parquet('{events}/*.parquet')
    group by all
"""


@dataclass
class Figures:
    label: str
    events: int
    floor_s: float
    full_build_s: float
    full_run_s: float
    incremental_run_s: float
    peak_rss_gb: float
    warehouse_gb: float

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("raw events", f"{self.events:,}"),
            ("floor (one read + timestamp parse)", f"{self.floor_s:.1f} s"),
            ("full dbt build (models + tests)", f"{self.full_build_s:.1f} s"),
            ("  ratio to the floor", f"{self.full_build_s / self.floor_s:.1f}x"),
            ("full dbt build, models only", f"{self.full_run_s:.1f} s"),
            ("  ratio to the floor", f"{self.full_run_s / self.floor_s:.1f}x"),
            ("one-day incremental build, models only", f"{self.incremental_run_s:.1f} s"),
            ("  ratio to the full run", f"{self.incremental_run_s / self.full_run_s:.1%}"),
            ("peak memory of any child process", f"{self.peak_rss_gb:.2f} GiB"),
            ("warehouse file", f"{self.warehouse_gb:.2f} GiB"),
        ]


def run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


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


def measure(label: str, raw: Path, work: Path) -> Figures:
    dbt = str(Path(sys.executable).parent / "dbt")
    database = work / f"{label}.duckdb"
    env = {**os.environ, "DBT_PROFILES_DIR": str(ROOT), "IA_DUCKDB_PATH": str(database)}
    exclude = ["--exclude", "tag:dense"]

    with duckdb.connect() as con:
        events = con.execute(
            f"select count(*) from read_parquet('{raw}/integration_events/*.parquet')"
        ).fetchone()[0]
        start = time.perf_counter()
        con.execute(FLOOR_QUERY.format(events=raw / "integration_events")).fetchall()
        floor_s = time.perf_counter() - start

    database.unlink(missing_ok=True)
    full_env = {**env, "IA_RAW_DATA_PATH": str(raw)}
    full_build_s = run([dbt, "build", "--quiet", "--full-refresh", *exclude], full_env)
    models_only = ["--exclude", "resource_type:test", "resource_type:unit_test"]
    full_run_s = run([dbt, "build", "--quiet", "--full-refresh", *models_only], full_env)

    history = work / f"{label}_history"
    raw_before_last_load_days(raw, history, days=1)
    database.unlink(missing_ok=True)
    history_env = {**env, "IA_RAW_DATA_PATH": str(history)}
    run([dbt, "build", "--quiet", "--full-refresh", *models_only], history_env)
    incremental_run_s = run([dbt, "build", "--quiet", *models_only], full_env)

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    return Figures(
        label=label,
        events=events,
        floor_s=floor_s,
        full_build_s=full_build_s,
        full_run_s=full_run_s,
        incremental_run_s=incremental_run_s,
        peak_rss_gb=peak,
        warehouse_gb=database.stat().st_size / 1024**3,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
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
        "--results",
        type=Path,
        default=None,
        help="append the figures as a dated markdown section to this file",
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    sections = []
    for accounts in args.accounts:
        raw = args.work / f"raw_{accounts}"
        generate(raw, accounts, args.end_date)
        figures = measure(f"accounts_{accounts}", raw, args.work)
        rows = [f"  {name:<40} {value:>14}" for name, value in figures.rows()]
        lines = [figures.label, *rows]
        print("\n" + "\n".join(lines), flush=True)
        sections.append("\n".join(lines))
    if args.results:
        with args.results.open("a") as out:
            out.write(f"\n## {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC — {machine()}\n\n```\n")
            out.write("\n\n".join(sections) + "\n```\n")
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
