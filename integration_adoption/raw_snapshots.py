"""The raw data as it stood on an earlier load day, for incremental tests and benchmarks."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

# event tables and the column that says when a row arrived
ARRIVAL_COLUMNS = {"integration_events": "loaded_at", "partner_webhook_deliveries": "received_at"}


def raw_before_last_load_days(raw: Path, out: Path, days: int) -> Path:
    """Copy `raw` to `out` without the event rows that arrived in its last `days` load days.

    Tables without an arrival column (accounts, billing) are copied whole.
    """
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with duckdb.connect() as con:
        for folder in sorted(p for p in raw.iterdir() if p.is_dir()):
            column = ARRIVAL_COLUMNS.get(folder.name)
            if column is None:
                shutil.copytree(folder, out / folder.name)
                continue
            (out / folder.name).mkdir()
            con.execute(
                f"""
                copy (
                    select * from read_parquet('{folder}/*.parquet')
                    where cast({column} as date) <= (
                        select cast(max({column}) as date) - {days}
                        from read_parquet('{folder}/*.parquet')
                    )
                ) to '{out / folder.name}/part-00000.parquet' (format parquet)
                """
            )
    return out
