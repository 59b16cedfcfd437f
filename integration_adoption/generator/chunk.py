"""One chunk: a run of blocks simulated, turned into tables, messed up, written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from integration_adoption.generator.catalog import K_WORK, Catalog
from integration_adoption.generator.config import BLOCK_ACCOUNTS, Params
from integration_adoption.generator.ids import account_ids, hex_ids, salt
from integration_adoption.generator.messy import DEFECTS, inject
from integration_adoption.generator.partner import PARTNER_TABLE, PartnerResult, simulate_partner
from integration_adoption.generator.simulate import Block, ImpactSums, simulate_block
from integration_adoption.generator.tables import (
    CONNECTION_ID_SALT,
    accounts_table,
    events_table,
    monthly_table,
)
from integration_adoption.generator.timeline import Timeline, month_first
from integration_adoption.generator.writer import part_path, write_table


@dataclass(frozen=True)
class ChunkJob:
    index: int
    first_block: int
    n_blocks: int
    total_accounts: int
    seed: int
    messy: bool
    out: Path
    params: Params
    catalog: Catalog
    timeline: Timeline
    partner_catalog: Catalog | None = None  # the partner's integrations (partner.py)


@dataclass
class ChunkResult:
    index: int
    accounts: int = 0
    accounts_written: int = 0
    monthly_rows: int = 0
    connections: int = 0
    connections_by_integration: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    clean_events: int = 0
    raw_rows: int = 0
    unknown_account_rows: int = 0
    unknown_accounts: int = 0
    messy: dict[str, int] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)
    impact: ImpactSums = field(default_factory=ImpactSums)
    episodes: pa.Table | None = None
    churn: pa.Table | None = None
    potential_outcomes: pa.Table | None = None
    partner: PartnerResult | None = None


def run_chunk(job: ChunkJob) -> ChunkResult:
    blocks: list[Block] = []
    for b in range(job.first_block, job.first_block + job.n_blocks):
        n = min(BLOCK_ACCOUNTS, job.total_accounts - b * BLOCK_ACCOUNTS)
        blocks.append(
            simulate_block(job.seed, b, n, job.messy, job.params, job.catalog, job.timeline)
        )
    res = ChunkResult(index=job.index)
    events = events_table(blocks, job.seed, job.catalog, job.timeline)
    res.clean_events = events.num_rows
    row_block = np.concatenate([np.full(b.events.n, b.block) for b in blocks])
    orphan_row = np.concatenate([b.orphan[b.conns.acc[b.events.conn]] for b in blocks])
    res.unknown_account_rows = int(orphan_row.sum())
    res.unknown_accounts = int(
        sum(
            len(np.unique(b.conns.acc[b.events.conn][b.orphan[b.conns.acc[b.events.conn]]]))
            for b in blocks
        )
    )
    if job.messy:
        is_work = np.concatenate([b.events.kind == K_WORK for b in blocks])
        rngs = {b.block: b.messy_rng for b in blocks}
        injected = inject(
            events, row_block, ~orphan_row, is_work, rngs, job.seed, job.params.messy, job.catalog
        )
        events = injected.table
        res.messy = injected.counts
    else:
        res.messy = dict.fromkeys(DEFECTS, 0)
    res.raw_rows = events.num_rows
    write_table(part_path(job.out, "integration_events", job.index), events)
    accounts = accounts_table(blocks, job.timeline)
    monthly = monthly_table(blocks, job.catalog, job.timeline)
    write_table(part_path(job.out, "accounts", job.index), accounts)
    write_table(part_path(job.out, "account_monthly", job.index), monthly)
    if job.partner_catalog is not None:
        deliveries, res.partner = simulate_partner(
            job.seed, blocks, job.messy, job.params, job.partner_catalog, job.timeline
        )
        write_table(part_path(job.out, PARTNER_TABLE, job.index), deliveries)

    res.accounts = sum(b.accounts.n for b in blocks)
    res.accounts_written = accounts.num_rows
    res.monthly_rows = monthly.num_rows
    res.connections = sum(b.conns.n for b in blocks)
    res.connections_by_integration = sum(
        (np.bincount(b.conns.integ, minlength=job.catalog.n) for b in blocks),
        np.zeros(job.catalog.n, np.int64),
    )
    for b in blocks:
        for k, v in b.stats.items():
            res.stats[k] = res.stats.get(k, 0) + v
        res.impact = res.impact.add(b.impact)
    res.episodes = _episodes_table(blocks, job)
    res.churn = _churn_table(blocks, job.timeline)
    res.potential_outcomes = potential_outcomes_table(blocks, job.catalog, job.timeline)
    return res


def potential_outcomes_table(
    blocks: list[Block], catalog: Catalog, timeline: Timeline
) -> pa.Table | None:
    """Per account alive at T0 by integration: the three impact outcomes (§8) with and
    without the integration's effect (Block.potential), from the same MRR path."""
    parts = []
    t0m, thm = timeline.t0_month, timeline.horizon_month
    for b in blocks:
        p = b.potential
        if p is None:
            continue
        mrr_t0 = b.accounts.mrr[p.account, t0m]
        mrr_h = b.accounts.mrr[p.account, thm]
        columns: dict[str, pa.Array] = {
            "account_id": account_ids(b.accounts.gidx[p.account]),
            "integration_key": pa.array(list(catalog.keys)).take(pa.array(p.integration)),
            "is_treated": pa.array(p.is_treated),
            "is_control": pa.array(p.is_control),
        }
        for arm, churn in (("with", p.churn_with), ("without", p.churn_without)):
            alive_h = churn > thm
            columns[f"retained_{arm}"] = pa.array(alive_h.astype(np.int64))
            columns[f"nrr_{arm}"] = pa.array(np.where(alive_h, mrr_h, 0.0) / mrr_t0)
            columns[f"expanded_{arm}"] = pa.array((alive_h & (mrr_h > mrr_t0)).astype(np.int64))
        parts.append(pa.table(columns))
    return pa.concat_tables(parts) if parts else None


def _episodes_table(blocks: list[Block], job: ChunkJob) -> pa.Table:
    t = job.timeline
    parts = []
    for b in blocks:
        e = b.episodes
        c = e["conn"]
        start = np.datetime64(t.start) + e["start_day"].astype("timedelta64[D]")
        end = np.datetime64(t.start) + e["end_day"].astype("timedelta64[D]")
        parts.append(
            pa.table(
                {
                    "connection_id": hex_ids(
                        "con_", b.conn_keys[c], salt(job.seed, CONNECTION_ID_SALT)
                    ),
                    "account_id": account_ids(b.accounts.gidx[b.conns.acc[c]]),
                    "integration_key": pa.array(list(job.catalog.keys)).take(
                        pa.array(b.conns.integ[c])
                    ),
                    "failure_kind": pa.array(np.where(e["auth"], "auth", "sync")),
                    "start_date": pa.array(start, pa.date32()),
                    "end_date": pa.array(end, pa.date32()),
                    "outcome": pa.array(np.where(e["fixed"], "fixed", "abandoned")),
                    "is_cut_by_period_or_churn": pa.array(e["censored"]),
                }
            )
        )
    return pa.concat_tables(parts)


def _churn_table(blocks: list[Block], timeline: Timeline) -> pa.Table:
    firsts = [month_first(timeline.start_month_abs + m) for m in range(timeline.n_months)]
    month_days = np.array([np.datetime64(d, "D").astype(np.int64) for d in firsts], dtype=np.int32)
    parts = []
    for b in blocks:
        churned = b.churn_month < timeline.n_months
        cm = np.where(churned, b.churn_month, 0)
        parts.append(
            pa.table(
                {
                    "account_id": account_ids(b.accounts.gidx),
                    "churn_month": pa.array(month_days[cm], pa.date32(), mask=~churned),
                    "churn_form": pa.array(
                        np.where(b.accounts.zero_rows_after_churn, "zero_mrr_rows", "no_rows"),
                        mask=~churned,
                    ),
                    "is_missing_from_accounts": pa.array(b.orphan),
                }
            )
        )
    return pa.concat_tables(parts)
