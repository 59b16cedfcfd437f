"""The bench's arithmetic and report: the fixed cost subtracted before every
ratio, each target beside its figure, the nodes above 25 % of a full build.
Every expected figure below was worked out by hand."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from integration_adoption.benchmarks import ratios
from integration_adoption.benchmarks.build_benchmark import (
    Arrivals,
    Build,
    Builds,
    Figures,
    bench_env,
    dataset,
    fastest,
    main,
)
from integration_adoption.benchmarks.node_times import nodes_over
from integration_adoption.benchmarks.process_tree import Sample, Sampled
from integration_adoption.warehouse_diff import Comparison

GIB = 1024**3

# 10 M events: floor 5 s; full 150 s, models 120 s, incremental 21 s;
# fixed cost (50 accounts): full 40 s, models 30 s, incremental 10 s
DATA = ratios.Timings(floor_s=5.0, models_s=120.0, incremental_s=21.0, full_s=150.0)
FIXED = ratios.Timings(floor_s=0.1, models_s=30.0, incremental_s=10.0, full_s=40.0)


def test_the_fixed_cost_is_subtracted_before_each_ratio() -> None:
    result = ratios.verdict(10_000_000, DATA, FIXED, 4 * GIB, 0)
    assert result.full_ratio == pytest.approx((150 - 40) / 5)  # 22.0, not 150 / 5 = 30
    assert result.models_ratio == pytest.approx((120 - 30) / 5)  # 18.0
    assert result.incremental_share == pytest.approx((21 - 10) / (150 - 40))  # exactly 10 %
    assert result.checks() == {
        "full build": False,
        "models only": False,
        "incremental": True,  # 10 % at 10 M: on the target is within it
        "peak memory": True,
        "spill": True,
    }


def test_the_incremental_target_is_5_percent_from_50_m_events() -> None:
    assert ratios.verdict(49_999_999, DATA, FIXED, 0, 0).checks()["incremental"]
    large = ratios.verdict(50_000_000, DATA, FIXED, 0, 0)
    assert large.incremental_target == 0.05
    assert not large.checks()["incremental"]


def test_within_targets_and_just_over_them() -> None:
    # (48 - 40) / 1 = 8x, (38 - 30) / 1 = 8x, (10.25 - 10) / (48 - 40) = 3.125 %
    fast = ratios.Timings(floor_s=1.0, models_s=38.0, incremental_s=10.25, full_s=48.0)
    assert all(ratios.verdict(60_000_000, fast, FIXED, 8 * GIB, 10 * 1000**3).checks().values())
    over = ratios.verdict(60_000_000, fast, FIXED, 8 * GIB + 1, 10 * 1000**3 + 1).checks()
    assert not over["peak memory"] and not over["spill"]
    slower = ratios.Timings(floor_s=1.0, models_s=38.1, incremental_s=10.41, full_s=50.01)
    assert not ratios.verdict(60_000_000, slower, FIXED, 0, 0).checks()["full build"]
    assert not ratios.verdict(60_000_000, slower, FIXED, 0, 0).checks()["models only"]


def test_a_build_no_slower_than_its_fixed_cost_has_no_share() -> None:
    with pytest.raises(ValueError, match="fixed cost"):
        ratios.net_share(5.0, 1.0, 40.0, 40.0)
    with pytest.raises(ValueError, match="floor"):
        ratios.net_ratio(10.0, 1.0, 0.0)


def test_summary_row_shows_each_figure_with_its_target() -> None:
    result = ratios.verdict(10_000_000, DATA, FIXED, 9 * GIB, 2 * 1000**3)
    row = ratios.summary_row("deep-10m", 5.0, result, equal=True)
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells == [
        "deep-10m",
        "10,000,000",
        "5.0 s",
        "22.0x **over**",
        "18.0x **over**",
        "10.0% (≤ 10%) ok",
        "9.00 GiB **over**",
        "2.00 GB ok",
        "yes",
    ]
    header = [cell.strip() for cell in ratios.SUMMARY_HEADER.strip("|").split("|")]
    assert len(header) == len(cells)


def test_nodes_over_a_share_of_the_wall_time() -> None:
    run = {
        "elapsed_time": 10.0,
        "results": [
            {"unique_id": "model.p.big", "execution_time": 3.0},
            {"unique_id": "test.p.edge", "execution_time": 2.5},  # 25 %: not above
            {"unique_id": "model.p.small", "execution_time": 1.0},
        ],
    }
    assert nodes_over(run, 0.25) == [("big", 3.0, 0.3)]
    # after an 2 s fixed cost, 8 s of wall time: 37.5 % and 31.25 %
    assert nodes_over(run, 0.25, wall_s=8.0) == [("big", 3.0, 0.375), ("edge", 2.5, 0.3125)]


def build(seconds: float, peak_gib: float, spill_gb: float, nodes: dict[str, float]) -> Build:
    sampled = Sampled(seconds, int(peak_gib * GIB), int(spill_gb * 1000**3), samples=10)
    results = [{"unique_id": f"model.p.{n}", "execution_time": s} for n, s in nodes.items()]
    return Build(sampled, {"elapsed_time": seconds, "results": results})


def figures(label: str, timings: ratios.Timings, fixed: Figures | None) -> Figures:
    return Figures(
        label=label,
        events=10_000_000 if fixed else 50_000,
        history_events=9_980_000 if fixed else 49_900,
        floor_s=timings.floor_s,
        builds=Builds(
            history=build(timings.models_s, 3.0, 0.0, {"a": 1.0}),
            incremental=build(timings.incremental_s, 2.0, 0.0, {"a": 1.0}),
            # 40 s of node a: 36 % of the full build's 110 s after its fixed cost
            full=build(timings.full_s, 9.5, 11.0, {"a": 40.0, "b": 20.0}),
        ),
        arrivals=[Arrivals("integration_events", 20_000, None, None, 1)],
        lookback_days=3,
        memory_limit="8GB",
        incremental_warehouse_gb=1.0,
        full_warehouse_gb=1.0,
        comparison=Comparison(("marts.fct_a",), {}),
        fixed=fixed,
    )


def test_the_report_has_the_ratios_peaks_and_flagged_nodes() -> None:
    base = figures("fixed-50", FIXED, None)
    text = figures("deep-10m", DATA, base).table()
    values = {
        name.strip(): value
        for name, value in (
            re.split(r"\s{2,}", line.strip(), maxsplit=1)
            for line in text.splitlines()[1:]
            if re.search(r"\S\s{2,}\S", line)
        )
    }
    assert values["(full build - fixed) / floor (target ≤ 10x)"] == "22.0x **over**"
    assert values["(models only - fixed) / floor (target ≤ 8x)"] == "18.0x **over**"
    assert values["(incremental - fixed) / (full - fixed) (target ≤ 10%)"] == "10.0% ok"
    assert values["before subtracting the fixed costs"] == "14.0%"
    assert values["its raw events (all but the last load days)"] == "99.80%"
    full_peaks = "peak memory, process tree / spill: full build (≤ 8 GiB / ≤ 10 GB)"
    assert values[full_peaks] == "9.50 GiB **over** / 11.00 GB **over**"
    assert values["incremental = full refresh"] == "yes (1 tables compared)"
    # node a: 40 s of 150 - 40 = 110 s; node b: 20 s = 18 %, not flagged
    assert (
        "  nodes above 25% of the full build's wall time (after its fixed cost, 110.0 s): "
        "a 40.0 s (36%)"
    ) in text.splitlines()
    # no samples matched to a node here: each build says so
    assert text.splitlines()[-3:] == [
        "    full build: none",
        "    incremental: none",
        "    history: none",
    ]


def test_the_report_names_the_nodes_that_spilled() -> None:
    data = figures("deep-10m", DATA, figures("fixed-50", FIXED, None))
    # the full build's node a ran from 10 s to 50 s after T0 and node b from 50 s
    # to 70 s; the folder held 2.5 GB at 30 s and 0.75 GB at 60 s
    t0 = 1_800_000_000.0

    def stamp(offset: float) -> str:
        return dt.datetime.fromtimestamp(t0 + offset, dt.UTC).isoformat().replace("+00:00", "Z")

    def node(name: str, start: float, end: float) -> dict[str, object]:
        step = {"name": "execute", "started_at": stamp(start), "completed_at": stamp(end)}
        return {"unique_id": f"model.p.{name}", "execution_time": end - start, "timing": [step]}

    timeline = (Sample(t0 + 30, GIB, 2_500_000_000), Sample(t0 + 60, GIB, 750_000_000))
    full = Build(
        Sampled(150.0, GIB, 2_500_000_000, samples=2, timeline=timeline),
        {"elapsed_time": 150.0, "results": [node("a", 10, 50), node("b", 50, 70)]},
    )
    data.builds = Builds(data.builds.history, data.builds.incremental, full)
    assert "    full build: a 2.50 GB, b 0.75 GB" in data.table().splitlines()


def test_the_fixed_cost_is_each_commands_fastest_run() -> None:
    # run 1: full 40 s, models 30 s, incremental 10 s; run 2 (a noisy neighbour on
    # the full build only): full 52 s, models 28 s, incremental 11 s
    first = figures("fixed-50", FIXED, None)
    second = figures("fixed-50-run2", ratios.Timings(0.1, 28.0, 11.0, 52.0), None)
    kept = fastest([first, second]).builds
    assert (kept.full.seconds, kept.history.seconds, kept.incremental.seconds) == (40.0, 28.0, 10.0)
    assert fastest([second, first]).builds.timings(0.1) == ratios.Timings(0.1, 28.0, 10.0, 40.0)
    # (150 - 40) / 5 = 22x with the fastest runs, not (150 - 52) / 5 = 19.6x with run 2's
    data = figures("deep-10m", DATA, fastest([second, first]))
    assert data.verdict().full_ratio == pytest.approx(22.0)


def test_the_fixed_cost_differs_if_any_of_its_runs_did() -> None:
    first = figures("fixed-50", FIXED, None)
    second = figures("fixed-50-run2", FIXED, None)
    second.comparison = Comparison(("marts.fct_a",), {"marts.fct_a": 3})
    assert fastest([first, first]).equal
    assert not fastest([first, second]).equal
    assert not fastest([second, first]).equal


@pytest.mark.parametrize(
    ("spec", "shape", "accounts"),
    [("deep-10m", "deep", 12_000), ("wide-10m", "wide", 210_000), ("wide:3000", "wide", 3000)],
)
def test_datasets_by_name_or_shape_and_accounts(spec: str, shape: str, accounts: int) -> None:
    data = dataset(spec)
    assert (data.shape, data.accounts) == (shape, accounts)


@pytest.mark.parametrize("spec", ["deep-1m", "tall:300", "wide:0", "wide:"])
def test_unknown_datasets_are_refused(spec: str) -> None:
    with pytest.raises(Exception, match="a dataset is one of"):
        dataset(spec)


def test_a_dataset_no_slower_than_the_fixed_cost_is_reported_without_ratios() -> None:
    base = figures("fixed-50", FIXED, None)
    # full build 39 s against a fixed full build of 40 s: no share can be taken
    quick = ratios.Timings(floor_s=0.2, models_s=29.0, incremental_s=9.0, full_s=39.0)
    small = figures("deep-50", quick, base)
    assert small.verdict() is None
    assert "no ratio, the full build was no longer" in small.table()
    assert "x **over**" not in small.table()


def test_the_webhook_log_is_read_only_when_the_folder_has_one(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "integration_events").mkdir(parents=True)
    assert bench_env(raw, tmp_path / "w.duckdb")["IA_PARTNER_WEBHOOKS_ENABLED"] == "false"
    (raw / "partner_webhook_deliveries").mkdir()
    assert bench_env(raw, tmp_path / "w.duckdb")["IA_PARTNER_WEBHOOKS_ENABLED"] == "true"


def test_a_user_folder_is_checked_and_never_written_into(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):  # not the README's layout
        main(["--raw", str(tmp_path)])
    (tmp_path / "integration_events").mkdir()
    with pytest.raises(SystemExit, match="must not lie inside"):
        main(["--raw", str(tmp_path), "--work", str(tmp_path / "bench")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["integration_events"]
