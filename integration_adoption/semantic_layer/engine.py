"""Load the semantic manifest dbt writes and answer metric queries with MetricFlow."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd
from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow_semantic_interfaces.protocols.semantic_manifest import SemanticManifest
from metricflow_semantic_interfaces.validations.semantic_manifest_validator import (
    SemanticManifestValidator,
)
from metricflow_semantics.model.dbt_manifest_parser import (
    parse_manifest_from_dbt_generated_manifest,
)
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

from integration_adoption.semantic_layer.duckdb_client import ReadOnlyDuckDbSqlClient

# What `dbt parse` / `dbt build` writes under the target path.
MANIFEST_FILE = "semantic_manifest.json"


def load_manifest(target_path: Path) -> SemanticManifest:
    """The semantic manifest from a dbt target folder (run `dbt parse` first)."""
    path = target_path / MANIFEST_FILE
    if not path.exists():
        raise FileNotFoundError(f"no {MANIFEST_FILE} in {target_path}: run `dbt parse` first")
    return parse_manifest_from_dbt_generated_manifest(manifest_json_string=path.read_text())


def validation_errors(manifest: SemanticManifest) -> list[str]:
    """MetricFlow's semantic validation (as `mf validate-configs --skip-dw`): error messages."""
    result = SemanticManifestValidator[SemanticManifest]().validate_semantic_manifest(manifest)
    return [issue.as_readable_str() for issue in result.errors]


class SemanticLayer:
    """MetricFlow over the marts of a DuckDB warehouse, through a read-only connection."""

    def __init__(self, manifest: SemanticManifest, connection: duckdb.DuckDBPyConnection) -> None:
        self._engine = MetricFlowEngine(
            semantic_manifest_lookup=SemanticManifestLookup(manifest),
            sql_client=ReadOnlyDuckDbSqlClient(connection),
        )

    def _request(
        self, metrics: Sequence[str], group_by: Sequence[str], where: Sequence[str]
    ) -> MetricFlowQueryRequest:
        return MetricFlowQueryRequest.create(
            metric_names=list(metrics),
            group_by_names=list(group_by) or None,
            where_constraints=list(where) or None,
        )

    def query(
        self, metrics: Sequence[str], group_by: Sequence[str] = (), where: Sequence[str] = ()
    ) -> pd.DataFrame:
        """The metrics by the group-by items, as a DataFrame (one column per name).

        Rows are sorted by the group-by columns, left to right (MetricFlow
        returns them in no particular order).
        """
        table = self._engine.query(self._request(metrics, group_by, where)).result_df
        frame = pd.DataFrame(list(table.rows), columns=list(table.column_names))
        keys = [column for column in frame.columns if column not in set(metrics)]
        if keys:
            frame = frame.sort_values(keys, na_position="last", kind="stable")
        return frame.reset_index(drop=True)

    def sql(
        self, metrics: Sequence[str], group_by: Sequence[str] = (), where: Sequence[str] = ()
    ) -> str:
        """The SQL MetricFlow would run for the query."""
        result = self._engine.explain(self._request(metrics, group_by, where))
        return result.sql_statement.without_descriptions.sql
