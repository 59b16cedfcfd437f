"""`python -m integration_adoption.governance MANIFEST`: the PII policy check."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from integration_adoption.governance.pii_policy import check_manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m integration_adoption.governance",
        description="Check a dbt manifest against the PII policy (docs/governance.md).",
    )
    parser.add_argument(
        "manifest", nargs="?", type=Path, default=Path("target/manifest.json"), help="manifest.json"
    )
    args = parser.parse_args(argv)
    problems = check_manifest(json.loads(args.manifest.read_text()))
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"PII policy: {len(problems)} violation(s) in {args.manifest}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
