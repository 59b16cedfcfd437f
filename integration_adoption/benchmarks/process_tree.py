"""Run a command and sample, every ~0.5 s, the summed resident memory of its
whole process tree (the command and every process it started, read from /proc)
and the size of the folders it spills to (DuckDB's temporary directory).

The peaks are sampled, so a spike shorter than the interval can be missed; the
summed RSS counts pages shared between processes once per process (an upper
bound of what the tree holds). Every sample is kept with its wall-clock time,
so the peaks can be matched to the dbt nodes running then (node_times.py).
Linux only (/proc).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
INTERVAL_S = 0.5


def parent_pids(proc: Path = PROC) -> dict[int, int]:
    """Every live process's parent, by pid (from /proc/<pid>/stat)."""
    parents = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended while we looked
            continue
        # the command name (field 2) is in parentheses and may hold spaces
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
    return parents


def tree_pids(root: int, parents: Mapping[int, int]) -> set[int]:
    """`root` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        found.add(pid)
        todo.extend(children.get(pid, []))
    return found


def rss_bytes(pid: int, proc: Path = PROC) -> int:
    """Resident memory of one process (0 once it has ended)."""
    try:
        return int((proc / str(pid) / "statm").read_text().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_bytes(root: int) -> int:
    return sum(rss_bytes(pid) for pid in tree_pids(root, parent_pids()))


def folder_bytes(folders: Iterable[Path]) -> int:
    """Bytes of the files under `folders` (missing folders and vanished files count 0)."""
    total = 0
    for folder in folders:
        for base, _, files in os.walk(folder):
            for name in files:
                try:
                    total += os.stat(os.path.join(base, name)).st_size
                except OSError:
                    continue
    return total


@dataclass(frozen=True)
class Sample:
    """One sample: when (seconds since the epoch, as dbt's run_results.json
    timestamps), the tree's summed RSS and the spill folders' bytes."""

    at: float
    rss_bytes: int
    spill_bytes: int


@dataclass(frozen=True)
class Sampled:
    """One command's wall time and the peaks sampled while it ran."""

    seconds: float
    peak_rss_bytes: int
    peak_spill_bytes: int
    samples: int
    timeline: tuple[Sample, ...] = ()


class PeakSampler:
    """Samples a running process tree and spill folders from a background thread."""

    def __init__(self, root: int, spill: Sequence[Path] = (), interval: float = INTERVAL_S):
        self.root = root
        self.spill = list(spill)
        self.interval = interval
        self.peak_rss_bytes = 0
        self.peak_spill_bytes = 0
        self.samples = 0
        self.timeline: list[Sample] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        at = time.time()
        rss, spill = tree_rss_bytes(self.root), folder_bytes(self.spill)
        self.timeline.append(Sample(at, rss, spill))
        self.peak_rss_bytes = max(self.peak_rss_bytes, rss)
        self.peak_spill_bytes = max(self.peak_spill_bytes, spill)
        self.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_sampled(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    spill: Sequence[Path] = (),
    interval: float = INTERVAL_S,
    stdout: int | None = None,
) -> Sampled:
    """Run `argv` to its end (an error if it fails) and return its time and peaks."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=stdout)
    with PeakSampler(process.pid, spill, interval) as sampler:
        code = process.wait()
    seconds = time.perf_counter() - start
    if code != 0:
        raise subprocess.CalledProcessError(code, list(argv))
    return Sampled(
        seconds,
        sampler.peak_rss_bytes,
        sampler.peak_spill_bytes,
        sampler.samples,
        tuple(sampler.timeline),
    )
