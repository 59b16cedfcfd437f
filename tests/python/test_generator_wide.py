"""The generator's wide shape (--shape wide): about 45 events and 1.4
connections an account over 18 months, and every ground-truth check of the
deep shape (test_generator.py) still holds on it, clean and messy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from integration_adoption.generator.config import SHAPES, Params

from . import test_generator as deep
from .conftest import run  # 18 months: START .. END

ACCOUNTS = 2500


def wide(out: Path, messy: bool = False) -> Path:
    return run(out, accounts=ACCOUNTS, chunk=1000, messy=messy, shape="wide")


@pytest.fixture(scope="module")
def wide_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return wide(tmp_path_factory.mktemp("wide"))


@pytest.fixture(scope="module")
def wide_messy_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return wide(tmp_path_factory.mktemp("wide_messy"), messy=True)


def test_events_and_connections_per_account_land_in_the_band(
    wide_run: Path, clean_run: Path
) -> None:
    counts = deep.truth(wide_run)["counts"]
    con = deep.sql(wide_run)
    events, connections, accounts = con.execute(
        "select count(*), count(distinct connection_id), (select count(*) from accounts)"
        " from integration_events"
    ).fetchone()
    assert accounts == counts["accounts"] == ACCOUNTS
    assert 40 <= events / accounts <= 50
    assert 1.2 <= connections / accounts <= 1.6
    # the same accounts, dates and seed in the deep shape: about 10 times the events
    deep_counts = deep.truth(clean_run)["counts"]
    assert deep_counts["events"] / deep_counts["accounts"] > 8 * events / accounts


def test_the_shape_is_recorded_with_its_scaled_parameters(wide_run: Path) -> None:
    truth = deep.truth(wide_run)
    shape = SHAPES["wide"]
    assert truth["shape"]["name"] == "wide"
    assert truth["shape"]["install_rate_scale"] == shape.install_rate_scale
    parameters = truth["parameters"]
    deep_parameters = Params().as_dict()
    for key, row in parameters["integrations"].items():
        expected = deep_parameters["integrations"][key]["install_rate_per_year"]
        assert row["install_rate_per_year"] == pytest.approx(expected * shape.install_rate_scale)
    for key, row in parameters["segments"].items():
        expected = deep_parameters["segments"][key]["daily_runs_mean"]
        assert row["daily_runs_mean"] == pytest.approx(expected * shape.run_rate_scale)


def test_deep_records_no_shape(clean_run: Path) -> None:
    assert "shape" not in json.loads((clean_run / "ground_truth.json").read_text())


# every ground-truth check of the deep shape, on the wide run
@pytest.mark.parametrize(
    "check",
    [
        "test_clean_events_are_valid",
        "test_ground_truth_keys",
        "test_some_installs_missing_or_late_stamped",
        "test_churn_stops_events_and_revenue",
        "test_failure_episodes_are_in_the_events",
        "test_activation_rate_matches_truth",
        "test_potential_outcomes_are_the_observed_ones_and_the_true_effect",
        "test_account_monthly",
    ],
)
def test_ground_truth_still_holds(check: str, wide_run: Path) -> None:
    getattr(deep, check)(wide_run)


def test_schemas(wide_run: Path, wide_messy_run: Path) -> None:
    deep.test_schemas(wide_run, wide_messy_run)


@pytest.mark.parametrize(
    "check", ["test_messy_counts_match_the_files", "test_messy_awkward_rows_are_recorded"]
)
def test_messy_ground_truth_still_holds(check: str, wide_messy_run: Path) -> None:
    getattr(deep, check)(wide_messy_run)
