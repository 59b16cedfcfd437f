"""Print a short summary of what `make build` put in the warehouse."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

MART_SCHEMAS = ("marts",)
# the funnel verdicts of metric-definitions §4
VERDICTS = ("healthy", "stalled", "too_early")


def summarize(database: Path) -> str:
    """Return a plain-text summary of the marts and the data-quality checks."""
    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.execute(
            """
            select table_schema, table_name
            from information_schema.tables
            where table_schema in (select unnest($schemas))
            order by table_schema, table_name
            """,
            {"schemas": list(MART_SCHEMAS)},
        ).fetchall()
        lines = [f"Warehouse: {database}"]
        as_of = con.execute("select as_of_date from intermediate.int_as_of_date").fetchone()
        if as_of:
            lines.append(f"As-of date: {as_of[0]}")
        lines.append("")
        lines.append(f"{'table':<45} {'rows':>12}")
        for schema, name in tables:
            (count,) = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
            lines.append(f"{schema + '.' + name:<45} {count:>12,}")
        checks = con.execute(
            "select raw_source, check_name, check_detail, row_count "
            "from marts.fct_data_quality_checks "
            "order by raw_source = 'all', raw_source, check_name, check_detail"
        ).fetchall()
        lines.append("")
        lines.append("Raw events: where every row went, per source (all: every source)")
        for source, name, detail, count in checks:
            label = name if detail == "all" else f"{name} ({detail})"
            lines.append(f"  {source:<18} {label:<70} {count:>12,}")
        funnel = con.execute(
            """
            select integration_key, installed_connections, activation_rate,
                retention_90d_rate, leak_diagnosis, funnel_verdict
            from marts.fct_integration_funnel
            where cohort_grain = 'month' and install_cohort = 'all' and segment = 'all'
            order by integration_key = 'all', installed_connections desc
            """
        ).fetchall()
        lines.append("")
        header = f"{'integration':<18} {'installed':>9} {'activation':>10} {'ret. 90d':>9}"
        lines.append(f"{header}  leak / verdict")
        for key, installed, activation, retention, leak, verdict in funnel:
            lines.append(
                f"{key:<18} {installed:>9,} {_pct(activation):>10} {_pct(retention):>9}  "
                f"{leak or '-'} / {verdict}"
            )
        verdicts = con.execute(
            """
            select funnel_verdict, count(*), max(verdict_min_observable_connections)
            from marts.fct_integration_funnel
            where cohort_grain = 'month' and install_cohort != 'all'
                and integration_key != 'all' and segment = 'all'
            group by funnel_verdict
            """
        ).fetchall()
        by_verdict = {verdict: count for verdict, count, _ in verdicts}
        minimum = max((n for _, _, n in verdicts), default=0)
        counts = ", ".join(f"{by_verdict.get(v, 0):,} {v}" for v in VERDICTS)
        lines.append(
            f"Month cohorts per integration: {counts} "
            f"(too_early: fewer than {minimum} observable connections to judge a rate)"
        )
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", type=Path, required=True, help="the DuckDB warehouse file")
    args = parser.parse_args(argv)
    if not args.database.exists():
        print(f"no warehouse at {args.database}", file=sys.stderr)
        return 1
    print(summarize(args.database))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
