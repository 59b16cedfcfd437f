"""The seeds the generator reads: integration catalog, event-name map and plans."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"

# Canonical event kinds, in the code order used throughout the generator.
KINDS = (
    "installed",
    "setup_completed",
    "work",  # sync_succeeded or action_performed, by integration_kind
    "sync_failed",
    "auth_failed",
    "config_changed",
    "uninstalled",
)
K_INSTALLED, K_SETUP, K_WORK, K_SYNC_FAILED, K_AUTH_FAILED, K_CONFIG, K_UNINSTALLED = range(7)
LIFECYCLE_KINDS = (K_INSTALLED, K_SETUP, K_CONFIG, K_UNINSTALLED)

SOURCE_SYSTEMS = ("app_backend", "sync_engine", "actions_service")
CADENCES = ("daily", "weekly", "monthly", "situational")


@dataclass(frozen=True)
class Catalog:
    keys: tuple[str, ...]
    categories: tuple[str, ...]
    is_action: np.ndarray  # bool per integration: integration_kind == action
    cadence: np.ndarray  # int index into CADENCES
    active_window_days: np.ndarray  # int
    conversion_window_days: np.ndarray  # int
    plans: tuple[str, ...]
    plan_api_calls_per_month: np.ndarray
    # source_names[source_system][kind code] -> the source's own event name ('' if none)
    source_names: tuple[tuple[str, ...], ...]

    @property
    def n(self) -> int:
        return len(self.keys)

    def index(self, key: str) -> int:
        return self.keys.index(key)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _canonical_for_kind(kind: int, is_action: bool) -> str:
    if kind == K_WORK:
        return "action_performed" if is_action else "sync_succeeded"
    return KINDS[kind]


def source_system_for(kind: int, is_action: bool) -> int:
    """Index into SOURCE_SYSTEMS of the system that emits this kind of event."""
    if kind in LIFECYCLE_KINDS:
        return 0
    return 2 if is_action else 1


def load_catalog(seeds_dir: Path = DEFAULT_SEEDS_DIR) -> Catalog:
    rows = _read(seeds_dir / "integration_catalog.csv")
    kinds = {r["integration_kind"] for r in rows}
    if not kinds <= {"sync", "action"}:
        raise ValueError(f"unknown integration_kind in catalog: {sorted(kinds)}")
    cadences = {r["intended_cadence"] for r in rows}
    if not cadences <= set(CADENCES):
        raise ValueError(f"unknown intended_cadence in catalog: {sorted(cadences)}")

    mapping: dict[tuple[str, str], str] = {}
    for r in _read(seeds_dir / "event_name_map.csv"):
        # First mapping row wins when several source names map to one canonical name.
        mapping.setdefault((r["source_system"], r["event_name"]), r["source_event_name"])

    source_names: list[tuple[str, ...]] = []
    for system in SOURCE_SYSTEMS:
        names = []
        for kind in range(len(KINDS)):
            is_action = system == "actions_service"
            names.append(mapping.get((system, _canonical_for_kind(kind, is_action)), ""))
        source_names.append(tuple(names))
    for row in rows:
        is_action = row["integration_kind"] == "action"
        for kind in range(len(KINDS)):
            system = SOURCE_SYSTEMS[source_system_for(kind, is_action)]
            if (system, _canonical_for_kind(kind, is_action)) not in mapping:
                raise ValueError(
                    f"event_name_map.csv has no source name for {system} / "
                    f"{_canonical_for_kind(kind, is_action)}"
                )

    plans = _read(seeds_dir / "plan_limits.csv")
    return Catalog(
        keys=tuple(r["integration_key"] for r in rows),
        categories=tuple(r["category"] for r in rows),
        is_action=np.array([r["integration_kind"] == "action" for r in rows]),
        cadence=np.array([CADENCES.index(r["intended_cadence"]) for r in rows]),
        active_window_days=np.array([int(r["active_window_days"]) for r in rows]),
        conversion_window_days=np.array([int(r["conversion_window_days"]) for r in rows]),
        plans=tuple(r["plan"] for r in plans),
        plan_api_calls_per_month=np.array([int(r["api_calls_per_month"]) for r in plans]),
        source_names=tuple(source_names),
    )
