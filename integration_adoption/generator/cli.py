"""Command line: python -m integration_adoption.generator --help."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from integration_adoption.generator.config import SHAPES, RunConfig
from integration_adoption.generator.run import generate
from integration_adoption.generator.tables import BILLING_LOAD_HOUR

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
    p.add_argument(
        "--end-date",
        type=_date,
        help="last simulated day (default: yesterday, UTC; before 06:00 UTC the day before)",
    )
    p.add_argument("--accounts", type=int, default=DEFAULT_ACCOUNTS, help="number of accounts")
    p.add_argument("--messy", action="store_true", help="inject known numbers of bad rows")
    p.add_argument(
        "--shape",
        choices=list(SHAPES),
        default="deep",
        help="deep: about 820 events an account over two years; wide: about 45 events and "
        "1.4 connections an account over 18 months (install and run rates scaled; "
        "recorded in ground_truth.json)",
    )
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


def default_end_date(now: dt.datetime) -> dt.date:
    """The last simulated day when none is given: the last day whose loads have all
    landed by `now` (UTC). Its billing rows load at BILLING_LOAD_HOUR the next day and its events
    within minutes, so no `loaded_at` lies in the future: yesterday from 06:00 UTC on,
    the day before before that."""
    return (now - dt.timedelta(hours=BILLING_LOAD_HOUR)).date() - dt.timedelta(days=1)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    end = args.end_date or default_end_date(dt.datetime.now(dt.UTC))
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
        shape=args.shape,
    )
    summary = generate(cfg)
    if not args.quiet:
        # the same counts as the build summary's: both sources, per source and in all
        print("\n".join(summary.lines(cfg.out)))
    return 0
