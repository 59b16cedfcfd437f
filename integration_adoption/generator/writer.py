"""Output folder handling and Parquet writing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

TABLE_DIRS = ("integration_events", "accounts", "account_monthly", "partner_webhook_deliveries")
DETAILS_DIR = "ground_truth_details"
OWN_NAMES = {*TABLE_DIRS, DETAILS_DIR, "ground_truth.json"}


def prepare_output(out: Path) -> None:
    """Wipe and recreate OUT, refusing to delete a folder that holds anything else."""
    if out.exists():
        if not out.is_dir():
            raise SystemExit(f"--out {out} exists and is not a directory")
        foreign = sorted(p.name for p in out.iterdir() if p.name not in OWN_NAMES)
        if foreign:
            raise SystemExit(
                f"--out {out} holds files the generator did not write ({', '.join(foreign[:5])}); "
                "refusing to wipe it"
            )
        shutil.rmtree(out)
    for name in (*TABLE_DIRS, DETAILS_DIR):
        (out / name).mkdir(parents=True)


def write_table(path: Path, table: pa.Table) -> None:
    with pq.ParquetWriter(path, table.schema, compression="zstd") as writer:
        writer.write_table(table, row_group_size=1 << 20)


def part_path(out: Path, table_dir: str, part: int) -> Path:
    return out / table_dir / f"part-{part:05d}.parquet"


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(json.dumps(payload, indent=2, sort_keys=False) + "\n", encoding="utf-8")
