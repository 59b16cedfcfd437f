"""Coverage study of fct_integration_impact's 95% intervals (metric-definitions §8.1).

For each seed of a fixed list, a clean dataset is generated, cut to its events
up to T0 (the snapshot at T0 cannot read the later ones) and built with dbt
(only `+fct_integration_impact`). The truth of an interval is the mean, over
the mart's *matched* treated accounts of that integration and outcome (treated
accounts in a stratum of int_account_impact_strata that also holds a control
with the outcome), of the generator's potential outcome with minus without
the integration (ground_truth_details/impact_potential_outcomes.parquet).
Reported per outcome and per interval kind (`att_ci_*`: the §8 formula;
`robust_ci_*`: the mart's robust interval): the share of intervals covering
the truth and their mean width. Not part of `make test`: `make impact-coverage`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from integration_adoption.dbt_cli import ROOT, dbt_argv, dbt_env
from integration_adoption.generator.before_t0 import keep_events_before_t0

SEEDS = tuple(range(1001, 1021))
ACCOUNTS = 1500
START, END = "2024-01-01", "2025-12-31"
KINDS = {"§8 formula (att_ci_*)": "att_ci", "robust (robust_ci_*)": "robust_ci"}
OUTCOMES = ("retained", "nrr", "expanded")

# the matched treated accounts per integration and outcome (as cem_effects
# matches them: strata holding a treated and a control with the outcome) and
# the mean of their potential-outcome difference
TRUTH_QUERY = """
with

units as (
    select
        snapshots.account_id,
        snapshots.integration_key,
        strata.stratum_key,
        snapshots.is_treated,
        outcomes.outcome
    from intermediate.int_account_snapshots as snapshots
    inner join intermediate.int_account_impact_strata as strata
        on snapshots.account_id = strata.account_id
        and snapshots.integration_key = strata.integration_key
        and snapshots.t0_date = strata.t0_date
    cross join (select unnest(['retained', 'nrr', 'expanded']) as outcome) as outcomes
    -- the default T0, that of fct_integration_impact and of the potential outcomes
    where snapshots.is_default_t0
        and snapshots.is_treated is not null
        and (outcomes.outcome != 'nrr' or snapshots.nrr is not null)
),

matched_strata as (
    select integration_key, outcome, stratum_key
    from units
    group by all
    having bool_or(is_treated) and bool_or(not is_treated)
),

matched_treated as (
    select units.*
    from units
    inner join matched_strata using (integration_key, outcome, stratum_key)
    where units.is_treated
)

select
    matched_treated.integration_key,
    matched_treated.outcome,
    count(*) as matched_treated,
    count(po.account_id) as with_potential_outcomes,
    avg(case matched_treated.outcome
        when 'retained' then po.retained_with - po.retained_without
        when 'nrr' then po.nrr_with - po.nrr_without
        else po.expanded_with - po.expanded_without
    end) as true_att
from matched_treated
left join read_parquet(?) as po
    on matched_treated.account_id = po.account_id
    and matched_treated.integration_key = po.integration_key
group by all
"""


@dataclass(frozen=True)
class Interval:
    seed: int
    integration: str
    outcome: str
    kind: str
    truth: float
    lower: float
    upper: float

    @property
    def covered(self) -> bool:
        return self.lower <= self.truth <= self.upper


def generate(seed: int, raw: Path, accounts: int) -> None:
    subprocess.run(
        [
            *(sys.executable, "-m", "integration_adoption.generator"),
            *("--out", str(raw), "--seed", str(seed)),
            *("--start-date", START, "--end-date", END),
            *("--accounts", str(accounts), "--quiet"),
        ],
        cwd=ROOT,
        check=True,
    )


def build(raw: Path, database: Path, target: Path) -> None:
    """Builds the impact marts of `raw` cut to its events up to T0 (generator.before_t0)."""
    database.unlink(missing_ok=True)
    argv = dbt_argv(
        [
            *("build", "--quiet", "--select", "+fct_integration_impact"),
            *("--resource-type", "seed", "model"),
        ],
        target,
        keep_events_before_t0(raw),
    )
    subprocess.run(argv, cwd=ROOT, env=dbt_env(raw, database), check=True)


def intervals(seed: int, raw: Path, database: Path) -> list[Interval]:
    """The mart's intervals of one built seed, each with its truth."""
    potential = raw / "ground_truth_details" / "impact_potential_outcomes.parquet"
    with duckdb.connect(str(database), read_only=True) as con:
        truth = {
            (key, outcome): (n, n_po, true)
            for key, outcome, n, n_po, true in con.execute(TRUTH_QUERY, [str(potential)]).fetchall()
        }
        columns = {
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = 'fct_integration_impact'"
            ).fetchall()
        }
        kinds = {label: prefix for label, prefix in KINDS.items() if f"{prefix}_lower" in columns}
        select = ", ".join(f"{p}_lower, {p}_upper" for p in kinds.values())
        rows = con.execute(
            f"select integration_key, outcome, matched_treated_accounts, {select} "
            "from marts.fct_integration_impact where att is not null"
        ).fetchall()
    # the partner's integrations have no potential outcomes: their beta is 0 by
    # construction (generator/partner.py), so each account's effect is exactly 0
    betas = json.loads((raw / "ground_truth.json").read_text())["integrations"]
    found = []
    for key, outcome, matched, *limits in rows:
        n, n_po, true = truth[(key, outcome)]
        if n_po == 0 and betas[key]["beta"] == 0.0:
            n_po, true = n, 0.0
        if n != matched or n_po != n:
            raise SystemExit(
                f"seed {seed} {key} {outcome}: {matched} matched treated in the mart, "
                f"{n} here, {n_po} with potential outcomes"
            )
        for index, label in enumerate(kinds):
            lower, upper = limits[2 * index], limits[2 * index + 1]
            if lower is not None and upper is not None:
                found.append(Interval(seed, key, outcome, label, true, lower, upper))
    return found


def summary(found: list[Interval]) -> list[str]:
    lines = [
        "| outcome | interval | intervals | covering the truth | mean width |",
        "|---|---|---:|---:|---:|",
    ]
    for outcome in (*OUTCOMES, "all"):
        for label in KINDS:
            rows = [i for i in found if i.kind == label and outcome in ("all", i.outcome)]
            if not rows:
                continue
            covered = sum(i.covered for i in rows) / len(rows)
            width = sum(i.upper - i.lower for i in rows) / len(rows)
            lines.append(f"| {outcome} | {label} | {len(rows)} | {covered:.1%} | {width:.4f} |")
    return lines


def report(found: list[Interval], seeds: list[int], accounts: int, minutes: float) -> str:
    return "\n".join(
        [
            f"## Impact interval coverage, {dt.date.today().isoformat()}",
            "",
            f"{len(seeds)} clean datasets (seeds {seeds[0]}..{seeds[-1]}, {accounts:,} accounts, "
            f"{START}..{END}), each built with `+fct_integration_impact`; truth = mean over the "
            "mart's matched treated accounts of the potential outcome with minus without the "
            f"integration. {minutes:.0f} min. Target (§8.1): 93-97.5%.",
            "",
            *summary(found),
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--accounts", type=int, default=ACCOUNTS)
    parser.add_argument("--results", type=Path, help="append the report to this Markdown file")
    parser.add_argument("--work", type=Path, help="keep the data and warehouses here")
    parser.add_argument("--json", type=Path, help="write every interval to this JSON file")
    args = parser.parse_args(argv)
    started = dt.datetime.now()
    work = args.work or Path(tempfile.mkdtemp(prefix="ia_impact_coverage_"))
    work.mkdir(parents=True, exist_ok=True)
    found: list[Interval] = []
    try:
        for number, seed in enumerate(args.seeds, start=1):
            raw = work / f"raw_{seed}"
            generate(seed, raw, args.accounts)
            # one warehouse path for every seed: dbt reuses the first parse
            database = work / "warehouse.duckdb"
            build(raw, database, work / "target")
            rows = intervals(seed, raw, database)
            if args.work:
                shutil.copy(database, work / f"warehouse_{seed}.duckdb")
            else:
                shutil.rmtree(raw)
            found.extend(rows)
            print(f"[{number}/{len(args.seeds)}] seed {seed}: {len(rows)} intervals", flush=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    minutes = (dt.datetime.now() - started).total_seconds() / 60
    text = report(found, args.seeds, args.accounts, minutes)
    print(text)
    if args.json:
        args.json.write_text(json.dumps([i.__dict__ for i in found], indent=1) + "\n")
    if args.results:
        with args.results.open("a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
