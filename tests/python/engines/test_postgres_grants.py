"""The grants of dbt_project.yml really apply on PostgreSQL (issue: governance).

Run by `make test-postgres` after `dbt build` on the throwaway server: the
build created the roles (nologin) and granted them; this test only lets each
role log in, then connects as it and shows what it can and cannot read.
"""

from __future__ import annotations

import secrets

import psycopg2
import pytest
from psycopg2 import errors

from integration_adoption.engines.postgres_engine import connect

BI_READER, CUSTOMER_SUCCESS = "ia_bi_reader", "ia_customer_success"
HEALTH_AND_ALERTS = {
    "fct_account_health_daily",
    "fct_connection_health_daily",
    "fct_integration_alerts",
    "fct_account_benchmarks",
}


@pytest.fixture(scope="module")
def admin():
    connection = connect()
    connection.autocommit = True
    yield connection
    connection.close()


def tables(admin, schema: str) -> set[str]:
    with admin.cursor() as cursor:
        cursor.execute(
            "select table_name from information_schema.tables where table_schema = %s", (schema,)
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture(scope="module")
def login(admin):
    """A connection factory: log in as a role the build created."""
    opened = []

    def as_role(role: str):
        password = secrets.token_hex(16)
        with admin.cursor() as cursor:
            cursor.execute("select rolcanlogin from pg_roles where rolname = %s", (role,))
            found = cursor.fetchone()
            assert found is not None, f"the build did not create role {role}"
            cursor.execute(f'alter role "{role}" login password %s', (password,))
        connection = connect(user=role, password=password)
        connection.autocommit = True
        opened.append(connection)
        return connection

    yield as_role
    for connection in opened:
        connection.close()


def can_select(connection, schema: str, table: str) -> bool:
    with connection.cursor() as cursor:
        try:
            cursor.execute(f'select * from "{schema}"."{table}" limit 1')
            return True
        except errors.InsufficientPrivilege:
            return False


def test_the_marts_and_other_schemas_exist(admin):
    marts = tables(admin, "marts")
    assert marts >= HEALTH_AND_ALERTS
    assert {"fct_integration_funnel", "dim_accounts", "fct_integration_impact"} <= marts
    assert tables(admin, "staging") and tables(admin, "intermediate")


def test_bi_reader_reads_every_mart_and_nothing_else(admin, login):
    bi = login(BI_READER)
    assert {t for t in tables(admin, "marts") if not can_select(bi, "marts", t)} == set()
    for schema in ("staging", "intermediate", "raw"):
        assert [t for t in tables(admin, schema) if can_select(bi, schema, t)] == [], schema


def test_customer_success_reads_only_health_and_alerts(admin, login):
    cs = login(CUSTOMER_SUCCESS)
    readable = {t for t in tables(admin, "marts") if can_select(cs, "marts", t)}
    assert readable == HEALTH_AND_ALERTS


@pytest.mark.parametrize("role", [BI_READER, CUSTOMER_SUCCESS])
def test_neither_role_can_write(login, role):
    connection = login(role)
    with connection.cursor() as cursor, pytest.raises(psycopg2.Error):
        cursor.execute("delete from marts.fct_integration_alerts")
