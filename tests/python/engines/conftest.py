"""Cross-engine tests run only for the engines named in IA_TEST_ENGINES
(e.g. `IA_TEST_ENGINES=spark`, set by `make test-spark`): each needs its
engine's warehouse built first, so `make test` (DuckDB) leaves them out."""

from __future__ import annotations

import os

ENGINES = {name.strip() for name in os.environ.get("IA_TEST_ENGINES", "").split(",") if name}

collect_ignore_glob = [] if "spark" in ENGINES else ["test_spark_*.py"]
