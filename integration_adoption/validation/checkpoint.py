"""Run the suites through GX: a pandas data source per layer, one checkpoint per table.

GX hands the same ``batch_parameters`` to every validation definition of a
checkpoint, and a pandas dataframe asset takes its dataframe from them, so
each table gets its own checkpoint (one validation definition, one dataframe).
The Data Context is ephemeral (nothing to keep in git); its Data Docs site is
a folder of static HTML, rebuilt from scratch on every run.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import great_expectations as gx
import pandas as pd
from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from integration_adoption.validation.reference import Reference
from integration_adoption.validation.suites import build_suite, suite_name

DOCS_SITE = "local_site"
# SUMMARY keeps a sample of the failing values for the report and the Data Docs.
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 5}


@dataclass(frozen=True)
class TableToValidate:
    """A table read into pandas, or None when it is missing."""

    layer: str
    table: str
    frame: pd.DataFrame | None


@dataclass(frozen=True)
class TableOutcome:
    """What validating one table gave: its GX result, or why there is none."""

    layer: str
    table: str
    rows: int
    seconds: float
    result: ExpectationSuiteValidationResult | None
    missing: str | None = None

    @property
    def suite(self) -> str:
        return suite_name(self.layer, self.table)

    @property
    def success(self) -> bool:
        return self.result is not None and bool(self.result.success)


def make_context(docs_dir: Path) -> AbstractDataContext:
    """An ephemeral Data Context whose Data Docs site is ``docs_dir``."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={
            DOCS_SITE: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir.resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def clear_docs(docs_dir: Path) -> None:
    """Remove an earlier Data Docs site, so the site shows only this run."""
    if (docs_dir / "index.html").exists():
        shutil.rmtree(docs_dir)
    docs_dir.mkdir(parents=True, exist_ok=True)


def run(
    tables: list[TableToValidate],
    reference: Reference,
    docs_dir: Path,
    progress: Callable[[TableOutcome], None] = lambda outcome: None,
) -> tuple[list[TableOutcome], Path]:
    """Validate every table, build the Data Docs, return the outcomes and the index page."""
    clear_docs(docs_dir)
    context = make_context(docs_dir)
    sources = {layer: context.data_sources.add_pandas(layer) for layer in {t.layer for t in tables}}
    outcomes: list[TableOutcome] = []
    for item in tables:
        started = time.monotonic()
        if item.frame is None:
            outcome = TableOutcome(item.layer, item.table, 0, 0.0, None, missing="table not found")
        else:
            name = suite_name(item.layer, item.table)
            asset = sources[item.layer].add_dataframe_asset(item.table)
            batch = asset.add_batch_definition_whole_dataframe(item.table)
            suite = context.suites.add(
                build_suite(item.layer, item.table, list(item.frame.columns), reference)
            )
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch, suite=suite)
            )
            checkpoint = context.checkpoints.add(
                gx.Checkpoint(
                    name=name, validation_definitions=[definition], result_format=RESULT_FORMAT
                )
            )
            checkpoint_result = checkpoint.run(batch_parameters={"dataframe": item.frame})
            (result,) = checkpoint_result.run_results.values()
            outcome = TableOutcome(
                item.layer, item.table, len(item.frame), time.monotonic() - started, result
            )
        outcomes.append(outcome)
        progress(outcome)
    context.build_data_docs(site_names=[DOCS_SITE])
    return outcomes, docs_dir / "index.html"
