#!/usr/bin/env bash
# Builds the project on Apache Spark in-process (dbt-spark, method session):
# `dbt build` with every data test and unit test, on the raw Parquet folder
# IA_RAW_DATA_PATH (default data/test/raw, the test data). Needs only Java 17
# and the pinned pyspark. The warehouse and its Derby metastore are
# IA_SPARK_HOME (default warehouse/spark), removed first so the build starts
# from nothing; dbt's artifacts go to target/spark so DuckDB's target/ stays.
# Extra arguments are passed to dbt build (e.g. --select staging).
# IA_SPARK_FRESH=0 keeps the warehouse and IA_DBT_COMMAND=run runs instead of
# build: make test-spark re-runs the incremental models that way.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v java >/dev/null 2>&1; then
    echo "spark_build: java is not on PATH (Spark needs Java 17)" >&2
    exit 1
fi

export DBT_TARGET=spark
export DBT_PROFILES_DIR="${DBT_PROFILES_DIR:-$PWD}"
export DBT_SEND_ANONYMOUS_USAGE_STATS=False
export DBT_TARGET_PATH="${DBT_TARGET_PATH:-target/spark}"
export DBT_LOG_PATH="${DBT_LOG_PATH:-logs/spark}"
export IA_SPARK_HOME="${IA_SPARK_HOME:-warehouse/spark}"
export IA_RAW_DATA_PATH="${IA_RAW_DATA_PATH:-data/test/raw}"
# in-process Spark binds nothing but loopback
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
DBT="${DBT:-.venv/bin/dbt}"

if [[ ! -d "$IA_RAW_DATA_PATH/integration_events" ]]; then
    echo "spark_build: no raw data under $IA_RAW_DATA_PATH (make test-data writes it)" >&2
    exit 1
fi

# Spark resolves a relative table LOCATION against the schema's folder
IA_RAW_DATA_PATH="$(realpath "$IA_RAW_DATA_PATH")"

if [[ "${IA_SPARK_FRESH:-1}" != 0 ]]; then
    rm -rf "$IA_SPARK_HOME"
fi
mkdir -p "$IA_SPARK_HOME"
COMMAND="${IA_DBT_COMMAND:-build}"
start=$(date +%s)
# Spark warns on every query that dbt reuses its session: noise, filtered
"$DBT" "$COMMAND" "$@" 2> >(grep -v --line-buffered 'Using an existing Spark session' >&2)
echo "spark_build: dbt $COMMAND on Spark took $(( $(date +%s) - start )) s"
