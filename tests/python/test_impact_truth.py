"""The §8 matched comparison against the generator's known causal effects.

Five small datasets with fixed seeds and dates are generated into a temporary
folder, cut to the events up to T0 (integration_adoption.generator.before_t0:
the impact marts are a snapshot at T0, so the events after it cannot change
them), each is built with dbt (only `+fct_integration_impact`, on the as-of
date of the full dataset) into its own DuckDB file, and the matched estimates
of the retention effect are compared with ground_truth.json: the true ATT must
lie inside the matched 95% interval in at least 80% of (integration, seed)
pairs, the matched estimates' mean absolute error must be under half the naive
differences', and for the integrations without an effect (beta = 0) the
interval must contain zero in at least 80% of their (integration, seed) pairs.
Takes about 1½ minutes on two cores, 2½ with other tests beside it (2,200
accounts per seed: fewer leave the matched estimates too noisy for the error
check).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from integration_adoption import warm_dbt
from integration_adoption.generator.before_t0 import keep_events_before_t0

from .conftest import NO_JSON, assert_sources_read, slot_env, slot_folder

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
SEEDS = (101, 202, 303, 404, 505)
ACCOUNTS = 2200
START, END = "2024-01-01", "2025-12-31"
MIN_COVERAGE = 0.8
MAX_ERROR_RATIO = 0.5


@dataclass(frozen=True)
class Pair:
    seed: int
    integration: str
    true_att: float
    att: float
    lower: float
    upper: float
    naive: float
    beta: float

    @property
    def covered(self) -> bool:
        return self.lower <= self.true_att <= self.upper

    @property
    def contains_zero(self) -> bool:
        return self.lower <= 0.0 <= self.upper


def generate(seed: int, work: Path) -> subprocess.Popen[bytes]:
    """Starts the generator for one seed (in the background: it overlaps a dbt build)."""
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "integration_adoption.generator"),
            *("--out", str(work / f"raw_{seed}"), "--seed", str(seed)),
            *("--start-date", START, "--end-date", END),
            *("--accounts", str(ACCOUNTS), "--quiet"),
        ],
        cwd=ROOT,
    )


def build(seed: int, work: Path) -> list[Pair]:
    raw, database = work / f"raw_{seed}", work / f"warehouse_{seed}.duckdb"
    target = work / "target"
    dbt_vars = keep_events_before_t0(raw)
    # fixed warehouse and raw paths for every seed: dbt reuses the first seed's parse
    with slot_env(raw, database, target) as env:
        env |= {"DBT_LOG_PATH": str(work / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}
        warm_dbt.run(
            [
                *(str(DBT), "build", "--quiet", *NO_JSON, "--target-path", str(target)),
                *("--select", "+fct_integration_impact", "--resource-type", "seed", "model"),
                *("--vars", json.dumps(dbt_vars)),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
    assert_sources_read(target, slot_folder(target) / "raw")
    truth = json.loads((raw / "ground_truth.json").read_text())["impact"]
    assert truth["defined"]
    with duckdb.connect(str(database), read_only=True) as con:
        t0 = con.execute(
            "select distinct cast(t0_date as varchar) from marts.fct_integration_impact"
        )
        assert t0.fetchall() == [(truth["t0"],)], "dbt's T0 differs from the generator's"
        rows = con.execute(
            "select integration_key, att, att_ci_lower, att_ci_upper, naive_difference "
            "from marts.fct_integration_impact "
            "where outcome = 'retained' and att_se is not null"
        ).fetchall()
    pairs = []
    for key, att, lower, upper, naive in rows:
        integration = truth["integrations"].get(key, {})
        true = integration.get("att_retention_true")
        if true is not None:
            pairs.append(Pair(seed, key, true, att, lower, upper, naive, integration["beta"]))
    return pairs


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> list[Pair]:
    work = tmp_path_factory.mktemp("impact_truth")
    found: list[Pair] = []
    generator = generate(SEEDS[0], work)
    for index, seed in enumerate(SEEDS):
        assert generator.wait() == 0, f"generator failed for seed {seed}"
        if index + 1 < len(SEEDS):
            generator = generate(SEEDS[index + 1], work)
        found.extend(build(seed, work))
    for pair in found:
        print(
            f"{pair.seed} {pair.integration:18} true {pair.true_att:+.3f} "
            f"att {pair.att:+.3f} [{pair.lower:+.3f}, {pair.upper:+.3f}] naive {pair.naive:+.3f}"
        )
    return found


def test_every_seed_yields_estimates(pairs):
    assert {pair.seed for pair in pairs} == set(SEEDS)


def test_true_att_inside_the_interval(pairs):
    coverage = sum(pair.covered for pair in pairs) / len(pairs)
    print(f"coverage of the true ATT: {coverage:.3f} over {len(pairs)} pairs")
    assert coverage >= MIN_COVERAGE


def test_matching_removes_most_of_the_naive_bias(pairs):
    matched = sum(abs(pair.att - pair.true_att) for pair in pairs) / len(pairs)
    naive = sum(abs(pair.naive - pair.true_att) for pair in pairs) / len(pairs)
    print(f"mean absolute error: matched {matched:.4f}, naive {naive:.4f}")
    assert matched < MAX_ERROR_RATIO * naive


def test_zero_effects_are_not_found(pairs):
    # integrations without any effect by construction (beta = 0): over their
    # (integration, seed) pairs, the interval contains zero in at least 80%
    zero = [pair for pair in pairs if pair.beta == 0.0]
    assert zero
    for integration in sorted({pair.integration for pair in zero}):
        runs = [pair for pair in zero if pair.integration == integration]
        hits = sum(pair.contains_zero for pair in runs)
        print(f"{integration}: interval contains zero in {hits} of {len(runs)} seeds")
    share = sum(pair.contains_zero for pair in zero) / len(zero)
    print(f"zero-effect pairs whose interval contains zero: {share:.3f} of {len(zero)}")
    assert share >= MIN_COVERAGE
