#!/usr/bin/env bash
# make test-postgres, inside scripts/engines/postgres.sh (the server is up and
# the postgres target's variables are set): load the raw test data, dbt build
# with every data and unit test, the incremental models run again (their
# incremental branches), compare every mart with the DuckDB test warehouse,
# then the tests that log in as the granted roles.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.venv/bin}
RAW=${IA_TEST_RAW:-data/test/raw}
DUCKDB=${IA_TEST_DUCKDB:-warehouse/test.duckdb}

$BIN/python -m integration_adoption.engines.load_raw --raw-data-path "$RAW" --quiet
start=$SECONDS
$BIN/dbt build --quiet --target-path target/postgres --vars '{raw_from_files: false}'
echo "postgres: dbt build in $((SECONDS - start)) s"
# a scheduled run: the incremental models again on the built warehouse (each
# one's incremental branch) with their data tests (those of the replace_days
# models read the days replaced: macros/testing), then the marts compared as
# after the full build
start=$SECONDS
$BIN/dbt build --quiet --target-path target/postgres --vars '{raw_from_files: false}' \
    --select config.materialized:incremental --exclude resource_type:unit_test
echo "postgres: incremental run in $((SECONDS - start)) s"
$BIN/python -m integration_adoption.engines.compare --right postgres \
    --left-duckdb "$DUCKDB" --manifest target/postgres/manifest.json
IA_TEST_ENGINES=postgres $BIN/python -m pytest -q tests/python/engines
