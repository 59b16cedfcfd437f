#!/usr/bin/env bash
# What a scheduled run keeps as CI artifacts (make ci; docs/ci.md).
#
#   scripts/ci/keep_artifacts.sh DEST WORK
#
# WORK is the run's folder: dbt's target/ and logs/, the GX Data Docs (gx/),
# build_summary.txt, and the published dashboard snapshot is named by
# CI_SNAPSHOT. Always kept: the build summary, dbt's freshness results
# (sources.json: sources, max loaded_at, status; no SQL) and the dashboard
# snapshot (the public marts only: pseudonymised ids, no key).
# With a real pseudonymisation key (IA_PII_HASH_KEY set to anything but the
# development default) nothing else is kept: dbt writes the key into the
# compiled SQL, so target/ and logs/ are as secret as the key, and the Data
# Docs show samples of raw rows. With the development key they are kept too.
# Last, every kept file is searched for the key; a hit deletes DEST and fails.
set -euo pipefail

DEST=${1:?usage: keep_artifacts.sh DEST WORK}
WORK=${2:?usage: keep_artifacts.sh DEST WORK}
SNAPSHOT=${CI_SNAPSHOT:?CI_SNAPSHOT: the published dashboard snapshot}
DEVELOPMENT_KEY=integration-adoption-development-key

if [[ -n "${IA_PII_HASH_KEY+set}" && "$IA_PII_HASH_KEY" != "$DEVELOPMENT_KEY" ]]; then
    real_key=1
else
    real_key=0
fi

rm -rf "$DEST"
mkdir -p "$DEST"
cp "$WORK/build_summary.txt" "$DEST/"
cp "$WORK/target/sources.json" "$DEST/freshness.json"
cp "$SNAPSHOT" "$DEST/dashboard_snapshot.duckdb"
if [[ $real_key == 0 ]]; then
    cp -r "$WORK/target" "$DEST/dbt_target"
    cp -r "$WORK/logs" "$DEST/dbt_logs"
    cp -r "$WORK/gx" "$DEST/gx_data_docs"
    echo "kept in $DEST: summary, freshness, dashboard snapshot, dbt target/ and logs/, Data Docs (development key)"
else
    echo "kept in $DEST: summary, freshness, dashboard snapshot (a real IA_PII_HASH_KEY is set: no target/, logs/ or Data Docs)"
fi

key=${IA_PII_HASH_KEY:-$DEVELOPMENT_KEY}
if [[ $real_key == 1 ]] && grep -rlF -- "$key" "$DEST"; then
    rm -rf "$DEST"
    echo "the files above hold IA_PII_HASH_KEY: nothing kept" >&2
    exit 1
fi
