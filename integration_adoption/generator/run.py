"""Generate the raw data set: chunks in order (optionally in worker processes)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass

import pyarrow as pa
from tqdm import tqdm

from integration_adoption.generator.catalog import DEFAULT_SEEDS_DIR, load_catalog
from integration_adoption.generator.chunk import ChunkJob, ChunkResult, run_chunk
from integration_adoption.generator.config import (
    BLOCK_ACCOUNTS,
    SHAPES,
    Params,
    RunConfig,
    shaped_params,
)
from integration_adoption.generator.partner import split_catalog
from integration_adoption.generator.partner_truth import add_partner_truth
from integration_adoption.generator.timeline import Timeline
from integration_adoption.generator.truth import build_ground_truth
from integration_adoption.generator.writer import (
    DETAILS_DIR,
    prepare_output,
    write_json,
    write_table,
)


@dataclass(frozen=True)
class Summary:
    """What was written; per source as the build summary counts (product, partner)."""

    accounts: int
    connections: int
    events: int
    raw_rows: int
    files: int
    seconds: float
    partner_connections: int = 0
    partner_events: int = 0
    partner_raw_rows: int = 0

    def lines(self, out: object) -> list[str]:
        """The counts per source and over both, in the build summary's words."""
        rows = (
            (
                "connections",
                self.connections,
                self.partner_connections,
                "= installed, all, in the build summary",
            ),
            (
                "raw event rows",
                self.raw_rows,
                self.partner_raw_rows,
                "= raw_rows, all, in the build summary",
            ),
            (
                "events",
                self.events,
                self.partner_events,
                "each once: before duplicates and bad rows",
            ),
        )
        header = f"{'':<16}{'product':>12}{'partner_webhooks':>18}{'all':>12}"
        return [
            f"wrote {out}: {self.accounts:,} accounts, {self.files} files in {self.seconds:.1f} s",
            header,
            *(
                f"{label:<16}{product:>12,}{partner:>18,}{product + partner:>12,}  ({note})"
                for label, product, partner, note in rows
            ),
        ]


def _jobs(cfg: RunConfig, params: Params) -> list[ChunkJob]:
    catalog, partner_catalog = split_catalog(
        load_catalog(cfg.seeds_dir or DEFAULT_SEEDS_DIR), params
    )
    timeline = Timeline(cfg.start_date, cfg.end_date, params.impact_horizon_months)
    n_blocks = -(-cfg.accounts // BLOCK_ACCOUNTS)
    per_chunk = max(1, -(-cfg.chunk_accounts // BLOCK_ACCOUNTS))
    return [
        ChunkJob(
            index=j,
            first_block=first,
            n_blocks=min(per_chunk, n_blocks - first),
            total_accounts=cfg.accounts,
            seed=cfg.seed,
            messy=cfg.messy,
            out=cfg.out,
            params=params,
            catalog=catalog,
            timeline=timeline,
            partner_catalog=partner_catalog,
        )
        for j, first in enumerate(range(0, n_blocks, per_chunk))
    ]


def _results(jobs: list[ChunkJob], workers: int) -> Iterator[ChunkResult]:
    if workers <= 1:
        for job in jobs:
            yield run_chunk(job)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: list[Future[ChunkResult]] = []
        queue = iter(jobs)
        for job in queue:
            pending.append(pool.submit(run_chunk, job))
            if len(pending) > workers:
                yield pending.pop(0).result()
        for fut in pending:
            yield fut.result()


def generate(cfg: RunConfig, params: Params | None = None) -> Summary:
    started = time.perf_counter()
    if cfg.shape not in SHAPES:
        raise SystemExit(f"--shape must be one of {', '.join(SHAPES)}")
    params = shaped_params(cfg.shape, params)
    if cfg.end_date < cfg.start_date:
        raise SystemExit("--end-date is before --start-date")
    if cfg.accounts < 1:
        raise SystemExit("--accounts must be at least 1")
    if any(params.integration(k).beta > 0 for k in params.integrations):
        raise SystemExit("every beta must be <= 0 (churn fixed point assumes it)")
    prepare_output(cfg.out)
    jobs = _jobs(cfg, params)
    results: list[ChunkResult] = []
    bar = tqdm(total=len(jobs), unit="chunk", disable=cfg.quiet, desc="generating")
    for res in _results(jobs, cfg.workers):
        results.append(res)
        bar.update(1)
        bar.set_postfix(events=f"{sum(r.raw_rows for r in results):,}")
    bar.close()

    results.sort(key=lambda r: r.index)
    write_table(
        cfg.out / DETAILS_DIR / "failure_episodes.parquet",
        pa.concat_tables([r.episodes for r in results if r.episodes is not None]),
    )
    write_table(
        cfg.out / DETAILS_DIR / "account_churn.parquet",
        pa.concat_tables([r.churn for r in results if r.churn is not None]),
    )
    potential = [r.potential_outcomes for r in results if r.potential_outcomes is not None]
    if potential:
        write_table(
            cfg.out / DETAILS_DIR / "impact_potential_outcomes.parquet",
            pa.concat_tables(potential),
        )
    first = jobs[0]
    truth = build_ground_truth(cfg, params, first.catalog, first.timeline, results)
    truth = add_partner_truth(
        truth, params, load_catalog(cfg.seeds_dir or DEFAULT_SEEDS_DIR), first, results
    )
    if cfg.shape != "deep":
        # deep (the default) writes no key: its files stay byte for byte what they were
        truth["shape"] = asdict(SHAPES[cfg.shape])
    write_json(cfg.out / "ground_truth.json", truth)
    return Summary(
        accounts=truth["counts"]["accounts"],
        connections=truth["counts"]["connections"],
        events=truth["counts"]["events"],
        raw_rows=truth["counts"]["raw_rows"],
        files=4 * len(jobs) + 3,
        seconds=time.perf_counter() - started,
        partner_connections=truth["counts"].get("partner_connections", 0),
        partner_events=truth["counts"].get("partner_events", 0),
        partner_raw_rows=truth["counts"].get("partner_raw_rows", 0),
    )
