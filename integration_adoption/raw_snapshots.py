"""The raw data as it stood on an earlier load day, for incremental tests and benchmarks."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb

# event tables and the column that says when a row arrived
ARRIVAL_COLUMNS = {"integration_events": "loaded_at", "partner_webhook_deliveries": "received_at"}


def raw_before_last_load_days(raw: Path, out: Path, days: int) -> Path:
    """Copy `raw` to `out` without the event rows that arrived in its last `days` load days.

    Tables without an arrival column (accounts, billing) are copied whole.
    """
    last_day = "(select cast(max({column}) as date) - {days} from {files})"
    return _copy_arrived(raw, out, last_day, days)


def raw_loaded_by(raw: Path, out: Path, last_load_date: dt.date) -> Path:
    """Copy `raw` to `out` with only the event rows that arrived on or before `last_load_date`.

    The raw data as a daily load left it that evening: unlike the last load days of a
    generated history (late arrivals only, after its simulated end), a load day inside
    the history brings a day of new events, so the as-of date moves on.
    Tables without an arrival column (accounts, billing) are copied whole.
    """
    return _copy_arrived(raw, out, f"date '{last_load_date.isoformat()}'", 0)


def _copy_arrived(raw: Path, out: Path, last_day_sql: str, days: int) -> Path:
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
            files = f"read_parquet('{folder}/*.parquet')"
            last_day = last_day_sql.format(column=column, days=days, files=files)
            con.execute(
                f"""
                copy (
                    select * from {files}
                    where cast({column} as date) <= {last_day}
                ) to '{out / folder.name}/part-00000.parquet' (format parquet)
                """
            )
    return out
