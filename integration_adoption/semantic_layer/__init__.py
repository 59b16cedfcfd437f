"""Query the project's dbt semantic layer (MetricFlow) on a DuckDB warehouse, read-only."""
