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
# pytest workers (pytest-xdist): the files run two at a time on this 2-core machine
TEST_WORKERS ?= 2
TEST_GEN_ARGS := --seed 20251231 --start-date 2024-01-01 --end-date 2025-12-31 --accounts 600 --messy --quiet

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
# the demo's and the test data's optional second source system (the partner's
# webhook log, var partner_webhooks_enabled): on in every build here; a plain
# `dbt build` on a user's three raw tables leaves it off
export IA_PARTNER_WEBHOOKS_ENABLED ?= true

.PHONY: help install build test lint test-data test-dbt test-python demo-data bench clean

help:
	@echo "The two commands:"
	@echo "  make build          the demo warehouse ($(DEMO_DB)) from generated demo data, and a summary"
	@echo "  make test           the whole suite: lint, dbt build and tests on test data, checks, pytest"
	@echo "Look at the results:"
	@echo "  make dashboard      publish a snapshot of the demo marts and serve the dashboard on $(DASHBOARD_HOST):$(DASHBOARD_PORT)"
	@echo "  make dashboard-snapshot  copy the demo warehouse's marts to the dashboard's snapshot"
	@echo "  make validate       the great-expectations checkpoint on the demo warehouse and raw data"
	@echo "  make docs           dbt docs (target/index.html) from the test warehouse, else the demo one"
	@echo "Scheduled runs:"
	@echo "  make ci             freshness, build, validate, publish the snapshot, keep safe artifacts (docs/ci.md)"
	@echo "Parts of make test:"
	@echo "  make install        the venv and the pinned requirements"
	@echo "  make lint           ruff and sqlfluff"
	@echo "  make test-data      generate the messy test data ($(TEST_RAW))"
	@echo "  make test-dbt       dbt build with every test on the test data ($(TEST_DB))"
	@echo "  make test-validate  the checkpoint on the test warehouse"
	@echo "  make conventions    make docs, then dbt-bouncer and the versioned-catalog check"
	@echo "  make test-contracts no breaking change to a contracted mart since the previous commit"
	@echo "  make chromium       Debian's Chromium for the dashboard's browser test"
	@echo "  make test-python    pytest tests/python on the test warehouse"
	@echo "  make test-checks    the steps before pytest, in two lanes side by side (make -j2):"
	@echo "  make test-lane-warehouse  test-dbt, conventions (with docs), test-contracts, in turn"
	@echo "  make test-lane-lint lint, chromium, in turn"
	@echo "Other engines, benchmarks, housekeeping:"
	@echo "  make test-engines   make test-postgres and make test-spark: the same build, marts compared with DuckDB's"
	@echo "  make test-postgres  on a throwaway PostgreSQL 15"
	@echo "  make test-spark     on Spark in-process (Java 17)"
	@echo "  make bench          bench-build and bench-messy (not part of test; docs/benchmarks.md)"
	@echo "  make bench-build    builds vs the floor after dbt's fixed cost, memory, spill, per-node times"
	@echo "                      (BENCH_DATASETS=\"deep-10m wide-10m deep-100m\", or BENCH_RAW=<raw folder>)"
	@echo "  make bench-messy    messy data at about 10 M events: every raw row accounted for"
	@echo "  make impact-coverage  the impact intervals' coverage of the generator's true effects (20 seeds)"
	@echo "  make demo-data      generate the demo data ($(DEMO_RAW)) only"
	@echo "  make pre-commit     every pre-commit hook on every tracked file"
	@echo "  make clean          remove generated data, warehouses and dbt artifacts"
	@echo "  make help           this list"

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
# sqlfluff lints the files on every core (--processes 0): 104 s -> 60 s on two
lint: install
	$(BIN)/ruff check integration_adoption tests/python
	$(BIN)/ruff format --check integration_adoption tests/python
	mkdir -p warehouse
	IA_DUCKDB_PATH=warehouse/lint.duckdb $(BIN)/sqlfluff lint --processes 0 models tests analyses

$(TEST_RAW)/ground_truth.json: | $(BIN)/.installed
	$(BIN)/python -m integration_adoption.generator --out $(TEST_RAW) $(TEST_GEN_ARGS)

test-data: $(TEST_RAW)/ground_truth.json

test-dbt: install test-data
	mkdir -p warehouse
	rm -f $(TEST_DB)
	IA_DUCKDB_PATH=$(TEST_DB) IA_RAW_DATA_PATH=$(TEST_RAW) $(DBT) build --quiet

test-python: install
	IA_TEST_DUCKDB=$(TEST_DB) IA_TEST_RAW=$(TEST_RAW) $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder tests/python

# in turn even under make -j: pytest reads the warehouse the checks build
test:
	$(MAKE) --no-print-directory test-checks
	$(MAKE) --no-print-directory test-python

# make test's steps before pytest, in two lanes run side by side (they use about
# one core each): the test warehouse and what reads it, in order, then the contract
# check (the lanes end close together); and the linters. Each lane's output is
# printed whole when it ends (--output-sync). The great-expectations checkpoint on
# the test warehouse (make test-validate) is not a step here: pytest runs the same
# checkpoint on the same warehouse and raw data and checks that it passes
# (tests/python/test_validation.py).
.PHONY: test-checks test-lane-warehouse test-lane-lint
test-checks: install
	$(MAKE) --no-print-directory -j2 --output-sync=target test-lane-warehouse test-lane-lint

# conventions: the docs' manifest is the one the test build just wrote in target/ (every
# node compiled, as a first build compiles it): docs generate only adds the catalog
test-lane-warehouse:
	$(MAKE) --no-print-directory test-dbt
	$(MAKE) --no-print-directory conventions DOCS_ARGS=--no-compile
	$(MAKE) --no-print-directory test-contracts

test-lane-lint:
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory chromium

# ---------- make test-engines: the same project on the other engines (docs/engines.md); .ci/run runs it after make test
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

# ---------- docs and conventions (docs/conventions.md)
.PHONY: docs conventions pre-commit
# the docs site (target/index.html, and target/static_index.html as one file)
# from the test warehouse, whose catalog the convention checks read, or from the
# demo warehouse when only make build has run
docs: install
	@db=$(TEST_DB) raw=$(TEST_RAW); \
	if [[ ! -f $$db && -f $(DEMO_DB) ]]; then db=$(DEMO_DB) raw=$(DEMO_RAW); fi; \
	test -f $$db || { echo "no warehouse to document: make build (demo) or make test-dbt (test) builds one"; exit 1; }; \
	echo "dbt docs generate on $$db"; \
	IA_DUCKDB_PATH=$$db IA_RAW_DATA_PATH=$$raw $(DBT) docs generate --quiet --static --target-path target $(DOCS_ARGS)

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
# (docs/benchmarks.md). Named datasets: deep-10m (12,000 accounts, about 820 events
# each over two years), wide-10m (210,000 accounts, about 47 events each over 18
# months: the generator's --shape wide), deep-100m (120,000 accounts); or
# SHAPE:ACCOUNTS (e.g. wide:3000). BENCH_RAW=<folder> measures a folder of raw data
# in the README's layout instead (read only). A 50-account dataset measures dbt's
# fixed cost in the same run, subtracted before every ratio. With BENCH_RAW, make
# bench runs bench-build only.
BENCH_DATASETS ?= deep-10m wide-10m deep-100m
BENCH_RAW ?=
# DuckDB's memory_limit for the builds (the profile's IA_DUCKDB_MEMORY_LIMIT); the
# target is 8 GiB for the whole process tree, and dbt's own Python with DuckDB's
# allocations outside its buffer pool take about 0.7 GiB more (8GB gave a tree of
# 8.20 GiB on wide-10m), so DuckDB gets 7GB and spills to disk above it
BENCH_MEMORY_LIMIT ?= 7GB
.PHONY: bench-build bench-messy
bench: bench-build $(if $(BENCH_RAW),,bench-messy)

# load days the incremental run adds: 2 = the last simulated day's load and the
# generator's last load day (only the arrivals just after midnight); 1 = that trickle
BENCH_NEW_LOAD_DAYS ?= 2
# per dataset: the floor, history run, one-day incremental build (models + every
# test), full build, incremental = full refresh, peak memory and spill, per-node table
bench-build: install
	IA_DUCKDB_MEMORY_LIMIT=$(BENCH_MEMORY_LIMIT) $(BIN)/python -m integration_adoption.benchmarks.build_benchmark \
		$(if $(BENCH_RAW),--raw $(BENCH_RAW),--datasets $(BENCH_DATASETS)) \
		--new-load-days $(BENCH_NEW_LOAD_DAYS) --results benchmarks/results.md

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

# ---------- make impact-coverage: separate from the tests (about 5½ min on two
# cores): the share of fct_integration_impact's 95% intervals (§8 and robust)
# covering the generator's true effect on the matched treated, over 20 seeds
# (metric-definitions §8.1); appended to benchmarks/impact_coverage.md
.PHONY: impact-coverage
impact-coverage: install
	$(BIN)/python -m integration_adoption.benchmarks.impact_coverage \
		--results benchmarks/impact_coverage.md

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
# docs/governance.md
.PHONY: test-contracts
test-contracts: install
	$(BIN)/python -m integration_adoption.governance.contracts

# ---------- make ci: the scheduled run a CI job calls (.github/workflows/scheduled.yml,
# docs/ci.md). The loader has put the raw data in CI_RAW; each step stops the run
# when it fails, so stale sources stop it before anything is built or published.
# dbt's target/ and logs/ go to CI_WORK; scripts/ci/keep_artifacts.sh copies to
# CI_ARTIFACTS only what may be published (never target/ or logs/ with a real key).
CI_RAW ?= $(DEMO_RAW)
CI_DB ?= $(DEMO_DB)
CI_WORK ?= artifacts/ci_run
CI_ARTIFACTS ?= artifacts/ci
CI_SNAPSHOT ?= $(DASHBOARD_SNAPSHOT)
CI_DBT = IA_DUCKDB_PATH=$(CI_DB) IA_RAW_DATA_PATH=$(CI_RAW) $(DBT)
CI_DBT_PATHS = --target-path $(CI_WORK)/target --log-path $(CI_WORK)/logs
.PHONY: ci
ci: install
	@test -d $(CI_RAW) || { echo "make ci: no raw data in $(CI_RAW); set CI_RAW to the loader's folder" >&2; exit 1; }
	@test "$${IA_PII_HASH_KEY-unset}" != "" || { echo "make ci: IA_PII_HASH_KEY is set but empty" >&2; exit 1; }
	rm -rf $(CI_WORK) && mkdir -p $(CI_WORK) $(dir $(CI_DB)) $(dir $(CI_SNAPSHOT))
	$(CI_DBT) source freshness $(CI_DBT_PATHS)
	$(CI_DBT) build --fail-fast $(CI_DBT_PATHS)
	$(MAKE) --no-print-directory validate VALIDATE_DB=$(CI_DB) VALIDATE_RAW=$(CI_RAW) GX_DOCS=$(CI_WORK)/gx
	$(BIN)/python -m integration_adoption.reports.build_summary --database $(CI_DB) | tee $(CI_WORK)/build_summary.txt
	$(BIN)/python -m integration_adoption.dashboard.snapshot --warehouse $(CI_DB) --snapshot $(CI_SNAPSHOT)
	CI_SNAPSHOT=$(CI_SNAPSHOT) bash scripts/ci/keep_artifacts.sh $(CI_ARTIFACTS) $(CI_WORK)
