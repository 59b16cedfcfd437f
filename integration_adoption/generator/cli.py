"""Command line: python -m integration_adoption.generator --help."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from integration_adoption.generator.config import RunConfig
from integration_adoption.generator.run import generate

DEFAULT_ACCOUNTS = 2000
DEFAULT_CHUNK_ACCOUNTS = 1000


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from exc


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ia-generate",
        description=(
            "Generate synthetic raw data for the integration_adoption dbt project "
            "(integration_events, accounts, account_monthly as Parquet) with a "
            "ground_truth.json of every parameter and true effect. Wipes and rewrites --out."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--out", type=Path, default=Path("data/raw"), help="output folder")
    p.add_argument("--seed", type=int, default=42, help="random seed")
    p.add_argument(
        "--start-date", type=_date, help="first simulated day (default: end - 2 years + 1 day)"
    )
    p.add_argument("--end-date", type=_date, help="last simulated day (default: yesterday, UTC)")
    p.add_argument("--accounts", type=int, default=DEFAULT_ACCOUNTS, help="number of accounts")
    p.add_argument("--messy", action="store_true", help="inject known numbers of bad rows")
    p.add_argument(
        "--chunk-accounts",
        type=int,
        default=DEFAULT_CHUNK_ACCOUNTS,
        help="accounts per streamed chunk / part file (rounded up to 250)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="worker processes (output does not depend on it)",
    )
    p.add_argument(
        "--seeds-dir", type=Path, help="folder of the dbt seeds (default: the repo's seeds/)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    end = args.end_date or (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1))
    if args.start_date:
        start = args.start_date
    else:
        try:
            start = end.replace(year=end.year - 2) + dt.timedelta(days=1)
        except ValueError:  # 29 February
            start = end.replace(year=end.year - 2, day=28) + dt.timedelta(days=1)
    cfg = RunConfig(
        out=args.out,
        seed=args.seed,
        start_date=start,
        end_date=end,
        accounts=args.accounts,
        messy=args.messy,
        chunk_accounts=args.chunk_accounts,
        workers=max(1, args.workers),
        quiet=args.quiet,
        seeds_dir=args.seeds_dir,
    )
    summary = generate(cfg)
    if not args.quiet:
        # the same counts as the build summary's: both sources, per source and in all
        print("\n".join(summary.lines(cfg.out)))
    return 0
