"""The bench's arithmetic and its targets (issue 17): dbt's fixed cost is
subtracted before every ratio, so the targets measure the work that grows with
the data.

- full build (models + tests) / floor: (build - fixed build) / floor ≤ 10x
- models only / floor: (models - fixed models) / floor ≤ 8x
- one-day incremental / full build: (incremental - fixed incremental) /
  (full - fixed full) ≤ 10 % below 50 M events, ≤ 5 % from 50 M on
- peak memory of the whole process tree ≤ 8 GiB; DuckDB's spill ≤ 10 GB

where "fixed" is the same command's time on a 50-account dataset in the same run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

FULL_RATIO_TARGET = 10.0
MODELS_RATIO_TARGET = 8.0
# the incremental share's target: 5 % from this many raw events on, 10 % below
LARGE_EVENTS = 50_000_000
INCREMENTAL_SHARE_TARGET = 0.10
INCREMENTAL_SHARE_TARGET_LARGE = 0.05
PEAK_MEMORY_TARGET_BYTES = 8 * 1024**3  # 8 GiB
SPILL_TARGET_BYTES = 10 * 1000**3  # 10 GB
NODE_SHARE_TARGET = 0.25  # no node above this share of the full build's wall time


def net_ratio(build_s: float, fixed_s: float, floor_s: float) -> float:
    """(build - fixed) / floor: how many floors the data-dependent work takes."""
    if floor_s <= 0:
        raise ValueError(f"the floor must take time, got {floor_s} s")
    return (build_s - fixed_s) / floor_s


def net_share(part_s: float, part_fixed_s: float, whole_s: float, whole_fixed_s: float) -> float:
    """(part - its fixed cost) / (whole - its fixed cost), e.g. the incremental run's
    share of the full build once each command's fixed cost is taken off."""
    whole = whole_s - whole_fixed_s
    if whole <= 0:
        raise ValueError(f"the full build ({whole_s} s) is not above its fixed cost")
    return (part_s - part_fixed_s) / whole


def incremental_share_target(events: int) -> float:
    return INCREMENTAL_SHARE_TARGET_LARGE if events >= LARGE_EVENTS else INCREMENTAL_SHARE_TARGET


@dataclass(frozen=True)
class Timings:
    """One dataset's seconds (or the fixed-cost dataset's)."""

    floor_s: float
    models_s: float  # full refresh of the models only
    incremental_s: float  # one-day incremental `dbt build`, models + every test
    full_s: float  # full refresh `dbt build`, models + every test


@dataclass(frozen=True)
class Verdict:
    """A dataset's ratios after the fixed cost, each with its target."""

    events: int
    full_ratio: float
    models_ratio: float
    incremental_share: float
    peak_memory_bytes: int
    peak_spill_bytes: int

    @property
    def incremental_target(self) -> float:
        return incremental_share_target(self.events)

    def checks(self) -> dict[str, bool]:
        return {
            "full build": self.full_ratio <= FULL_RATIO_TARGET,
            "models only": self.models_ratio <= MODELS_RATIO_TARGET,
            "incremental": self.incremental_share <= self.incremental_target,
            "peak memory": self.peak_memory_bytes <= PEAK_MEMORY_TARGET_BYTES,
            "spill": self.peak_spill_bytes <= SPILL_TARGET_BYTES,
        }


def verdict(
    events: int, data: Timings, fixed: Timings, peak_memory_bytes: int, peak_spill_bytes: int
) -> Verdict:
    return Verdict(
        events=events,
        full_ratio=net_ratio(data.full_s, fixed.full_s, data.floor_s),
        models_ratio=net_ratio(data.models_s, fixed.models_s, data.floor_s),
        incremental_share=net_share(
            data.incremental_s, fixed.incremental_s, data.full_s, fixed.full_s
        ),
        peak_memory_bytes=peak_memory_bytes,
        peak_spill_bytes=peak_spill_bytes,
    )


def mark(ok: bool) -> str:
    return "ok" if ok else "**over**"


SUMMARY_HEADER = (
    "| dataset | events | floor | full build / floor (≤ 10x) | models only / floor (≤ 8x) "
    "| incremental / full build | peak memory (≤ 8 GiB) | peak spill (≤ 10 GB) "
    "| incremental = full refresh |"
)


def summary_row(label: str, floor_s: float, result: Verdict, equal: bool) -> str:
    """One markdown row: each figure after its fixed cost, with its target met or not."""
    ok = result.checks()
    memory_gib = result.peak_memory_bytes / 1024**3
    spill_gb = result.peak_spill_bytes / 1000**3
    cells = [
        label,
        f"{result.events:,}",
        f"{floor_s:.1f} s",
        f"{result.full_ratio:.1f}x {mark(ok['full build'])}",
        f"{result.models_ratio:.1f}x {mark(ok['models only'])}",
        f"{result.incremental_share:.1%} (≤ {result.incremental_target:.0%}) "
        f"{mark(ok['incremental'])}",
        f"{memory_gib:.2f} GiB {mark(ok['peak memory'])}",
        f"{spill_gb:.2f} GB {mark(ok['spill'])}",
        "yes" if equal else "**NO**",
    ]
    return "| " + " | ".join(cells) + " |"


def summary_table(rows: Sequence[str], fixed_line: str) -> str:
    separator = "|---|" + "---:|" * 7 + "---|"
    return "\n".join([SUMMARY_HEADER, separator, *rows, "", fixed_line])
