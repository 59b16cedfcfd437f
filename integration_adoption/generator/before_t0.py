"""A generated dataset cut to what a §8 impact snapshot reads: events up to T0.

The impact marts (metric-definitions §8) are a snapshot design: treated and
control accounts are told apart by their connections' states on the day before
T0, and the outcomes come from account_monthly alone. Events after T0 cannot
change them, but they are about two thirds of a two-year dataset's events, and
most of a build's time. The impact truth test and `make impact-coverage` drop
them and pin the as-of date to the generator's last day (the var
`as_of_date`), so T0, which steps back from the last complete month of
account_monthly, stays where the full dataset puts it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb

# events are kept through T0 + 1 day (UTC): a margin over the day before T0
MARGIN_DAYS = 2

# raw table -> the instant each row happened (null where it does not parse:
# such a row is kept, and the triage quarantines it as it would have)
HAPPENED_AT = {
    "integration_events": "try_cast(occurred_at as timestamptz)",
    "partner_webhook_deliveries": "to_timestamp(sent_at_epoch_ms / 1000)",
}


def keep_events_before_t0(raw: Path) -> dict[str, str]:
    """Rewrites `raw`'s event tables without the events after T0 (ground_truth.json's).

    Returns the dbt vars a build of the cut dataset needs (the as-of date of the
    full one).
    """
    truth = json.loads((raw / "ground_truth.json").read_text())
    assert truth["impact"]["defined"], "the dataset has no T0 (too short for the horizon)"
    cut = dt.date.fromisoformat(truth["impact"]["t0"]) + dt.timedelta(days=MARGIN_DAYS)
    with duckdb.connect() as con:
        con.execute("set time zone 'UTC'")
        for table, happened_at in HAPPENED_AT.items():
            folder = raw / table
            if not folder.is_dir():
                continue
            kept = raw / f"{table}.kept.parquet"
            con.execute(
                f"copy (select * from read_parquet('{folder}/*.parquet') "
                f"where coalesce({happened_at} < timestamptz '{cut}', true)) "
                f"to '{kept}' (format parquet)"
            )
            shutil.rmtree(folder)
            folder.mkdir()
            kept.rename(folder / "part-00000.parquet")
    return {"as_of_date": truth["end_date"]}
