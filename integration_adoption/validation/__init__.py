"""great-expectations checkpoint over the published marts and the raw tables on arrival.

The tables are read into pandas (marts through a short-lived read-only DuckDB
connection, raw Parquet as DuckDB reads it) and validated through GX's pandas
data source. One module per concern builds expectations:

- ``grain``: the grain of each mart is unique, its keys never null (as the YAML
  declares them: ``manifest`` reads the tests from dbt's target/manifest.json)
- ``ranges``: rates and shares in 0..1, scores in 0..100, counts never negative
- ``funnel``: funnel stages never exceed the stage before (metric-definitions §4, §5)
- ``accepted_values``: states, bands, alert types and labels (the YAML's
  ``accepted_values`` tests and the seeds)
- ``raw_contract``: the raw contract (columns, types) and plausibility with ``mostly``

``checkpoint`` runs them and writes GX Data Docs; ``report`` turns failures into
a readable message. Run ``python -m integration_adoption.validation --help``.
"""
