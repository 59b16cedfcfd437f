"""Tests that need another engine running (make test-engines).

Collected only when IA_TEST_ENGINES names the engine (`postgres`, `spark`,
comma-separated): plain `make test` runs on DuckDB alone and does not collect
them, rather than skipping them.
"""

from __future__ import annotations

import os

ENGINES = {
    name.strip() for name in os.environ.get("IA_TEST_ENGINES", "").split(",") if name.strip()
}

collect_ignore_glob = [
    f"test_{engine}_*.py" for engine in ("postgres", "spark") if engine not in ENGINES
]
