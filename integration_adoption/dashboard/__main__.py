"""`python -m integration_adoption.dashboard`: serve the dashboard."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml

from .snapshot import DEFAULT_SNAPSHOT

PROJECT = Path(__file__).resolve().parents[2] / "dbt_project.yml"


def default_min_observable(project: Path = PROJECT) -> int:
    """The fewest observable connections a retention point is drawn from:
    $IA_DASHBOARD_MIN_OBSERVABLE, else the dbt var the marts judge a retention rate by
    (`flattening_min_observable`, metric-definitions §5), so both read one number."""
    if os.environ.get("IA_DASHBOARD_MIN_OBSERVABLE"):
        return int(os.environ["IA_DASHBOARD_MIN_OBSERVABLE"])
    return int(yaml.safe_load(project.read_text())["vars"]["flattening_min_observable"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m integration_adoption.dashboard",
        description="Serve the interactive dashboard over the published marts snapshot.",
    )
    parser.add_argument(
        "--snapshot",
        type=Path,
        default=DEFAULT_SNAPSHOT,
        help="snapshot file published by `integration_adoption.dashboard.snapshot` "
        "(default: $IA_DASHBOARD_SNAPSHOT or %(default)s)",
    )
    parser.add_argument(
        "--host",
        default=os.environ.get("IA_DASHBOARD_HOST", "127.0.0.1"),
        help="address to bind; loopback unless you mean to expose it "
        "(default: $IA_DASHBOARD_HOST or %(default)s)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("IA_DASHBOARD_PORT", "8050")),
        help="port to listen on (default: $IA_DASHBOARD_PORT or %(default)s)",
    )
    parser.add_argument(
        "--alert-window-days",
        type=int,
        default=30,
        help="open alerts: firings in this many days up to the range's end (default %(default)s)",
    )
    parser.add_argument(
        "--min-observable-connections",
        type=int,
        default=default_min_observable(),
        help="retention points from fewer observable connections are hidden (default: "
        "$IA_DASHBOARD_MIN_OBSERVABLE or the dbt var flattening_min_observable, %(default)s)",
    )
    args = parser.parse_args(argv)
    if not args.snapshot.exists():
        print(
            f"no snapshot at {args.snapshot}: publish one with "
            "`python -m integration_adoption.dashboard.snapshot` (make dashboard does)",
            file=sys.stderr,
        )
        return 1
    from .app import create_app

    app = create_app(args.snapshot, args.alert_window_days, args.min_observable_connections)
    print(f"dashboard on http://{args.host}:{args.port}/ reading {args.snapshot}", flush=True)
    app.run(host=args.host, port=args.port, debug=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
