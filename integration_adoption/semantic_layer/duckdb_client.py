"""A MetricFlow SqlClient over a read-only DuckDB connection.

The `mf` CLI reaches the warehouse through the dbt adapter, which opens the
DuckDB file for writing (and so waits for, or blocks, a build). This client
runs MetricFlow's SQL on a connection the caller opened read-only, so the
marts can be queried through the semantic layer beside other readers.
"""

from __future__ import annotations

import duckdb
from metricflow.data_table.mf_table import MetricFlowDataTable
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
from metricflow_semantics.sql.sql_bind_parameters import SqlBindParameterSet


class ReadOnlyDuckDbSqlClient:
    """Implements metricflow.protocols.sql_client.SqlClient for DuckDB."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._connection = connection
        self._renderer = DuckDbSqlPlanRenderer()

    @property
    def sql_engine_type(self) -> SqlEngine:
        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        return self._renderer

    @staticmethod
    def _parameters(bind: SqlBindParameterSet | None) -> dict[str, object] | None:
        return dict(bind.param_dict) if bind is not None and bind.param_dict else None

    def query(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet | None = None
    ) -> MetricFlowDataTable:
        cursor = self._connection.cursor()
        try:
            cursor.execute(stmt, self._parameters(sql_bind_parameter_set))
            names = [column[0] for column in cursor.description or []]
            rows = cursor.fetchall()
        finally:
            cursor.close()
        return MetricFlowDataTable.create_from_rows(column_names=names, rows=rows)

    def execute(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet | None = None) -> None:
        cursor = self._connection.cursor()
        try:
            cursor.execute(stmt, self._parameters(sql_bind_parameter_set))
        finally:
            cursor.close()

    def dry_run(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet | None = None) -> None:
        self.execute(f"explain {stmt}", sql_bind_parameter_set)

    def close(self) -> None:
        """The caller owns the connection and closes it."""

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"
