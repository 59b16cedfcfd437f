"""Reference values the expectations compare with, read from the project's configuration.

Configuration is data: integration keys, categories, plans, alert types, impact
bands and the event-name mapping come from the seeds, band cuts from the vars in
``dbt_project.yml``, the raw contract from the sources' YAML, the grains and
accepted values the models' YAML declares from dbt's manifest. Nothing here is
copied into the code.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from integration_adoption.validation.manifest import DeclaredTests, declared_tests, load_manifest

PROJECT_DIR = Path(__file__).resolve().parents[2]

# DuckDB types of the sources' YAML, as pandas (pyarrow-backed) dtype names of the
# columns DuckDB reads from the Parquet files.
PANDAS_TYPE_OF_CONTRACT_TYPE = {
    "varchar": "string[pyarrow]",
    "timestamp": "timestamp[us][pyarrow]",
    "bigint": "int64[pyarrow]",
    "integer": "int32[pyarrow]",
    "double": "double[pyarrow]",
    "date": "date32[day][pyarrow]",
    "boolean": "bool[pyarrow]",
}


@dataclass(frozen=True)
class RawTableContract:
    """One raw table of a source: its columns and their pandas dtype names."""

    source: str
    table: str
    columns: dict[str, str]


@dataclass(frozen=True)
class Reference:
    """Values from seeds and vars that accepted-value expectations use."""

    integration_keys: tuple[str, ...]
    categories: tuple[str, ...]
    cadences: tuple[str, ...]
    integration_kinds: tuple[str, ...]
    plans: tuple[str, ...]
    alert_types: tuple[str, ...]
    severities: tuple[str, ...]
    channels: tuple[str, ...]
    impact_bands: tuple[str, ...]
    health_signals: tuple[str, ...]
    size_bands: tuple[str, ...]
    source_event_names: dict[str, tuple[str, ...]]
    raw_contracts: dict[str, RawTableContract]
    # the models' grains, not-null columns and accepted values (target/manifest.json)
    declared: DeclaredTests = field(default_factory=DeclaredTests)
    segments: tuple[str, ...] = ()  # the var `segments`


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _distinct(path: Path, column: str) -> tuple[str, ...]:
    return tuple(sorted({row[column] for row in _rows(path)}))


def size_bands(cuts: list[int]) -> tuple[str, ...]:
    """The labels int_account_snapshots gives employee counts cut at ``cuts``."""
    labels = [f"<{cuts[0]}"]
    labels += [f"{low}-{high - 1}" for low, high in itertools.pairwise(cuts)]
    labels.append(f"{cuts[-1]}+")
    return tuple(labels)


def _raw_contracts(manifest: dict[str, Any]) -> dict[str, RawTableContract]:
    """The raw tables of the sources the manifest's project has enabled (an optional
    source switched off, e.g. the partner's, has none), with their contract types."""
    contracts: dict[str, RawTableContract] = {}
    for source in sorted(manifest["sources"].values(), key=lambda s: s["unique_id"]):
        columns = {
            name: PANDAS_TYPE_OF_CONTRACT_TYPE[column["data_type"].lower()]
            for name, column in source["columns"].items()
        }
        contracts[source["name"]] = RawTableContract(source["source_name"], source["name"], columns)
    return contracts


def load_reference(project_dir: Path = PROJECT_DIR, manifest: Path | None = None) -> Reference:
    """Read the seeds, vars and sources' YAML of the project at ``project_dir``, and
    the tests its models declare from ``manifest`` (default: its target/manifest.json)."""
    seeds = project_dir / "seeds"
    catalog = seeds / "integration_catalog.csv"
    alerts = seeds / "alert_types.csv"
    project: dict[str, Any] = yaml.safe_load(
        (project_dir / "dbt_project.yml").read_text(encoding="utf-8")
    )
    event_names: dict[str, set[str]] = {}
    built = load_manifest(manifest or project_dir / "target" / "manifest.json")
    for row in _rows(seeds / "event_name_map.csv"):
        event_names.setdefault(row["source_system"], set()).add(row["source_event_name"])
    return Reference(
        integration_keys=_distinct(catalog, "integration_key"),
        categories=_distinct(catalog, "category"),
        cadences=_distinct(catalog, "intended_cadence"),
        integration_kinds=_distinct(catalog, "integration_kind"),
        plans=_distinct(seeds / "plan_limits.csv", "plan"),
        alert_types=_distinct(alerts, "alert_type"),
        severities=_distinct(alerts, "severity"),
        channels=_distinct(alerts, "channel"),
        impact_bands=_distinct(seeds / "impact_bands.csv", "impact_band"),
        health_signals=_distinct(seeds / "health_score_signals.csv", "signal_name"),
        size_bands=size_bands(project["vars"]["employee_band_cuts"]),
        source_event_names={k: tuple(sorted(v)) for k, v in event_names.items()},
        raw_contracts=_raw_contracts(built),
        declared=declared_tests(built),
        segments=tuple(project["vars"]["segments"]),
    )
