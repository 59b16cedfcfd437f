# The two commands: `make build` (demo warehouse) and `make test` (whole suite).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt

# ---------- demo data (make build)
DEMO_RAW := data/raw
DEMO_DB := warehouse/integration_adoption.duckdb

# ---------- test data (make test): fixed seed and dates, messy on purpose
TEST_RAW := data/test/raw
TEST_DB := warehouse/test.duckdb
TEST_GEN_ARGS := --seed 20251231 --start-date 2024-01-01 --end-date 2025-12-31 --accounts 600 --messy --quiet

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
# the demo's and the test data's optional second source system (the partner's
# webhook log, var partner_webhooks_enabled): on in every build here; a plain
# `dbt build` on a user's three raw tables leaves it off
export IA_PARTNER_WEBHOOKS_ENABLED ?= true

.PHONY: help install build test lint test-data test-dbt test-python demo-data bench clean

help:
	@echo "make build   build the demo warehouse ($(DEMO_DB)) from generated demo data"
	@echo "make test    the whole suite: lint, dbt build with data and unit tests on test data, pytest"
	@echo "make test-engines  the same build and tests on PostgreSQL and Spark, marts compared with DuckDB's"
	@echo "make bench   benchmark: full and one-day incremental builds vs the floor, incremental = full refresh (not part of test)"
	@echo "make clean   remove generated data, warehouses and dbt artifacts"

# The Python package runs from the repository root (python -m integration_adoption…),
# so only the pinned requirements are installed.
$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(BIN)/.installed

# ---------- make build
$(DEMO_RAW)/ground_truth.json: | $(BIN)/.installed
	$(BIN)/python -m integration_adoption.generator --out $(DEMO_RAW)

demo-data: $(DEMO_RAW)/ground_truth.json

build: install demo-data
	mkdir -p warehouse
	IA_DUCKDB_PATH=$(DEMO_DB) IA_RAW_DATA_PATH=$(DEMO_RAW) $(DBT) build --quiet --fail-fast
	$(BIN)/python -m integration_adoption.reports.build_summary --database $(DEMO_DB)

# ---------- make test
lint: install
	$(BIN)/ruff check integration_adoption tests/python
	$(BIN)/ruff format --check integration_adoption tests/python
	mkdir -p warehouse
	IA_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/sqlfluff lint models tests analyses

$(TEST_RAW)/ground_truth.json: | $(BIN)/.installed
	$(BIN)/python -m integration_adoption.generator --out $(TEST_RAW) $(TEST_GEN_ARGS)

test-data: $(TEST_RAW)/ground_truth.json

test-dbt: install test-data
	mkdir -p warehouse
	rm -f $(TEST_DB)
	IA_DUCKDB_PATH=$(TEST_DB) IA_RAW_DATA_PATH=$(TEST_RAW) $(DBT) build --quiet

test-python: install
	IA_TEST_DUCKDB=$(TEST_DB) IA_TEST_RAW=$(TEST_RAW) $(BIN)/python -m pytest -q tests/python

test: lint test-dbt test-validate docs conventions test-contracts chromium test-python

# ---------- make test-engines: the same project on the other engines (README
# "Running on your warehouse"); .ci/run runs it after make test
.PHONY: test-engines test-postgres test-spark
test-engines: test-postgres test-spark

# a throwaway PostgreSQL 15 on loopback (scripts/engines/postgres.sh starts and
# stops it): dbt build with every test, every mart compared with DuckDB's, grants
test-postgres: install test-data
	@test -f $(TEST_DB) || $(MAKE) --no-print-directory test-dbt
	BIN=$(BIN) IA_TEST_RAW=$(TEST_RAW) IA_TEST_DUCKDB=$(TEST_DB) \
		bash scripts/engines/postgres.sh bash scripts/engines/test_postgres.sh

# Apache Spark in-process (dbt-spark session; needs only Java 17 and pyspark):
# dbt build with every test on the test data (scripts/spark_build.sh), an
# incremental re-run of the incremental models (insert_overwrite on Spark), then
# every mart and incremental table compared with DuckDB's
# (tests/python/engines/test_spark_matches_duckdb.py)
test-spark: install test-data
	@test -f $(TEST_DB) || $(MAKE) --no-print-directory test-dbt
	DBT=$(DBT) IA_RAW_DATA_PATH=$(TEST_RAW) scripts/spark_build.sh
	DBT=$(DBT) IA_RAW_DATA_PATH=$(TEST_RAW) IA_SPARK_FRESH=0 IA_DBT_COMMAND=run \
		scripts/spark_build.sh --select config.materialized:incremental
	IA_TEST_ENGINES=spark IA_TEST_DUCKDB=$(TEST_DB) $(BIN)/python -m pytest -q -s tests/python/engines

# ---------- docs and conventions (README "Conventions and docs")
.PHONY: docs conventions pre-commit
# the docs site (target/index.html, and target/static_index.html as one file)
# from the test warehouse, whose catalog the convention checks read
docs: install
	@test -f $(TEST_DB) || { echo "$(TEST_DB) is missing: make test-dbt builds it"; exit 1; }
	IA_DUCKDB_PATH=$(TEST_DB) IA_RAW_DATA_PATH=$(TEST_RAW) $(DBT) docs generate --quiet --static --target-path target

conventions: docs
	$(BIN)/dbt-bouncer run --config-file dbt-bouncer.yml
	$(BIN)/python -m integration_adoption.conventions.versioned_catalog --artifacts target
	$(BIN)/pre-commit validate-config .pre-commit-config.yaml

# every pre-commit hook on every tracked file (the same linters as make lint)
pre-commit: install
	$(BIN)/pre-commit run --all-files

# ---------- make validate: the great-expectations checkpoint (marts + raw on arrival)
GX_DOCS := artifacts/gx
VALIDATE_DB ?= $(DEMO_DB)
VALIDATE_RAW ?= $(DEMO_RAW)
.PHONY: validate test-validate
validate: install
	$(BIN)/python -m integration_adoption.validation \
		--database $(VALIDATE_DB) --raw-data-path $(VALIDATE_RAW) --docs-dir $(GX_DOCS)

# the same checkpoint on the test warehouse `test-dbt` built
test-validate: install
	$(MAKE) --no-print-directory validate VALIDATE_DB=$(TEST_DB) VALIDATE_RAW=$(TEST_RAW)

# ---------- make bench: separate from the tests; figures are ratios within one run
# about 820 events an account: 12000 → ~10 M events, 120000 → ~100 M
BENCH_ACCOUNTS ?= 12000 120000
# DuckDB spills to disk above this (the benchmark's memory target is 16 GiB)
BENCH_MEMORY_LIMIT ?= 14GB
.PHONY: bench-build bench-messy
bench: bench-build bench-messy

# load days the incremental run adds: 2 = the last simulated day's load and the
# generator's last load day (only the arrivals just after midnight); 1 = that trickle
BENCH_NEW_LOAD_DAYS ?= 2
# per dataset: history run, incremental run, full build, incremental = full refresh
# (about 10 min at 10 M events; the warehouses are deleted after each dataset)
bench-build: install
	IA_DUCKDB_MEMORY_LIMIT=$(BENCH_MEMORY_LIMIT) $(BIN)/python -m integration_adoption.benchmarks.build_benchmark \
		--accounts $(BENCH_ACCOUNTS) --new-load-days $(BENCH_NEW_LOAD_DAYS) --results benchmarks/results.md

# bad input at scale: messy data at ~10 M events builds, and every raw row is
# accounted for exactly (the same truth tests as make test, on this warehouse)
BENCH_MESSY_ACCOUNTS ?= 12000
BENCH_MESSY_RAW := data/bench/messy_$(BENCH_MESSY_ACCOUNTS)
BENCH_MESSY_DB := data/bench/messy_$(BENCH_MESSY_ACCOUNTS).duckdb
bench-messy: install
	test -f $(BENCH_MESSY_RAW)/ground_truth.json || $(BIN)/python -m integration_adoption.generator \
		--out $(BENCH_MESSY_RAW) --accounts $(BENCH_MESSY_ACCOUNTS) $(filter-out --accounts 600,$(TEST_GEN_ARGS))
	rm -f $(BENCH_MESSY_DB)
	time IA_DUCKDB_MEMORY_LIMIT=$(BENCH_MEMORY_LIMIT) IA_DUCKDB_PATH=$(BENCH_MESSY_DB) IA_RAW_DATA_PATH=$(BENCH_MESSY_RAW) \
		$(DBT) build --quiet --exclude tag:dense
	IA_TEST_DUCKDB=$(BENCH_MESSY_DB) IA_TEST_RAW=$(BENCH_MESSY_RAW) $(BIN)/python -m pytest -q \
		tests/python/test_warehouse.py tests/python/test_partner_source.py \
		-k "quarantined or collapsed or awkward"

# ---------- make dashboard: Dash over a snapshot of the marts, on loopback by default
# The dashboard never opens the warehouse dbt writes (DuckDB would lock the
# build out): after a build, dashboard-snapshot copies the marts to their own
# file (temp file + rename), and the running dashboard reads the new file on
# its next request.
DASHBOARD_SNAPSHOT ?= warehouse/dashboard_snapshot.duckdb
DASHBOARD_HOST ?= $(or $(IA_DASHBOARD_HOST),127.0.0.1)
DASHBOARD_PORT ?= $(or $(IA_DASHBOARD_PORT),8050)
.PHONY: dashboard dashboard-snapshot chromium

dashboard-snapshot: install
	$(BIN)/python -m integration_adoption.dashboard.snapshot \
		--warehouse $(DEMO_DB) --snapshot $(DASHBOARD_SNAPSHOT)

dashboard: install
	if [[ ! -f $(DEMO_DB) ]]; then $(MAKE) build; fi
	$(MAKE) dashboard-snapshot || test -f $(DASHBOARD_SNAPSHOT)
	$(BIN)/python -m integration_adoption.dashboard --snapshot $(DASHBOARD_SNAPSHOT) \
		--host $(DASHBOARD_HOST) --port $(DASHBOARD_PORT)

# Debian's Chromium for the dashboard's browser test (tests/python/test_dashboard_browser.py)
chromium:
	bash scripts/install_chromium.sh

clean:
	rm -rf data warehouse target logs

# ---------- make test-contracts: no breaking change to a contracted mart since
# the previous commit (IA_CONTRACT_BASE=<rev> to compare with another one);
# README "Security and governance"
.PHONY: test-contracts
test-contracts: install
	$(BIN)/python -m integration_adoption.governance.contracts
