"""The bench's sampler: the summed resident memory of a whole process tree and
the size of a spill folder, on child processes that allocate and write known
amounts."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from integration_adoption.benchmarks.process_tree import (
    folder_bytes,
    parent_pids,
    run_sampled,
    tree_pids,
)

MIB = 1024**2

# a child that starts a grandchild holding `mib` MiB (every page written), and waits
PARENT = textwrap.dedent(
    """
    import subprocess, sys
    subprocess.run([sys.executable, "-c", sys.argv[1]], check=True)
    """
)
GRANDCHILD = textwrap.dedent(
    """
    import time
    held = bytearray({mib} * 1024 * 1024)
    held[::4096] = b"\\x01" * (len(held) // 4096)  # touch every page: resident
    time.sleep(2.5)
    """
)
# a child that writes `mib` MiB into a folder, waits, removes it and runs on
SPILLER = textwrap.dedent(
    """
    import os, sys, time
    path = os.path.join(sys.argv[1], "spill.tmp")
    with open(path, "wb") as out:
        out.write(b"\\x02" * ({mib} * 1024 * 1024))
    time.sleep(2.0)
    os.remove(path)
    time.sleep(1.0)
    """
)


def test_the_peak_counts_a_grandchilds_memory() -> None:
    held = 300
    sampled = run_sampled([sys.executable, "-c", PARENT, GRANDCHILD.format(mib=held)], interval=0.2)
    assert sampled.samples >= 5
    # the grandchild's 300 MiB plus two small interpreters (each well under 100 MiB)
    assert held * MIB <= sampled.peak_rss_bytes < (held + 200) * MIB
    assert sampled.peak_spill_bytes == 0


def test_the_spill_peak_is_seen_though_the_file_is_gone_at_the_end(tmp_path: Path) -> None:
    spill = tmp_path / "db.duckdb.tmp"
    spill.mkdir()
    sampled = run_sampled(
        [sys.executable, "-c", SPILLER.format(mib=64), str(spill)], spill=[spill], interval=0.2
    )
    assert sampled.peak_spill_bytes == 64 * MIB
    assert folder_bytes([spill]) == 0


def test_a_failing_command_is_an_error() -> None:
    with pytest.raises(subprocess.CalledProcessError):
        run_sampled([sys.executable, "-c", "raise SystemExit(3)"], interval=0.1)


def test_tree_pids_follows_every_generation_and_nothing_else() -> None:
    parents = {1: 0, 2: 1, 3: 2, 4: 1, 5: 9, 6: 5}
    assert tree_pids(2, parents) == {2, 3}
    assert tree_pids(1, parents) == {1, 2, 3, 4}
    assert tree_pids(5, parents) == {5, 6}


def test_parent_pids_reads_stat_lines_whose_name_holds_spaces_and_parentheses(
    tmp_path: Path,
) -> None:
    for pid, stat in {
        "12": "12 (python3) S 7 12 12 0",
        "13": "13 (dbt (worker) 2) R 12 12 12 0",
    }.items():
        (tmp_path / pid).mkdir()
        (tmp_path / pid / "stat").write_text(stat)
    (tmp_path / "self").mkdir()  # not a pid
    assert parent_pids(tmp_path) == {12: 7, 13: 12}
